#!/usr/bin/env python3
"""Command line of the Trafficking in Migrants site: `python build.py --help`."""

from timsite.engine.cli import main

if __name__ == "__main__":
    main()
