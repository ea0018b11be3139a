"""A run's articles on disk between fetch and load: memory holds one batch, not the whole run.

    with ArticleSpool() as spool:
        refs = spool.put(outcome_articles)      # as each feed is fetched: the articles leave memory
        ...                                     # decide on refs (ids, feeds, hashes: no bodies)
        batch = spool.get(refs[:50])            # the bodies of one batch, when it is extracted

A run of thousands of feeds delivers hundreds of thousands of articles; held as objects until
every feed was fetched they took gigabytes. The spool is an anonymous temporary file (it has no
name: nothing is left behind when the process ends, however it ends) of JSON lines, one article
each; a `SpooledArticle` keeps what the load decides on (identity, owner, hash, language) and
where the article lies in the file, about 300 bytes.
"""
from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from schemas import Article


@dataclass(frozen=True, slots=True)
class SpooledArticle:
    """An article in a spool: what the load decides on, and where its body is."""
    article_id: str
    feed_url: str
    url: str | None
    guid: str | None
    language: str
    content_hash: str
    offset: int
    size: int


class SpoolError(RuntimeError):
    """The spool could not be written or read (disk full, a closed spool): names the article."""


class ArticleSpool:
    """Articles written once and read back by reference (see the module docstring)."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self._file = tempfile.TemporaryFile(prefix="eventwire-spool-", dir=directory)
        self._fd = self._file.fileno()
        self._end = 0
        self._lock = threading.Lock()
        self.articles = 0          # written so far
        self.bytes = 0

    def put(self, articles: Iterable[Article]) -> list[SpooledArticle]:
        """Write `articles`; their references, in order."""
        refs = []
        for article in articles:
            data = article.model_dump_json().encode()
            with self._lock:
                offset = self._end
                try:
                    self._open()
                    written = os.pwrite(self._fd, data, offset)
                    while written < len(data):
                        written += os.pwrite(self._fd, data[written:], offset + written)
                except (OSError, ValueError) as e:
                    raise SpoolError(f"article {article.article_id} ({article.url}) could not be spooled: {e}") from e
                self._end += len(data)
                self.articles += 1
                self.bytes += len(data)
            refs.append(SpooledArticle(article.article_id, article.feed_url, article.url, article.guid,
                                       article.language.value, article.content_hash, offset, len(data)))
        return refs

    def get(self, refs: Sequence[SpooledArticle]) -> list[Article]:
        """The articles of `refs`, in order."""
        out = []
        for ref in refs:
            try:
                self._open()
                data = os.pread(self._fd, ref.size, ref.offset)
            except (OSError, ValueError) as e:
                raise SpoolError(f"article {ref.article_id} ({ref.url}) could not be read back: {e}") from e
            if len(data) != ref.size:
                raise SpoolError(f"article {ref.article_id} ({ref.url}): the spool holds {len(data)} of its "
                                 f"{ref.size} bytes")
            out.append(Article.model_validate_json(data))
        return out

    def _open(self) -> None:
        if self._file.closed:      # its descriptor may belong to another file by now
            raise ValueError("the spool is closed")

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ArticleSpool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
