"""Feed bytes (+ HTTP headers) -> ParsedFeed: feedparser for the XML, our own rules on top.

Choices, written down once:

- **Encoding (RFC 7303, not RFC 3023).** A charset in the HTTP Content-Type wins; without
  one, the BOM, then the XML declaration, then UTF-8. When the bytes are not valid in that
  encoding, chardet (through feedparser) guesses, and the guess is recorded as `error`.
  The media type itself is not used to pick the encoding (`text/xml` does not mean
  us-ascii), but a non-XML media type (`text/plain`) is recorded as an error.
- **Errors.** `ParsedFeed.error` is set for: XML that is not well-formed (feedparser's strict
  parse failed and its loose parse recovered what it could), a declared encoding that is
  unknown or does not fit the bytes, a guessed encoding, a non-XML media type. Items are kept.
- **Truncation.** When the document ends before its root element is closed, the items that
  were still open at the end are kept with `incomplete=True`; callers never store them as
  normal articles.
- **Text.** Every field is plain text (see `feeds.html`). Full text comes from
  `yandex:full-text` (any prefix bound to a Yandex namespace), then `content:encoded` / Atom
  `content`; `description` / `summary` go to `summary`. feedparser keeps only the tail text of
  a `yandex:full-text` that holds unescaped child elements, so those are re-read from the
  document with lxml (`resolve_entities=False, no_network=True, huge_tree=False`).
- **Links.** Resolved by feedparser against `xml:base`, then `Content-Location`, then the
  feed URL; anything still relative is joined to the feed URL; non-http(s) links are dropped.
- **Dates.** feedparser's parsed UTC times as timezone-aware UTC datetimes.
"""
from __future__ import annotations

import codecs
import io
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.parsers import expat

import feedparser
from feedparser.encodings import CharacterEncodingOverride, CharacterEncodingUnknown, NonXMLContentType
from lxml import etree

from feeds.html import html_to_text, normalize_text, text_or_html_to_text
from schemas import FeedItem, ParsedFeed

ITEM_TAGS = frozenset({"item", "entry"})
LINK_SCHEMES = frozenset({"http", "https"})
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_XML_DECL_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_BOM_NAMES = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_MEDIA = re.compile(r"^(application|text)/([\w.+-]+\+)?xml$|^application/xml-", re.IGNORECASE)


def split_content_type(headers: Mapping[str, str]) -> tuple[str, str | None]:
    """Media type and charset of a Content-Type header ("" and None when absent)."""
    value = headers.get("content-type", "")
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip().strip("\"'"):
            charset = val.strip().strip("\"'")
    return media.strip().lower(), charset


def _feedparser_headers(headers: Mapping[str, str], feed_url: str) -> dict[str, str]:
    """Headers as feedparser should see them: RFC 7303 encoding rule, a base URL, the language."""
    media, charset = split_content_type(headers)
    out = {"content-type": "application/xml" + (f"; charset={charset}" if charset else "")}
    location = headers.get("content-location")
    base = urljoin(feed_url, location) if location else feed_url
    if urlsplit(base).scheme.lower() in LINK_SCHEMES:
        out["content-location"] = base
    if headers.get("content-language"):
        out["content-language"] = headers["content-language"]
    return out


def _declared_encoding(content: bytes, headers: Mapping[str, str]) -> str | None:
    """The encoding the document claims (HTTP charset, BOM, XML declaration), if any."""
    _, charset = split_content_type(headers)
    if charset:
        return charset
    for bom, name in _BOM_NAMES:
        if content.startswith(bom):
            return name
    match = _XML_ENCODING.match(content.lstrip())
    return match.group(1).decode("ascii", "replace") if match else None


def _trim_partial_utf8(content: bytes, declared: str | None) -> bytes:
    """Drop an incomplete UTF-8 sequence at the very end (a download cut inside a character).

    Without this the whole document fails to decode as UTF-8 and gets guessed as a single-byte
    encoding: mojibake in every item. Only for documents whose encoding is UTF-8.
    """
    try:
        if codecs.lookup(declared or "utf-8").name != "utf-8":
            return content
    except LookupError:
        return content
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(content) - 3 and exc.reason == "unexpected end of data":
            return content[: exc.start]
    return content


