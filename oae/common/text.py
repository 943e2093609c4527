"""Text helpers shared by every domain: folding accents and case for searches and matching."""

import functools
import unicodedata


def fold(value: str) -> str:
    """Lower case without accents ("Núria" → "nuria")."""
    if value.isascii():  # most names and words: nothing to take off
        return value.lower()
    # Word by word: words repeat far more than whole names or texts.
    return " ".join([_fold_accented(word) for word in value.split(" ")])


@functools.lru_cache(maxsize=100_000)
def _fold_accented(value: str) -> str:
    # Names repeat a great deal (an import compares each row with the network's people of
    # similar names): each distinct one is decomposed once.
    # Lower case after decomposing too: a compatibility letter may decompose into a capital
    # ("ꟲ" → "C"), and lowering may give back an accent to take off ("İ" → "i̇").
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", value).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_words(value: str) -> list[str]:
    """The words of a text, folded ("Núria  Puig" → ["nuria", "puig"])."""
    return fold(value).split()
