"""Meeting vocabulary: the trigger nouns and verbs, status words and series heads (data in
`lexicons/ru/`), the word classes the meeting rules test, and `trigger_of`, which tells a
meeting trigger (the `Mention` record is language-neutral: `extraction.engine.meetings`).
"""
from __future__ import annotations

from functools import lru_cache

from extraction.lexicons import load_table, load_words
from extraction.ru.clauses import Tree, feat, lemma

# ------------------------------------------------------------------ sub-rules (constants)

# words that make a trigger refer back to a meeting already named
ANAPHORIC_DETERMINERS = frozenset({"данный", "этот", "указанный", "упомянутый", "нынешний", "тот", "такой",
                                   "вышеупомянутый", "сам", "текущий"})
# words that make a trigger a different occurrence from the ones before
DISTINCT_MARKERS = frozenset({"предыдущий", "прошлый", "следующий", "очередной", "первый", "второй", "третий",
                              "новый", "последний", "предстоящий", "будущий"})
# distinct markers that point at an announced meeting already named ("к предстоящему саммиту")
FORWARD_MARKERS = frozenset({"предстоящий", "будущий"})
# counts of parties in a meeting's phrase ("глав двух государств", "трехсторонняя встреча")
COUNT_WORDS = {"два": 2, "оба": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
               "двусторонний": 2, "трехсторонний": 3, "четырехсторонний": 4, "пятисторонний": 5}
# nouns a count of countries goes with
PARTY_NOUNS = frozenset({"страна", "государство", "сторона", "республика"})
# plural roles that say persons take part ("телефонный разговор лидеров")
ROLE_NOUNS = frozenset({"лидер", "глава", "президент", "премьер", "премьер-министр", "министр", "руководитель",
                        "председатель", "канцлер"})
# a "встреча" of heads of state is a summit
SUMMIT_COMPLEMENTS = frozenset({"глава", "лидер", "президент"})
# compound prefixes that keep a trigger ("онлайн-заседание"); other compounds do not ("пресс-конференция")
TRIGGER_PREFIXES = frozenset({"онлайн", "видео", "интернет", "веб", "бизнес", "инвест", "медиа"})
# dependents that carry a meeting's place, date and participants
ARGUMENT_RELS = frozenset({"nsubj", "nsubj:pass", "obj", "iobj", "obl", "advmod", "obl:agent", "nmod", "nummod",
                           "obl:tmod"})
# nouns between a meeting and the verb that dates and places it ("подписали по итогам встречи")
CONNECTOR_NOUNS = frozenset({"итог", "ход", "рамка", "результат", "завершение", "время", "работа", "участие"})
# nouns that make the meeting noun below them one occurrence ("следующий раунд переговоров")
ROUND_HEADS = frozenset({"раунд", "тур"})
# a "встреча глав двух государств" is bilateral: a meeting, not a summit
BILATERAL_WORDS = frozenset({"два", "оба", "двусторонний"})
# words that make plural meetings a regular series ("ежегодно", "регулярно")
FREQUENCY_WORDS = frozenset({"ежегодно", "ежеквартально", "ежемесячно", "регулярно", "ежегодный", "регулярный",
                             "ежеквартальный", "ежемесячный", "периодически", "систематически"})
# verbs whose subjects take part in the meeting they govern ("участвуют в заседании")
PARTICIPATION_VERBS = frozenset({"участвовать", "присутствовать"})
FIRST_PERSON = frozenset({"мы", "я"})
NAME_RELS = frozenset({"nmod", "appos", "flat", "flat:name", "nummod", "compound"})
NAME_SKIP = frozenset({"acl", "acl:relcl", "parataxis", "advcl", "ccomp", "punct:skip"})
PLACE_PREPS = ("в", "во", "на")
PARTNER_PREP = ("с", "со")
MAX_NAME_TOKENS = 24
# participants whose names have equal keys are one (a later, measured switch: extraction.names.name_key)
PARTICIPANT_KEY = str.casefold
# a meeting only talked of as possible is not a meeting ("возможная встреча", "могут провести встречу",
# "может состояться встреча", "не исключил встречи", "допустил встречу")
POSSIBLE_MODIFIERS = frozenset({"возможный", "потенциальный", "гипотетический", "вероятный"})
MODAL_VERBS = frozenset({"мочь", "смочь"})
DOUBT_VERBS = frozenset({"исключить", "исключать", "допустить", "допускать"})
# a "встреча" of teams is a match ("сборная проведет встречу", "встречи с этим соперником")
# (and the spectators of a match "посетили" it)
SPORT_WORDS = frozenset({"сборная", "соперник", "матч", "турнир", "чемпионат", "тренер", "футбол", "хоккей",
                         "футболист", "хоккеист", "нападающий", "вратарь", "гол", "ничья", "плей-офф", "лига",
                         "зритель", "болельщик", "стадион"})
