"""Proposed mechanisms, language-neutral: the mention record, merging mentions of one
mechanism, and assembling one `MechanismHit` per mechanism.

A language's grammar (`extraction/<lang>/mechanisms.py`) finds the mentions — a head noun
from its `mechanism_heads.tsv`, the description read off its parse tree, the status its
words give it, a proposer — and fills one `Mention` for each. Everything after that is
here: which mentions name the same mechanism (`cluster_mentions`), which mention describes
it, what status and proposer the row gets, its rule id and confidence (`assemble`).

Where the two languages still decide a shared step differently, the difference is a named
field of `MechanismRules`, which each language sets explicitly (no defaults), with the
reason. Unifying them is a behaviour change to be measured on the dev set, not a refactor.
Nothing here imports a language module or an NLP library: tokens travel as opaque handles.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache

from extraction.hits import MechanismHit, Sentence
from extraction.lexicons import load_table
from schemas import MechanismStatus

# ------------------------------------------------------------------ thresholds

# Two descriptions name one mechanism when at least half of all their content words are
# shared (Jaccard): "a platform for dialogue on water" / "the water dialogue platform".
SAME_WORDS_SHARE = 0.5
# ... or, with `MechanismRules.near_subset`, when three or more words are shared and they
# make two thirds of the shorter description: "an agreement on the border junction point" /
# "an agreement between A, B and C on the border junction point" (the longer one adds
# parties, which would sink the Jaccard share).
NEAR_SUBSET_MIN_SHARED = 3
NEAR_SUBSET_SHARE = 2 / 3
# The confidence a hit carries until `extraction.confidence` has measured its rule on the dev
# set (the adapter replaces it by the measured precision): a status the text's own words state
# is trusted more than one that only follows from the head's class ("an agreement" is agreed).
DECIDED_CONFIDENCE = 0.7
UNDECIDED_CONFIDENCE = 0.5

# the head class (column `class` of every `mechanism_heads.tsv`) of agreements, plans and programmes
DOCUMENT = "document"


# ------------------------------------------------------------------ the lexicons every language has

@cache
def head_lexicon(language: str) -> dict[str, tuple[str, str]]:
    """Head lemma -> (needs, class) from `<language>/mechanism_heads.tsv`: `needs` lists the
    modifiers ("|"-separated) without which the head is no mechanism ("working group"), `class`
    says when it is one (strong | weak | document | organ | body | never)."""
    return {r["head"]: (r["needs"], r["class"]) for r in load_table("mechanism_heads", language)}


@cache
def status_lexicon(language: str) -> dict[str, str]:
    """Lemma -> the status word class it carries, from `<language>/mechanism_status_words.tsv`
    (proposed | agreed | established | existing, or a word the grammar reads by its form: create ...)."""
    return {r["lemma"]: r["status"] for r in load_table("mechanism_status_words", language)}


def default_status(head_class: str) -> MechanismStatus:
    """The status a head has when no word around it decides one: a document (agreement, plan,
    programme) is agreed; any other mechanism named as a going concern exists."""
    return MechanismStatus.AGREED if head_class == DOCUMENT else MechanismStatus.EXISTING


# ------------------------------------------------------------------ the mention record

@dataclass(eq=False)
class Mention:
    """One mention of a mechanism, as a language's grammar found it.

    Mutable on purpose: a grammar may still settle a mention's status after finding it (the
    Russian coordination rule lends a mention's status to the mention coordinated with it).
    """
    start: int                          # offsets of the description in the body
    end: int
    text: str                           # the description as it stands in the body
    head: str                           # the head noun's normalised lemma ("group", "группа")
    head_class: str                     # its class in mechanism_heads.tsv: strong | weak | document | organ | body
    words: frozenset[str]               # content-word lemmas of the description besides the head
    sentence: Sentence                  # the sentence the mention stands in
    sentence_index: int                 # ... and its number in the article
    status: MechanismStatus | None = None   # what the words around it say; None: nothing decides it
    decider: object | None = None       # the word that decided the status (opaque token handle)
    token: object | None = None         # the head token (opaque handle of the language's parser)
    refers_back: bool = False           # points back to a mechanism named before ("the fund", "данный механизм")
    in_meeting: bool = False            # named only inside a meeting's name: merges, never describes
    latent: bool = False                # counts only if another mention of the mechanism decides it
    named: bool = False                 # written as a proper name (capitalised head)
    name: str = ""                      # normalised name text, compared for named mentions
    proposer: str | None = None         # who proposed it, where the grammar reads that per mention

    @property
    def decided(self) -> bool:
        """A word of the text states the status (rather than the head's class implying it)."""
        return self.status is not None

    @property
    def bare(self) -> bool:
        """The description is the head alone: nothing to tell two mechanisms apart."""
        return not self.words


def inside(inner: Mention, outer: Mention) -> bool:
    """`inner` is another mention whose description lies within `outer`'s (each grammar decides
    what a mention inside another one is: part of its name, or a mechanism of its own)."""
    return inner is not outer and outer.start <= inner.start and inner.end <= outer.end


# ------------------------------------------------------------------ what each language decides

class Representative(Enum):
    """Which mention of a cluster gives the row its description and offsets."""
    FULLEST = "fullest"                 # the longest description, a status-deciding mention first
    FIRST_OWN_WORDS = "first-own-words"  # the first mention that does not refer back, else the first


class ProposerRule(Enum):
    """Whose proposer the row takes."""
    FIRST_IN_CLUSTER = "first-in-cluster"   # the first mention with a proposer
    DECIDING_MENTION = "deciding-mention"   # proposed: who proposed at the deciding mention;
    # otherwise the first proposer the text states outright at a mention with a status


@dataclass(frozen=True)
class MechanismRules:
    """The choices a language makes in the shared steps. Every field is set by each language
    with the reason it differs; see `extraction/en/mechanisms.py`, `extraction/ru/mechanisms.py`."""
    rule_id: Callable[[bool, MechanismStatus], str]   # (status decided by words?, final status) -> rule id
    same_head: Callable[[str, str], bool]   # may two mentions with these head lemmas be one mechanism?
    latest_cluster_first: bool      # a mention joins the most recent matching mechanism (else the earliest)
    subset_min_shared: int          # one description's words inside the other's: how many must be shared
    near_subset: bool               # also merge on NEAR_SUBSET_MIN_SHARED / NEAR_SUBSET_SHARE
    same_name_merges: bool          # a named mention merges with any mention of the same normalised name
    bare_refers_back: bool          # a bare mention (the head alone) always points back; else only the
    #                                 mentions the grammar marks `refers_back` do
    restatement_sentences: int | None   # an undecided restatement within this many sentences after a
    #                                     decided mention that shares a word is that mechanism (None: off)
    representative: Representative
    documents_never_established: bool   # a document "established" by its words is reported as agreed
    proposer_rule: ProposerRule


# ------------------------------------------------------------------ merging

def same_mechanism(a: Mention, b: Mention, rules: MechanismRules) -> bool:
    """Whether two mentions with compatible heads describe one mechanism, by their words."""
    if rules.same_name_merges and a.named and a.name == b.name:
        return True                     # "Protocol No. 44" twice
    if not a.words or not b.words:
        return False
    shared = len(a.words & b.words)
    if (a.words <= b.words or b.words <= a.words) and shared >= rules.subset_min_shared:
        return True
    if rules.near_subset and shared >= NEAR_SUBSET_MIN_SHARED and \
            shared / min(len(a.words), len(b.words)) >= NEAR_SUBSET_SHARE:
        return True
    return shared / len(a.words | b.words) >= SAME_WORDS_SHARE


def restates(m: Mention, cluster: list[Mention], rules: MechanismRules) -> bool:
    """An undecided mention shortly after a decided one, sharing a word with the cluster's last
    mention, restates it ("proposed to launch a single digital platform ... «The platform will ...»")."""
    window = rules.restatement_sentences
    last = cluster[-1]
    return window is not None and not m.decided and bool(m.words & last.words) and \
        any(o.decided for o in cluster) and 0 <= m.sentence_index - last.sentence_index <= window


def points_back(m: Mention, rules: MechanismRules) -> bool:
    """The mention names a mechanism named before rather than describing one."""
    return m.refers_back or rules.bare_refers_back and m.bare


def cluster_mentions(mentions: Iterable[Mention], rules: MechanismRules) -> list[list[Mention]]:
    """Mentions grouped by mechanism, in order of first mention.

    A mention that points back (`points_back`) joins the latest mechanism with its head; with no such
    mechanism and no words of its own it is dropped (nothing says which mechanism it is).
    Any other mention joins a mechanism with a compatible head that one of its mentions
    describes alike (`same_mechanism`) or that it restates (`restates`), else starts one.
    A mechanism of latent mentions only is dropped.
    """
    clusters: list[list[Mention]] = []
    for m in mentions:
        same_head = [c for c in clusters if rules.same_head(c[0].head, m.head)]
        if points_back(m, rules) and same_head:
            same_head[-1].append(m)
            continue
        if points_back(m, rules) and m.bare:
            continue
        order = reversed(same_head) if rules.latest_cluster_first else same_head
        target = next((c for c in order if restates(m, c, rules) or any(same_mechanism(o, m, rules) for o in c)),
                      None)
        if target is not None:
            target.append(m)
        else:
            clusters.append([m])
    return [c for c in clusters if any(not m.latent for m in c)]


# ------------------------------------------------------------------ assembly

def stored_proposer(m: Mention) -> str | None:
    """The proposer the grammar stored on the mention."""
    return m.proposer


def representative(pool: list[Mention], rules: MechanismRules) -> Mention:
    """The mention whose description the row reports."""
    if rules.representative is Representative.FULLEST:
        return max(pool, key=lambda m: (m.decided, m.end - m.start))
    return next((m for m in pool if not points_back(m, rules)), pool[0])


def assemble(cluster: list[Mention], rules: MechanismRules,
             proposer: Callable[[Mention], str | None] = stored_proposer,
             stated_proposer: Callable[[Mention], str | None] = stored_proposer) -> MechanismHit | None:
    """One hit from the mentions of one mechanism; None when it is named only inside meetings' names.

    Status: the first mention whose words decide it, else the class default of the reported
    mention. `proposer` and `stated_proposer` are asked lazily, in cluster order, and only as
    far as needed (a language's people lookup may remember what it was asked).
    """
    pool = [m for m in cluster if not m.in_meeting]
    if not pool:
        return None
    rep = representative(pool, rules)
    decider = next((m for m in cluster if m.decided), None)
    status = decider.status if decider is not None else default_status(rep.head_class)
    if rules.documents_never_established and rep.head_class == DOCUMENT and status == MechanismStatus.ESTABLISHED:
        status = MechanismStatus.AGREED     # a document is signed, not set up
    decided = any(m.decided for m in pool)
    if rules.proposer_rule is ProposerRule.FIRST_IN_CLUSTER:
        who = next((n for n in map(proposer, cluster) if n), None)
    elif decider is not None and status == MechanismStatus.PROPOSED:
        who = proposer(decider)
    else:   # "set up at the initiative of X": X proposed what is now agreed or established
        who = next((n for n in (stated_proposer(m) for m in cluster if m.decided) if n), None)
    return MechanismHit(start=rep.start, end=rep.end, sentence=rep.sentence, description=rep.text,
                        status=MechanismStatus(status), proposer=who, rule_id=rules.rule_id(decided, status),
                        confidence=DECIDED_CONFIDENCE if decided else UNDECIDED_CONFIDENCE)


def build_hits(mentions: Iterable[Mention], rules: MechanismRules,
               proposer: Callable[[Mention], str | None] = stored_proposer,
               stated_proposer: Callable[[Mention], str | None] = stored_proposer) -> list[MechanismHit]:
    """One `MechanismHit` per mechanism the mentions name, in order of first mention."""
    hits = (assemble(c, rules, proposer, stated_proposer) for c in cluster_mentions(mentions, rules))
    return [h for h in hits if h is not None]
