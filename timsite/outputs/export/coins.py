"""COinS: an OpenURL (Z39.88-2004 KEV) per listed issue or publication, for reference managers to save a list at once.

The value goes in the `title` of a `span.Z3988` the templates print (autoescaped); this module only
makes the query string. Books, reports and the rest use the book format with a `genre`; an issue of
the bulletin uses the journal format with genre `issue`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from timsite.outputs.export.record import Record

GENRES = {"book": "book", "manual": "book", "techreport": "report", "inproceedings": "proceeding"}


def coins(r: Record) -> str:
    """The ContextObject of `r` as a KEV query string (the `title` of its COinS span)."""
    pairs: list[tuple[str, str]] = [("ctx_ver", "Z39.88-2004")]
    if r.level == "issue":
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"), ("rft.genre", "issue")]
        pairs += [("rft.jtitle", r.journal or r.title), ("rft.issue", r.number or "")]
    else:
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", GENRES.get(r.type.bibtex, "document"))]
        pairs += [("rft.btitle", r.title)]
        if r.series:
            pairs.append(("rft.series", r.series))
    if r.url:
        pairs.append(("rft_id", r.url))
    if r.isbn:
        pairs.append(("rft.isbn", r.isbn))
    if r.issn and r.level == "issue":
        pairs.append(("rft.issn", r.issn))
    for c in r.creators:
        pairs.append(("rft.aucorp", c.name) if c.corporate else ("rft.au", c.inverted))
    if r.date:
        pairs.append(("rft.date", r.date.iso()))
    if r.publisher:
        pairs.append(("rft.pub", r.publisher))
    if r.place:
        pairs.append(("rft.place", r.place))
    # Short on purpose: the catalogue page carries one per publication (3,000 at x10). "/" and ":" need no
    # escaping in a query string; the referrer id and language are optional and left out.
    return urlencode(pairs, safe="/:")
