"""The facts document and the ISO codes: the shell's values <-> the core's (DESIGN section 6)."""
