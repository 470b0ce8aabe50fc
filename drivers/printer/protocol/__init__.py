"""ESC/POS as bytes, with no I/O of its own: :mod:`.encoder` turns a PrintJob into the bytes a printer prints,
:mod:`.status` reads the DLE EOT and GS r replies and maps them onto a DeviceStatus."""
