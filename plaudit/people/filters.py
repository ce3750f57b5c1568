from typing import Any

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.request import Request

from .models import User
from .roles import Role
from .selectors import ranked_by_prefix


class PersonFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(field_name="department__name", lookup_expr="iexact")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["department", "role", "is_active"]


class PeopleSearch(SearchFilter):
    """DRF's search, with people whose name or email starts with the words ranked first."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        found = super().filter_queryset(request, queryset, view)
        return ranked_by_prefix(found, " ".join(self.get_search_terms(request)))


class PeopleOrdering(OrderingFilter):
    """Without an explicit ``ordering``, a search lists the best matches first."""

    def get_default_ordering(self, view: Any) -> Any:
        ordering = super().get_default_ordering(view)
        if PeopleSearch().get_search_terms(view.request) and ordering:
            return ["-search_rank", *ordering]
        return ordering


PEOPLE_FILTER_BACKENDS = [DjangoFilterBackend, PeopleSearch, PeopleOrdering]
