import django_filters

from .models import User
from .roles import Role


class PersonFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(field_name="department__name", lookup_expr="iexact")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["department", "role", "is_active"]
