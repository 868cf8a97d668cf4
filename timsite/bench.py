"""The scale benchmark: generate synthetic archives at multiples of today's size, build them, and report."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Any

import yaml
from stdnum import ean, isbn, issn

ROOT = Path(__file__).resolve().parent.parent
"""The project folder: build.py, mkdocs.yml and pages/ live here."""

BASE_ISSUES, BASE_MEETINGS, BASE_PUBLICATIONS = 10, 100, 300
"""Today's size (scale x1)."""

SEED = 20020401
SOURCE_DATE_EPOCH = "1735689600"  # 2025-01-01T00:00:00Z: every build of the same archive is byte-identical
LAST_YEAR = 2024
"""The newest issue and publication are dated in this year, so nothing generated is embargoed."""

TARGET_LINEARITY = 4.5
TARGET_X10_SECONDS = 60.0
TARGET_X10_MIB = 1024.0
TARGET_OVERHEAD = 0.20

SEASONS = ("winter", "spring", "summer", "autumn")
SEASON_MONTH = {"winter": 1, "spring": 4, "summer": 7, "autumn": 10}

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


def generate(scale: float, seed: int = SEED) -> Generated:
    """A synthetic archive at `scale` times today's size, as {relative path: file text}; deterministic."""
    rng = random.Random(f"{seed}:{scale}")
    w = Writer(rng)
    counts = Counts.at(scale)
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
        month = SEASON_MONTH[issue["season"]] - rng.randint(1, 6)
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
            "date": f"{issue['year']}-{SEASON_MONTH[issue['season']]:02d}-{rng.randint(1, 28):02d}"
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


# --- measuring ---

_WRAPPER = """
import json, resource, subprocess, sys, time
with open(sys.argv[1], "wb") as log:
    start = time.perf_counter()
    code = subprocess.call(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"returncode": code, "seconds": seconds, "maxrss_kib": usage.ru_maxrss, "cpu_seconds": cpu}))
"""
"""Runs one command as its only child and reports that child's wall time and peak RSS (Linux: KiB)."""


_NOT_PROJECT = ("site", "content", "tests", "artifacts", "docs", "scripts", "node_modules")
"""Top-level folders the build does not read (output, real content, tests, documentation)."""


class BenchError(Exception):
    """The benchmark itself failed (invalid content, a failed build); the message says where to look."""


@dataclass
class Run:
    seconds: float
    maxrss_kib: int
    cpu_seconds: float = 0.0

    @property
    def cpu_share(self) -> float:
        """CPU time over wall time: near 1 for a single-threaded build that had a core to itself."""
        return self.cpu_seconds / self.seconds if self.seconds else 0.0


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env |= {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    env.pop("TIMSITE_DRAFTS", None)
    env.pop("TIMSITE_AS_OF", None)
    return env


def snapshot(target: Path, root: Path = ROOT) -> Path:
    """Copy the project (code, mkdocs.yml, pages, theme) to `target`, so edits made during a long run cannot
    change or break it: every scale is built by the same code and configuration."""
    skip = shutil.ignore_patterns(".*", "__pycache__", "*.egg-info", *_NOT_PROJECT)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(root, target, ignore=skip, symlinks=True)
    return target


def measure(command: Sequence[str], log: Path, cwd: Path = ROOT) -> Run:
    """Run `command` in a fresh wrapper process; its output goes to `log`."""
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(log), *command],
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"the measuring wrapper failed: {done.stderr.strip()}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["returncode"] != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:])
        raise BenchError(f"`{' '.join(command)}` exited {result['returncode']} (log: {log}):\n{tail}")
    return Run(result["seconds"], result["maxrss_kib"], result["cpu_seconds"])


