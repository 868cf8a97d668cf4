"""While site_url is a placeholder, `check` and `build` say so in one line, and `build --publish` refuses."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from timsite.engine.cli import main

from .conftest import ROOT

PLACEHOLDER = "https://trafficking-in-migrants.example.org/"


def _config(tmp_path: Path, site_url: str) -> Path:
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"site_url: {PLACEHOLDER}\n" in text
    config.write_text(text.replace(f"site_url: {PLACEHOLDER}\n", f"site_url: {site_url}\n"), encoding="utf-8")
    return config


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_check_warns_in_one_line_but_passes_strict_on_the_placeholder() -> None:
    code, out = _run("--content", str(ROOT / "content"), "--config", str(ROOT / "mkdocs.yml"), "check", "--strict")
    assert code == 0, out
    lines = [line for line in out.splitlines() if "site_url" in line]
    assert lines == [
        f"warning: site_url in {ROOT / 'mkdocs.yml'} is {PLACEHOLDER}, a placeholder: feeds, citations, canonical "
        "links and the calendar point there; set it to the address the site is published at before publishing"
    ]


def test_a_real_address_is_not_warned_about(tmp_path: Path) -> None:
    config = _config(tmp_path, "https://trafficking-in-migrants.iom.int/")
    code, out = _run("--content", str(ROOT / "content"), "--config", str(config), "check")
    assert code == 0 and "site_url" not in out


def test_publish_refuses_the_placeholder_and_builds_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    config = _config(tmp_path, "https://tim.example.com/archive/")
    site = tmp_path / "site"
    code, out = _run("--content", str(content), "--config", str(config), "build", "--publish", "--site-dir", str(site))
    assert code == 1
    assert "https://tim.example.com/archive/, a placeholder" in out
    assert "nothing was built: --publish needs the site's real address in site_url" in out
    assert not site.exists() and not (tmp_path / ".site-releases").exists()
