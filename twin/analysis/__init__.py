"""Closed-form design analyses, each checked against the bit-true converters."""
