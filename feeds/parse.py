"""Feed bytes (+ HTTP headers) -> ParsedFeed: feedparser for the XML, our own rules on top.

Choices, written down once:

- **Encoding (RFC 7303, not RFC 3023).** A charset in the HTTP Content-Type wins; without
  one, the BOM, then the XML declaration, then UTF-8. A few invalid bytes do not overturn that
  choice: they become U+FFFD and are recorded as `error` (`feeds.decode`). Only when the bytes
  are clearly in another encoding does chardet (through feedparser) guess, and the guess is
  recorded as `error`. The media type itself is not used to pick the encoding (`text/xml` does
  not mean us-ascii), but a non-XML media type (`text/plain`) is recorded as an error.
  feedparser always parses the UTF-8 document `feeds.decode` made, in which references to
  characters XML cannot hold (``&#xD800;``) already point at U+FFFD.
- **Errors.** `ParsedFeed.error` is set for: XML that is not well-formed (feedparser's strict
  parse failed and its loose parse recovered what it could), a declared encoding that is
  unknown or does not fit the bytes, a guessed encoding, bytes or character references replaced
  with U+FFFD, a non-XML media type. Items are kept.
- **One item never costs the others.** If feedparser raises on the document, every item is
  parsed on its own (with the channel around it) and only the ones it still raises on are
  dropped; an entry our own rules cannot turn into a FeedItem is dropped alone. Each drop is
  recorded in `error`.
- **Truncation.** When the document ends before its root element is closed, the items that
  were still open at the end are kept with `incomplete=True`; callers never store them as
  normal articles.
- **Text.** Every field is plain text (see `feeds.html`): a field typed as text that still holds
  tags (an RSS title with `<script>`) is read as HTML, so tags and script contents are dropped.
  Full text comes from `yandex:full-text` (any prefix bound to a Yandex namespace), then
  `content:encoded` / Atom `content`; `description` / `summary` go to `summary`. feedparser keeps
  only the tail text of a `yandex:full-text` that holds unescaped child elements, so those are
  re-read from the document with lxml (`resolve_entities=False, no_network=True, huge_tree=False`).
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
from feedparser.util import FeedParserDict
from lxml import etree

from feeds.decode import decode_document
from feeds.html import html_to_text, normalize_text, plain_text, text_or_html_to_text
from schemas import FeedItem, ParsedFeed

ITEM_TAGS = frozenset({"item", "entry"})
LINK_SCHEMES = frozenset({"http", "https"})
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_ITEM_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)(?=[\s/>])")
_ITEM_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>")
_HEAD_TOKEN = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[!?][^>]*>|<(/?)[^\s/>]+[^>]*?(/?)>", re.S)
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


def declared_encoding(content: bytes, headers: Mapping[str, str]) -> str | None:
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


def _without_declaration(data: bytes) -> bytes:
    """The UTF-8 document without its XML declaration (lxml and expat read it as UTF-8)."""
    return _XML_DECL.sub(b"", data.lstrip(), count=1)


def _parse_document(data: bytes, headers: Mapping[str, str]) -> tuple[FeedParserDict, list[str]]:
    """feedparser on the whole document; if it raises, on each item apart (see the module docstring)."""
    try:
        return feedparser.parse(io.BytesIO(data), response_headers=headers), []
    except Exception as exc:  # a feedparser bug on one construct: recorded, the other items survive
        return _parse_items_apart(data, headers, exc)


def _parse_items_apart(data: bytes, headers: Mapping[str, str],
                       failure: Exception) -> tuple[FeedParserDict, list[str]]:
    """Each item in a document of its own (the channel around it); the items feedparser raises on
    are dropped and named in the returned problems."""
    problems = [f"feedparser failed on the document ({type(failure).__name__}: {failure}); "
                "items parsed one by one"]
    starts = [m.start() for m in _ITEM_START.finditer(data)]
    if not starts:
        problems.append("no item found")
        return FeedParserDict(bozo=True, bozo_exception=failure, entries=[], feed=FeedParserDict()), problems
    closing = _ITEM_END.search(data, starts[-1])
    end = closing.end() if closing else len(data)
    head, tail = data[:starts[0]], data[end:]
    try:
        result = feedparser.parse(io.BytesIO(head + tail), response_headers=headers)
    except Exception as exc:  # the channel itself: its title and language are lost, the items are not
        problems.append(f"channel dropped: {type(exc).__name__}: {exc}")
        result = FeedParserDict(bozo=True, bozo_exception=exc, entries=[], feed=FeedParserDict())
        head = _open_tags(head)
    entries: list[Any] = []
    for index, (start, stop) in enumerate(zip(starts, [*starts[1:], end], strict=True), start=1):
        try:
            one = feedparser.parse(io.BytesIO(head + data[start:stop] + tail), response_headers=headers)
        except Exception as exc:  # this item only
            problems.append(f"item {index} dropped: {type(exc).__name__}: {exc}")
            continue
        entries.extend(one.get("entries") or [])
        if one.get("bozo") and not result.get("bozo"):
            result["bozo"], result["bozo_exception"] = True, one.get("bozo_exception")
    result["entries"] = entries
    return result, problems


def _open_tags(head: bytes) -> bytes:
    """The XML declaration and the start tags still open at the end of `head` (root, channel),
    without their other children: the frame an item needs (namespaces, xml:base) and nothing else."""
    declaration = _XML_DECL.match(head)
    stack: list[bytes] = []
    for token in _HEAD_TOKEN.finditer(head):
        closing, empty = token.group(1), token.group(2)
        if closing is None or empty:  # a comment, CDATA, declaration, PI or empty element
            continue
        if closing:
            if stack:
                stack.pop()
        else:
            stack.append(token.group())
    return (declaration.group() if declaration else b"") + b"".join(stack)


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
        text = plain_text(value)
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
    return tuple(text for text in (plain_text(n) for n in names) if text)


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


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8}){0,4}")


def declared_language(value: object) -> str | None:
    """A feed's declared language as a lower-case BCP 47 tag ("ru-ru", "en"); None when absent or
    not a tag (feeds declare "Russian", "ru_RU", " RU " and worse: only the tag shape is kept)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value.lower().replace("_", "-") if _LANGUAGE_TAG.fullmatch(value) else None


