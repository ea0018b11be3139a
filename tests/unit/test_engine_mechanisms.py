"""The language-neutral mechanism engine on hand-built mentions: merging, assembly, the named choices."""
from __future__ import annotations

import operator
from dataclasses import replace

import pytest

from extraction.engine.mechanisms import (
    DECIDED_CONFIDENCE,
    UNDECIDED_CONFIDENCE,
    MechanismRules,
    Mention,
    ProposerRule,
    Representative,
    assemble,
    build_hits,
    cluster_mentions,
    default_status,
    same_mechanism,
)
from extraction.hits import Sentence
from schemas import MechanismStatus as S

RULES = MechanismRules(
    rule_id=lambda decided, status: f"t.{status}" if decided else "t.head",
    same_head=operator.eq,
    latest_cluster_first=False,
    subset_min_shared=1,
    near_subset=False,
    same_name_merges=False,
    bare_refers_back=False,
    restatement_sentences=None,
    representative=Representative.FIRST_OWN_WORDS,
    documents_never_established=False,
    proposer_rule=ProposerRule.FIRST_IN_CLUSTER,
)


def mention(words: str = "", head: str = "platform", *, at: int = 0, length: int = 10, sent: int = 0,
            cls: str = "strong", **kw) -> Mention:
    """A mention at offset `at` whose description has the space-separated `words` besides its head."""
    return Mention(start=at, end=at + length, text=f"{words} {head}".strip(), head=head, head_class=cls,
                   words=frozenset(words.split()), sentence=Sentence(at, at + 100), sentence_index=sent, **kw)


@pytest.mark.parametrize(("head_class", "status"), [
    ("document", S.AGREED), ("strong", S.EXISTING), ("weak", S.EXISTING), ("organ", S.EXISTING),
])
def test_default_status(head_class, status):
    assert default_status(head_class) is status


@pytest.mark.parametrize(("a", "b", "changes", "same"), [
    ("water dialogue", "water dialogue", {}, True),
    ("water", "water dialogue energy", {}, True),                         # a subset, one shared word
    ("water", "water dialogue energy", {"subset_min_shared": 2}, False),  # ... needs two
    ("water dialogue", "water dialogue energy", {"subset_min_shared": 2}, True),
    ("water dialogue", "water energy", {}, False),                        # 1 of 3: below SAME_WORDS_SHARE
    ("water dialogue", "water dialogue energy", {}, True),
    ("a b c d", "a b c f g h", {}, False),                                # 3 of 7
    ("a b c d", "a b c f g h", {"near_subset": True}, True),              # 3 shared, 3/4 of the shorter
    ("", "water", {}, False),                                             # a bare mention compares no words
])
def test_same_mechanism_by_words(a, b, changes, same):
    rules = replace(RULES, **changes)
    assert same_mechanism(mention(a), mention(b), rules) is same
    assert same_mechanism(mention(b), mention(a), rules) is same


def test_same_name_merges_only_when_asked_and_named():
    a = mention("", "protocol", named=True, name="protocol no. 44")
    b = mention("", "protocol", name="protocol no. 44")
    assert not same_mechanism(a, b, RULES)
    assert same_mechanism(a, b, replace(RULES, same_name_merges=True))
    assert not same_mechanism(b, a, replace(RULES, same_name_merges=True))    # the earlier one must be named


def test_mentions_with_other_heads_never_merge():
    assert len(cluster_mentions([mention("water", "platform"), mention("water", "fund")], RULES)) == 2


def test_same_head_hook():
    ms = [mention("water", "группа"), mention("water", "подгруппа")]
    assert len(cluster_mentions(ms, RULES)) == 2
    suffix = replace(RULES, same_head=lambda a, b: a.endswith(b) or b.endswith(a))
    assert len(cluster_mentions(ms, suffix)) == 1


def test_reference_joins_the_latest_mechanism_with_its_head():
    first, second = mention("water"), mention("energy")
    ref = mention("", refers_back=True)
    assert cluster_mentions([first, second, ref], RULES) == [[first], [second, ref]]


def test_bare_reference_with_nothing_before_is_dropped():
    assert cluster_mentions([mention("", refers_back=True)], RULES) == []


def test_bare_mention_refers_back_only_when_the_language_says_so():
    first, bare = mention("water"), mention("")
    assert cluster_mentions([first, bare], RULES) == [[first], [bare]]
    assert cluster_mentions([bare], RULES) == [[bare]]
    rules = replace(RULES, bare_refers_back=True)
    assert cluster_mentions([first, bare], rules) == [[first, bare]]
    assert cluster_mentions([bare], rules) == []
    assert assemble([bare, first], rules).description == "water platform"


def test_reference_with_words_and_nothing_before_starts_a_mechanism():
    ref = mention("new", refers_back=True)
    assert cluster_mentions([ref], RULES) == [[ref]]


