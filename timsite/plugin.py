"""The plugin's old import path, kept for installs whose entry point still names `timsite.plugin`."""

from timsite.engine.plugin import TimsitePlugin

__all__ = ["TimsitePlugin"]
