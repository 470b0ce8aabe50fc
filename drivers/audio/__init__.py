"""Audio output for voice guidance: ``simulator`` is a sound card stand-in for machines without one."""
