"""Reading and checking: content files to sources, models and the checked `Archive` (knows nothing of pages)."""
