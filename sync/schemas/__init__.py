"""JSON Schemas of the MQTT contract (package data; loaded by :mod:`sync.contract`)."""
