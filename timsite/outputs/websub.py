"""WebSub: tell the hub named by the plugin's `websub_hub` that the subscription feeds changed, after a deploy."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit

TIMEOUT = 20.0
"""Seconds to wait for the hub on each request."""


def ping(hub: str, urls: list[str], timeout: float = TIMEOUT) -> list[str]:
    """POST `hub.mode=publish` for each feed URL to `hub`; return a plain sentence per failure (none: all taken).

    WebSub leaves publishing to hubs; this form (one `hub.url` per request) is the one hubs accept.
    """
    if urlsplit(hub).scheme not in ("http", "https"):
        return [f"the WebSub hub must be an http or https address, not {hub!r}"]
    problems: list[str] = []
    for url in urls:
        body = urlencode({"hub.mode": "publish", "hub.url": url}).encode()
        request = urllib.request.Request(
            hub, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # the scheme is checked above
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            problems.append(f"{url}: the hub {hub} could not be reached ({reason})")
            continue
        if not 200 <= status < 300:
            problems.append(f"{url}: the hub {hub} answered HTTP {status}")
    return problems


__all__ = ["ping"]
