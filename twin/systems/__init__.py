"""The two systems: their ordered blocks, the AQNM closed forms and their power models."""
