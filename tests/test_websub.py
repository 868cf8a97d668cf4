"""WebSub: the optional hub is named in every subscription feed, and `build.py websub-ping` tells it (a stub hub on
127.0.0.1; nothing else on the network)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import pytest
from lxml import etree

from timsite.content.checked import load_archive
from timsite.outputs import feeds
from timsite.outputs import manifest as outputs

from .conftest import FIXTURES, ROOT

HUB = "https://hub.example.net/"
SITE_URL = "https://example.org/tim/"


class _Hub(ThreadingHTTPServer):
    status = 204
    received: list[tuple[str, dict[str, list[str]]]]


class _Handler(BaseHTTPRequestHandler):
    server: _Hub

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.server.received.append((self.headers["Content-Type"], parse_qs(body)))
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def hub() -> Iterator[_Hub]:
    server = _Hub(("127.0.0.1", 0), _Handler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def ping(hub: _Hub, content: Path = FIXTURES / "site" / "content") -> subprocess.CompletedProcess[str]:
    address = f"http://127.0.0.1:{hub.server_address[1]}/"
    command = [sys.executable, "build.py", "--content", str(content), "websub-ping", "--hub", address]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_ping_announces_every_subscription_feed_to_the_hub(hub: _Hub) -> None:
    result = ping(hub)
    assert result.returncode == 0, result.stderr
    archive, _ = load_archive(FIXTURES / "site" / "content")
    site_url = "https://trafficking-in-migrants.example.org/"  # mkdocs.yml's
    expected = {site_url + f.url(fmt) for f in feeds.feed_directory(archive) for fmt in ("rss", "atom", "json")}
    assert all(kind == "application/x-www-form-urlencoded" for kind, _ in hub.received)
    assert all(form["hub.mode"] == ["publish"] for _, form in hub.received)
    announced = [url for _, form in hub.received for url in form["hub.url"]]
    assert sorted(announced) == sorted(expected)


def test_a_hub_refusing_fails_the_ping_in_plain_words(hub: _Hub) -> None:
    hub.status = 500
    result = ping(hub)
    assert result.returncode == 1
    assert "answered HTTP 500" in result.stderr and "Traceback" not in result.stderr


def test_without_a_hub_there_is_nothing_to_ping() -> None:
    command = [sys.executable, "build.py", "--content", str(FIXTURES / "site" / "content"), "websub-ping"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "nothing to ping" in result.stdout


def test_every_subscription_feed_names_the_hub_and_itself(tmp_path: Path) -> None:
    archive, _ = load_archive(FIXTURES / "site" / "content")
    visible = archive.visible(date(2026, 1, 1))
    outputs.plan(visible, {}, SITE_URL, limit=1, hub=HUB).write(tmp_path)
    for f in feeds.feed_directory(visible):
        for fmt in ("rss", "atom"):
            parsed = feedparser.parse((tmp_path / f.url(fmt)).read_bytes())
            assert not parsed.bozo
            links = {link.rel: link.href for link in parsed.feed.links if link.rel in ("hub", "self")}
            assert links == {"hub": HUB, "self": SITE_URL + f.url(fmt)}
        document = json.loads((tmp_path / f.url("json")).read_text(encoding="utf-8"))
        assert document["hubs"] == [{"type": "WebSub", "url": HUB}]
        assert document["feed_url"] == SITE_URL + f.url("json")
    # Archive pages never change, so no hub needs to hear of them.
    for page in (tmp_path / "feeds/archive").rglob("*.atom.xml"):
        rels = [link.get("rel") for link in etree.parse(str(page)).getroot().iter("{http://www.w3.org/2005/Atom}link")]
        assert "hub" not in rels and "current" in rels
