"""Synthetic archives for the benchmark: realistic, deterministic content at any multiple of today's size."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

from stdnum import ean, isbn, issn

from timsite.content.dates import SEASON_START_MONTH

BASE_ISSUES, BASE_MEETINGS, BASE_PUBLICATIONS = 10, 100, 300
"""Today's size (scale x1)."""

SEED = 20020401
LAST_YEAR = 2024
"""The newest issue and publication are dated in this year, so nothing generated is embargoed."""


SEASONS = ("winter", "spring", "summer", "autumn")

TAGS = (
    "victim protection",
    "prosecution",
    "prevention",
    "return and reintegration",
    "smuggling of migrants",
    "law enforcement",
    "research",
    "children",
    "labour exploitation",
    "sexual exploitation",
    "legislation",
    "Europe",
    "Balkans",
    "Asia-Pacific",
    "South Asia",
    "Africa",
    "Americas",
    "Middle East",
    "Ukraine",
    "Albania",
    "Thailand",
    "Nigeria",
    "Mexico",
)

COUNTRIES = (
    ("Vienna", "Austria"),
    ("Brussels", "Belgium"),
    ("Geneva", "Switzerland"),
    ("Bangkok", "Thailand"),
    ("Kathmandu", "Nepal"),
    ("Kyiv", "Ukraine"),
    ("Tirana", "Albania"),
    ("Lagos", "Nigeria"),
    ("Mexico City", "Mexico"),
    ("Manila", "Philippines"),
    ("Rome", "Italy"),
    ("Bali", "Indonesia"),
)

ORGANISERS = (
    "International Organization for Migration",
    "Council of Europe",
    "European Commission",
    "OSCE/ODIHR",
    "UNICEF",
    "UNODC",
    "Stability Pact Task Force on Trafficking",
    "Government of Thailand",
)

FIRST_NAMES = ("Anna", "Marco", "Elena", "John", "Frank", "Sara", "Igor", "Maria", "Rohan", "Aiko", "Kwame", "Lucia")
LAST_NAMES = ("Laczko", "Gramegna", "Ruggiero", "Salt", "Kelly", "Omelaniuk", "Ghosh", "Bruno", "Petrov", "Osei")

TOPICS = (
    "Trafficking in Women",
    "Trafficking in Children",
    "Labour Migration",
    "Irregular Migration",
    "Victim Assistance",
    "Return and Reintegration",
    "Border Management",
    "Counter-Trafficking Cooperation",
    "Migrant Smuggling",
    "Forced Labour",
)
PLACES = (
    "Central Asia",
    "the Balkans",
    "the Baltic States",
    "South-East Asia",
    "West Africa",
    "the Mekong Region",
    "Central America",
    "the European Union",
    "the Caucasus",
    "South Asia",
)

MEETING_KINDS = ("Regional Conference", "Expert Group Meeting", "Ministerial Meeting", "Seminar", "Workshop", "Forum")

_WORD_TEXT = (
    "trafficking migrants victims governments authorities cooperation protection assistance shelter return "
    "reintegration prosecution traffickers networks recruitment agencies border police training judges "
    "prosecutors legislation convention protocol ratification national plan action research data survey "
    "interviews women children minors labour exploitation domestic work agriculture construction fishing "
    "factories debt bondage passports documents visa residence permit hotline counselling medical legal aid "
    "NGOs partners donors funding project programme campaign awareness media schools communities families "
    "villages origin transit destination countries region cross-border routes smuggling irregular migration "
    "employment opportunities poverty unemployment discrimination gender vulnerability risk recruitment "
    "deception coercion violence abuse identification referral mechanism coordination ministries embassies "
    "consulates repatriation safe voluntary sustainable evaluation monitoring report findings recommendations "
    "strategy capacity building standards human rights dignity victims' testimony witness security "
    "investigation arrests convictions sentences penalties court cases evidence intelligence Europol Interpol "
    "IOM office mission staff field workers social workers psychologists outreach income generation "
    "microcredit vocational education literacy health HIV prevention information dissemination brochure "
    "leaflet television radio newspaper conference seminar workshop meeting participants delegates experts "
    "officials representatives international organizations United Nations European Union Council OSCE "
    "bilateral agreement memorandum understanding framework policy approach response challenge progress"
)
WORDS = tuple(_WORD_TEXT.split())
"""The running text's vocabulary."""
FUNCTION_WORDS = (
    ("the",) * 3
    + ("of", "and", "in", "to") * 2
    + ("for", "with", "from", "on", "by", "as", "at", "that", "which", "a", "an")
)
_VOCABULARY = [*FUNCTION_WORDS, *WORDS]
_CUM_WEIGHTS = list(accumulate([0.35 / len(FUNCTION_WORDS)] * len(FUNCTION_WORDS) + [0.65 / len(WORDS)] * len(WORDS)))
"""Function words make about 35% of running text."""


def slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in out.split("-") if part)


def isbn13_digits(serial: int) -> str:
    """A valid ISBN-13 (digits) for IOM's group 92, the check digit computed by python-stdnum."""
    twelve = f"97892{9068000 + serial:07d}"
    return twelve + ean.calc_check_digit(twelve)


def issn_digits(serial: int) -> str:
    """A valid ISSN (digits), the check digit computed by python-stdnum."""
    seven = f"{1020000 + serial:07d}"
    return seven + issn.calc_check_digit(seven)


@dataclass
class Counts:
    issues: int
    meetings: int
    publications: int

    @classmethod
    def at(cls, scale: float) -> Counts:
        return cls(
            max(1, round(BASE_ISSUES * scale)),
            max(1, round(BASE_MEETINGS * scale)),
            max(1, round(BASE_PUBLICATIONS * scale)),
        )


class Writer:
    """Deterministic text: sentences, paragraphs and Markdown bodies from a fixed vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self, low: int = 12, high: int = 28) -> str:
        n = self.rng.randint(low, high)
        words = self.rng.choices(_VOCABULARY, cum_weights=_CUM_WEIGHTS, k=n)
        if n > 14:
            words[n // 2] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, words: int) -> str:
        out: list[str] = []
        count = 0
        while count < words - 10:  # stop near the target: a sentence is 20 words on average
            s = self.sentence()
            out.append(s)
            count += s.count(" ") + 1
        if self.rng.random() < 0.3:
            i = self.rng.randrange(len(out))
            first, _, rest = out[i].partition(" ")
            out[i] = f"**{first}** {rest}"
        return " ".join(out)

    def paragraphs(self, words: int, size: int = 110) -> list[str]:
        n = max(1, round(words / size))
        return [self.paragraph(words // n) for _ in range(n)]

    def title(self, words: int = 4) -> str:
        return " ".join(w.capitalize() for w in self.rng.sample(WORDS, words))


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def content_file(fields: dict[str, Any], body: str) -> str:
    """A content file: front matter (every text quoted) and Markdown body."""
    head = "\n".join(f"{key}: {_yaml_value(value)}" for key, value in fields.items() if value not in (None, [], ""))
    return f"---\n{head}\n---\n\n{body.strip()}\n"


@dataclass
class _Pub:
    fields: dict[str, Any]
    body: str
    home: int
    ref: str


@dataclass
class Generated:
    counts: Counts
    files: dict[str, str] = field(default_factory=dict)


def generate(scale: float, seed: int = SEED, counts: Counts | None = None) -> Generated:
    """A synthetic archive at `scale` times today's size, as {relative path: file text}; deterministic.

    `counts` overrides the numbers of issues, meetings and publications (a long run of issues with few
    other items, say).
    """
    rng = random.Random(f"{seed}:{scale}")
    w = Writer(rng)
    counts = counts or Counts.at(scale)
    out = Generated(counts)
    first_year = LAST_YEAR - (counts.issues - 1) // 4

    def tags() -> list[str]:
        return sorted(rng.sample(TAGS, rng.randint(2, 6)))

    # --- series: a few, each with its ISSN ---
    series_ids = []
    for n, name in enumerate(("Migration Research Series", "Counter-Trafficking Studies", "Policy Papers")):
        sid = slug(name)
        series_ids.append(sid)
        out.files[f"series/{sid}.md"] = content_file(
            {
                "id": sid,
                "title": name,
                "issn": issn.format(issn_digits(n + 1)),
                "publisher": "International Organization for Migration",
            },
            w.paragraph(60),
        )

    # --- issues: quarterly, the newest in LAST_YEAR ---
    issues: list[dict[str, Any]] = []
    for i in range(counts.issues):
        number = i + 1
        year = first_year + i // 4
        season = SEASONS[i % 4]
        issues.append({"number": number, "season": season, "year": year, "meetings": [], "publications": []})

    # --- meetings: each reported by one issue, held in the months before it ---
    meetings: list[dict[str, Any]] = []
    for i in range(counts.meetings):
        issue = issues[i % counts.issues]
        month = SEASON_START_MONTH[issue["season"]] - rng.randint(1, 6)
        year = issue["year"] + (month - 1) // 12
        month = (month - 1) % 12 + 1
        city, country = rng.choice(COUNTRIES)
        kind = rng.choice(MEETING_KINDS)
        topic = rng.choice(TOPICS)
        title = f"{kind} on {topic} in {rng.choice(PLACES)}"
        mid = f"{slug(kind)}-{slug(topic)}-{year}-{i + 1}"
        if rng.random() < 0.2:
            start, end = f"{year}-{month:02d}", None
        else:
            day = rng.randint(1, 24)
            start = f"{year}-{month:02d}-{day:02d}"
            end = f"{year}-{month:02d}-{day + rng.randint(1, 3):02d}" if rng.random() < 0.6 else None
        fields: dict[str, Any] = {
            "id": mid,
            "title": title,
            "short_title": f"{topic} {kind}" if rng.random() < 0.5 else None,
            "start": start,
            "end": end,
            "city": city,
            "country": country,
            "organisers": rng.sample(ORGANISERS, rng.randint(1, 3)),
            "reported_in": issue["number"],
            "tags": tags(),
            "summary": w.sentence(20, 30),
        }
        issue["meetings"].append(mid)
        meetings.append(fields)
        out.files[f"meetings/{mid}.md"] = content_file(fields, "\n\n".join(w.paragraphs(300, 100)))

    # --- publications: a summary each, about 30% with a 2,000-word full text ---
    pubs: list[_Pub] = []
    types = ("report", "book", "research-series", "manual", "council-document", "conference-paper", "brochure")
    numbers_in_series = {sid: 0 for sid in series_ids}
    for i in range(counts.publications):
        home = i % counts.issues
        issue = issues[home]
        year = issue["year"] - rng.randint(0, 1)
        ptype = rng.choice(types)
        topic = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        title = f"{topic} in {place}: {w.title(3)}"
        pid = f"{slug(topic)}-{slug(place)}-{i + 1}"
        fields = {"id": pid, "title": title, "type": ptype}
        if rng.random() < 0.6:
            fields["authors"] = [
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(rng.randint(1, 3))
            ]
        else:
            fields["corporate_author"] = f"IOM {rng.choice(COUNTRIES)[0]}"
        fields |= {"publisher": "International Organization for Migration", "place": "Geneva", "year": year}
        if rng.random() < 0.3:
            fields["date"] = f"{year}-{rng.randint(1, 12):02d}"
        ref = pid
        if rng.random() < 0.75:
            digits = isbn13_digits(i)
            printed = isbn.format(isbn.to_isbn10(digits)) if rng.random() < 0.6 else isbn.format(digits)
            fields["isbn"] = printed if rng.random() < 0.9 else isbn.compact(printed)
            if rng.random() < 0.2:
                ref = fields["isbn"]
        if ptype == "research-series" or (ptype == "report" and rng.random() < 0.3) or i < len(series_ids):
            sid = series_ids[i % len(series_ids)]
            numbers_in_series[sid] += 1
            fields |= {"series": sid, "series_number": numbers_in_series[sid]}
        if ptype == "council-document":
            fields["document_number"] = f"MC/INF/{200 + i}"
        if rng.random() < 0.4:
            fields |= {"online": True, "url": f"https://publications.iom.int/{pid}"}
        if rng.random() < 0.1:
            fields["meeting"] = rng.choice(meetings)["id"]
        fields |= {"tags": tags(), "summary": " ".join(w.sentence() for _ in range(2))}
        body = _full_text(w) if rng.random() < 0.3 else ""
        pubs.append(_Pub(fields, body, home, ref))
        out.files[f"publications/{pid}.md"] = content_file(fields, body)

    # --- issues reference their meetings and the publications they review; ~4,000-word bodies ---
    for p in pubs:
        issue = issues[p.home]
        if len(issue["publications"]) < 12:
            issue["publications"].append(p.ref)
    by_ref = {p.ref: p for p in pubs}
    meeting_by_id = {m["id"]: m for m in meetings}
    for issue in issues:
        fields = {
            "number": issue["number"],
            "season": issue["season"],
            "year": issue["year"],
            "date": f"{issue['year']}-{SEASON_START_MONTH[issue['season']]:02d}-{rng.randint(1, 28):02d}"
            if rng.random() < 0.5
            else None,
            "lead": w.title(5),
            "summary": w.sentence(25, 40),
            "issn": issn.format(issn_digits(0)),
            "tags": tags(),
            "meetings": issue["meetings"],
            "publications": issue["publications"],
        }
        body = _issue_body(
            w,
            fields["lead"],
            [meeting_by_id[m]["title"] for m in issue["meetings"]],
            [by_ref[r].fields["title"] for r in issue["publications"]],
        )
        name = f"{issue['number']:03d}-{issue['season']}-{issue['year']}.md"
        out.files[f"bulletins/{name}"] = content_file(fields, body)
    return out


def _article(w: Writer, level: str, title: str, anchor: str, words: int) -> str:
    return f"{level} {title} {{#{anchor}}}\n\n" + "\n\n".join(w.paragraphs(words))


def _issue_body(w: Writer, lead: str, meetings: list[str], publications: list[str]) -> str:
    """About 4,000 words: a lead article, then sections of articles, each heading with its anchor."""
    parts = [_article(w, "##", lead, "lead-article", 800)]
    n = 0

    def section(title: str, anchor: str, titles: Iterable[str], words: int) -> None:
        nonlocal n
        parts.append(f"## {title} {{#{anchor}}}\n\n" + w.paragraph(60))
        for t in titles:
            n += 1
            parts.append(_article(w, "###", t, f"{slug(t)[:40].strip('-')}-{n}", words))

    section("Meetings", "meetings-section", meetings[:8], 150)
    section("New publications", "new-publications", publications[:8], 120)
    budget = 4000 - 800 - 150 * min(8, len(meetings)) - 120 * min(8, len(publications))
    news = max(3, budget // 250)
    section("News from the regions", "news", [w.title(4) for _ in range(news)], 230)
    return "\n\n".join(parts)


def _full_text(w: Writer) -> str:
    """About 2,000 words of report: sections, a list and footnotes."""
    parts = []
    for k in range(1, 6):
        title = w.title(3)
        parts.append(f"## {title} {{#section-{k}}}")
        parts += w.paragraphs(300, 100)
        parts.append(w.paragraph(60) + f"[^{k}]")
        if k == 2:
            parts.append("\n".join(f"- {w.sentence(6, 12)}" for _ in range(5)))
    parts += [f"[^{k}]: {w.sentence(8, 14)}" for k in range(1, 6)]
    return "\n\n".join(parts)


def write_archive(generated: Generated, root: Path) -> None:
    """Write the generated files under `root` (which must not hold other content)."""
    for rel, text in sorted(generated.files.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
