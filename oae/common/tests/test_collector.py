"""Fewer cycle collections during a long job, and the collector as it was afterwards."""

import gc
import threading

from oae.common.collector import YOUNG_THRESHOLD, fewer_collections


def test_the_youngest_generation_waits_longer_inside_and_is_restored_after():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (YOUNG_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 0  # what existed before is set aside
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_made_inside_are_still_collected():
    collected = []

    class Node:
        def __del__(self):
            collected.append(True)

    with fewer_collections():
        node = Node()
        node.itself = node
        del node
        gc.collect()
    assert collected == [True]


def test_jobs_in_threads_that_overlap_restore_the_setting_when_the_last_ends():
    before = gc.get_threshold()
    first_in, second_done = threading.Event(), threading.Event()

    def first():
        with fewer_collections():
            first_in.set()
            second_done.wait(5)
            assert gc.get_threshold()[0] == YOUNG_THRESHOLD  # the second ended meanwhile

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with fewer_collections():
        pass
    second_done.set()
    thread.join(5)
    assert gc.get_threshold() == before
