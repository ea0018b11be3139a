"""Errors of the feed stage, each carrying the URL (or path) it is about.

    FeedError                 any failure of the feed stage; `.url` names the feed, page or file
     ├── ConfigError          a feeds.toml file or a --feeds value is unusable (`.url` is the file)
     ├── FetchError           getting the bytes failed; `.transient` says whether a retry may help
     │    ├── TransientFetchError   timeouts, connection errors, 5xx, 429 (`.retry_after_s` if given)
     │    └── TerminalFetchError    4xx, too large, too many redirects, unsupported scheme
     ├── ParseError           the bytes are not a usable feed at all
     └── PageError            a linked article page gave no main text (fetch failed or nothing found)

`fetch_feed` returns failures as `FetchResult(status=FAILED)` data rather than raising;
these classes are for the callers that want an exception (pages, config, flows).
"""
from __future__ import annotations


class FeedError(Exception):
    """Base class: a message plus the URL or path it concerns."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(f"{message} [{url}]")
        self.url = url
        self.reason = message


class ConfigError(FeedError):
    """A feed configuration entry or file is invalid."""


class FetchError(FeedError):
    """Fetching a URL failed."""

    transient: bool = False

    def __init__(self, message: str, *, url: str, retry_after_s: float | None = None) -> None:
        super().__init__(message, url=url)
        self.retry_after_s = retry_after_s


class TransientFetchError(FetchError):
    """A retry later may succeed."""

    transient = True


class TerminalFetchError(FetchError):
    """Retrying the same request will fail the same way."""

    transient = False


class ParseError(FeedError):
    """The content could not be parsed into a feed."""


class PageError(FeedError):
    """A linked page could not be fetched or held no main text."""

    def __init__(self, message: str, *, url: str, transient: bool = False) -> None:
        super().__init__(message, url=url)
        self.transient = transient
