"""Use cases: plain values in, plain values out; each owns its transaction."""
