"""Resident ID card reader (second-generation card, SAM module over serial)."""
