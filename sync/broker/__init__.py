"""A hall's broker: the mosquitto.conf template (package data), its access rules (``dynsec``) and the writer of
both (``generate``, behind ``kiosk-hall broker-config``)."""