SPORT_TRIGGERS = frozenset({"встреча", "встретиться", "посетить"})


@lru_cache(maxsize=1)
def _triggers() -> dict[str, tuple[str, str]]:
    return {r["lemma"]: (r["kind"], r["role"]) for r in load_table("meeting_triggers", "ru")}


@lru_cache(maxsize=1)
def status_words() -> dict[str, str]:
    """Lemma -> the status it gives a meeting (past | ongoing | planned | tense | arrive)."""
    return {r["lemma"]: r["status"] for r in load_table("meeting_status_words", "ru")}


@lru_cache(maxsize=1)
def blocking_heads() -> frozenset[str]:
    """Nouns under which a meeting noun is no single occurrence (a series, a hall, a mode, a possibility)."""
    return load_words("meeting_blocking_heads", "ru")



def _sport(tree: Tree, tok) -> bool:
    return any(lemma(t) in SPORT_WORDS for t in tree.sentence(tok).tokens)


def _only_possible(tree: Tree, tok) -> bool:
    """The trigger is only a possibility: a "возможная" meeting, the subject or object of a verb under
    "мочь" ("могут провести встречу", "может состояться встреча", "могли бы встретиться"), or
    the object of "не исключил" / "допустил"."""
    if any(lemma(c) in POSSIBLE_MODIFIERS for c in tree.kids(tok, "amod")):
        return True
    cur = tok
    if tok.pos != "VERB":
        if tok.rel not in ("nsubj", "nsubj:pass", "obj"):
            return False
        cur = tree.head(tok)
    for _ in range(2):
        if cur is None or cur.pos not in ("VERB", "AUX", "ADJ"):
            return False
        lem = lemma(cur)
        if lem in MODAL_VERBS:
            return True
        if any(lemma(c) in MODAL_VERBS for c in tree.kids(cur, "aux")):
            return True
        if lem in DOUBT_VERBS and (lem.startswith("допус") or
                                   any(c.text.lower() == "не" for c in tree.kids(cur, "advmod", "aux"))):
            return True
        if cur.rel not in ("xcomp", "csubj") and feat(cur, "VerbForm") != "Inf":
            return False
        cur = tree.head(cur)
    return False


def trigger_of(tree: Tree, tok) -> tuple[str, str] | None:
    """(kind, role) when `tok` is a meeting trigger, else None."""
    lem = lemma(tok)
    hit = _triggers().get(lem)
    if hit is None and "-" in lem:
        prefix, _, rest = lem.partition("-")
        if prefix in TRIGGER_PREFIXES:
            hit = _triggers().get(rest)
    if hit is None:
        return None
    kind, role = hit
    if lem in SPORT_TRIGGERS and _sport(tree, tok):
        return None
    if _only_possible(tree, tok):
        return None
    if role == "verb":
        return (kind, role) if tok.pos == "VERB" else None
    if tok.pos not in ("NOUN", "PROPN"):
        return None
    if lem == "консультация" and feat(tok, "Number") != "Plur":
        return None
    if role == "phone":
        phone = any(lemma(c) in ("телефонный", "телефон") for c in tree.kids(tok))
        return (kind, "noun") if phone else (kind, "anaphor")
    if role == "signing":               # «церемония подписания»; an opening or award ceremony is not a meeting
        return (kind, "noun") if any(lemma(c) == "подписание" for c in tree.kids(tok, "nmod")) else None
    if lem == "мероприятие":
        return (None, "anaphor")
    return kind, role

