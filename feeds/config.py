"""Which feeds to read: a feeds.toml file, or --feeds arguments (URLs or local paths).

    [[feeds]]
    name = "Kazinform (ru)"
    url = "https://www.inform.kz/rss/rus.xml"
    language = "ru"          # optional hint
    tags = ["kazakhstan"]    # optional
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from feeds.errors import ConfigError
from feeds.fetch import is_local_source
from schemas import Feed

ALLOWED_KEYS = frozenset({"name", "url", "language", "tags"})


def _describe(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg']}" for err in exc.errors()
    )


def load_feeds_toml(path: str | Path) -> list[Feed]:
    """Feeds of a TOML file with a `[[feeds]]` array; ConfigError names the file and entry."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read feeds file: {exc.strerror or exc}", url=str(path)) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"feeds file is not valid TOML: {exc}", url=str(path)) from exc
    entries = data.get("feeds")
    if not isinstance(entries, list) or not entries:
        raise ConfigError("feeds file needs a non-empty [[feeds]] array", url=str(path))
    feeds: list[Feed] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        where = f"[[feeds]] entry {index}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} is not a table", url=str(path))
        if isinstance(entry.get("name"), str):
            where += f" ({entry['name']!r})"
        unknown = set(entry) - ALLOWED_KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(ALLOWED_KEYS)}",
                              url=str(path))
        values = dict(entry)
        if isinstance(values.get("tags"), list):
            values["tags"] = tuple(values["tags"])
        try:
            feed = Feed.model_validate(values)
        except ValidationError as exc:
            raise ConfigError(f"{where}: {_describe(exc)}", url=str(path)) from exc
        _check_url(feed.url, where=where, source=str(path))
        if feed.url in seen:
            raise ConfigError(f"{where}: url {feed.url} repeats entry {seen[feed.url]}", url=str(path))
        seen[feed.url] = index
        feeds.append(feed)
    return feeds


def _check_url(url: str, *, where: str, source: str) -> None:
    if is_local_source(url):
        return
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where}: url {url!r} is neither an http(s) URL nor a local path", url=source)


def feeds_from_args(values: Iterable[str]) -> list[Feed]:
    """Feeds from --feeds values (http(s) URL or local path); name from host and last path segment, or file name."""
    feeds: list[Feed] = []
    for value in values:
        value = value.strip()
        if not value:
            raise ConfigError("empty --feeds value", url="--feeds")
        _check_url(value, where=f"--feeds {value!r}", source="--feeds")
        if is_local_source(value):
            path = Path(urlsplit(value).path if value.lower().startswith("file:") else value)
            name = path.name or value
        else:
            parts = urlsplit(value)
            last = parts.path.rstrip("/").rsplit("/", 1)[-1]
            name = f"{parts.hostname}/{last}" if parts.hostname and last else (parts.hostname or value)
        if not any(feed.url == value for feed in feeds):
            feeds.append(Feed(url=value, name=name))
    return feeds
