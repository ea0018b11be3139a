"""Feed bytes -> one UTF-8 XML document, before feedparser sees it.

Choices, written down once:

- **Declared encoding (RFC 7303).** The charset of the HTTP Content-Type, else the BOM, else
  the XML declaration, else UTF-8 (`feeds.parse` finds it; this module is handed the name).
- **A few bad bytes do not overturn a declaration.** When the declared encoding does not decode
  every byte, it is still kept if the errors are few — at most `max(8, 1 % of the bytes)` invalid
  sequences — and the bytes that did decode outside ASCII outnumber them at least two to one.
  Each invalid sequence becomes U+FFFD and the count is recorded. Text that is really in another
  encoding fails this by a wide margin (a windows-1251 or KOI8-R text read as UTF-8 is an error
  at almost every letter and forms almost no valid multi-byte sequence), and then feedparser's
  detection picks the encoding (chardet, then utf-8, windows-1252, iso-8859-2), recorded as an
  error. A feed with no declaration is UTF-8 by the same rule.
- **Surrogates.** UTF-8 that encodes UTF-16 surrogates (CESU-8, "WTF-8": ``ED A0 80``): a high
  and a low surrogate in a row are joined into the character they encode; a lone one becomes
  U+FFFD and counts as an error.
- **Character references XML cannot hold** (surrogates, beyond U+10FFFF, C0 controls other than
  tab, LF and CR, U+FFFE, U+FFFF), decimal or hex, anywhere in the document, also once escaped
  inside escaped HTML (``&amp;#xD800;``), become a reference to U+FFFD, counted. feedparser raises
  on them instead of flagging the document, and the whole feed would be lost.
"""
from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from feedparser.encodings import convert_to_utf8

UTF8_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"
MIN_TOLERATED_ERRORS = 8          # invalid sequences always tolerated (short documents)
TOLERATED_ERROR_SHARE = 0.01      # ... or this share of the bytes, whichever is larger
EVIDENCE_PER_ERROR = 2            # decoded non-ASCII characters needed per invalid sequence
# Legacy encodings read as the superset browsers use (feedparser does the same for gb2312).
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932",
             "tis-620": "cp874"}

_XML_DECLARATION = re.compile(r"^<\?xml[^>]*?>")
_SURROGATE_UTF8 = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_CHAR_REF = re.compile(rb"&(amp;)?#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_ASCII_COMPATIBLE_PROBE = "<?xml"
_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# "<?" in UTF-16/32 without a BOM, and "<?xm" in EBCDIC (XML 1.0, appendix F): not UTF-8 by default.
_WIDE_OR_EBCDIC_STARTS = (b"\x00<\x00?", b"<\x00?\x00", b"\x00\x00\x00<", b"<\x00\x00\x00",
                          b"\x4c\x6f\xa7\x94")


@dataclass(frozen=True)
class DecodedDocument:
    """The document as UTF-8 bytes declaring UTF-8, or the input unchanged when nothing decoded it."""
    data: bytes
    encoding: str | None                              # what the bytes were read as; None: unknown
    problems: tuple[str, ...] = ()                    # what was replaced or guessed, for ParsedFeed.error
    bozo: BaseException | None = field(default=None)  # feedparser's encoding exception, when detection ran


@dataclass
class _Tally:
    codec: str
    limit: int
    errors: int = 0
    first: int | None = None


class _TooManyErrors(Exception):
    """Raised by the error handler to stop decoding once the declared encoding is clearly wrong."""


_TALLY = threading.local()   # the decode in progress on this thread (feeds are parsed in threads)


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: U+FFFD for an invalid sequence, counted; CESU-8 surrogates kept."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    tally: _Tally = _TALLY.current
    if tally.codec == "utf-8" and _SURROGATE_UTF8.match(exc.object, exc.start):
        return exc.object[exc.start:exc.start + 3].decode("utf-8", "surrogatepass"), exc.start + 3
    tally.errors += 1
    if tally.errors > tally.limit:
        raise _TooManyErrors
    if tally.first is None:
        tally.first = exc.start
    return "\ufffd", exc.end


codecs.register_error("eventwire-count-replace", _count_and_replace)


def codec_name(encoding: str) -> str | None:
    """Python's name of a text encoding (its superset for some legacy ones); None if there is none."""
    try:
        name = codecs.lookup(encoding).name
        b"<?xml".decode(name)  # LookupError for bytes-to-bytes codecs (base64, zlib, ...)
    except (LookupError, UnicodeError):
        return None
    return SUPERSETS.get(name, name)


def error_limit(size: int) -> int:
    """How many invalid sequences `size` bytes may hold and keep their declared encoding."""
    return max(MIN_TOLERATED_ERRORS, int(size * TOLERATED_ERROR_SHARE))


def _decode_counting(content: bytes, codec: str) -> tuple[str, _Tally] | None:
    """Decode with U+FFFD for each invalid sequence (CESU-8 surrogates left for `_join_surrogates`);
    None as soon as there are more errors than `error_limit` allows."""
    tally = _Tally(codec=codec, limit=error_limit(len(content)))
    _TALLY.current = tally
    try:
        return content.decode(codec, errors="eventwire-count-replace"), tally
    except (_TooManyErrors, UnicodeError):  # UnicodeError: a codec that refuses without asking the handler
        return None
    finally:
        _TALLY.current = None


def _join_surrogates(text: str) -> tuple[str, int, int]:
    """Surrogate pairs -> their character, lone surrogates -> U+FFFD; returns (text, pairs, lone)."""
    if not _LONE_SURROGATE.search(text):
        return text, 0, 0
    text, pairs = _SURROGATE_PAIR.subn(
        lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), text)
    text, lone = _LONE_SURROGATE.subn("\ufffd", text)
    return text, pairs, lone


