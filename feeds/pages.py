"""Main text of the pages that items link to (for items that carry no full text).

Pages are fetched with the same limits as feeds (`FetchLimits`), http(s) only, and their
main text is extracted with trafilatura (comments excluded, precision favoured).
Links come from feeds, so they are untrusted: without a client passed in, every fetch goes
through the SSRF guard (`feeds.security`), which refuses private, loopback, link-local and
metadata addresses unless the operator allowed them (`FetchLimits.allowed_networks`) or the
link is on the very origin of its operator-configured feed (`trusted_url`).

Linked pages are bounded (`PageCaps`): at most `per_feed` pages per feed and `per_run` per
run (a shared `PageBudget`), all pages of one feed within `feed_seconds`, each page within
its fetch limits (bytes, total deadline). trafilatura cannot be interrupted and its time and
memory grow faster than the page, so what it is given is bounded too: scripts, styles,
comments and SVG are dropped and the rest cut at `extract_bytes` (`trim_html`), and it runs
in a small pool of worker processes (`feeds.extract_pool`) that are killed when a page takes
longer than `extract_timeout_s` and live under an address-space limit of `extract_memory_mb`. A page skipped or stopped by a cap is a PageError saying which
cap; its item falls back to its summary like any page that failed.
"""
from __future__ import annotations

import atexit
import os
import re
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import httpx

from feeds.errors import PageError
from feeds.extract_pool import ExtractionPool
from feeds.fetch import DEFAULT_LIMITS, HTTP_SCHEMES, FetchLimits, fetch_url
from feeds.html import normalize_text
from feeds.parse import split_content_type
from feeds.security import guarded_client
from schemas import FetchStatus

ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
MIN_PAGE_S = 0.5    # a page with less time than this left in its feed's page time is not started


@dataclass(frozen=True)
class PageCaps:
    """How much linked-page work one feed and one run may do."""

    per_feed: int = 50                  # pages fetched per feed (the first links in feed order)
    per_run: int = 500                  # pages fetched per run (a PageBudget shared by the feeds)
    feed_seconds: float = 120.0         # wall time for all pages of one feed
    extract_bytes: int = 500_000        # HTML handed to trafilatura, after dropping scripts and styles
    extract_timeout_s: float | None = 10.0  # per page, in a worker process; None: in this process, unbounded
    extract_memory_mb: int = 512        # address-space limit of each worker process


DEFAULT_CAPS = PageCaps()


