"""Helpers for writing many rows at once."""

import uuid

from oae.common.bulk import random_uuids


def test_random_uuids_are_distinct_version_4_uuids():
    made = random_uuids(500)
    assert len(made) == 500 and len(set(made)) == 500
    assert {u.version for u in made} == {4} and {u.variant for u in made} == {uuid.RFC_4122}


def test_no_uuids_asked_none_given():
    assert random_uuids(0) == []
