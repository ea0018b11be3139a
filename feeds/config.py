"""Which feeds to read: a feeds.toml file, or --feeds arguments (URLs or local paths).

    [[feeds]]
    name = "Kazinform (ru)"
    url = "https://www.inform.kz/rss/rus.xml"
    language = "ru"          # optional hint
    tags = ["kazakhstan"]    # optional

Limits: the file is read like a local feed (feeds/local.py: a regular file only, at most
FEEDS_FILE_MAX_BYTES within FEEDS_FILE_TIMEOUT_S); a URL has at most MAX_URL_CHARS
characters and a name at most MAX_NAME_CHARS. Every ConfigError names the file (or
--feeds) and the entry.
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from feeds.errors import ConfigError
from feeds.local import LocalReadError, check_local_file, is_local_source, local_path, read_local_file
from schemas import Feed

ALLOWED_KEYS = frozenset({"name", "url", "language", "tags"})
FEEDS_FILE_MAX_BYTES = 4 * 1024 * 1024
FEEDS_FILE_TIMEOUT_S = 30.0
MAX_URL_CHARS = 8192
MAX_NAME_CHARS = 256


def _describe(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg']}" for err in exc.errors()
    )


def _show(text: str, limit: int = 80) -> str:
    """`text` for a one-line message: repr, cut to `limit` characters."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text)} characters)"


def load_feeds_toml(path: str | Path, *, max_bytes: int = FEEDS_FILE_MAX_BYTES,
                    timeout_s: float = FEEDS_FILE_TIMEOUT_S) -> list[Feed]:
    """Feeds of a TOML file with a `[[feeds]]` array; ConfigError names the file and entry.

    The file must be a regular file of at most `max_bytes`, read within `timeout_s` seconds.
    """
    path = Path(path)
    try:
        data = tomllib.loads(read_local_file(path, max_bytes=max_bytes, timeout_s=timeout_s).decode("utf-8"))
    except LocalReadError as exc:
        raise ConfigError(f"feeds file: {exc}", url=str(path)) from exc
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
            where += f" ({_show(entry['name'])})"
        unknown = set(entry) - ALLOWED_KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(ALLOWED_KEYS)}",
                              url=str(path))
        values = dict(entry)
        if isinstance(values.get("tags"), list):
            values["tags"] = tuple(values["tags"])
        if isinstance(values.get("name"), str) and len(values["name"]) > MAX_NAME_CHARS:
            raise ConfigError(f"{where}: name is {len(values['name'])} characters, over the limit of "
                              f"{MAX_NAME_CHARS}", url=str(path))
        if isinstance(values.get("url"), str):
            _check_url(values["url"], where=where, source=str(path))
        try:
            feed = Feed.model_validate(values)
        except ValidationError as exc:
            raise ConfigError(f"{where}: {_describe(exc)}", url=str(path)) from exc
        if feed.url in seen:
            raise ConfigError(f"{where}: url {_show(feed.url)} repeats entry {seen[feed.url]}", url=str(path))
        seen[feed.url] = index
        feeds.append(feed)
    return feeds


def _check_url(url: str, *, where: str, source: str) -> None:
    """An http(s) URL with a host, or a local path, of at most MAX_URL_CHARS; else ConfigError naming `where`."""
    if len(url) > MAX_URL_CHARS:
        raise ConfigError(f"{where}: url {_show(url)} is over the limit of {MAX_URL_CHARS} characters",
                          url=source)
    try:
        if is_local_source(url):
            return
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in 0..65535
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535", ...
        raise ConfigError(f"{where}: url {_show(url)} is not a valid URL: {exc}", url=source) from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: url {_show(url)} is neither an http(s) URL nor a local path", url=source)


def feeds_from_args(values: Iterable[str]) -> list[Feed]:
    """Feeds from --feeds values (http(s) URL or local path); name from host and last path segment, or file name."""
    feeds: list[Feed] = []
    for value in values:
        value = value.strip()
        if not value:
            raise ConfigError("empty --feeds value", url="--feeds")
        _check_url(value, where=f"--feeds {_show(value)}", source="--feeds")
        if is_local_source(value):
            name = local_path(value).name or value
        else:
            parts = urlsplit(value)
            last = parts.path.rstrip("/").rsplit("/", 1)[-1]
            name = f"{parts.hostname}/{last}" if parts.hostname and last else (parts.hostname or value)
        if not any(feed.url == value for feed in feeds):
            feeds.append(Feed(url=value, name=name[:MAX_NAME_CHARS]))
    return feeds


def check_local_feeds(feeds: Iterable[Feed], *, source: str = "--feeds") -> None:
    """ConfigError unless every local feed is an existing regular file (stat only, nothing is read).

    For feeds named on the command line, where a missing file is a usage error; a feeds file's
    local entries are checked when fetched instead (a failure there is recorded per feed).
    """
    for feed in feeds:
        if is_local_source(feed.url):
            try:
                check_local_file(local_path(feed.url))
            except LocalReadError as exc:
                raise ConfigError(f"{source} {_show(feed.url)}: {exc}", url=source) from exc
