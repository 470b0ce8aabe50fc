"""scanner drivers."""