def check_content(content: Path, log: Path, project: Path = ROOT) -> None:
    """`build.py check` on the generated content: it must report zero errors."""
    done = subprocess.run(
        [sys.executable, str(project / "build.py"), "--content", str(content), "check"],
        cwd=project,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    log.write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        raise BenchError(f"the generated content does not pass `build.py check` (see {log}):\n{done.stdout[-2000:]}")


def bare_project(content: Path, target: Path, project: Path = ROOT) -> Path:
    """The same pages as plain Markdown with a minimal Material mkdocs.yml (no timsite); returns the config."""
    from .catalogue import load_archive
    from .pages import Page, all_pages

    archive, _ = load_archive(content)
    docs = target / "docs"
    shutil.copytree(project / "pages", docs)
    for page in all_pages(archive.visible(date.today())):
        meta = {k: v for k, v in page.meta.items() if k != "template"}  # our theme templates are our layer
        path = docs / page.src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Page(page.src, meta, page.markdown).text(), encoding="utf-8")
    ours = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_config_loader())
    theme = {k: v for k, v in ours.get("theme", {}).items() if k != "custom_dir"}
    search = next((p["search"] for p in ours.get("plugins", []) if isinstance(p, dict) and "search" in p), None)
    config = {
        "site_name": ours.get("site_name", "bare"),
        "site_url": ours.get("site_url"),
        "docs_dir": "docs",
        "use_directory_urls": True,
        "theme": theme or {"name": "material"},
        "nav": ours.get("nav"),
        "plugins": [{"search": search} if search else "search", "tags"],
        "markdown_extensions": ours.get("markdown_extensions", []),
    }
    path = target / "mkdocs.yml"
    path.write_text(yaml.dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _config_loader() -> type:
    from mkdocs.utils.yaml import get_yaml_loader

    return get_yaml_loader()  # type: ignore[no-any-return]


def tree_size(root: Path) -> tuple[int, int]:
    """(bytes of every file, number of index.html pages) under `root`."""
    size = pages = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            size += os.path.getsize(os.path.join(dirpath, name))
            pages += name == "index.html"
    return size, pages


@dataclass
class Result:
    scale: float
    counts: Counts
    pages: int
    run: Run
    search_raw: int
    search_gzip: int
    site_bytes: int
    bare: Run | None

    @property
    def label(self) -> str:
        return f"x{self.scale:g}"

    @property
    def ratio(self) -> float | None:
        return self.run.seconds / self.bare.seconds if self.bare else None


def bench_scale(scale: float, workdir: Path, bare: bool, say: Callable[[str], None], project: Path = ROOT) -> Result:
    """Generate, check, build (and build bare) one scale; every file stays under workdir/x<scale>."""
    here = workdir / f"x{scale:g}"
    if here.exists():
        shutil.rmtree(here)
    content, logs = here / "content", here / "logs"
    logs.mkdir(parents=True)
    generated = generate(scale)
    write_archive(generated, content)
    c = generated.counts
    say(f"x{scale:g}: {c.issues} issues, {c.meetings} meetings, {c.publications} publications in {content}")
    check_content(content, logs / "check.log", project)
    site = here / "out" / "site"
    command = [sys.executable, str(project / "build.py"), "--content", str(content)]
    command += ["--config", str(project / "mkdocs.yml"), "build", "--site-dir", str(site)]
    run = measure(command, logs / "build.log", cwd=project)
    release = site.resolve()
    say(f"x{scale:g}: built in {run.seconds:.1f} s, peak {run.maxrss_kib / 1024:.0f} MiB")
    index = (release / "search" / "search_index.json").read_bytes()
    size, pages = tree_size(release)
    bare_run = None
    if bare:
        config = bare_project(content, here / "bare", project)
        bare_run = measure(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(here / "bare" / "site")],
            logs / "bare.log",
            cwd=project,
        )
        say(f"x{scale:g}: bare mkdocs build in {bare_run.seconds:.1f} s")
    return Result(scale, c, pages, run, len(index), len(gzip.compress(index)), size, bare_run)


