"""The issue's structure: the lead article, sections (`##`) and articles (`###`), bylines, and the boilerplate.

Headings are found by their setting (capitals, or a font clearly larger than the text) and placed by
the cover's contents lists: a heading the cover lists is an article of the section its list names; a
heading followed at once by another heading opens a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from timsite.content.dates import season_date
from timsite.importer.cover import MATCH, Cover, best_heading, masthead, read_cover
from timsite.importer.limits import MAX_COVER, MAX_HEADINGS, ImportRefused
from timsite.importer.reflow import Para, ends_sentence, is_heading_like, is_larger, word_count
from timsite.importer.report import Report
from timsite.importer.similar import normalise
from timsite.importer.titles import TitleCase, acronyms, anchor, is_caps

ABOUT_TITLE, ABOUT_ANCHOR = "About this bulletin", "about"
"""The archive's own closing section: the cover's disclaimer and address, printed once per issue."""
KIND_WORDS = {
    "meeting": ("meeting", "conference", "event", "seminar", "symposi", "workshop"),
    "publication": ("publication", "book", "report", "resource", "reading", "literature"),
}
"""Words of a contents list or section title that say what its articles report (stems, any case)."""
_CONTACT = re.compile(r"@|\b(?:tel|fax|e-mail|email|web|www)\b", re.IGNORECASE)
FOOTNOTE = re.compile(r"^(\d{1,2}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2})\s+(\S.*)$")
"""A footnote as printed at the foot of a page: its number, a space, its text."""
SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
FOOTNOTE_MARK = "\x00"
"""Brackets a footnote reference in an item's text until the template writes it as `[^n]` (never in a source)."""
LEAD_WORDS = 20
"""The lead article's heading is the first heading followed by a paragraph of at least this many words."""


@dataclass
class Heading:
    title: str
    level: int
    anchor: str
    printed: str


