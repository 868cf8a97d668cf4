"""Every file the build writes besides MkDocs' pages: the manifest, feeds, calendar, exports, search."""