def table(results: list[Result]) -> str:
    head = [
        "scale",
        "issues",
        "meetings",
        "publications",
        "pages",
        "wall time (s)",
        "ms/page",
        "peak RSS (MiB)",
        "search index raw/gzip (KiB)",
        "site size (MiB)",
        "bare mkdocs time (s)",
        "ratio",
    ]
    rows = ["| " + " | ".join(head) + " |", "|" + "|".join("---:" if i else "---" for i in range(len(head))) + "|"]
    for r in results:
        cells = [
            r.label,
            f"{r.counts.issues:,}",
            f"{r.counts.meetings:,}",
            f"{r.counts.publications:,}",
            f"{r.pages:,}",
            f"{r.run.seconds:.2f}",
            f"{1000 * r.run.seconds / max(r.pages, 1):.1f}",
            f"{r.run.maxrss_kib / 1024:.0f}",
            f"{r.search_raw / 1024:,.0f} / {r.search_gzip / 1024:,.0f}",
            f"{r.site_bytes / 2**20:,.1f}",
            f"{r.bare.seconds:.2f}" if r.bare else "–",
            f"{r.ratio:.2f}" if r.ratio else "–",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def targets(results: list[Result]) -> list[str]:
    """The four targets, each with PASS/FAIL (or n/a when the scales needed were not run)."""
    by = {r.scale: r for r in results}
    x10, x40 = by.get(10.0), by.get(40.0)
    lines = []
    if x10 and x40:
        growth = x40.run.seconds / x10.run.seconds
        lines.append(
            f"- linearity: time(x40)/time(x10) = {growth:.2f} (target <= {TARGET_LINEARITY}): "
            + _verdict(growth <= TARGET_LINEARITY)
        )
    else:
        lines.append("- linearity: time(x40)/time(x10): n/a (needs scales 10 and 40)")
    if x10:
        lines.append(
            f"- x10 build time: {x10.run.seconds:.1f} s (target <= {TARGET_X10_SECONDS:.0f} s): "
            + _verdict(x10.run.seconds <= TARGET_X10_SECONDS)
        )
        mib = x10.run.maxrss_kib / 1024
        lines.append(
            f"- x10 peak memory: {mib:.0f} MiB (target <= {TARGET_X10_MIB:.0f} MiB = 1 GiB): "
            + _verdict(mib <= TARGET_X10_MIB)
        )
    else:
        lines += ["- x10 build time: n/a (needs scale 10)", "- x10 peak memory: n/a (needs scale 10)"]
    reference = x10 or (results[-1] if results else None)
    if reference and reference.ratio:
        overhead = reference.ratio - 1
        lines.append(
            f"- overhead vs bare mkdocs at {reference.label}: {overhead:+.0%} "
            f"(full {reference.run.seconds:.1f} s / bare {reference.bare.seconds if reference.bare else 0:.1f} s; "
            f"target <= {TARGET_OVERHEAD:.0%}): " + _verdict(overhead <= TARGET_OVERHEAD)
        )
    else:
        lines.append("- overhead vs bare mkdocs: n/a (run with --bare)")
    shares = ", ".join(f"{r.label} {r.run.cpu_share:.2f}" for r in results)
    lines.append(
        f"- note: CPU time / wall time of each full build: {shares} "
        "(well below 1 means other work on the machine competed with the build: its times are inflated)"
    )
    return lines


def main(
    scales: Sequence[float],
    bare: bool = True,
    workdir: Path | None = None,
    out: Callable[[str], None] = print,
    say: Callable[[str], None] = lambda s: print(s, file=sys.stderr),
) -> list[Result]:
    """Run the benchmark at each scale, print the table and the targets; raises BenchError if a run fails."""
    temporary = None
    if workdir is None:
        temporary = tempfile.TemporaryDirectory(prefix="timsite-bench-")
        workdir = Path(temporary.name)
    workdir = workdir.absolute()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        project = snapshot(workdir / "project")
        say(f"building with a snapshot of {ROOT} in {project}")
        results = [bench_scale(scale, workdir, bare, say, project) for scale in scales]
    finally:
        if temporary is not None:
            temporary.cleanup()
    out(table(results))
    out("")
    for line in targets(results):
        out(line)
    return results


__all__ = ["BenchError", "Counts", "Result", "generate", "main", "table", "targets", "write_archive"]
