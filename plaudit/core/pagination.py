"""List pagination per the contract: ``?page=N&page_size=N`` (at most 100)."""

from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable
from rest_framework.pagination import CursorPagination, PageNumberPagination


class CountInPagePaginator(Paginator):
    """Reads a page and the list's total in one query, not a ``COUNT`` and then the page.

    The total rides on the page's rows as ``COUNT(*) OVER ()``, which the database works
    out before ``LIMIT``/``OFFSET``. The ORM's cost of composing the separate count query
    was most of what a short list cost. A page with no rows (an empty list, a page past
    the end or past any 64-bit offset) and a list the window would miscount (``DISTINCT``,
    grouped, combined) take Django's own path, so its errors and figures are unchanged.
    """

    TOTAL = "_total_rows"
    # LIMIT and OFFSET are 64-bit in the database; a page beyond that is Django's EmptyPage.
    LAST_ROW = 2**63 - 1

    def page(self, number: Any) -> Page:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)
        if not 1 <= wanted <= self.LAST_ROW // self.per_page or not self._counts_in_page():
            return super().page(number)
        bottom = (wanted - 1) * self.per_page
        listed = cast(QuerySet[Any], self.object_list)
        rows = list(
            listed.annotate(**{self.TOTAL: Window(Count("*"))})[bottom : bottom + self.per_page]
        )
        if not rows:
            return super().page(number)
        self.__dict__["count"] = getattr(rows[0], self.TOTAL)  # fills the cached_property
        return self._get_page(rows, wanted, self)  # type: ignore[attr-defined]

    def _counts_in_page(self) -> bool:
        rows = self.object_list
        if not isinstance(rows, QuerySet) or rows._iterable_class is not ModelIterable:
            return False
        query = rows.query
        return not (
            query.distinct or query.group_by is not None or query.combinator or query.is_sliced
        )


class PagePagination(PageNumberPagination):
    django_paginator_class = CountInPagePaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class NewestFirstCursorPagination(CursorPagination):
    """Stable pages over a feed that grows at the top while someone scrolls."""

    ordering = ("-created_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
