"""dispenser drivers."""
