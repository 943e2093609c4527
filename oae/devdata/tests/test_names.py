"""Generated names have the shape of a real register: a few very common, most rare."""

import random
from collections import Counter

from oae.devdata.scale.names import GIVEN_NAMES, SURNAMES, NameSampler, rare_surnames


def test_common_surnames_are_common_and_most_surnames_are_rare():
    sampler, rng = NameSampler(), random.Random(3)
    drawn = Counter(sampler.surname(rng) for _ in range(20_000))
    top_name, top_count = drawn.most_common(1)[0]
    assert top_name == SURNAMES[0] and 0.02 < top_count / 20_000 < 0.06
    assert len(drawn) > 4_000  # a long tail, not a few dozen names
    assert sum(count for name, count in drawn.items() if count <= 5) > 0.3 * 20_000


def test_names_are_reproducible_and_look_like_names():
    first, second = NameSampler(), NameSampler()
    one, two = random.Random(9), random.Random(9)
    assert [first.surnames(one) for _ in range(50)] == [second.surnames(two) for _ in range(50)]
    assert NameSampler().given_name(random.Random(1)) in GIVEN_NAMES
    rare = rare_surnames()
    assert len(rare) == len(set(rare)) > 5_000
    assert not any(pair in name for name in rare for pair in ("aa", "ae", "oa", "ea"))