class PageBudget:
    """The pages a run may still fetch, shared by the feeds of a run in one process (thread-safe)."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self._left = pages
        self._lock = threading.Lock()

    def take(self, wanted: int) -> int:
        """Grant up to `wanted` pages; how many were granted."""
        with self._lock:
            granted = max(0, min(wanted, self._left))
            self._left -= granted
            return granted

    @property
    def left(self) -> int:
        return self._left


_POOLS: dict[int, ExtractionPool] = {}
_POOLS_LOCK = threading.Lock()


def default_pool(memory_mb: int = DEFAULT_CAPS.extract_memory_mb) -> ExtractionPool:
    """The process-wide extraction pool (one per memory limit), started on first use."""
    with _POOLS_LOCK:
        pool = _POOLS.get(memory_mb)
        if pool is None:
            pool = _POOLS[memory_mb] = ExtractionPool(workers=max(1, min(4, os.cpu_count() or 1)),
                                                      memory_mb=memory_mb)
        return pool


@atexit.register
def _close_pools() -> None:
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            pool.close()
        _POOLS.clear()


_DROPPED = re.compile(rb"<(?:(!--)|(script|style|noscript|svg|template)\b)", re.IGNORECASE)
_CLOSERS = {name: re.compile(rb"</" + name + rb"\s*>", re.IGNORECASE)
            for name in (b"script", b"style", b"noscript", b"svg", b"template")}


def trim_html(html: bytes, max_bytes: int) -> bytes:
    """`html` without comments, scripts, styles, noscript, SVG and templates, cut to `max_bytes`.

    One forward scan (linear even for unclosed elements: an unclosed one drops the rest); the
    cut falls after the last complete tag. Main text never lives in the dropped elements.
    """
    out = bytearray()
    pos = 0
    while len(out) <= max_bytes:
        match = _DROPPED.search(html, pos)
        if match is None:
            out += html[pos:pos + max_bytes + 1 - len(out)]
            break
        out += html[pos:match.start()][:max_bytes + 1 - len(out)]
        if match.group(1):
            end = html.find(b"-->", match.end())
            pos = len(html) if end < 0 else end + 3
        else:
            closer = _CLOSERS[match.group(2).lower()].search(html, match.end())
            pos = len(html) if closer is None else closer.end()
        if pos >= len(html):
            break
    if len(out) > max_bytes:
        del out[max_bytes:]
        last_tag_end = out.rfind(b">")
        if last_tag_end > 0:
            del out[last_tag_end + 1:]
    return bytes(out)


def extract_main_text(html: bytes | str, *, url: str | None = None, charset: str | None = None) -> str | None:
    """Main text of an HTML page with trafilatura, normalised like feed text; None if none found.

    Runs in this process, unbounded: `extract_page_text` is the bounded form for fetched pages.
    """
    # imported here: the page extraction pool's processes call this, the flow process (which
    # imports this module for the fetch) only when no time limit is set, and trafilatura's
    # import took 85 ms of every run's start
    import trafilatura

    document: bytes | str = html
    if isinstance(html, bytes) and charset:
        try:
            document = html.decode(charset, errors="replace")
        except LookupError:
            document = html
    text = trafilatura.extract(
        document, url=url, include_comments=False, favor_precision=True, include_tables=False,
        include_images=False, include_links=False, deduplicate=False, with_metadata=False,
        output_format="txt",
    )
    text = normalize_text(text or "")
    return text or None


def extract_page_text(html: bytes, *, url: str, charset: str | None = None, caps: PageCaps = DEFAULT_CAPS,
                      within_s: float | None = None, pool: ExtractionPool | None = None) -> str | None:
    """Main text of a fetched page within `caps`: trimmed HTML, in a worker process with a time limit.

    `within_s` is the time left to the feed's pages: it bounds the wait for a free worker and
    shortens `caps.extract_timeout_s`. Raises PageError when the worker is stopped at the
    limit, runs out of memory or fails.
    """
    if within_s is not None and within_s < MIN_PAGE_S:
        raise PageError(f"skipped extraction: the feed's page time of {caps.feed_seconds:g} s is spent", url=url)
    trimmed = trim_html(html, caps.extract_bytes)
    if caps.extract_timeout_s is None:
        return extract_main_text(trimmed, url=url, charset=charset)
    limit = caps.extract_timeout_s if within_s is None else min(caps.extract_timeout_s, within_s)
    return (pool or default_pool(caps.extract_memory_mb)).extract(trimmed, url=url, charset=charset,
                                                                   timeout_s=limit, wait_s=within_s)


def fetch_page_text(url: str, *, client: httpx.Client | None = None, limits: FetchLimits = DEFAULT_LIMITS,
                    trusted_url: str | None = None, caps: PageCaps = DEFAULT_CAPS,
                    pool: ExtractionPool | None = None, within_s: float | None = None) -> str | None:
    """Fetch `url` and return its main text; None when the page has no main text.

    `within_s` bounds fetch and extraction together (the caller's time left); `limits` still
    bound the fetch alone.

    Raises PageError (with `.transient`) when the URL is not http(s), the fetch fails or the
    extraction is stopped by a cap.
    """
    if urlsplit(url).scheme.lower() not in HTTP_SCHEMES:
        raise PageError(f"refusing non-http(s) page URL {url!r}", url=url)
    started = time.monotonic()
    result = fetch_url(url, client=client, limits=limits, accept=ACCEPT_HTML, trusted_url=trusted_url)
    if result.status is not FetchStatus.OK or result.content is None:
        raise PageError(f"page fetch failed: {result.error}", url=url, transient=result.transient)
    media, charset = split_content_type(result.headers)
    if media and not ("html" in media or media.endswith("xml") or media == "text/plain"):
        raise PageError(f"page is {media}, not HTML", url=url)
    left = None if within_s is None else within_s - (time.monotonic() - started)
    return extract_page_text(result.content, url=result.final_url or url, charset=charset, caps=caps,
                             within_s=left, pool=pool)


def fetch_pages(urls: Iterable[str], *, concurrency: int = 4, client: httpx.Client | None = None,
                limits: FetchLimits = DEFAULT_LIMITS, trusted_url: str | None = None,
                caps: PageCaps = DEFAULT_CAPS, run_budget: PageBudget | None = None,
                pool: ExtractionPool | None = None) -> dict[str, str | PageError]:
    """Main text of each distinct URL, at most `concurrency` fetches at a time, within `caps`.

    Each value is the text, or the PageError saying why there is none (a page with no main
    text gives PageError("no main text found"), a page over a cap says which cap). Only the
    first `caps.per_feed` links are fetched, and only as many as `run_budget` grants.
    Never raises for a single page. `trusted_url` is the operator-configured feed the links
    come from (see `feeds.security`).
    """
    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    if client is None:
        with guarded_client(limits.guard(trusted_url)) as own:
            return fetch_pages(unique, concurrency=concurrency, client=own, limits=limits, caps=caps,
                               run_budget=run_budget, pool=pool)
    results: dict[str, str | PageError] = {}
    wanted: list[str] = []
    for url in unique:
        if urlsplit(url).scheme.lower() in HTTP_SCHEMES:
            wanted.append(url)
        else:
            results[url] = PageError(f"refusing non-http(s) page URL {url!r}", url=url)
    allowed = wanted[:caps.per_feed]
    for url in wanted[caps.per_feed:]:
        results[url] = PageError(f"skipped: over the cap of {caps.per_feed} linked pages per feed", url=url)
    granted = run_budget.take(len(allowed)) if run_budget is not None else len(allowed)
    for url in allowed[granted:]:
        results[url] = PageError(f"skipped: the run's cap of {run_budget.pages if run_budget else 0} "
                                 "linked pages is reached", url=url)
    deadline = time.monotonic() + caps.feed_seconds

    def one(url: str) -> str | PageError:
        left = deadline - time.monotonic()
        if left < MIN_PAGE_S:
            return PageError(f"skipped: the feed's page time of {caps.feed_seconds:g} s is spent", url=url)
        bounded = replace(limits, total_timeout_s=min(limits.total_timeout_s, left))
        try:
            text = fetch_page_text(url, client=client, limits=bounded, caps=caps, pool=pool, within_s=left)
        except PageError as exc:
            return exc
        return text if text else PageError("no main text found", url=url)

    todo = allowed[:granted]
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="page") as pool_:
        results.update(zip(todo, pool_.map(one, todo), strict=True))
    return {url: results[url] for url in unique}
