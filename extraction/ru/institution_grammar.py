"""Grammar of Russian institution names, run over natasha's tagged tokens of one sentence.

    NAME        = ADJ* HEAD COMPLEMENT*            first word capitalised, ≥ 2 words
    HEAD        = a noun from lexicons/ru/institution_heads.tsv, singular unless flagged "p"
    COMPLEMENT  = GEN_GROUP                         "безопасности Казахстана", "ООН"
                | "по" DAT_GROUP ("с"|"за" INS_GROUP)?   "по борьбе с незаконным оборотом ..."
                | "о" LOC_GROUP | "при" LOC_GROUP
                | "в" LOC_GROUP                     only after heads flagged "v" (посольство)
                | ("и" | ",") GROUP of the same case   "водного хозяйства, сельского хозяйства и ..."
                | "(" ACRONYM ")"                   kept aside as the acronym
                | «Name»                           last: "Секретариат механизма «Центральная Азия – Китай»"
    GROUP       = (ADJ | NOUN | PROPN | ACRONYM)+ in one case, ending on a noun; coordinated
                  adjectives ("по ветеринарной и фитосанитарной безопасности") and "государств –
                  членов" belong to it
    QUOTED      = QUOTE_HEAD «Name»                 компания «Газпром», АО «КазМунайГаз»

A known organisation (gazetteer) that begins the phrase ends it where the gazetteer says
("Всемирного банка по Европе" is the World Bank). A coordinated complement is one name only
when it holds no head noun, acronym or known name and follows no proper name ("Министерство
экономики и устойчивого развития Грузии", not "... Грузии и АБИИ", not "Исламский банк
развития, Саудовского фонда развития и ...").

Only scanning over the token list: no parser run per candidate, so it costs little next to
natasha itself. Returns `Phrase`s (token ranges); naming and identity are done by
`extraction.ru.institutions`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from extraction.gazetteer import is_acronym
from extraction.lexicons import load_table, load_words

MAX_TOKENS = 24
ADJ_POS = frozenset({"ADJ", "DET"})
NOUN_POS = frozenset({"NOUN", "PROPN"})
QUOTES_OPEN = frozenset({"«", '"', "“", "„"})
QUOTES_CLOSE = frozenset({"»", '"', "”", "“"})
PREP_CASES = {"по": "Dat", "о": "Loc", "об": "Loc", "при": "Loc"}
FOLLOW_PREP_CASES = {"с": "Ins", "со": "Ins", "за": "Ins"}
APPOSITION_LEMMAS = frozenset({"республика", "город", "область", "провинция"})
DASHES = frozenset({"-", "–", "—"})
MEMBER_LEMMAS = (frozenset({"государство", "страна"}), frozenset({"член", "участник"}))   # "государств – членов ШОС"


@dataclass(frozen=True)
class Heads:
    kinds: dict[str, str]
    plural: frozenset[str]
    place: frozenset[str]
    named_after: frozenset[str]
    flags: dict[str, str]


@lru_cache(maxsize=1)
def heads() -> Heads:
    rows = load_table("institution_heads", "ru")
    return Heads(kinds={r["lemma"]: r["kind"] for r in rows},
                 plural=frozenset(r["lemma"] for r in rows if "p" in r["flags"]),
                 place=frozenset(r["lemma"] for r in rows if "v" in r["flags"]),
                 named_after=frozenset(r["lemma"] for r in rows if "n" in r["flags"]),
                 flags={r["lemma"]: r["flags"] for r in rows})


@dataclass(frozen=True)
class Phrase:
    start: int                      # token index of the first word
    head: int                       # token index of the head noun
    end: int                        # exclusive
    acronym: tuple[int, int] | None = None     # token range of a "(ACRONYM)" inside or right after
    quoted: tuple[int, int] | None = None      # token range of a quoted name (QUOTED rule)
    rule: str = "grammar"
    named: tuple[int, int] | None = None       # token range of a quoted name ending a head phrase


def _case(t) -> str | None:
    return t.feats.get("Case")


def _is_word(t) -> bool:
    return any(c.isalpha() for c in t.text)


def _group(tokens: Sequence, i: int, case: str | None, stops: frozenset[str],
           known: Callable[[int], int | None] | None = None, persons: bool = False) -> tuple[int, str | None]:
    """Longest (ADJ|NOUN|ACRONYM)+ run in `case` (None: genitive) from i, ending on a noun; a
    person's name ends it unless `persons` (a body named after a person).

    Returns (end, case of the last noun); end == i when nothing matches."""
    want = case or "Gen"
    j, last_noun, noun_case = i, i, None
    while j < len(tokens) and j - i < MAX_TOKENS:
        t = tokens[j]
        if j > i and t.text in {"и", ","} and tokens[j - 1].pos == "ADJ" and j + 1 < len(tokens) \
                and tokens[j + 1].pos == "ADJ" and tokens[j + 1].lemma not in stops:
            j += 1                                  # "ветеринарной и фитосанитарной": the noun follows
            want = _case(tokens[j]) or want         # (the tagger splits the cases of -ой forms)
            continue
        if j > i and t.text in DASHES and tokens[j - 1].lemma in MEMBER_LEMMAS[0] and j + 1 < len(tokens) \
                and tokens[j + 1].lemma in MEMBER_LEMMAS[1]:
            j += 1                                  # "государств – членов ШОС"
            continue
        if t.lemma in stops or not _is_word(t) or (not persons and _personal(t)):
            break
        k = known(j) if known is not None and (_case(t) == want or is_acronym(t.text)) else None
        if k is not None and k > j:
            j = last_noun = k
            noun_case, want = want, "Gen"
            continue
        if is_acronym(t.text) and t.pos in NOUN_POS | {"X", "ADJ"}:
            j += 1
            last_noun, noun_case = j, want
            continue
        c = _case(t)
        if j > i and tokens[j - 1].lemma in APPOSITION_LEMMAS and t.pos == "PROPN" and t.text[:1].isupper():
            j += 1                                  # "Республики Узбекистан": the name keeps its own case
            last_noun = j
            continue
        if (t.pos in NOUN_POS or (t.pos == "ADJ" and t.text[:1].isupper() and t.lemma in heads().kinds)) \
                and c == want:
            j += 1
            last_noun, noun_case = j, c
            # after a noun, a genitive chain may follow ("по делам беженцев")
            want = "Gen"
            continue
        if t.pos in ADJ_POS | {"VERB"} and c == want and (t.pos != "VERB" or t.feats.get("VerbForm") == "Part"):
            j += 1
            continue
        break
    return last_noun, noun_case


def _complements(tokens: Sequence, i: int, head_lemma: str, stops: frozenset[str],
                 head_lemmas: dict[str, str], known: Callable[[int], int | None]) -> tuple[int, tuple[int, int] | None]:
    """End of the complements after the head at i-1, and a parenthetical acronym if any."""
    end, acronym = i, None
    last_case: str | None = "Gen"
    after_po = False
    j = i
    while j < len(tokens) and j - i < MAX_TOKENS:
        t = tokens[j]
        low = t.text.lower()
        # a known name in the genitive is taken whole ("Совещания по взаимодействию ... в Азии")
        # (an indeclinable one is tagged in any case: "Законодательной палаты Олий Мажлиса")
        k = known(j) if (_case(t) == "Gen" or is_acronym(t.text) or t.text[:1].isupper()) else None
        if k is not None and k > j:
            j = end = k
            last_case = "Gen"
            continue
        # (ACRONYM) or /ACRONYM/
        if t.text in {"(", "/"} and j + 2 < len(tokens) and is_acronym(tokens[j + 1].text) \
                and tokens[j + 2].text == {"(": ")", "/": "/"}[t.text]:
            acronym = (j + 1, j + 2)
            j += 3
            end = j
            continue
        if low in PREP_CASES or (low == "в" and head_lemma in heads().place):
            case = PREP_CASES.get(low, "Loc")
            k, c = _group(tokens, j + 1, case, stops, known)
            if k > j + 1 and tokens[j + 1].lemma not in stops and (low != "в" or tokens[j + 1].text[:1].isupper()):
                j = end = k
                last_case, after_po = "Gen", low == "по"
                continue
            break
        if after_po and low in FOLLOW_PREP_CASES:
            k, c = _group(tokens, j + 1, FOLLOW_PREP_CASES[low], stops, known)
            if k > j + 1:
                j = end = k
                continue
            break
        if low in {"и", ","} and j > i:
            k = j + 1
            # a list "A, B и C" joins only when it ends with "и" (else it is a list of names);
            # a proper name ("... Грузии") ends the complement; a conjunct holding a head noun,
            # an acronym or a known name is another institution
            if k < len(tokens) and tokens[k].lemma not in head_lemmas and not _proper(tokens[j - 1], head_lemmas):
                case = _case(tokens[j - 1]) or last_case
                k2, _ = _group(tokens, k, case, stops, known)
                if k2 > k and not any(x.lemma in head_lemmas or is_acronym(x.text) or known(k + n) is not None
                                      for n, x in enumerate(tokens[k:k2])):
                    if low == "и" or any(tokens[x].text == "и" for x in range(k2, min(len(tokens), k2 + 8))):
                        j = end = k2
                        continue
            break
        # "Совета Федерации ... Валентины Матвиенко": the chair's name follows the body
        k, c = _group(tokens, j, None, stops, known, persons=head_lemma in heads().named_after)
        if k > j:
            j = end = k
            last_case = c
            continue
        break
    return end, acronym


def _personal(t) -> bool:
    """A person's name or initial ("Матвиенко", "С." of "С. Лавров"), never a body's complement
    unless the body is named after a person (flag "n": "Фонд Кофи Аннана")."""
    if len(t.text) == 1 and t.text.isupper():
        return True
    return t.pos == "PROPN" and t.feats.get("Animacy") == "Anim" and t.lemma not in _posts()


@lru_cache(maxsize=1)
def _posts() -> frozenset[str]:
    """Titles the tagger may take for names when capitalised ("при Президенте Казахстана")."""
    return load_words("titles", "ru")


def _proper(t, head_lemmas: dict[str, str]) -> bool:
    return (t.pos == "PROPN" or is_acronym(t.text)) and t.lemma not in head_lemmas and t.text[:1].isupper()


def _is_head(t, h: Heads) -> bool:
    """A head noun; natasha sometimes tags a capitalised one as an adjective ("при Кабинете министров")."""
    if t.lemma not in h.kinds or not (t.pos in NOUN_POS or (t.pos == "ADJ" and t.text[:1].isupper())):
        return False
    return t.feats.get("Number") != "Plur" or t.lemma in h.plural


def _unknown(_: int) -> int | None:
    return None


def find_phrases(tokens: Sequence, known: Callable[[int], int | None] = _unknown) -> list[Phrase]:
    """Institution name phrases among `tokens` (one sentence; indices into `tokens`).

    `known(i)` returns the end of a known name (gazetteer alias) starting at token i, or None."""
    h = heads()
    stops = load_words("institution_stops", "ru")
    quote_heads = load_words("institution_quote_heads", "ru")
    out: list[Phrase] = []
    for k, t in enumerate(tokens):
        if _is_head(t, h):
            start = k
            while start > 0 and tokens[start - 1].pos in ADJ_POS | {"VERB"} \
                    and _case(tokens[start - 1]) == _case(t) and _is_word(tokens[start - 1]) \
                    and (tokens[start - 1].pos != "VERB" or tokens[start - 1].feats.get("VerbForm") == "Part"):
                start -= 1
            if not tokens[start].text[:1].isupper():
                continue
            end, acronym = _complements(tokens, k + 1, t.lemma, stops, h.kinds, known)
            kn = known(start)
            if kn is not None and start < kn <= end and kn > k:
                end = kn                    # "Всемирного банка по Европе": the gazetteer's name
                if acronym is not None and acronym[0] >= end:
                    acronym = None
            named = None
            if end < len(tokens) and tokens[end].text in QUOTES_OPEN and (kn is None or kn <= start):
                close = _closing_quote(tokens, end)
                if close is not None and close > end + 1 and tokens[end + 1].text[:1].isupper():
                    named = (end + 1, close)     # "университет «МИФИ»", "Секретариат механизма «...»"
                    end = close + 1
            if end - start < 2:
                continue
            if named is not None and start == k and named[0] == k + 2 and t.lemma in quote_heads:
                continue                    # "Компания «X»": the QUOTED rule names it
            # sentence-initial capital says nothing: then ask for a complement or a second capital
            if start == 0 and end == k + 1 and not any(x.text[:1].isupper() for x in tokens[start + 1:end]):
                continue
            out.append(Phrase(start, k, end, acronym, named=named))
        elif t.text in QUOTES_OPEN and k > 0 and (tokens[k - 1].lemma in quote_heads or tokens[k - 1].text in quote_heads):
            close = _closing_quote(tokens, k)
            if close is not None and close > k + 1 and tokens[k + 1].text[:1].isupper():
                inner = (k + 1, close)
                # АО «НК «Роснефть»»: the innermost name
                if tokens[k + 1].text in quote_heads and k + 2 < close and tokens[k + 2].text in QUOTES_OPEN:
                    inner = (k + 3, close - 1)
                out.append(Phrase(k - 1, k - 1, close + 1, quoted=inner, rule="quoted"))
    return out


def _closing_quote(tokens: Sequence, k: int) -> int | None:
    depth = 0
    for j in range(k + 1, min(len(tokens), k + 12)):
        x = tokens[j].text
        if x == "«":
            depth += 1
        elif x in QUOTES_CLOSE:
            if depth == 0 or x == '"':
                return j
            depth -= 1
            if j + 1 < len(tokens) and tokens[j + 1].text in QUOTES_CLOSE:
                return j + 1 if depth == 0 else j
    return None