def _describe_bozo(exc: BaseException | None, declared: str | None, encoding: str | None) -> str:
    if isinstance(exc, CharacterEncodingOverride):
        if declared is None:
            return f"no encoding declared and the bytes are not UTF-8; guessed {encoding}"
        return f"declared encoding {declared} does not fit the bytes; decoded as {encoding}"
    if isinstance(exc, CharacterEncodingUnknown):
        return f"document encoding unknown: {exc}"
    line = getattr(exc, "getLineNumber", None)
    col = getattr(exc, "getColumnNumber", None)
    if callable(line) and callable(col):
        message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
        return f"not well-formed XML at line {line()}, column {col()}: {message}"
    return f"{type(exc).__name__}: {exc}" if exc is not None else "not a clean document"


def _xml_text(content: bytes, encoding: str | None) -> bytes | None:
    """The document re-encoded as UTF-8 without its XML declaration, or None if undecodable."""
    if not encoding:
        return None
    try:
        text = content.decode(encoding, errors="replace")
    except LookupError:
        return None
    text = _XML_DECL_TEXT.sub("", text.lstrip("\ufeff"), count=1)
    return text.encode("utf-8", errors="replace")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _open_items_at_end(data: bytes) -> int | None:
    """When the document is cut short: how many items were complete before the end.

    Returns None when the document is complete, or breaks for another reason before its
    end (then the loose parse is trusted and only the document-level error is recorded).
    expat is used without an external-entity handler, so nothing is fetched.
    """
    parser = expat.ParserCreate(encoding="utf-8", namespace_separator=" ")
    complete = 0
    open_items = 0

    def start(name: str, attrs: object) -> None:
        nonlocal open_items
        if name.rsplit(" ", 1)[-1] in ITEM_TAGS:
            open_items += 1

    def end(name: str) -> None:
        nonlocal open_items, complete
        if name.rsplit(" ", 1)[-1] in ITEM_TAGS:
            open_items -= 1
            complete += 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, False)
    except expat.ExpatError:
        return None
    try:
        parser.Parse(b"", True)
    except expat.ExpatError:
        return complete if open_items > 0 else None
    return None


