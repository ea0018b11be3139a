"""The dateline that opens a wire story, read the same way for every language.

    АСТАНА, 23 июн - Sputnik.            Ташкент. 5 февраля. ИНТЕРФАКС –
    БИШКЕК (АКИ press) -                 MOSCOW, October 3. /TASS/.
    ASTANA –                             Astana. July 4. KazTAG -

`parse_dateline(text, lang)` says where the story proper starts (`end`), the city the report
was filed from, the day and month it gives and the agency. Both languages' contexts take the
dateline from here (its end, and `Dateline.reported`: the day the report speaks from); what differs is where one may stand (`READERS`): Russian wire copy may put
it on any of the first lines, after a headline, and English only opens the text with it (a
caption line before a later dateline is part of the story and often dates the event). The guideline reads a dateline as
the report's, not the meeting's: its city is never a meeting's place and its date dates a
meeting only when that meeting is under way (borderline policies 3 and 4). Rules use `end`
to leave the dateline out of mentions, places and dates. Month words come from both
languages' `months.tsv`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from extraction.lexicons import load_table

LOOKAHEAD = 1500        # a dateline opens one of the first lines
_PUNCT = " /.,-–—"
MAX_SPACES = 8          # an agency dateline is short: more words are a sentence

# "ТАШКЕНТ, 5 фев — ИА «...».", "BISHKEK, Dec 5 (Reuters) -": a city in capitals, a comma or a dot,
# an optional date and a source
_CAPITALS = re.compile(r"^[ \t]*[A-ZА-ЯЁ][A-ZА-ЯЁ\- ]{1,30}[,.]\s*(?:\d{1,2}\s+\w+\.?|[A-Z][a-z]+\.?\s+\d{1,2}\.?)?"
                       r"\s*(?:[-–—]\s*)?"
                       r"(?:/?[\w .\-]{1,30}?/?\s*(?:\.|--|[-–—])|[A-Za-zА-ЯЁа-яё.\-]{2,30}\.|\([^()\n]{1,30}\)\s*[-–—])",
                       re.M)
# "Астана, 23 июня /Корр. .../ –", "Бишкек, 5 мая – Sputnik."
_CITY_DAY = re.compile(r"^[ \t]*[А-ЯЁA-Z][а-яёa-z\-]+(?: [А-ЯЁA-Z][а-яёa-z\-]+)?,\s*\d{1,2}\s+[а-яё]+\.?\s*"
                       r"(?:/[^/\n]{1,30}/\s*(?:--|[-–—.])?|[-–—]\s*[\w.\-]{2,30}\.)", re.M)
# "Ташкент. 5 февраля. ИНТЕРФАКС – ", "Баку. 10 апреля. REPORT. ", "БИШКЕК (АКИ press) - "
_AGENCY = re.compile(r"^[ \t]*[А-ЯЁA-Z][А-ЯЁа-яёA-Za-z\-]+(?: [А-ЯЁA-Z][А-ЯЁа-яёA-Za-z\-]+)?"
                     r"(?:[.,]\s*\d{1,2}\s+[а-яё]+\.?|\s*\([^()\n]{1,30}\))\s*"
                     r"(?:[.,]\s*)?(?:/?[A-ZА-ЯЁ][A-Za-zА-ЯЁа-яё.\-]*(?: [A-Za-zА-ЯЁа-яё.\-]+){0,2}/?\s*)?"
                     r"[-–—.](?=\s)", re.M)
# "ASTANA. KAZINFORM The ...": a city and an agency in capitals, nothing between
_TWO_CAPITALS = re.compile(r"^[ \t]*[A-ZА-ЯЁ][A-ZА-ЯЁ\-]{2,30}[.,]\s+[A-ZА-ЯЁ][A-ZА-ЯЁ\-]{2,20}(?=\s)")
# "ASTANA –", "Astana. July 4. KazTAG -", "Almaty, March 3 -"
_LATIN = re.compile(r"^\s*[A-Z][A-Za-z\-]+(?:\s[A-Z][A-Za-z\-]+)?\s*[.,]?\s*(?:[A-Z][a-z]+\.?\s+\d{1,2}\s*[.,]?\s*)?"
                    r"(?:[A-Za-z]+\s*)?[-–—]\s")

_PLACE = re.compile(r"^\s*([A-ZА-ЯЁ][A-Za-zА-ЯЁа-яё\-]+(?: [A-ZА-ЯЁ][A-Za-zА-ЯЁа-яё\-]+)?)")
_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+([A-Za-zА-ЯЁа-яё]+)\.?|\b([A-Za-z]+)\.?\s+(\d{1,2})\b")
_AGENCY_TEXT = re.compile(r"\(([^()\n]{1,30})\)|/([^/\n]{1,30})/|[-–—]\s*([^\s.,–—-][^.\n]{0,28}?)\s*\.?\s*$"
                          r"|(?:^|[.,])\s*([A-ZА-ЯЁ][A-Za-zА-ЯЁа-яё\-]*(?: [A-Za-zА-ЯЁа-яё\-]+){0,2})\s*[-–—.]?\s*$")


@dataclass(frozen=True)
class Dateline:
    end: int                    # offset where the story proper starts (0: no dateline)
    place: str | None = None    # the filing city as written, capitals folded ("АСТАНА" -> "Астана")
    day: int | None = None
    month: int | None = None
    agency: str | None = None

    def date(self, published: date | None) -> date | None:
        """The dateline's day in the year of `published` (the year before when that would put the
        dateline more than a month after publication)."""
        if self.day is None or self.month is None or published is None:
            return None
        for year in (published.year, published.year - 1):
            try:
                d = date(year, self.month, self.day)
            except ValueError:
                return None
            if (d - published).days <= 31:
                return d
        return None

    def reported(self, published: date | None) -> date | None:
        """The day the report speaks from: the dateline's day, else the publication date (a feed
        may publish a wire story a day after its dateline)."""
        return self.date(published) or published


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    out: dict[str, int] = {}
    for lang in ("ru", "en"):
        for row in load_table("months", lang):
            out.setdefault(row["form"], int(row["month"]))
    return out


def _wire_lines(text: str) -> int:
    """Russian wire copy: a dateline may open any of the first lines (after a headline or a photo
    caption, which then lie outside the story too)."""
    end = 0
    head = text[:LOOKAHEAD]
    for m in _CAPITALS.finditer(head):
        first = re.split(r"[,.]", m.group(0).strip(), maxsplit=1)[0]
        if first.isupper() and len(first) >= 3:
            end = max(end, m.end())
    for m in _CITY_DAY.finditer(head):
        end = max(end, m.end())
    stripped = text.lstrip("\ufeff")
    m = _AGENCY.match(stripped)
    if m and m.end() > end and m.group(0).count(" ") <= MAX_SPACES:
        end = m.end() + (len(text) - len(stripped))
    return end


def _opening(text: str) -> int:
    """English copy: only a dateline that opens the text ("ASTANA –", "ASTANA. KAZINFORM"); a caption
    line before a later dateline stays part of the story (it often dates the event)."""
    end = 0
    for pattern in (_LATIN, _TWO_CAPITALS, _CAPITALS):     # _CAPITALS: "BISHKEK, May 4 (Reuters) -"
        m = pattern.match(text[:80])
        if m and m.end() > end:
            end = m.end()
    return end


READERS = {"ru": _wire_lines, "en": _opening}


def dateline_end(text: str, lang: str | None = None) -> int:
    """Where an opening dateline stops, else 0: as `lang`'s copy is written, or as either when unknown."""
    if lang in READERS:
        return READERS[lang](text)
    return max(reader(text) for reader in READERS.values())


def parse_dateline(text: str, lang: str | None = None) -> Dateline:
    """The opening dateline of `text`: its end, city, day, month and agency (each None when not given)."""
    end = dateline_end(text, lang)
    if not end:
        return Dateline(0)
    head = text[text.rfind("\n", 0, end - 1) + 1:end]    # the dateline's own line, after any headline
    m = _PLACE.match(head)
    place = m.group(1) if m else None
    if place and place.isupper():
        place = "-".join(" ".join(w.capitalize() for w in part.split(" ")) for part in place.split("-"))
    day = month = None
    rest = head[m.end():] if m else head
    for dm in _DAY_MONTH.finditer(rest):
        d, word = (dm.group(1), dm.group(2)) if dm.group(1) else (dm.group(4), dm.group(3))
        mon = _months().get(word.casefold())
        if mon is not None and 1 <= int(d) <= 31:
            day, month = int(d), mon
            rest = rest[dm.end():]
            break
    agency = None
    a = _AGENCY_TEXT.search(rest)
    if a:
        agency = next((g.strip(_PUNCT) for g in a.groups() if g and g.strip(_PUNCT)), None)
    return Dateline(end, place, day, month, agency)
