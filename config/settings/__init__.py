"""Settings modes: base (embedded default for development), test and production."""
