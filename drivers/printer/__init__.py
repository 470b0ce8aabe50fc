"""The receipt printer: ``transport`` (serial, TCP, USB, a write-only file), ``protocol`` (ESC/POS encoding and
status bytes), ``facade`` (the ReceiptPrinter the runner drives), ``simulator`` (an ESC/POS printer on a pty or
TCP), ``factory``."""