def _item(entry: Mapping[str, Any], *, base: str, feed_language: str | None, incomplete: bool,
          yandex_text: str | None) -> FeedItem:
    title = _detail_text(entry.get("title_detail"), base) or plain_text(entry.get("title") or "")
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
    declared = declared_encoding(content, hdrs)
    errors: list[str] = []
    trimmed = _trim_partial_utf8(content, declared)
    if len(trimmed) != len(content):
        errors.append("document ends inside a UTF-8 character (download cut short)")
        content = trimmed
    decoded = decode_document(content, declared=declared, feedparser_headers=fp_headers)
    errors.extend(decoded.problems)
    if decoded.bozo is not None:
        errors.append(_describe_bozo(decoded.bozo, declared, decoded.encoding))
    if decoded.encoding is not None:  # feedparser reads the UTF-8 document feeds.decode made
        data: bytes | None = decoded.data
        utf8_headers = {**fp_headers, "content-type": "application/xml; charset=utf-8"}
        result, dropped = _parse_document(decoded.data, utf8_headers)
    else:  # no encoding fits: feedparser's loose parse does what it can with the bytes
        data = None
        result, dropped = _parse_document(content, fp_headers)
    errors.extend(dropped)

    bozo = result.get("bozo_exception") if result.get("bozo") else None
    if result.get("bozo") and not isinstance(bozo, CharacterEncodingOverride | CharacterEncodingUnknown):
        errors.append(_describe_bozo(bozo, declared, decoded.encoding))
    media, _ = split_content_type(hdrs)
    if media and not _XML_MEDIA.match(media):
        errors.append(str(NonXMLContentType(f"served as {media}, not an XML media type")))

    xml = _without_declaration(data) if data is not None else None
    entries = list(result.get("entries") or [])
    complete = _open_items_at_end(xml) if xml is not None and result.get("bozo") else None
    if complete is not None:
        errors.append(f"document cut short: {len(entries) - complete} item(s) after the first "
                      f"{complete} are incomplete")
    yandex: list[str | None] | None = None
    if xml is not None and b"full-text" in xml:
        yandex = _full_texts_from_xml(xml)
        if yandex is not None and len(yandex) != len(entries):
            yandex = None

    base = fp_headers.get("content-location", "")
    feed = result.get("feed") or {}
    feed_language = feed.get("language") or hdrs.get("content-language")
    items: list[FeedItem] = []
    for index, entry in enumerate(entries):
        try:
            items.append(_item(entry, base=base, feed_language=feed_language,
                               incomplete=complete is not None and index >= complete,
                               yandex_text=yandex[index] if yandex else None))
        except Exception as exc:  # one entry our rules cannot turn into a FeedItem: recorded, the rest kept
            errors.append(f"item {index + 1} dropped: {type(exc).__name__}: {exc}")
    title = _detail_text(feed.get("title_detail"), base) or plain_text(feed.get("title") or "")
    return ParsedFeed(
        feed_url=feed_url,
        title=title or "",
        encoding=decoded.encoding,
        version=result.get("version") or None,
        language=declared_language(feed_language),
        items=tuple(items),
        error="; ".join(errors) or None,
    )
