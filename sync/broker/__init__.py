"""Shipped broker configuration for a hall (package data: ``mosquitto.conf``, ``hall.acl``)."""