def test_earliest_or_latest_matching_mechanism():
    a, b = mention("water energy"), mention("water transport")
    m = mention("water")             # a subset of both
    assert cluster_mentions([a, b, m], RULES) == [[a, m], [b]]
    assert cluster_mentions([a, b, m], replace(RULES, latest_cluster_first=True)) == [[a], [b, m]]


def test_restatement_within_the_window():
    decided = mention("single digital", status=S.PROPOSED, sent=3)
    again = mention("single unified", sent=5)   # 1 of 3 words: not alike by words alone
    assert len(cluster_mentions([decided, again], RULES)) == 2
    rules = replace(RULES, restatement_sentences=2)
    assert cluster_mentions([decided, again], rules) == [[decided, again]]
    late = mention("single unified", sent=6)
    assert len(cluster_mentions([decided, late], rules)) == 2
    undecided = mention("single digital", sent=3)
    assert len(cluster_mentions([undecided, mention("single unified", sent=4)], rules)) == 2


def test_latent_only_mechanism_is_dropped():
    latent = mention("water", latent=True)
    assert cluster_mentions([latent], RULES) == []
    other = mention("water")
    assert cluster_mentions([latent, other], RULES) == [[latent, other]]


def test_status_rule_and_confidence():
    undecided = mention("water", at=0)
    agreed = mention("water", at=50, status=S.AGREED)
    hit = assemble([undecided, agreed], RULES)
    assert (hit.status, hit.rule_id, hit.confidence) == (S.AGREED, "t.agreed", DECIDED_CONFIDENCE)
    assert (hit.start, hit.description) == (0, "water platform")
    hit = assemble([mention("water", cls="document")], RULES)
    assert (hit.status, hit.rule_id, hit.confidence) == (S.AGREED, "t.head", UNDECIDED_CONFIDENCE)


def test_first_deciding_mention_gives_the_status():
    hit = assemble([mention("a", status=S.PROPOSED), mention("a", status=S.ESTABLISHED)], RULES)
    assert hit.status is S.PROPOSED


def test_documents_never_established():
    cluster = [mention("a", cls="document", status=S.ESTABLISHED)]
    assert assemble(cluster, RULES).status is S.ESTABLISHED
    assert assemble(cluster, replace(RULES, documents_never_established=True)).status is S.AGREED


def test_representative():
    ref = mention("", refers_back=True, at=0, length=5)
    short = mention("a", at=10, length=8)
    long_ = mention("a b", at=30, length=20)
    decided = mention("a", at=60, length=9, status=S.AGREED)
    assert assemble([ref, short, long_], RULES).start == 10
    assert assemble([ref], RULES).start == 0
    fullest = replace(RULES, representative=Representative.FULLEST)
    assert assemble([ref, short, long_], fullest).start == 30
    assert assemble([short, long_, decided], fullest).start == 60      # a deciding mention first


def test_in_meeting_mentions_never_describe():
    inside = mention("a", in_meeting=True, status=S.EXISTING)
    assert assemble([inside], RULES) is None
    hit = assemble([inside, mention("a", at=40)], RULES)
    assert (hit.start, hit.status, hit.rule_id) == (40, S.EXISTING, "t.head")    # status from inside, rule from outside


def test_proposer_first_in_cluster():
    hit = assemble([mention("a"), mention("a", proposer="X"), mention("a", proposer="Y")], RULES)
    assert hit.proposer == "X"


def test_proposer_of_the_deciding_mention_asked_lazily():
    rules = replace(RULES, proposer_rule=ProposerRule.DECIDING_MENTION)
    asked: list[str] = []

    def full(m: Mention) -> str | None:
        asked.append("full:" + m.text)
        return "speaker"

    def stated(m: Mention) -> str | None:
        asked.append("stated:" + m.text)
        return {"b platform": "B", "c platform": "C"}.get(m.text)

    proposed = [mention("a"), mention("b", status=S.PROPOSED)]
    assert assemble(proposed, rules, full, stated).proposer == "speaker"
    assert asked == ["full:b platform"]
    asked.clear()
    agreed = [mention("a", status=S.AGREED), mention("b", status=S.AGREED), mention("c", status=S.AGREED)]
    assert assemble(agreed, rules, full, stated).proposer == "B"
    assert asked == ["stated:a platform", "stated:b platform"]      # stops at the first answer


def test_build_hits_in_order_of_first_mention():
    hits = build_hits([mention("water", at=0), mention("energy", at=20), mention("water", at=40)], RULES)
    assert [h.start for h in hits] == [0, 20]


def test_engine_imports_no_language_and_no_parser():
    import ast
    from pathlib import Path

    import extraction.engine.mechanisms as engine

    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names} | \
        {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m for m in modules if m.split(".")[0] in ("spacy", "natasha", "yargy")
                or m.startswith(("extraction.ru", "extraction.en"))}