@dataclass
class Item:
    """One piece of the draft body: `heading`, `para`, `list`, `lines`, `byline` or `note`."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    ordered: bool = False
    heading: Heading | None = None


@dataclass
class Article:
    heading: Heading
    kind: str
    """`meeting`, `publication` or `` (what the section it is in reports)."""
    items: list[Item] = field(default_factory=list)
    cover_title: str = ""


@dataclass
class Issue:
    number: int
    season: str
    year: int
    lead: str
    body: list[Item]
    articles: list[Article]
    running_text: str
    cover_text: str = ""


def _kind(*texts: str) -> str:
    for text in texts:
        words = normalise(text).split()
        for kind, stems in KIND_WORDS.items():
            if any(w.startswith(stems) for w in words):
                return kind
    return ""


def parse_issue(paras: list[Para], periodical: str, report: Report) -> Issue:
    found = next((m for m in (masthead(p.text) for p in paras) if m), None)
    if found is None:
        raise ImportRefused(
            'this is not a bulletin issue: no masthead such as "N° 31 – Autumn 2003" (number, season, year) '
            "was found on it; nothing was written"
        )
    number, season, year = found
    body_font = body_size_of(paras)

    def heading(p: Para) -> bool:
        return is_heading_like(p) or is_larger(p, body_font)

    lead = next(
        (
            i
            for i in range(len(paras) - 1)
            if heading(paras[i])
            and not masthead(paras[i].text)
            and normalise(paras[i].text) != normalise(periodical)
            and paras[i + 1].kind == "para"
            and not heading(paras[i + 1])
            and word_count(paras[i + 1].text) >= LEAD_WORDS
        ),
        None,
    )
    if lead is None:
        raise ImportRefused(
            f"N° {number} – {season} {year}: no article was found (a heading in capitals or a larger font "
            f"followed by a paragraph); is the text layer complete? Nothing was written"
        )
    body_paras = paras[lead:]
    heading_texts = [p.text for p in body_paras if heading(p)]
    # Titles are compared with each other: bounded before any comparison, so no text can make it quadratic.
    if len(heading_texts) > MAX_HEADINGS or lead > MAX_COVER:
        what = f"{len(heading_texts):,} headings" if len(heading_texts) > MAX_HEADINGS else f"{lead:,} cover paragraphs"
        raise ImportRefused(
            f"N° {number}: {what}; one issue has at most {MAX_HEADINGS} headings and {MAX_COVER} paragraphs "
            "before its first article: is this one issue? Nothing was written"
        )
    cover = read_cover(paras[:lead], heading_texts, periodical)
    running = "\n".join(p.text for p in body_paras if not heading(p))
    case = TitleCase(acronyms(running))
    builder = _Builder(cover, case, running, report)
    for i, para in enumerate(body_paras):
        following = body_paras[i + 1] if i + 1 < len(body_paras) else None
        builder.add(para, heading(para), following is not None and heading(following), following)
    builder.finish()
    report.add(
        0.95,
        f"issue N° {number}, {season} {year}, from the masthead; dated {season_date(season, year)} by the season rule "
        "(add date: if the issue prints a day)",
        "number:",
    )
    cover_text = "\n".join(p.text for p in paras[:lead])
    return Issue(number, season, year, builder.lead, builder.body, builder.articles, running, cover_text)


def body_size_of(paras: list[Para]) -> float | None:
    weight: dict[float, int] = {}
    for p in paras:
        if p.size:
            weight[p.size] = weight.get(p.size, 0) + len(p.text)
    return max(weight, key=lambda s: weight[s]) if weight else None


class _Builder:
    """Walks the body's paragraphs once, placing each under the right heading."""

    def __init__(self, cover: Cover, case: TitleCase, running: str, report: Report) -> None:
        self.cover, self.case, self.running, self.report = cover, case, running, report
        self.body: list[Item] = []
        self.articles: list[Article] = []
        self.anchors: set[str] = {ABOUT_ANCHOR}
        self.lead = ""
        self.section_kind = ""
        self.section_listed = False
        self.in_section = False
        self.used: set[int] = set()
        self.items = [(lst, t) for lst in cover.lists for t in lst.items]
        self.colophon: list[Item] = []
        self.current: list[Item] | None = None
        self.footnotes = 0
        self.notes: list[Item] = []

    def _title(self, printed: str) -> tuple[str, float, str]:
        text = " ".join(printed.replace("**", "").split())
        if not is_caps(text):
            return text, 0.9, "title as printed"
        for _, title in self.items:
            if normalise(title) == normalise(text):
                return title, 0.95, "title spelled as on the cover"
        words = [re.escape(w) for w in text.split()]
        if len(words) >= 2:
            found = re.search(r"\b" + r"\s+".join(words) + r"(?!\w)", self.running, re.IGNORECASE)
            if found and found.group(0)[:1].isupper() and not is_caps(found.group(0)):
                return " ".join(found.group(0).split()), 0.85, "title spelled as in the text"
        return self.case(text), 0.75, "title-cased from capitals"

    def _cover_match(self, text: str) -> tuple[float, int]:
        titles = [t if i not in self.used else "" for i, (_, t) in enumerate(self.items)]
        return best_heading(text, titles)

    def _heading(self, para: Para, level: int, why: str, confidence: float) -> Heading:
        title, title_confidence, how = self._title(para.text)
        h = Heading(title, level, anchor(title, self.anchors), para.text)
        self.body.append(Item("heading", heading=h))
        self.report.add(min(confidence, title_confidence), f'{"#" * level} "{title}": {why}; {how}', f"{{#{h.anchor}}}")
        return h

    def add(self, para: Para, is_heading: bool, next_is_heading: bool, following: Para | None) -> None:
        if is_heading:
            self._add_heading(para, next_is_heading)
            return
        previous = self.body[-1] if self.body else None
        if para.kind == "para" and self._footnote(para.text):
            return
        if para.kind == "list":
            item = Item("list", items=para.items, ordered=para.ordered)
        elif para.kind == "lines":
            item = Item("lines", items=para.lines)
        elif word_count(para.text) <= 12 and not ends_sentence(para.text) and para.text[:1].isupper():
            if previous is not None and previous.kind == "heading":
                item = Item("byline", para.text)
            elif following is not None and following.kind == "para" and word_count(following.text) >= LEAD_WORDS:
                h = self._heading(para, 3, "a short line before a paragraph, guessed as a heading", 0.5)
                self._start_article(h, "")
                return
            else:
                item = Item("note", para.text)
        else:
            item = Item("para", para.text)
        self.body.append(item)
        if self.current is not None:
            self.current.append(item)

    def _footnote(self, text: str) -> bool:
        """A note printed at the foot of a page ("1 Source: ..."), linked to its mark in the text before it."""
        found = FOOTNOTE.match(text)
        if not found:
            return False
        printed = found.group(1).translate(SUPERSCRIPTS)
        mark = re.compile(rf"(?:(?<=[^\W\d_])|(?<=[.,;:”\"’)]))(?:{printed}|{re.escape(found.group(1))})(?!\d)")
        for item in reversed(self.body[-12:]):
            if item.kind not in ("para", "list"):
                continue
            texts = [item.text] if item.kind == "para" else item.items
            for i in reversed(range(len(texts))):
                marks = list(mark.finditer(texts[i]))
                if not marks:
                    continue
                self.footnotes += 1
                label = str(self.footnotes)
                last = marks[-1]
                changed = texts[i][: last.start()] + f"{FOOTNOTE_MARK}{label}{FOOTNOTE_MARK}" + texts[i][last.end() :]
                if item.kind == "para":
                    item.text = changed
                else:
                    item.items[i] = changed
                note = Item("footnote", found.group(2), heading=None)
                note.items = [label]
                self.notes.append(note)
                self.report.add(0.6, f"footnote {printed} kept as a footnote, linked to its mark", f"[^{label}]:")
                return True
        return False

    def _start_article(self, h: Heading, kind: str, cover_title: str = "") -> None:
        article = Article(h, kind, cover_title=cover_title)
        self.articles.append(article)
        self.current = article.items

    def _add_heading(self, para: Para, next_is_heading: bool) -> None:
        if not self.lead:
            h = self._heading(para, 2, "the lead article: the first heading followed by text", 0.9)
            self.lead = h.title
            self._start_article(h, "")
            return
        score, index = self._cover_match(para.text)
        if score >= MATCH:
            self.used.add(index)
            label, title = self.items[index]
            if not self.in_section or not self.section_listed:
                self.section_kind = _kind(label.label)
            self.section_listed = True
            h = self._heading(
                para, 3 if self.in_section else 2, f"listed on the cover under {label.label} (score {score:.2f})", score
            )
            self._start_article(h, self.section_kind, title)
            return
        if next_is_heading:
            h = self._heading(para, 2, "a section: followed at once by the first of its articles", 0.8)
            self.in_section, self.section_listed = True, False
            self.section_kind = _kind(h.title)
            self.current = None
            return
        if self.in_section and not self.section_listed:
            h = self._heading(para, 3, "an article of the section above (not listed on the cover)", 0.55)
            self._start_article(h, self.section_kind)
            return
        h = self._heading(para, 2, "a heading followed by text, not listed on the cover", 0.7)
        # It may open a section whose listed articles follow its introduction.
        self.in_section, self.section_listed = True, False
        self.section_kind = _kind(h.title)
        self._start_article(h, "")

    def finish(self) -> None:
        self.body += self.notes
        leftover = [t for i, (_, t) in enumerate(self.items) if i not in self.used]
        for title in leftover:
            self.report.add(0.3, f'the cover lists "{title}" but no heading in the text matched it: find the article')
        about: list[Item] = [Item("para", p) for p in self.cover.paragraphs]
        if self.cover.lines:
            about.append(Item("lines", items=[self.case(x) if is_caps(x) else x for x in self.cover.lines]))
        if about:
            h = Heading(ABOUT_TITLE, 2, ABOUT_ANCHOR, "")
            self.body.append(Item("heading", heading=h))
            self.body += about
            self.report.add(
                0.8,
                f"the cover's boilerplate ({len(about)} block(s): disclaimer, address) placed under {ABOUT_TITLE}",
                "{#about}",
            )
        for article in self.articles:
            if any(i.kind == "lines" and _CONTACT.search(" ".join(i.items)) for i in article.items):
                self.report.add(
                    0.8,
                    f'"{article.heading.title}" holds a contact address: kept as the colophon',
                    f"{{#{article.heading.anchor}}}",
                )
