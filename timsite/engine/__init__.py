"""Running a build: the MkDocs adapter, the side work, the safe publish and the command line."""
