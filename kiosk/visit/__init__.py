"""One citizen's visit: the state machine (:mod:`.flow`, :mod:`.core`), the citizen's actions (:mod:`.session`),
the records a visit writes (:mod:`.records`) and the plain-data view the screens render (:mod:`.view`)."""
