"""The back catalogue importer: a bulletin issue's PDF or extracted text to draft content files and a report."""
