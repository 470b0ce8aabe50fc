"""One module per screen of the visit; each renders a :class:`kiosk.visit.view.SessionView`."""
