"""Online requests over MQTT 5 request/response: the kiosk agent's relay and the reference hall's answering side.

``wire``: topics, properties, message builders and schemas. ``relay`` + ``local_server``: the kiosk agent's half
(the screen process asks over a Unix socket). ``hall_side``, ``backends``, ``hall_store``, ``codes``, ``pdf``:
the reference hall's half. See docs/mqtt-contract.md §11.
"""
