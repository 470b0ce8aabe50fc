"""The QR/barcode scanner (keyboard wedge): ``transport`` (the grabbed evdev node), ``protocol`` (key events to
codes), ``facade`` (the BarcodeScanner the runner drives and watches), ``simulator`` (an input device carrying
the kernel's event records on a pipe), ``factory``."""
