"""The OAI-PMH static repository: one XML file with every issue, publication and series in oai_dc, marc21 and mods.

A static repository is read by a static repository gateway, which answers harvesters' OAI-PMH
requests for it (see docs/libraries.md). Its schema allows no deleted records (`deletedRecord`
is always `no`): an entry that is withdrawn, becomes a draft or is embargoed is simply absent from
the next build's file, and a harvester learns of it only by harvesting everything again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from lxml import etree

from timsite.content.periodical import DOMAIN
from timsite.content.periodical import NAME as PERIODICAL
from timsite.outputs.export import dublin_core, marc, mods
from timsite.outputs.export.record import Record

SR = "http://www.openarchives.org/OAI/2.0/static-repository"
OAI = "http://www.openarchives.org/OAI/2.0/"
MAX_RECORDS = 5000
"""The specification's limit: a static repository holds from 1 to 5,000 records; a larger archive needs a real
OAI-PMH endpoint (or several repositories, each registered with a gateway of its own)."""

FORMATS = (  # (metadataPrefix, schema, namespace)
    ("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", dublin_core.OAI_DC),
    ("marc21", "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", marc.NS),
    ("mods", "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd", mods.NS),
)


@dataclass(frozen=True)
class Item:
    """One record of the repository and the day it last changed (its datestamp)."""

    record: Record
    changed: date


def identifier(r: Record) -> str:
    """The item's OAI identifier, under the site's permanent domain: `oai:<domain>:<level>/<key>`."""
    return f"oai:{DOMAIN}:{r.level}/{r.key}"


def fits(count: int) -> bool:
    return 0 < count <= MAX_RECORDS


def _oai(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, f"{{{OAI}}}{tag}")
    if text is not None:
        el.text = text
    return el


def _metadata(prefix: str, item: Item) -> etree._Element:
    if prefix == "oai_dc":
        return dublin_core.dc_element(item.record)
    if prefix == "mods":
        return mods.mods_element(item.record, item.changed)
    collection = etree.fromstring(marc.to_marcxml([marc.marc_record(item.record, item.changed)]))
    return collection[0]  # OAI's marc21 carries one <record>, not a collection


def static_repository(items: Sequence[Item], base_url: str, admin_email: str) -> bytes:
    """The repository file; `base_url` is the gateway's URL for it (OAI-PMH's baseURL)."""
    if not fits(len(items)):
        raise ValueError(f"a static repository holds 1 to {MAX_RECORDS} records, not {len(items)}")
    root = etree.Element(f"{{{SR}}}Repository", nsmap={None: SR, "oai": OAI})
    identify = etree.SubElement(root, f"{{{SR}}}Identify")
    _oai(identify, "repositoryName", PERIODICAL)
    _oai(identify, "baseURL", base_url)
    _oai(identify, "protocolVersion", "2.0")
    _oai(identify, "adminEmail", admin_email)
    _oai(identify, "earliestDatestamp", min(i.changed for i in items).isoformat())
    _oai(identify, "deletedRecord", "no")
    _oai(identify, "granularity", "YYYY-MM-DD")
    formats = etree.SubElement(root, f"{{{SR}}}ListMetadataFormats")
    for prefix, schema, namespace in FORMATS:
        fmt = _oai(formats, "metadataFormat")
        _oai(fmt, "metadataPrefix", prefix)
        _oai(fmt, "schema", schema)
        _oai(fmt, "metadataNamespace", namespace)
    for prefix, _, _ in FORMATS:
        listing = etree.SubElement(root, f"{{{SR}}}ListRecords", metadataPrefix=prefix)
        for item in items:
            rec = _oai(listing, "record")
            header = _oai(rec, "header")
            _oai(header, "identifier", identifier(item.record))
            _oai(header, "datestamp", item.changed.isoformat())
            _oai(rec, "metadata").append(_metadata(prefix, item))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
