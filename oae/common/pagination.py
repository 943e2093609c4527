"""Pages over very large lists: counting stops at a cap, so a broad search over a million
records answers at once ("more than 1,000 found, refine the search") instead of counting
them all."""

from functools import cached_property

from django.core.paginator import Paginator

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP
