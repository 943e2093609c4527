"""The vocabulary of names that typos are corrected against: every word of the people's
names, folded, in a small table of its own (not one per person), with about how many records
have it. Looking a mistyped word up among a few hundred thousand words is fast where comparing
it with a million records is not; the counts tell rare words from common ones, which a search
must read differently (crm/selectors.py).

Every change of names goes through `name_words_add` or `name_words_replace`, so the vocabulary
holds exactly the words some record still has: after an erasure, a name nobody else has is
gone from it too."""

from collections import Counter
from collections.abc import Iterable

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import F, Q, QuerySet, Sum
from rapidfuzz import fuzz

from oae.common.text import fold
from oae.crm.models import NameWord, Person

SHORTEST = 3  # shorter words ("de", "el") are not worth correcting
CANDIDATES = 100  # words sharing most trigrams with the one typed, to choose among
CLOSE = 80  # percent of letters in common, in order, of a correction and the word typed
CORRECTIONS = 3  # the closest ones, at most, for each word typed


def name_words(first_name: str, last_name: str) -> set[str]:
    return {w[:150] for w in fold(f"{first_name} {last_name}").split() if len(w) >= SHORTEST}


def words_of(person: Person) -> set[str]:
    return name_words(person.first_name, person.last_name)


def name_words_add(words: Iterable[str], model=NameWord) -> None:
    """Count the words (one per record that has them: repeat a word, or give a Counter)."""
    counts = words if isinstance(words, Counter) else Counter(words)
    table = model._meta.db_table
    insert = f"INSERT INTO {table} (word, people) "  # noqa: S608 - no input
    add_up = f"ON CONFLICT (word) DO UPDATE SET people = {table}.people + excluded.people"
    pairs = list(counts.items())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # two arrays: one parameter each, any size
            rows = "SELECT * FROM unnest(%s::varchar[], %s::integer[]) "
            cursor.execute(insert + rows + add_up, [list(counts), list(counts.values())])
            return
        for start in range(0, len(pairs), 1000):
            chunk = pairs[start : start + 1000]
            rows = "VALUES " + ", ".join(["(%s, %s)"] * len(chunk)) + " "
            cursor.execute(insert + rows + add_up, [value for pair in chunk for value in pair])


def ending_a_word(word: str) -> Q:
    """People whose search text has a word ending so (a name word is always followed by a
    space there: the document, e-mail and phone come after)."""
    return Q(search_text__contains=f"{word} ")


def _in_use(word: str) -> bool:
    """Whether some record's name still has the word (whole, not inside another)."""
    holders = Person.objects.filter(ending_a_word(word))
    return any(
        word in name_words(first, last)
        for first, last in holders.values_list("first_name", "last_name").iterator(chunk_size=100)
    )


def name_words_replace(before: set[str], after: set[str]) -> None:
    """After a record's name changed from words `before` to `after` (saved already)."""
    name_words_add(after - before)
    gone = before - after
    NameWord.objects.filter(word__in=gone, people__gt=0).update(people=F("people") - 1)
    NameWord.objects.filter(word__in=[w for w in gone if not _in_use(w)]).delete()


def corrections(word: str) -> list[str]:
    """PostgreSQL: the known name words closest to a mistyped one ("garca": "garcia"). The
    trigram index proposes candidates; the edit similarity of the duplicate checks (which
    counts dropped and swapped letters, not shared trigrams) picks the best of them."""
    candidates: QuerySet = NameWord.objects.filter(word__trigram_similar=word)
    candidates = candidates.annotate(similarity=TrigramSimilarity("word", word))
    words = candidates.order_by("-similarity").values_list("word", flat=True)[:CANDIDATES]
    scored = sorted(((fuzz.ratio(word, w), w) for w in words), reverse=True)
    if not scored:
        return []
    good_enough = max(scored[0][0] - 2, CLOSE)
    return [w for score, w in scored if score >= good_enough][:CORRECTIONS]


def people_with(typed: str, corrected: Iterable[str] = ()) -> int:
    """About how many records a search word finds by name: those whose name has a word
    beginning as typed (as names are typed), or one of its corrections whole."""
    words = Q(word__in=set(corrected))
    if typed:
        words |= Q(word__startswith=typed)
    return NameWord.objects.filter(words).aggregate(people=Sum("people"))["people"] or 0


def people_within(typed: str) -> int:
    """About how many records have a name word with this one inside ("sera" in "caserans"):
    slower to ask than `people_with`."""
    words = NameWord.objects.filter(word__contains=typed)
    return words.aggregate(people=Sum("people"))["people"] or 0


def name_words_rebuild(person_model=Person, word_model=NameWord) -> int:
    """The vocabulary from every record (the migration that made it)."""
    counts: Counter = Counter()
    people = person_model.objects.values_list("first_name", "last_name")
    for first, last in people.iterator(chunk_size=5000):
        counts.update(name_words(first, last))
    name_words_add(counts, model=word_model)
    return len(counts)
