"""Python's cycle collector during a long job that makes many objects (an import).

By default the collector runs after every 700 new objects, and every so often it walks every
object the process holds. An import holds more and more (what it knows of the people its
rows may match), so those walks grow with it: a fifth of an import's Python time went to
them. Within `fewer_collections()` the objects made before are set aside (`gc.freeze`) and the
youngest generation is collected after many more new objects; cycles made meanwhile are
still collected. The collector is process-wide: jobs running at once in threads share one
setting, restored when the last of them ends."""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 50_000  # new objects between two collections of the youngest generation

_lock = threading.Lock()
_state = {"depth": 0, "thresholds": gc.get_threshold()}


@contextmanager
def fewer_collections() -> Iterator[None]:
    with _lock:
        if _state["depth"] == 0:
            _state["thresholds"] = gc.get_threshold()
            gc.freeze()
            _young, middle, old = _state["thresholds"]
            gc.set_threshold(YOUNG_THRESHOLD, middle, old)
        _state["depth"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["depth"] -= 1
            if _state["depth"] == 0:
                gc.set_threshold(*_state["thresholds"])
                gc.unfreeze()
