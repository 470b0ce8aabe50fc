"""Social security card reader (PC/SC through pcscd)."""
