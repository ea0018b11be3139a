"""HTML of feed items and pages -> sanitised HTML, absolute links, clean plain text.

Plain text rules (what `html_to_text` and `normalize_text` return):

- entities are decoded exactly once, by the HTML parser (`&amp;lt;` -> the text `&lt;`);
- block elements (p, div, li, blockquote, headings, tables, ...) and `<br>` end a line;
  paragraphs are separated by a single "\\n", there are no empty lines;
- runs of ASCII whitespace inside a line become one space; lines are stripped;
- NO-BREAK SPACE (U+00A0) is kept as U+00A0 inside a line (it is text, not markup);
- the content of script, style, iframe, object, embed, applet, noscript, template, svg,
  math, head and form controls never reaches the text;
- C0 control characters (other than tab/newline) and lone surrogates are dropped;
- the text holds nothing an HTML parser would read as markup: after decoding, whatever still
  looks like a tag (`<` then a letter, `/`, `!` or `?`, up to the next `>`) is dropped,
  so a twice-escaped `&amp;lt;script&amp;gt;` or a text field holding `<img onerror=...>` is
  stored without it (the price: the literal text "the <blink> tag" loses "<blink>").

`plain_text` is for fields declared plain text (RSS and Atom text constructs, author names, page
text): without markup it only normalises; with markup it is read as HTML, as browsers would.

`html_to_text` uses the standard library's streaming tokenizer (no tree: no depth limit, no
text-node size limit, memory linear in the input, which the fetch limits already bound).
`sanitize_html` and `absolute_links` build an lxml tree (`huge_tree=False`, `no_network=True`),
so libxml2 bounds their depth (about 255 levels; deeper content is cut there).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml_html_clean import Cleaner

# Elements whose whole subtree is dropped (text included).
DROPPED_TAGS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
    "template", "svg", "math", "title", "meta", "link", "base", "select", "button", "textarea",
    "input", "canvas", "audio", "video", "source", "track", "param",
})
VOID_TAGS = frozenset({"embed", "meta", "link", "base", "input", "source", "track", "param", "frame"})
# Elements that start and end a line.
BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "h1", "h2", "h3", "h4", "h5",
    "h6", "pre", "table", "tr", "thead", "tbody", "tfoot", "caption", "figure", "figcaption",
    "section", "article", "aside", "header", "footer", "nav", "main", "address", "hr", "details",
    "summary", "center", "fieldset", "legend", "form", "body", "html",
})
CELL_TAGS = frozenset({"td", "th"})
URL_ATTRS = ("href", "src", "poster", "cite", "action", "longdesc", "background")
SAFE_SCHEMES = frozenset({"http", "https", "ftp", "mailto", "tel", ""})

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_ASCII_SPACE = re.compile(r"[ \t\r\f\v]+")
_LT = re.compile("<")
MAX_TAG_CHARS = 256 * 1024  # a "<" with no ">" this far away opens no tag
_HTML_SPACE = re.compile(r"[ \t\n\r\f\v]+")
# What an HTML tokenizer would start a tag, comment or declaration with, up to its end.
_TAG_LIKE = re.compile(r"<[A-Za-z/!?][^<>]*>")
_TAG_OPENERS = re.compile(r"<+(?=[A-Za-z/!?])")
_TAG_PASSES = 3

_CLEANER = Cleaner(
    scripts=True, javascript=True, comments=True, style=True, inline_style=True, links=True,
    meta=True, page_structure=False, processing_instructions=True, embedded=True, frames=True,
    forms=True, annoying_tags=True, remove_unknown_tags=False, safe_attrs_only=True,
    kill_tags=["noscript", "template", "svg", "math"],
)


def _clean_chars(text: str) -> str:
    """Drop characters XML cannot hold; a form feed is HTML white space, so it becomes a space (lxml
    refuses it in a text node it builds while cleaning)."""
    return _BAD_CHARS.sub("", text).replace("\x0c", " ")


def _parse(html: str) -> etree._Element | None:
    """Parse any string as an HTML document; None when there is nothing to parse."""
    data = _clean_chars(html).encode("utf-8")
    if not data.strip():
        return None
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=False,
        recover=True, default_doctype=False,
    )
    try:
        return lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _safe_url(value: str, base_url: str | None) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        absolute = urljoin(base_url, value) if base_url else value
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    return absolute if scheme in SAFE_SCHEMES else None


def _absolutize(root: etree._Element, base_url: str | None) -> None:
    for el in root.iter(etree.Element):
        for attr in URL_ATTRS:
            value = el.get(attr)
            if value is None:
                continue
            safe = _safe_url(value, base_url)
            if safe is None:
                del el.attrib[attr]
            else:
                el.set(attr, safe)


def sanitize_html(html: str, *, base_url: str | None = None) -> str:
    """Safe HTML: no dangerous elements, on* attributes or javascript: URLs; links absolute."""
    root = _parse(html)
    if root is None:
        return ""
    root = _CLEANER.clean_html(root)
    _absolutize(root, base_url)
    body = root.find("body")
    target = body if body is not None else root
    parts = [_escape_text(target.text or "")]
    parts += [etree.tostring(child, encoding="unicode", method="html") for child in target]
    return "".join(parts).strip()


def absolute_links(html: str, base_url: str | None) -> list[str]:
    """Every safe link and image source of `html`, resolved against `base_url`, in order."""
    root = _parse(html)
    if root is None:
        return []
    links: list[str] = []
    for el in root.iter(etree.Element):
        for attr in ("href", "src"):
            value = el.get(attr)
            if value is not None and (safe := _safe_url(value, base_url)) is not None:
                links.append(safe)
    return links


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _defuse_unclosed(text: str, window: int = MAX_TAG_CHARS) -> str:
    """Escape every "<" with no ">" in the next `window` characters.

    Python's tokenizer rescans to the end of the input for each such "<" (quadratic time on
    inputs like "</" * 500_000); such a "<" cannot open a tag anyway, so it is text.
    """
    out: list[str] = []
    pos = 0
    next_gt = -1
    for match in _LT.finditer(text):
        i = match.start()
        if next_gt != -2 and next_gt < i:
            found = text.find(">", i)
            next_gt = found if found != -1 else -2
        if next_gt == -2 or next_gt - i > window:
            out.append(text[pos:i])
            out.append("&lt;")
            pos = i + 1
    out.append(text[pos:])
    return "".join(out)


class _TextCollector(HTMLParser):
    """Streaming HTML tokenizer -> text with "\\n" at block boundaries.

    A tokenizer, not a tree: no depth limit, no recursion, memory linear in the input.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if tag in DROPPED_TAGS:
            if tag not in VOID_TAGS:
                self._skip_tag, self._skip_depth = tag, 1
            return
        self._boundary(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is None and tag not in DROPPED_TAGS:
            self._boundary(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        self._boundary(tag)

    def handle_data(self, data: str) -> None:
        if self._skip_tag is None:
            self.out.append(_HTML_SPACE.sub(" ", data))

    def _boundary(self, tag: str) -> None:
        if tag in BLOCK_TAGS or tag == "br":
            self.out.append("\n")
        elif tag in CELL_TAGS:
            self.out.append(" ")


def has_markup(text: str) -> bool:
    """True when `text` holds something an HTML parser would read as a tag, comment or declaration."""
    return _TAG_LIKE.search(text) is not None


def _drop_tag_like(text: str) -> str:
    """`text` without anything `has_markup` finds (removing one can join the pieces of another,
    `<<b>b>`, so a few passes, then every `<` that still opens one goes)."""
    for _ in range(_TAG_PASSES):
        stripped = _TAG_LIKE.sub("", text)
        if stripped == text:
            return text
        text = stripped
    return _TAG_OPENERS.sub("", text) if has_markup(text) else text


def normalize_text(text: str) -> str:
    """Plain text -> one line per paragraph, ASCII whitespace collapsed, no empty lines."""
    text = _clean_chars(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_ASCII_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def html_to_text(html: str, *, base_url: str | None = None) -> str:
    """Plain text of an HTML fragment or document (see the module docstring for the rules).

    `base_url` is accepted for symmetry with `sanitize_html`; the text itself has no links.
    An element dropped for safety that is never closed drops the rest of the input (as a
    browser would treat it as its content).
    Never raises on any str input; returns "" when nothing readable is there.
    """
    collector = _TextCollector()
    collector.feed(_defuse_unclosed(_clean_chars(html)))
    collector.close()
    raw = _drop_tag_like("".join(collector.out))
    # Source newlines were turned into spaces by the walk: every "\n" here is a block boundary.
    lines = (_ASCII_SPACE.sub(" ", line).strip() for line in raw.split("\n"))
    return "\n".join(line for line in lines if line)


_LOOKS_LIKE_HTML = re.compile(
    r"<(?:p|br|div|span|a|b|i|u|em|strong|ul|ol|li|h[1-6]|blockquote|figure|figcaption|img|table|"
    r"tr|td|th|pre|code|sup|sub|small|font|center|hr|iframe|script|style|object|embed|section|"
    r"article|header|footer|video|audio|picture|source|q|cite|abbr|s|strike|del|ins)\b[^>]*>"
    r"|&(?:[a-zA-Z]{2,8}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """True when `text` contains a known HTML tag or a character reference."""
    return _LOOKS_LIKE_HTML.search(text) is not None


def text_or_html_to_text(value: str, *, base_url: str | None = None) -> str:
    """For fields of unknown type (yandex:full-text): HTML if it looks like HTML (a known tag or a
    character reference) or holds any markup, else plain text."""
    if looks_like_html(value) or has_markup(value):
        return html_to_text(value, base_url=base_url)
    return normalize_text(value)


def plain_text(value: str) -> str:
    """For fields declared plain text: normalised, and read as HTML when it holds markup anyway.

    Idempotent, and its result never holds markup (`has_markup` is False).
    """
    text = normalize_text(value)
    if has_markup(value) or has_markup(text):   # a dropped control character can close a tag: "<\x1f?>"
        return html_to_text(value)
    return text
