"""The engine `build.py` drives: ProperDocs 1.6.x, the maintained fork of MkDocs 1.x (see docs/platform.md).

Imported by `plugin.py` before its `mkdocs.*` imports: ProperDocs' import hook then sends those imports, and
Material's, to `properdocs.*`, so the plugin and the theme run on ProperDocs' classes unchanged. When MkDocs
itself loads the plugin (`mkdocs build`, `mkdocs serve` typed by hand), MkDocs is imported already and stays
the engine: the plugin must then subclass MkDocs' own classes. `properdocs build` installs the hook itself.
"""

from __future__ import annotations

import sys

if "mkdocs" not in sys.modules:
    import properdocs.replacement  # noqa: F401  (the import installs the hook)
