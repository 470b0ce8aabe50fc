"""The SAM reader's protocol, with no I/O of its own: :mod:`.frames` (command and answer frames, checksums,
status codes) and :mod:`.text_block` (the card's text fields and photo in a read answer)."""
