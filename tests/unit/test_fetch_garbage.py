"""flows/ingest.py `_fetch_garbage_collected`: the cycles the fetch leaves are freed at its end,
by a collection that walks only the fetch's objects; everything is back in the collector's care
after it, also when the fetch raised."""
from __future__ import annotations

import gc
import weakref

import pytest

from flows.ingest import _fetch_garbage_collected


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None
        self.payload = bytearray(1 << 20)


def _cycle() -> _Node:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return a


@pytest.fixture()
def no_automatic_collection():
    """Only the collections the code under test asks for (an automatic one would free the cycles early)."""
    enabled = gc.isenabled()
    gc.disable()
    yield
    if enabled:
        gc.enable()


@pytest.mark.usefixtures("no_automatic_collection")
def test_the_fetchs_cycles_are_freed_at_its_end_and_nothing_stays_frozen() -> None:
    before = _cycle()                      # garbage made before the fetch: frozen meanwhile, then collectable
    seen_before = weakref.ref(before)
    del before
    with _fetch_garbage_collected():
        assert gc.get_freeze_count() > 0
        during = _cycle()
        seen_during = weakref.ref(during)
        del during
        assert seen_during() is not None   # a cycle: reference counting alone leaves it
    assert seen_during() is None           # collected at the fetch's end
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert seen_before() is None           # unfrozen: the collector frees it as before


def test_a_fetch_that_raised_leaves_nothing_frozen() -> None:
    with pytest.raises(RuntimeError), _fetch_garbage_collected():
        raise RuntimeError("feed task crashed")
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("no_automatic_collection")
def test_objects_the_process_froze_itself_stay_frozen() -> None:
    gc.freeze()                            # as a pre-forking server does before it forks
    try:
        frozen = gc.get_freeze_count()
        with _fetch_garbage_collected():
            during = _cycle()
            seen_during = weakref.ref(during)
            del during
        assert seen_during() is None and gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
