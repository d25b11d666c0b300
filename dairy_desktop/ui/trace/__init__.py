"""The Trace view: where a batch's milk went, or which milk went into an order."""
