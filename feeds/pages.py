"""Main text of the pages that items link to (for items that carry no full text).

Pages are fetched with the same limits as feeds (`FetchLimits`), http(s) only, and their
main text is extracted with trafilatura (comments excluded, precision favoured).
Links come from feeds, so they are untrusted: without a client passed in, every fetch goes
through the SSRF guard (`feeds.security`), which refuses private, loopback, link-local and
metadata addresses unless the operator allowed them (`FetchLimits.allowed_networks`) or the
link is on the very origin of its operator-configured feed (`trusted_url`).
"""
from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import trafilatura

from feeds.errors import PageError
from feeds.fetch import DEFAULT_LIMITS, HTTP_SCHEMES, FetchLimits, fetch_url
from feeds.html import normalize_text
from feeds.parse import split_content_type
from feeds.security import guarded_client
from schemas import FetchStatus

ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


def extract_main_text(html: bytes | str, *, url: str | None = None, charset: str | None = None) -> str | None:
    """Main text of an HTML page with trafilatura, normalised like feed text; None if none found."""
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


def fetch_page_text(url: str, *, client: httpx.Client | None = None,
                    limits: FetchLimits = DEFAULT_LIMITS, trusted_url: str | None = None) -> str | None:
    """Fetch `url` and return its main text; None when the page has no main text.

    Raises PageError (with `.transient`) when the URL is not http(s) or the fetch fails.
    """
    if urlsplit(url).scheme.lower() not in HTTP_SCHEMES:
        raise PageError(f"refusing non-http(s) page URL {url!r}", url=url)
    result = fetch_url(url, client=client, limits=limits, accept=ACCEPT_HTML, trusted_url=trusted_url)
    if result.status is not FetchStatus.OK or result.content is None:
        raise PageError(f"page fetch failed: {result.error}", url=url, transient=result.transient)
    media, charset = split_content_type(result.headers)
    if media and not ("html" in media or media.endswith("xml") or media == "text/plain"):
        raise PageError(f"page is {media}, not HTML", url=url)
    return extract_main_text(result.content, url=result.final_url or url, charset=charset)


def fetch_pages(urls: Iterable[str], *, concurrency: int = 4, client: httpx.Client | None = None,
                limits: FetchLimits = DEFAULT_LIMITS, trusted_url: str | None = None) -> dict[str, str | PageError]:
    """Main text of each distinct URL, at most `concurrency` fetches at a time.

    Each value is the text, or the PageError saying why there is none (a page with no main
    text gives PageError("no main text found")). Never raises for a single page.
    `trusted_url` is the operator-configured feed the links come from (see `feeds.security`).
    """
    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    if client is None:
        with guarded_client(limits.guard(trusted_url)) as own:
            return fetch_pages(unique, concurrency=concurrency, client=own, limits=limits)

    def one(url: str) -> str | PageError:
        try:
            text = fetch_page_text(url, client=client, limits=limits)
        except PageError as exc:
            return exc
        return text if text else PageError("no main text found", url=url)

    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="page") as pool:
        return dict(zip(unique, pool.map(one, unique), strict=True))
