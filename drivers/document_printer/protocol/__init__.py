"""IPP as data, with no I/O of its own: :mod:`.status` maps printer attributes onto a DeviceStatus, :mod:`.jobs`
reads job attributes and decides when a followed job has ended, :mod:`.document` checks what is sent."""