def _full_texts_from_xml(data: bytes) -> list[str | None] | None:
    """yandex:full-text of each item, read with lxml when it holds child elements."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, recover=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    texts: list[str | None] = []
    for item in root.iter(etree.Element):
        if _local(item.tag) not in ITEM_TAGS:
            continue
        found: str | None = None
        for child in item:
            if _local(child.tag) == "full-text" and "yandex" in str(child.tag) and len(child):
                inner = _escape(child.text or "") + "".join(
                    etree.tostring(grand, encoding="unicode", with_tail=True) for grand in child
                )
                found = html_to_text(inner)
        texts.append(found)
    return texts


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _to_utc(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _detail_text(detail: Mapping[str, Any] | None, base_url: str | None) -> str | None:
    """Plain text of a feedparser text construct, by its type."""
    if not detail:
        return None
    value = detail.get("value") or ""
    kind = (detail.get("type") or "text/html").lower()
    if not value.strip():
        return None
    if kind in ("text/plain", "text"):
        text = normalize_text(value)
    elif "html" in kind or kind.endswith("xml"):
        text = html_to_text(value, base_url=base_url)
    else:  # binary content types (image/png, application/octet-stream): no text
        return None
    return text or None


def _safe_link(link: str | None, base: str) -> str | None:
    if not link:
        return None
    absolute = urljoin(base, link.strip()) if base else link.strip()
    try:
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    return absolute if scheme in LINK_SCHEMES else None


def _authors(entry: Mapping[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    for author in entry.get("authors") or []:
        name = (author.get("name") or author.get("email") or "").strip()
        if name and name not in names:
            names.append(name)
    if not names and entry.get("author"):
        names.append(str(entry["author"]).strip())
    return tuple(normalize_text(n) for n in names if normalize_text(n))


def _full_text(entry: Mapping[str, Any], base: str) -> str | None:
    for key, value in entry.items():
        if key.endswith("full-text") and isinstance(value, str) and value.strip():
            return text_or_html_to_text(value, base_url=base) or None
    for content in entry.get("content") or []:
        text = _detail_text(content, content.get("base") or base)
        if text:
            return text
    return None


def _language(entry: Mapping[str, Any], feed_language: str | None) -> str | None:
    for key in ("content", "summary_detail", "title_detail"):
        detail = entry.get(key)
        if isinstance(detail, list):
            detail = detail[0] if detail else None
        if detail and detail.get("language"):
            return str(detail["language"])
    return feed_language


def _item(entry: Mapping[str, Any], *, base: str, feed_language: str | None, incomplete: bool,
          yandex_text: str | None) -> FeedItem:
    title = _detail_text(entry.get("title_detail"), base) or normalize_text(entry.get("title") or "")
    guid = entry.get("id")
    return FeedItem(
        guid=normalize_text(guid) or None if isinstance(guid, str) else None,
        link=_safe_link(entry.get("link"), base),
        title=title or "",
        published_at=_to_utc(dict.get(entry, "published_parsed") or dict.get(entry, "created_parsed")),
        # dict.get: FeedParserDict would silently answer "updated" with "published"
        updated_at=_to_utc(dict.get(entry, "updated_parsed")),
        full_text=yandex_text or _full_text(entry, base),
        summary=_detail_text(entry.get("summary_detail"), base),
        language=_language(entry, feed_language),
        authors=_authors(entry),
        incomplete=incomplete,
    )


def parse_feed(content: bytes, *, feed_url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse feed bytes; never raises on bad input: problems end up in `ParsedFeed.error`.

    `headers` are the HTTP response headers (any case); their charset, Content-Location and
    Content-Language are used. `feed_url` is the document's address (base of relative links).
    """
    hdrs = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    fp_headers = _feedparser_headers(hdrs, feed_url)
    declared = _declared_encoding(content, hdrs)
    errors: list[str] = []
    trimmed = _trim_partial_utf8(content, declared)
    if len(trimmed) != len(content):
        errors.append("document ends inside a UTF-8 character (download cut short)")
        content = trimmed
    result = feedparser.parse(io.BytesIO(content), response_headers=fp_headers)
    encoding = result.get("encoding") or None

    if result.get("bozo"):
        errors.append(_describe_bozo(result.get("bozo_exception"), declared, encoding))
    media, _ = split_content_type(hdrs)
    if media and not _XML_MEDIA.match(media):
        errors.append(str(NonXMLContentType(f"served as {media}, not an XML media type")))

    data = _xml_text(content, encoding)
    entries = list(result.get("entries") or [])
    complete = _open_items_at_end(data) if data is not None and result.get("bozo") else None
    if complete is not None:
        errors.append(f"document cut short: {len(entries) - complete} item(s) after the first "
                      f"{complete} are incomplete")
    yandex: list[str | None] | None = None
    if data is not None and b"full-text" in data:
        yandex = _full_texts_from_xml(data)
        if yandex is not None and len(yandex) != len(entries):
            yandex = None

    base = fp_headers.get("content-location", "")
    feed = result.get("feed") or {}
    feed_language = feed.get("language") or hdrs.get("content-language")
    items = tuple(
        _item(entry, base=base, feed_language=feed_language,
              incomplete=complete is not None and index >= complete,
              yandex_text=yandex[index] if yandex else None)
        for index, entry in enumerate(entries)
    )
    title = _detail_text(feed.get("title_detail"), base) or normalize_text(feed.get("title") or "")
    return ParsedFeed(
        feed_url=feed_url,
        title=title or "",
        encoding=encoding,
        version=result.get("version") or None,
        items=items,
        error="; ".join(errors) or None,
    )
