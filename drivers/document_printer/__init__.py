"""The A4 document printer (certificates) through CUPS: ``transport`` (IPP via pycups, every call bounded),
``protocol`` (IPP printer and job attributes -> status, faults, job outcomes), ``facade`` (the DocumentPrinter the
runner drives), ``simulator`` (a private cupsd with a cups-pdf queue), ``factory``."""
