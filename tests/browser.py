"""Helpers for the tests that look at the built site with real tools: a browser and the Nu HTML Checker.

- `require_chromium()` and `require_java()` find the program a test needs. On a developer's machine without
  it the test is skipped; in CI (the environment variable `CI` set, as `.ci/run` does) it FAILS instead, so a
  missing install step can never turn the browser or validity tests into silent skips.
- The built real archive comes from the session fixture `real_site` in `conftest.py`.
- `serve(site)` serves a built site over HTTP on 127.0.0.1 (a random free port) from a background thread.
- `launch_chromium(playwright)` starts Debian's headless chromium for Playwright; nothing is downloaded.
- `SCREENSHOTS` is the git-ignored folder `artifacts/screenshots/` where the browser tests save full-page
  screenshots of each kind of page.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from .conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

# Headless, and quiet: no first-run pages, no update checks, no network of chromium's own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def in_ci() -> bool:
    """True when running in CI: the environment variable CI is set to anything but empty, 0, false or no."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_outside_ci(reason: str) -> NoReturn:
    """Skip the test on a developer's machine for `reason`, but fail it in CI, where every test must run."""
    if in_ci():
        pytest.fail(f"CI=true but {reason}, so this test cannot run", pytrace=False)
    pytest.skip(f"{reason}; in CI (CI=true) this fails instead of skipping")


def missing(what: str, how_to_install: str) -> NoReturn:
    """Skip the test on a developer's machine, but fail it in CI, where every tool must be installed."""
    skip_outside_ci(f"{what} is not installed ({how_to_install})")


def require_chromium() -> str:
    """The path of Debian's chromium, else skip (developer machine) or fail (CI)."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    missing(f"chromium ({CHROMIUM})", "apt-get install chromium")


def require_java() -> str:
    """The path of `java` (for the Nu HTML Checker), else skip (developer machine) or fail (CI)."""
    java = shutil.which("java")
    if java:
        return java
    missing("java (needed by the Nu HTML Checker)", "apt-get install default-jre-headless")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    """Chromium drops connections it no longer needs (a search's fragments once the reader typed on): not an error."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 at a free port in a background thread; yield its base URL (ending in /)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def launch_chromium(playwright: Playwright) -> Browser:
    """Start headless Debian chromium through Playwright (never Playwright's own downloaded browsers)."""
    return playwright.chromium.launch(executable_path=require_chromium(), headless=True, args=CHROMIUM_ARGS)


def settle(page: Page) -> None:
    """Wait until no CSS transition or animation runs: axe measures colours as they are at that moment, and
    Material fades its tabs in and out (a tab half faded is a contrast failure that no reader sees)."""
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
