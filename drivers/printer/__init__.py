"""Receipt printer drivers: ESC/POS encoder, DLE EOT status, transports, simulator."""
