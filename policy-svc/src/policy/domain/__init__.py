"""Pure contract rules: no I/O, no clock; every date is an argument."""
