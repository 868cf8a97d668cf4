"""WebSub: the optional hub is named in every subscription feed, and `build.py websub-ping` tells it (a stub hub on
127.0.0.1; nothing else on the network)."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import pytest
from lxml import etree

from timsite.content.checked import load_archive
from timsite.engine.plugin import TimsiteConfig
from timsite.outputs import feeds, websub
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


# --- hostile hubs: every one ends by the deadline, in one plain line naming the hub ---


class _Socket:
    """A TCP server on 127.0.0.1 that answers each connection with `behave(connection)`, in a thread."""

    def __init__(self, behave: Callable[[socket.socket], None]) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/"
        self.behave, self.stopped = behave, threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.server.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._one, args=(connection,), daemon=True).start()

    def _one(self, connection: socket.socket) -> None:
        with contextlib.suppress(OSError), connection:
            self.behave(connection)

    def close(self) -> None:
        self.stopped.set()
        self.server.close()


def _silent(connection: socket.socket) -> None:
    connection.recv(65536)
    while not connection.recv(1):  # accepts and never answers, until the client hangs up
        pass


def _drip(connection: socket.socket) -> None:
    connection.recv(65536)
    for _ in range(600):  # one byte every half second: no read ever waits long
        connection.sendall(b"H")
        time.sleep(0.5)


def _ssh(connection: socket.socket) -> None:
    connection.sendall(b"SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n")
    connection.recv(65536)


def _long_header(connection: socket.socket) -> None:
    connection.recv(65536)
    connection.sendall(b"HTTP/1.1 204 No Content\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n")


def _ping_at(url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "build.py", "--content", str(FIXTURES / "site" / "content"), "websub-ping"]
    return subprocess.run([*command, "--hub", url, *extra], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("behave", "says"),
    [
        (_silent, "was not done within the deadline of 3 s"),
        (_drip, "was not done within the deadline of 3 s"),
        (_ssh, "answered something that is not HTTP"),
        (_long_header, "a header line longer than 64 KiB"),
    ],
    ids=["silent", "drip", "ssh-banner", "long-header"],
)
def test_a_hostile_hub_ends_the_ping_in_one_line(behave: Callable[[socket.socket], None], says: str) -> None:
    """A hang would fail through the subprocess' timeout; the deadline, not the 24 feeds' timeouts, ends it."""
    server = _Socket(behave)
    try:
        result = _ping_at(server.url, "--deadline", "3")
    finally:
        server.close()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert any(says in line and server.url in line for line in lines), result.stderr
    # one line per kind of failure (not per feed), and the summary
    assert len(lines) <= 3, result.stderr


def test_the_deadline_stops_every_request_in_flight() -> None:
    """The drip hub answers every request forever: none may outlive the ping (counted as threads left)."""
    server = _Socket(_drip)
    try:
        failures = websub.ping(server.url, [f"https://example.org/{i}.xml" for i in range(40)], deadline=1.5)
    finally:
        server.close()
    assert len(failures) >= 1 and all(server.url in f for f in failures)
    assert sum(int(f.split(": ")[-1].split(" of ")[0]) for f in failures) == 40
    assert not [t for t in threading.enumerate() if t.name.startswith("websub")]


@pytest.mark.parametrize(
    "hub", ["http://[::1", "http://exa mple.org/", "ftp://hub.example/", "https://", "http://hub.example:99999/"]
)
def test_a_bad_hub_option_is_one_line(hub: str) -> None:
    result = _ping_at(hub)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--hub" in result.stderr and "WebSub hub" in result.stderr


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"websub_hub": "javascript://x/%0aalert(1)"}, "must start with http:// or https://"),
        ({"websub_hub": "https://"}, "names no host"),
        ({"feed_limit": 0}, "from 1 to 10000"),
        ({"feed_limit": -5}, "from 1 to 10000"),
        ({"feed_limit": True}, "from 1 to 10000"),
        ({"as_of": "2002-13-45"}, "YYYY-MM-DD"),
    ],
)
def test_plugin_options_are_checked_when_mkdocs_yml_is_read(options: dict[str, object], says: str) -> None:
    config = TimsiteConfig()
    config.load_dict(options)
    failed, _warnings = config.validate()
    assert [key for key, _ in failed] == list(options)
    assert says in str(failed[0][1])


def test_a_bad_websub_hub_in_mkdocs_yml_is_one_line(tmp_path: Path) -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "content_dir: content" in text
    config = tmp_path / "mkdocs.yml"
    bad = "content_dir: content\n      websub_hub: 'http://exa mple.org/'"
    config.write_text(
        text.replace("content_dir: content", bad)
        .replace("docs_dir: pages", f"docs_dir: {ROOT / 'pages'}")
        .replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    )
    command = [sys.executable, "build.py", "--config", str(config), "websub-ping"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "websub_hub" in result.stderr and "contains a space" in result.stderr
