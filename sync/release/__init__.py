"""Publishing kiosk software from the hall: a signed TUF repository of releases (``kiosk-hall release``).

- :mod:`.keys`: the four signing keys, offline (root, targets) and online (snapshot, timestamp);
- :mod:`.manifest`: the release manifest, shared with the kiosk's updater;
- :mod:`.build`: the kiosk wheel, the lock and the dependency wheels of a release;
- :mod:`.repository`: the TUF metadata (python-tuf's Metadata API) and the published files;
- :mod:`.serve`: a reference HTTPS server with client certificates;
- :mod:`.cli`: the ``kiosk-hall release`` subcommands.
"""
