"""Power-loss testing: a FUSE layer that journals every write and fsync, and the replay that rebuilds what a disk
would hold after the power was cut at any moment (see :mod:`tests.powerloss.harness`)."""
