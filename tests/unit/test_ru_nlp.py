"""extraction/ru/nlp.py: spans' normal forms, made with cached inflections, equal natasha's own."""
from __future__ import annotations

from extraction.ru.nlp import analyze, models

SENTENCES = [
    "Министр иностранных дел Казахстана встретился с Айгерим Сапаровой и Данияром Сериковым в Ташкенте.",
    "Представители Шанхайской организации сотрудничества и Евразийского экономического союза обсудили "
    "работу Совета министров иностранных дел.",
    "В Кыргызской Республике и Республике Таджикистан прошли консультации Министерства обороны.",
    "Делегация Азиатского банка развития прибыла в Астану, а затем в Бишкек.",
]


def test_normal_forms_equal_natashas() -> None:
    seen = set()
    for text in SENTENCES * 2:            # the second time from the inflection cache
        doc = analyze(text)
        for span in doc.spans:
            ours = span.normal
            span.normalize(models().morph_vocab)
            assert ours == span.normal, (span.text, ours, span.normal)
            seen.add((span.type, span.normal))
    assert {t for t, _ in seen} == {"PER", "ORG", "LOC"}
    assert ("LOC", "Ташкент") in seen and ("LOC", "Кыргызская Республика") in seen


def test_the_packaged_dictionary_parses_and_lemmatises_as_natashas_own() -> None:
    from natasha import MorphVocab

    from extraction.ru.nlp import vocabulary
    theirs, ours = MorphVocab(), vocabulary()
    words = [w.strip(".,") for s in SENTENCES for w in s.split()] + ["хаба", "стали", "мыла", "саммиту", "zzzкв"]
    for word in words:
        assert [(p.word, str(p.tag), p.normal_form, p.score) for p in ours.parse(word)] == \
               [(p.word, str(p.tag), p.normal_form, p.score) for p in theirs.parse(word)]
        assert ours.word_is_known(word.lower()) == theirs.word_is_known(word.lower())
        for pos in ("NOUN", "PROPN", "VERB", "ADJ"):
            assert ours.lemmatize(word, pos, {}) == theirs.lemmatize(word, pos, {})


def test_a_vocabulary_text_read_twice_while_loading_is_built_once() -> None:
    import gzip

    from slovnet.exec import pack

    from extraction.ru.nlp import _each_vocabulary_built_once
    text = "<pad>\n<unk>\nмосква\nсаммит".encode()
    first, second = gzip.compress(text, mtime=1), gzip.compress(text, mtime=2)   # bytes differ, text does not
    original = pack.bytes_vocab
    with _each_vocabulary_built_once():
        a, b = pack.bytes_vocab(first), pack.bytes_vocab(second)
        other = pack.bytes_vocab(gzip.compress(b"<pad>\n<unk>\nx"))
    assert a is b and a.items == ["<pad>", "<unk>", "москва", "саммит"] and a.encode("саммит") == 3
    assert other is not a and other.items == ["<pad>", "<unk>", "x"]
    assert pack.bytes_vocab is original


def test_loading_the_models_leaves_setuptools_alone() -> None:
    """pymorphy2 finds its dictionary through `pkg_resources` unless given its path: 0.3 s of imports."""
    import subprocess
    import sys
    code = ("import sys; from extraction.ru.nlp import analyze; analyze('Саммит прошёл в Астане.'); "
            "assert 'pkg_resources' not in sys.modules, 'pkg_resources imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
