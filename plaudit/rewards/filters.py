import django_filters

from .models import Redemption, RedemptionStatus, Reward


class RewardFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category", lookup_expr="iexact")
    min_cost = django_filters.NumberFilter(field_name="cost", lookup_expr="gte")
    max_cost = django_filters.NumberFilter(field_name="cost", lookup_expr="lte")

    class Meta:
        model = Reward
        fields = ["category", "min_cost", "max_cost"]


class RedemptionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RedemptionStatus.choices)

    class Meta:
        model = Redemption
        fields = ["status", "user", "reward"]
