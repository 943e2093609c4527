"""Demo loaders: the offices, logins, catalogue, clients, cases and tool results the demo shows."""
