"""pymorphy2, natasha's lemmatiser, reads its dictionary through the C DAWG of `dawg2` (a
dependency); its pure-Python reader gives the same records, several times slower."""
from __future__ import annotations

from pathlib import Path

import dawg
import dawg_python
import pymorphy2.dawg
import pymorphy2_dicts_ru

from extraction.ru.nlp import vocabulary


def test_pymorphy2_reads_its_dictionary_with_the_c_extension() -> None:
    assert pymorphy2.dawg.EXTENSION_AVAILABLE
    assert type(vocabulary().dictionary.words).__mro__[1] is dawg.RecordDAWG


def test_the_c_reader_and_the_pure_python_reader_agree() -> None:
    path = str(Path(pymorphy2_dicts_ru.get_path()) / "words.dawg")
    fast, pure = dawg.RecordDAWG(">HH").load(path), dawg_python.RecordDAWG(">HH").load(path)
    for word in ["переговоры", "переговорами", "саммита", "шос", "ташкенте", "межправительственной", "ёлка", "елка",
                 "нетакогослова"]:
        assert fast.get(word) == pure.get(word), word
    for word in ["елка", "еще", "ребенок"]:    # pymorphy2 looks words up with ё restored
        assert fast.similar_items(word, fast.compile_replaces({"е": "ё"})) == \
            pure.similar_items(word, pure.compile_replaces({"е": "ё"})) != [], word
