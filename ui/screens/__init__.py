"""One module per screen of the visit; each renders a :class:`kiosk.session_view.SessionView`."""
