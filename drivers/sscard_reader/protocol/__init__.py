"""The social security card's protocol, with no I/O of its own: :mod:`.tlv` (the records of EF05/EF06 and their
value codings) and :mod:`.profile` (the APDUs that read them, over any ``transmit``)."""
