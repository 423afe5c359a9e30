"""Controllers: observe the slot, return the action (precoders, detector or combiner)."""
