"""The scale benchmark and the synthetic archives it builds (developer tools, not shipped with timsite)."""
