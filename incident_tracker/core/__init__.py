"""The pure deadline engine: facts in, obligations out; no framework, no I/O, no clock."""
