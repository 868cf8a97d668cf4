"""What "nothing live" means, checked on parsed output as a browser would read it (lxml), never by grepping.

`live_problems(element, where, ...)` lists everything in an HTML tree that could run script or restyle the
page: an `on*` attribute, a script address (after entity decoding, which the parser does, and the
whitespace a browser ignores), a `style` attribute from content, a `<script>` that is not the theme's,
frames, objects, embeds and forms. In a page, content is what sits inside `<article>`; a feed item's HTML
is content throughout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import markdown
from mkdocs.config import load_config

from .conftest import ROOT

SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite", "ping", "lowsrc"}
)
NEVER = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet"})
NEVER_IN_CONTENT = frozenset({"script", "style", "link", "meta", "base", "svg", "math", "form", "input", "textarea"})
_THEME_BASE = re.compile(r'new URL\("[./]*",location\)')


def script_url(value: str) -> bool:
    """Whether a browser would run or load `value` as script: tabs/newlines dropped, ends stripped."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(33)))).lower()
    return cleaned.startswith(SCRIPT_SCHEMES)


def theme_scripts(page: Path) -> frozenset[str]:
    """The theme's inline scripts, from a page that holds no content under test (e.g. about/index.html)."""
    root = lxml.html.fromstring(page.read_bytes())
    return frozenset(_THEME_BASE.sub("BASE", s.text or "") for s in root.iter("script") if not s.get("src"))


def live_problems(
    root: lxml.html.HtmlElement, where: str, *, page: bool, theme: frozenset[str] = frozenset(), forms_ok: bool = False
) -> list[str]:
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        in_content = not page or bool(element.xpath("ancestor-or-self::article"))
        for name, value in element.attrib.items():
            lname = name.lower()
            if lname.startswith("on"):
                found.append(f"{where}: <{tag} {name}>")
            if lname in URL_ATTRIBUTES and script_url(value):
                found.append(f"{where}: <{tag} {name}={value!r}>")
            if lname == "srcset" and any(script_url(c) for c in value.split(",")):
                found.append(f"{where}: <{tag} srcset={value!r}>")
            if lname == "style" and in_content:
                found.append(f"{where}: <{tag} style={value!r}> from content")
        if tag in NEVER:
            found.append(f"{where}: <{tag}>")
        if in_content and tag in NEVER_IN_CONTENT:
            catalogue_form = forms_ok and tag in ("form",) and "tim-filters" in (element.get("class") or "")
            if not catalogue_form:
                found.append(f"{where}: <{tag}> in content")
        if tag == "script" and not in_content:
            found.extend(_foreign_script(element, where, theme))
    return found


def _foreign_script(element: lxml.html.HtmlElement, where: str, theme: frozenset[str]) -> list[str]:
    kind = (element.get("type") or "").lower()
    src = element.get("src")
    if src is not None:
        parts = urlsplit(src.strip())
        ok = not parts.scheme and not parts.netloc and "assets/javascripts/" in parts.path
        return [] if ok else [f"{where}: foreign script src={src!r}"]
    text = element.text or ""
    if kind in ("application/json", "application/ld+json"):
        try:
            json.loads(text)
        except ValueError:
            return [f"{where}: a JSON script that does not parse (broken out of?)"]
        return []
    if kind in ("", "text/javascript", "module") and _THEME_BASE.sub("BASE", text) in theme:
        return []
    return [f"{where}: inline script that is not the theme's: {text[:80]!r}"]


def feed_fragments(site: Path) -> Iterator[tuple[str, str]]:
    """(where, HTML) of every item of every feed: RSS description and content:encoded, Atom content and
    summary of type html, JSON Feed content_html."""
    content_ns = "{http://purl.org/rss/1.0/modules/content/}encoded"
    atom = "{http://www.w3.org/2005/Atom}"
    for path in sorted((site / "feeds").rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.name.endswith(".rss.xml"):
            tree = lxml.etree.parse(str(path))
            for i, item in enumerate(tree.iter("item")):
                for child in item:
                    if child.tag in ("description", content_ns) and child.text:
                        yield f"{name} item {i} {child.tag}", child.text
        elif path.name.endswith(".atom.xml"):
            tree = lxml.etree.parse(str(path))
            for i, entry in enumerate(tree.iter(atom + "entry")):
                for child in entry:
                    is_html = child.get("type") in ("html", "xhtml")
                    if child.tag in (atom + "content", atom + "summary") and is_html and child.text:
                        yield f"{name} entry {i} {child.tag}", child.text
        elif path.suffix == ".json":
            for i, item in enumerate(json.loads(path.read_text(encoding="utf-8"))["items"]):
                # `summary` is plain text in JSON Feed: only content_html is HTML.
                if item.get("content_html"):
                    yield f"{name} item {i} content_html", item["content_html"]


def fragment_problems(where: str, fragment: str) -> list[str]:
    """Live markup in an HTML fragment (a feed item, or a sanitized body)."""
    if not fragment.strip():
        return []
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return live_problems(root, where, page=False)


def site_problems(site: Path) -> list[str]:
    """Live markup anywhere in a built site: every HTML file, and the HTML inside every feed item."""
    theme = theme_scripts(site / "about" / "index.html")
    found = []
    for path in sorted(site.rglob("*.html")):
        where = path.relative_to(site).as_posix()
        root = lxml.html.fromstring(path.read_bytes())
        found += live_problems(root, where, page=True, theme=theme, forms_ok=where == "publications/index.html")
    for where, fragment in feed_fragments(site):
        found += fragment_problems(where, fragment)
    return found


def site_markdown() -> markdown.Markdown:
    """A Markdown converter configured as the site's: the extensions MkDocs itself reads from mkdocs.yml."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
