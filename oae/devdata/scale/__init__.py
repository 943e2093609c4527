"""Generated data at any size: people, companies and consents; case load; made-up names."""
