"""Records of the feed stage: a configured feed, one fetch of it, its parsed items, the articles."""
from __future__ import annotations

from datetime import UTC, datetime

from pydantic import Field, field_validator, model_validator

from schemas.base import Record
from schemas.enums import BodySource, FetchStatus, Language


def _aware(value: datetime | None, field: str) -> datetime | None:
    """An aware instant, in UTC (as the warehouse stores it: a record reads back equal; a local time
    in a daylight-saving gap compares unequal to every other zone's)."""
    if value is not None and value.tzinfo is None:
        raise ValueError(f"{field} must be timezone-aware (UTC), got naive {value.isoformat()}")
    return value.astimezone(UTC) if value is not None else None


class Feed(Record):
    """One entry of deploy/feeds.toml (or one --feeds argument)."""
    url: str = Field(min_length=1, description="http(s) URL or local path")
    name: str = Field(min_length=1)
    language: Language | None = Field(default=None, description="hint; articles are detected one by one")
    tags: tuple[str, ...] = ()


class FetchResult(Record):
    """What one HTTP (or file) fetch of a feed gave. Failures are data, not exceptions."""
    feed_url: str
    status: FetchStatus
    http_status: int | None = None
    content: bytes | None = Field(default=None, repr=False)
    headers: dict[str, str] = Field(default_factory=dict, description="lower-cased response headers")
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    transient: bool = Field(default=False, description="a retry may succeed (timeouts, 5xx, 429)")
    retry_after_s: float | None = None
    elapsed_ms: int = 0

    @model_validator(mode="after")
    def _consistent(self) -> FetchResult:
        if self.status is FetchStatus.FAILED and not self.error:
            raise ValueError("a failed fetch must carry an error")
        if self.status is FetchStatus.OK and self.content is None:
            raise ValueError("an ok fetch must carry content")
        return self


class FeedItem(Record):
    """One item (RSS) or entry (Atom) as parsed; HTML fields already sanitised, links absolute."""
    guid: str | None = None
    link: str | None = None
    title: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    full_text: str | None = Field(default=None, description="plain text of yandex:full-text / content:encoded / Atom content")
    summary: str | None = Field(default=None, description="plain text of description / summary")
    language: str | None = Field(default=None, description="language declared by the feed or item")
    authors: tuple[str, ...] = ()
    incomplete: bool = Field(default=False, description="cut off by a parse error; never stored as clean")

    _aware_pub = field_validator("published_at", "updated_at")(lambda v, info: _aware(v, info.field_name))

    @property
    def identity(self) -> str | None:
        """guid, else link: what makes two items the same story."""
        return self.guid or self.link


class ParsedFeed(Record):
    """A parsed feed: every complete item recovered, plus the parse error if the document was not clean."""
    feed_url: str
    title: str = ""
    encoding: str | None = None
    version: str | None = None
    language: str | None = Field(default=None, max_length=35,
                                 description="language the feed declares (<language>, xml:lang, Content-Language)")
    items: tuple[FeedItem, ...] = ()
    error: str | None = Field(default=None, description="why the document was not clean (bozo), if it was not")


class Article(Record):
    """A stored article: one story, its body and where the body came from."""
    article_id: str = Field(min_length=1)
    feed_url: str = ""
    url: str | None = None
    guid: str | None = None
    title: str = ""
    language: Language
    published_at: datetime | None = None
    body: str
    body_source: BodySource = BodySource.FULL_TEXT
    content_hash: str = Field(min_length=16)

    _aware_pub = field_validator("published_at")(lambda v, info: _aware(v, info.field_name))
