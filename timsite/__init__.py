"""Publishing platform for the Trafficking in Migrants bulletin: content model, checks, pages, feeds."""

__version__ = "1.0.0"
