"""Figures. The only package that imports matplotlib (Agg backend, files only)."""
