"""Plain-HTTP measurements against the benchmark's gunicorn: the start burst and page weight.

Standard library only (no Django, no locust), and only ever aimed at the
127.0.0.1 server that run.py started.
"""

import gzip
import http.client
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

from . import report

HOST = "127.0.0.1"
TIMEOUT_S = 30.0


def _request(port: int, method: str, path: str, *, body=None, headers=None):
    """(status, headers, raw body bytes, seconds) of one request on a fresh connection."""
    connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S)
    try:
        began = time.perf_counter()
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        raw = response.read()
        return response.status, response.getheaders(), raw, time.perf_counter() - began
    finally:
        connection.close()


def _cookie(headers, name: str) -> str | None:
    jar = SimpleCookie()
    for header, value in headers:
        if header.lower() == "set-cookie":
            jar.load(value)
    return jar[name].value if name in jar else None


# The start burst


def _open_landing(port: int, token: str) -> str | None:
    """GET the landing page as the candidate does before pressing Start; its CSRF cookie."""
    status, headers, _raw, _s = _request(port, "GET", f"/t/{token}/")
    return _cookie(headers, "csrftoken") if status == 200 else None


def start_burst(*, port: int, tokens: list[str], spread_s: float = 1.0) -> dict:
    """Every candidate opens the landing page, then all press Start within `spread_s`.

    Presses are spaced evenly over the window, each from its own thread and
    connection; a press succeeds when it answers 302 to the question page.
    """
    with ThreadPoolExecutor(max_workers=8) as pool:
        cookies = list(pool.map(lambda token: _open_landing(port, token), tokens))
    ready = [(t, c) for t, c in zip(tokens, cookies, strict=True) if c]
    results: list[tuple[float, str | None]] = []
    lock = threading.Lock()
    go = time.perf_counter() + 0.5

    def press(slot: int, token: str, csrf: str) -> None:
        delay = go + slot * spread_s / max(1, len(ready)) - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        body = urlencode({"csrfmiddlewaretoken": csrf, "consent": "on"})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "X-CSRFToken": csrf,
        }
        try:
            status, answer, _raw, seconds = _request(
                port, "POST", f"/t/{token}/start/", body=body, headers=headers
            )
            location = {k.lower(): v for k, v in answer}.get("location", "")
            ok = status == 302 and location.endswith(f"/t/{token}/take/")
            error = None if ok else f"HTTP {status}"
        except OSError as exc:
            seconds, error = TIMEOUT_S, type(exc).__name__
        with lock:
            results.append((seconds * 1000, error))

    threads = [
        threading.Thread(target=press, args=(slot, token, csrf), daemon=True)
        for slot, (token, csrf) in enumerate(ready)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S + spread_s + 5)
    elapsed = time.perf_counter() - go
    errors = [e for _ms, e in results if e]
    errors += ["no landing page or CSRF cookie"] * (len(tokens) - len(ready))
    errors += ["no answer"] * (len(ready) - len(results))
    summary = report.latency_summary([ms for ms, _e in results], failures=len(errors))
    summary.update(
        requests=len(tokens),
        spread_s=spread_s,
        elapsed_s=elapsed,
        errors=sorted(dict.fromkeys(errors)),
    )
    return summary


# Page weight


class _Assets(HTMLParser):
    """The URLs a page makes the browser fetch: stylesheets, scripts, images, icons."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower().split()
            if {"stylesheet", "icon", "preload", "modulepreload"} & set(rel):
                self.urls.append(("css" if "stylesheet" in rel else "other", attrs["href"]))
        elif tag in ("script", "img", "source", "iframe") and attrs.get("src"):
            self.urls.append(("js" if tag == "script" else "other", attrs["src"]))


CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def assets_in_html(html: str) -> list[tuple[str, str]]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


def assets_in_css(css: str) -> list[str]:
    return [url for url in CSS_URL.findall(css) if not url.startswith(("data:", "#"))]


def _decoded(raw: bytes, headers) -> bytes:
    encoding = {k.lower(): v for k, v in headers}.get("content-encoding", "")
    return gzip.decompress(raw) if encoding == "gzip" else raw


def page_weight(*, port: int, path: str) -> dict:
    """Wire bytes (gzip accepted) of `path` and everything it loads from this server.

    Absolute URLs to any other host are not fetched: they are listed as
    third-party hosts.
    """
    base = f"http://{HOST}:{port}"
    accept = {"Accept-Encoding": "gzip"}
    files, third_party, seen = [], set(), set()
    queue = [("html", urljoin(base, path))]
    while queue and len(files) < 100:
        kind, url = queue.pop(0)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or f"{parts.hostname}:{parts.port}" != (
            f"{HOST}:{port}"
        ):
            if parts.hostname:
                third_party.add(parts.hostname)
            continue
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if target in seen:
            continue
        seen.add(target)
        status, headers, raw, _s = _request(port, "GET", target, headers=accept)
        encoding = {k.lower(): v for k, v in headers}.get("content-encoding", "")
        files.append(
            {
                "kind": kind,
                "path": target,
                "status": status,
                "bytes": len(raw),
                "encoding": encoding,
            }
        )
        if kind == "html":
            html = _decoded(raw, headers).decode("utf-8", "replace")
            files[-1]["gzip_bytes"] = len(gzip.compress(_decoded(raw, headers)))
            queue += [(k, urljoin(url, u)) for k, u in assets_in_html(html)]
        elif kind == "css":
            css = _decoded(raw, headers).decode("utf-8", "replace")
            queue += [("other", urljoin(url, u)) for u in assets_in_css(css)]
    return {
        "path": path,
        "bytes": sum(f["bytes"] for f in files),
        "files": files,
        "third_party_hosts": sorted(third_party),
        "failed": [f["path"] for f in files if f["status"] != 200],
    }


def wait_until_up(port: int, *, path: str = "/t/-/ping/", timeout_s: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if _request(port, "GET", path)[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False
