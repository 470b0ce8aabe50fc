"""The resident ID card reader (second-generation card, SAM module over serial): ``transport`` (the serial
port), ``protocol`` (frames, the text block), ``facade`` (the IdCardReader the runner drives), ``simulator``
(a SAM reader on a pty with sample cards), ``factory``."""