def _evidence(text: str, codec: str) -> int:
    """Characters that show the encoding fits: non-ASCII ones (any one, for UTF-16/32)."""
    if not _ASCII_COMPATIBLE_PROBE.encode(codec, "replace").startswith(b"<?xml"):
        return len(text)
    return len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")


def tolerable(errors: int, evidence: int, size: int) -> bool:
    """Are `errors` invalid sequences in `size` bytes few enough to keep the declared encoding?"""
    return errors <= error_limit(size) and evidence >= EVIDENCE_PER_ERROR * errors


def _with_utf8_declaration(text: str) -> bytes:
    text = text.removeprefix("\ufeff")
    if _XML_DECLARATION.search(text):
        text = _XML_DECLARATION.sub(UTF8_DECLARATION, text, count=1)
    else:
        text = UTF8_DECLARATION + "\n" + text
    return text.encode("utf-8")


def _lenient(content: bytes, declared: str | None) -> DecodedDocument | None:
    """The document in its declared encoding (UTF-8 if none), when that fits all but a few bytes;
    else None."""
    label = (declared or "utf-8").lower()
    codec = codec_name(label)
    if codec is None:
        return None
    if codec in ("utf-16", "utf-32") and not content.startswith(_BOMS):
        return None  # byte order unknown: leave it to feedparser's sniffing
    decoded = _decode_counting(content, codec)
    if decoded is None:
        return None
    text, tally = decoded
    text, pairs, lone = _join_surrogates(text)
    errors = tally.errors + lone
    if errors and not tolerable(errors, _evidence(text, codec), len(content)):
        return None
    problems: tuple[str, ...] = ()
    if tally.errors:
        where = f"the declared encoding {label}" if declared else "UTF-8 (no encoding declared)"
        problems += (f"{tally.errors} invalid byte sequence(s) in {where} replaced with U+FFFD "
                     f"(first at byte {tally.first})",)
    if pairs:
        problems += (f"{pairs} UTF-16 surrogate pair(s) encoded one by one (CESU-8) read as one "
                     "character each",)
    if lone:
        problems += (f"{lone} lone UTF-16 surrogate(s) replaced with U+FFFD",)
    if codec != codecs.lookup(label).name:
        label = codec  # read as its superset (gb2312 as gb18030)
    return DecodedDocument(data=_with_utf8_declaration(text), encoding=label, problems=problems)


def _is_legal_xml_char(code: int) -> bool:
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def _code_point(hex_digits: bytes | None, dec_digits: bytes | None) -> int | None:
    digits = (hex_digits or dec_digits or b"").lstrip(b"0") or b"0"
    if len(digits) > 8:
        return None  # far beyond U+10FFFF (and int() of thousands of digits is slow)
    return int(digits, 16 if hex_digits else 10)


def repair_character_references(data: bytes) -> tuple[bytes, int]:
    """UTF-8 document -> the same with references to XML-illegal code points pointing at U+FFFD.

    Plain (``&#xD800;``) and once-escaped (``&amp;#xD800;``, a reference inside escaped HTML)
    forms, decimal and hex; returns the new bytes and how many references were replaced.
    """
    if _CHAR_REF.search(data) is None:
        return data, 0
    replaced = 0

    def fix(match: re.Match[bytes]) -> bytes:
        nonlocal replaced
        code = _code_point(match.group(2), match.group(3))
        if code is not None and _is_legal_xml_char(code):
            return match.group()
        replaced += 1
        return b"&" + (match.group(1) or b"") + b"#xFFFD;"

    return _CHAR_REF.sub(fix, data), replaced


def decode_document(content: bytes, *, declared: str | None,
                    feedparser_headers: Mapping[str, str]) -> DecodedDocument:
    """Bytes of a feed -> UTF-8 (see the module docstring for the rules); never raises.

    `declared` is the encoding the document claims (None: no claim, UTF-8 is assumed);
    `feedparser_headers` are the headers feedparser's own detection should see.
    """
    sniffed = declared is None and content[:4] in _WIDE_OR_EBCDIC_STARTS
    decoded = None if sniffed else _lenient(content, declared)
    if decoded is None:
        result: dict = {}
        try:
            data = convert_to_utf8(dict(feedparser_headers), content, result)
        except Exception as exc:  # feedparser's detection failed outright: recorded, the bytes parsed loosely
            return DecodedDocument(data=content, encoding=None, bozo=exc)
        encoding = result.get("encoding") or None
        if encoding is None:
            return DecodedDocument(data=content, encoding=None, bozo=result.get("bozo_exception"))
        decoded = DecodedDocument(data=data, encoding=encoding, bozo=result.get("bozo_exception"))
    data, references = repair_character_references(decoded.data)
    if not references:
        return decoded
    note = f"{references} character reference(s) to code points XML cannot hold replaced with U+FFFD"
    return DecodedDocument(data=data, encoding=decoded.encoding, problems=(*decoded.problems, note),
                           bozo=decoded.bozo)
