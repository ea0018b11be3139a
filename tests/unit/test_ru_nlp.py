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
