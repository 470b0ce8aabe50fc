"""Reusable touch widgets: big buttons, numeric keypad, paged tile grid, QR code, idle countdown overlay."""
