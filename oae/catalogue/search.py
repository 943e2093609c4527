"""Full-text search over an office's catalogue in the reader's language.

PostgreSQL: a text-search vector with the language's dictionary (catalan, spanish, english:
stemming, stop words), ranked, titles weighing more. SQLite: every word of the query must appear
in the accent-free, lower-case text. A search is always within one office and one language (tens
of entries), so the (office, language) index is what keeps it fast; no GIN index is needed yet."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet

from oae.catalogue import content as content_lib
from oae.catalogue.models import SearchEntry
from oae.catalogue.schema import LANGUAGES, Kind
from oae.catalogue.selectors import effective_items
from oae.common.text import fold, fold_words
from oae.network.models import Office

TEXT_SEARCH_CONFIG = {"ca": "catalan", "es": "spanish", "en": "english"}
SEARCHED_KINDS = (Kind.SERVICE, Kind.PROCEDURE)


@transaction.atomic
def search_index_office(*, office_id: int) -> int:
    """Rebuild the office's search entries from its effective, offered catalogue."""
    office = Office.objects.get(pk=office_id)
    SearchEntry.objects.filter(office=office).delete()
    entries = []
    for item in effective_items(office, enabled_only=True):
        if item.kind not in SEARCHED_KINDS:
            continue
        for language in LANGUAGES:
            title = content_lib.title(item.kind, item.content, language)
            body = content_lib.search_text(item.kind, item.content, language)
            entries.append(
                SearchEntry(
                    office=office,
                    kind=item.kind,
                    code=item.code,
                    language=language,
                    title=title[:300],
                    body=body,
                    folded=fold(f"{title}\n{body}"),
                )
            )
    SearchEntry.objects.bulk_create(entries)
    return len(entries)


def search_office(*, office, query: str, language: str, kind: str = "") -> list[tuple[str, str]]:
    """(kind, code) of the office's offered items matching `query`, best first."""
    entries: QuerySet = SearchEntry.objects.filter(office=office, language=language)
    if kind:
        entries = entries.filter(kind=kind)
    query = query.strip()[:200]
    if not query:
        return []
    if connection.vendor == "postgresql":
        config = TEXT_SEARCH_CONFIG.get(language, "simple")
        # Stemmed words in the reader's language, plus accent-free words for people who type
        # "financament" for "finançament".
        vector = (
            SearchVector("title", weight="A", config=config)
            + SearchVector("body", weight="B", config=config)
            + SearchVector("folded", weight="D", config="simple")
        )
        search_query = SearchQuery(query, config=config, search_type="websearch") | SearchQuery(
            fold(query), config="simple", search_type="websearch"
        )
        entries = (
            entries.annotate(document=vector, rank=SearchRank(vector, search_query))
            .filter(document=search_query)
            .order_by(F("rank").desc(), "title")
        )
    else:
        condition = Q()
        for word in fold_words(query):
            condition &= Q(folded__contains=word)
        entries = entries.filter(condition).order_by("title")
    return list(entries.values_list("kind", "code"))
