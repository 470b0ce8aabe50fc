"""The social security card reader (PC/SC): ``transport`` (pcscd through pyscard's scard API), ``protocol`` (the
card's TLV records and the APDUs that read them), ``facade`` (the SsCardReader the runner drives and watches),
``simulator`` (a sample card in a simulated PC/SC layer), ``factory``."""
