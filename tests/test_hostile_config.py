"""Configuration is input too: mkdocs.yml is edited in the same pull requests as content.

The site's texts (site_name, site_description, copyright) are shown as text wherever Material prints them;
a site_url that is not an http(s) address with a host, or that would end an attribute, is refused in one line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml

from .conftest import FIXTURES, ROOT
from .live import site_problems

PWN = "window.__pwned=1"
NAME = f"<img src=x onerror={PWN}>TiM & co"
DESCRIPTION = f'"><script>{PWN}</script>'
COPYRIGHT = f"<script>{PWN}</script>(c) IOM"


def _config(tmp_path: Path, **changes: str) -> Path:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: pages", f"docs_dir: {ROOT / 'pages'}")
    text = text.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    lines = [line for line in text.splitlines() if not line.startswith(tuple(f"{key}:" for key in changes))]
    lines += [f"{key}: {yaml.safe_dump(value, default_style=chr(34)).strip()}" for key, value in changes.items()]
    path = tmp_path / "mkdocs.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    content = FIXTURES / "site" / "content"
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    command = [sys.executable, str(ROOT / "build.py"), "--config", str(config), "--content", str(content)]
    return subprocess.run(
        [*command, "build", "--site-dir", str(site)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=600,
    )


def test_the_site_texts_are_shown_as_text(tmp_path: Path) -> None:
    config = _config(tmp_path, site_name=NAME, site_description=DESCRIPTION, copyright=COPYRIGHT)
    site = tmp_path / "site"
    result = _build(config, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert site_problems(site) == []
    for page in ("index.html", "about/index.html", "publications/index.html"):
        root = lxml.html.fromstring((site / page).read_bytes())
        assert not root.xpath("//img[@onerror]") and not [s for s in root.iter("script") if PWN in (s.text or "")]
        assert not root.xpath("//meta[@name='description']/following-sibling::script[contains(., '__pwned')]")
        assert NAME in root.findtext(".//title")
        assert any(NAME in (e.text_content() or "") for e in root.iter("span", "h1"))
        assert COPYRIGHT in root.xpath("string(//footer)")


@pytest.mark.parametrize(
    ("site_url", "says"),
    [
        ('https://example.org/"><script>x</script>/', "which a web address may not contain"),
        ("javascript://example.org/%0aalert(1)/", "must start with http:// or https://"),
        ("https://.example.org/", "names no host"),
    ],
)
def test_a_bad_site_url_is_one_line(tmp_path: Path, site_url: str, says: str) -> None:
    result = _build(_config(tmp_path, site_url=site_url), tmp_path / "site")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if "site_url" in line and says in line], result.stderr
    assert not (tmp_path / "site").exists()
