"""Exports of the archive: one neutral citation record per entry, in BibTeX, RIS, CSL-JSON and the page <head>.

`citations.Citations` builds each entry's `Record` (see `record`) once per build. The format modules
(`bibtex`, `ris`, `csl`, listed in `formats`) and `head` only format records, so a page and its
downloads never disagree. This package's `__init__` imports nothing: the entry-kind registry
(`timsite.kinds`) names the record builders, and `citations` reads the registry.
"""
