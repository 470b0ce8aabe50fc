"""The kiosk's software updater (``kiosk-update``): signed releases from the hall's TUF repository, installed into
the inactive of two venv slots, switched to between visits and rolled back by itself when not healthy.

- :mod:`.fetcher`: HTTPS with the kiosk's certificate for python-tuf's ngclient;
- :mod:`.client`: the TUF client: the current release and its files, verified;
- :mod:`.slots`: ``/opt/kiosk/slots/{a,b}`` and the ``current`` link; installing a release into a slot;
- :mod:`.health`: UI alive, agent connected, visit in progress (store settings, read-only);
- :mod:`.report`: ``update.*`` events into the outbox;
- :mod:`.state`, :mod:`.services`: the updater's memory; restarting the services;
- :mod:`.updater`: one run, step by step; :mod:`.main`: the command.
"""
