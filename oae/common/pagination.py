"""Pages over very large lists without counting them: a page reads one row more than it
shows to know whether a next page exists. A broad search over a million records answers
at once; the exact total of a search that broad is not worth a full count."""

from dataclasses import dataclass


@dataclass
class LookaheadPage:
    object_list: list
    number: int
    per_page: int
    has_next: bool

    def has_previous(self) -> bool:
        return self.number > 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


def lookahead_page(queryset, number, per_page: int, rows_by_key=None) -> LookaheadPage:
    """The page `number` (bad or missing numbers give the first page). With `rows_by_key` (a
    function from primary keys to a dict of rows), the page's keys are found first and its
    rows read by key after: the database can then find the keys in an index that holds every
    column the filters read, without visiting in the table the many rows a filter turns
    down."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    if rows_by_key is not None:
        keys = list(queryset.values_list("pk", flat=True)[start : start + per_page + 1])
        found = rows_by_key(keys)
        rows = [found[key] for key in keys if key in found]
    else:
        rows = list(queryset[start : start + per_page + 1])
    return LookaheadPage(
        object_list=rows[:per_page],
        number=number,
        per_page=per_page,
        has_next=len(rows) > per_page,
    )
