"""Adversarial texts for extraction and feeds: built here, deterministic, no files."""
from __future__ import annotations

import random

_RU = ("министр переговоры организация встреча президент Казахстан провел Астане саммит комиссия "
       "предложил создать совместный центр делегация Бишкек Душанбе ООН ШОС").split()


def _words(n: int, seed: int, capital: bool = False) -> list[str]:
    rng = random.Random(seed)
    words = [rng.choice(_RU) for _ in range(n)]
    return [w[:1].upper() + w[1:] for w in words] if capital else words


TEXTS: dict[str, str] = {
    "no sentences": " ".join(_words(4000, 1)),
    "one 50k-character sentence": ", ".join(_words(8000, 2))[:50_000] + ".",
    "thousands of capitalised words": " ".join(_words(5000, 3, capital=True)),
    "emoji": "Президент 😀🎉🇷🇺 провел встречу 👍🏽 " * 1500,
    "rtl": "Президент провел переговоры مرحبا بالعالم هذا نص عربي שלום עולם " * 600,
    "control characters": "Министр\x00провел\x01переговоры\x1b[31m в\u200b\u202eАстане\ufeff.\x7f " * 800,
    "lone surrogates escaped": "Саммит ШОС \\ud800 пройдет в Бишкеке. " * 1000,
    "combining marks": "П" + "\u0301" * 20000 + "резидент провел встречу.",
    "one huge word": "Переговоры" * 5000,
    "dots only": ". " * 20000,
}
