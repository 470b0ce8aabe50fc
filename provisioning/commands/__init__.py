"""One module per command group of ``kiosk-provision``; each offers ``register(sub, common)``."""
