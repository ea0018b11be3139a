"""Text in, records out: language detection, Russian (and later English) NLP, rules, lexicons.

No prefect, no duckdb, no feeds: `extract(article)` is a pure function of the article.
"""
from extraction.language import detect_language
from extraction.pipeline import adhoc_article, extract, extract_batch
from extraction.version import extractor_version

__all__ = ["adhoc_article", "detect_language", "extract", "extract_batch", "extractor_version"]
