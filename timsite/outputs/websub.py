"""WebSub: tell the hub named by the plugin's `websub_hub` that the subscription feeds changed, after a deploy.

The ping runs in a deploy step, so it has deadlines: one for the whole ping (every feed), one for each
connection and each read, and a cap on the size of an answer. A hub that accepts and never answers, or
answers one byte every few seconds, ends the ping at its deadline; every failure is one line naming
the hub and what went wrong (the same reason for many feeds is told once, with their number).

>>> hub_problem("http://exa mple.org/")[:54], hub_problem("https://hub.example/") is None
('the WebSub hub "http://exa mple.org/" contains a space', True)
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from urllib.parse import SplitResult, urlencode, urlsplit

from timsite.content.model import web_address_problem

DEADLINE = 60.0
"""Seconds for the whole ping: every feed announced, or the rest given up."""
TIMEOUT = 10.0
"""Seconds to connect, and to wait for each piece of an answer."""
MAX_ANSWER = 64 * 1024
"""Bytes of an answer's body read at most (hubs answer 202 or 204 with little or nothing)."""
PARALLEL = 4
"""Requests in flight at once."""


def hub_problem(hub: str) -> str | None:
    """Why `hub` cannot be a hub's address (an http(s) URL with a host), or None when it can."""
    problem = web_address_problem(hub)
    return f"the WebSub hub {problem}" if problem else None


@dataclass
class _Exchange:
    """One request in flight: its connection, so the deadline can close it from another thread."""

    connection: http.client.HTTPConnection | None = None


class _Ping:
    def __init__(self, hub: str, timeout: float, max_answer: int) -> None:
        self.hub, self.parts = hub, urlsplit(hub)
        self.timeout, self.max_answer = timeout, max_answer
        self.exchanges: dict[int, _Exchange] = {}
        self.lock = threading.Lock()
        self.stopped = False

    def _connection(self, parts: SplitResult) -> http.client.HTTPConnection:
        host, port = parts.hostname or "", parts.port
        if parts.scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=self.timeout, context=ssl.create_default_context())
        return http.client.HTTPConnection(host, port, timeout=self.timeout)

    def announce(self, url: str) -> str | None:
        """POST one feed's URL; None when the hub took it, else what went wrong (without the hub's name)."""
        exchange = _Exchange()
        with self.lock:
            if self.stopped:
                return "was not asked in time"
            self.exchanges[id(exchange)] = exchange
        try:
            exchange.connection = self._connection(self.parts)
            body = urlencode({"hub.mode": "publish", "hub.url": url})
            path = self.parts.path or "/"
            if self.parts.query:
                path += "?" + self.parts.query
            exchange.connection.request(
                "POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
            )
            response = exchange.connection.getresponse()
            response.read(self.max_answer)
            if not 200 <= response.status < 300:
                return f"answered HTTP {response.status}"
            return None
        except http.client.LineTooLong:
            return "answered with a header line longer than 64 KiB"
        except http.client.HTTPException as error:
            return f"answered something that is not HTTP ({type(error).__name__})"
        except TimeoutError:
            return f"did not answer within {self.timeout:g} s"
        except ssl.SSLError as error:
            return f"failed the secure connection ({error.reason or error})"
        except socket.gaierror as error:
            return f"could not be found ({error.strerror})"
        except OSError as error:
            with self.lock:
                if self.stopped:
                    return "gave no complete answer in time"
            return f"could not be reached ({error.strerror or error})"
        finally:
            with self.lock:
                self.exchanges.pop(id(exchange), None)
            if exchange.connection is not None:
                exchange.connection.close()

    def stop(self) -> None:
        """The deadline: no new request, and the ones in flight cut off (their reads end at once)."""
        with self.lock:
            self.stopped = True
            exchanges = list(self.exchanges.values())
        for exchange in exchanges:
            sock = exchange.connection.sock if exchange.connection is not None else None
            if sock is not None:
                with contextlib.suppress(OSError):  # already closed
                    sock.shutdown(socket.SHUT_RDWR)


def ping(
    hub: str,
    urls: list[str],
    deadline: float = DEADLINE,
    timeout: float = TIMEOUT,
    max_answer: int = MAX_ANSWER,
    parallel: int = PARALLEL,
) -> list[str]:
    """POST `hub.mode=publish` for each feed URL to `hub`; return one plain line per kind of failure (none: all
    taken). WebSub leaves publishing to hubs; this form (one `hub.url` per request) is the one hubs accept.
    """
    problem = hub_problem(hub)
    if problem:
        return [problem]
    if not urls:
        return []
    run = _Ping(hub, min(timeout, deadline), max_answer)
    failures: Counter[str] = Counter()
    end = time.monotonic() + deadline
    late = f"was not done within the deadline of {deadline:g} s"
    executor = ThreadPoolExecutor(max_workers=max(1, parallel), thread_name_prefix="websub")
    try:
        pending: set[Future[str | None]] = {executor.submit(run.announce, url) for url in urls}
        while pending and time.monotonic() < end:
            done, pending = wait(pending, timeout=max(0.0, end - time.monotonic()), return_when=FIRST_COMPLETED)
            failures.update(said for said in (future.result() for future in done) if said is not None)
        if pending:
            run.stop()  # requests in flight are cut off; those not started never start
            failures[late] += len(pending)
    finally:
        run.stop()
        executor.shutdown(wait=True, cancel_futures=True)
    return [
        f"the hub {hub} {said}: {count} of {len(urls)} feeds not announced" for said, count in failures.most_common()
    ]


__all__ = ["DEADLINE", "MAX_ANSWER", "TIMEOUT", "hub_problem", "ping"]
