"""The dependency-tree helpers survive what the parser can emit, head cycles included."""
from __future__ import annotations

from types import SimpleNamespace as NS

from extraction.ru.clauses import Tree


def tok(i: int, head: int, rel: str = "nmod") -> NS:
    return NS(id=f"1_{i}", head_id=f"1_{head}", rel=rel, start=i * 2, stop=i * 2 + 1, text="x")


def test_subtree_terminates_on_a_head_cycle():
    # 1 → 2 → 3 → 2: a cycle the parser really produces on long sentences
    tokens = [tok(1, 2), tok(2, 3), tok(3, 2), tok(4, 0, "root")]
    doc = NS(tokens=tokens, sents=[NS(tokens=tokens)], text="x " * 4)
    tree = Tree(doc)
    assert [t.id for t in tree.subtree(tokens[1])] == ["1_1", "1_2", "1_3"]
    assert len(list(tree.ancestors(tokens[0]))) <= 8
