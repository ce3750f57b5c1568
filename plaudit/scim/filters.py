"""A SCIM filter (RFC 7644 §3.4.2.2) as a database query.

scim2-models parses the filter; this module walks its tree into a ``Q`` over the
attributes Plaudit keeps, so a filter is answered by the database, not by loading
everyone. An attribute it cannot filter on, or a value of the wrong kind, is an
``invalidFilter`` error, as the RFC asks.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from scim2_models import InvalidFilterException, ScimFilter
from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)

from plaudit.core.fields import is_id_text

from .resources import ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA


@dataclass(frozen=True)
class Column:
    lookup: str  # the ORM path
    case_exact: bool = False
    kind: str = "string"  # string, boolean, integer, datetime, constant


ALWAYS = Column("", kind="constant")  # emails[type eq "work"]: the one email is the work one

USER_COLUMNS = {
    "id": Column("pk", kind="integer"),
    "externalid": Column("scim_identity__external_id", case_exact=True),
    "username": Column("scim_user_name"),
    "emails": Column("email"),
    "emails.value": Column("email"),
    "emails.type": ALWAYS,
    "emails.primary": ALWAYS,
    "active": Column("is_active", kind="boolean"),
    "name.givenname": Column("first_name"),
    "name.familyname": Column("last_name"),
    "title": Column("title"),
    "employeenumber": Column("employee_id", case_exact=True),
    "department": Column("department__name"),
    "manager": Column("manager_id", kind="integer"),
    "manager.value": Column("manager_id", kind="integer"),
    "groups": Column("scim_groups__pk", kind="integer"),
    "groups.value": Column("scim_groups__pk", kind="integer"),
    "meta.created": Column("date_joined", kind="datetime"),
}

GROUP_COLUMNS = {
    "id": Column("pk", kind="integer"),
    "externalid": Column("external_id", case_exact=True),
    "displayname": Column("display_name"),
    "members": Column("members__pk", kind="integer"),
    "members.value": Column("members__pk", kind="integer"),
    "meta.created": Column("created_at", kind="datetime"),
    "meta.lastmodified": Column("updated_at", kind="datetime"),
}

USER_SCHEMAS = {USER_SCHEMA.lower(), ENTERPRISE_SCHEMA.lower()}
GROUP_SCHEMAS = {GROUP_SCHEMA.lower()}

LOOKUPS = {
    CompareOperator.eq: ("iexact", "exact"),
    CompareOperator.co: ("icontains", "contains"),
    CompareOperator.sw: ("istartswith", "startswith"),
    CompareOperator.ew: ("iendswith", "endswith"),
    CompareOperator.gt: ("gt", "gt"),
    CompareOperator.ge: ("gte", "gte"),
    CompareOperator.lt: ("lt", "lt"),
    CompareOperator.le: ("lte", "lte"),
}


class FilterQuery:
    def __init__(self, columns: dict[str, Column], schemas: set[str]) -> None:
        self.columns = columns
        self.schemas = schemas

    def column(self, attr_path: AttrPath, prefix: str = "") -> Column:
        if attr_path.uri and attr_path.uri.lower() not in self.schemas:
            raise _unknown(attr_path)
        name = attr_path.attr if not prefix else f"{prefix}.{attr_path.attr}"
        if attr_path.sub_attr:
            name = f"{name}.{attr_path.sub_attr}"
        column = self.columns.get(name.lower())
        if column is None:
            raise _unknown(attr_path)
        return column

    def query(self, node: FilterNode, prefix: str = "") -> Q:
        if isinstance(node, LogicalExpr):
            parts = [self.query(term, prefix) for term in node.terms]
            combined = parts[0]
            for part in parts[1:]:
                combined = combined & part if node.op == LogicalOperator.and_ else combined | part
            return combined
        if isinstance(node, Not):
            return ~self.query(node.expr, prefix)
        if isinstance(node, ValuePath):
            return self.query(node.val_filter, prefix=node.attr_path.attr)
        if isinstance(node, Present):
            column = self.column(node.attr_path, prefix)
            if column.kind == "constant":
                return Q()
            present = Q(**{f"{column.lookup}__isnull": False})
            return present & ~Q(**{column.lookup: ""}) if column.kind == "string" else present
        if isinstance(node, Comparison):
            return self.comparison(node, prefix)
        raise InvalidFilterException(detail=_("This filter is not supported."))

    def comparison(self, node: Comparison, prefix: str) -> Q:
        column = self.column(node.attr_path, prefix)
        if column.kind == "constant":
            return Q()
        value = _value(column, node)
        if node.op == CompareOperator.ne:
            return ~Q(**{column.lookup: value})
        if value is None:
            return Q(**{f"{column.lookup}__isnull": node.op == CompareOperator.eq})
        if column.kind != "string" and node.op not in (
            CompareOperator.eq,
            CompareOperator.gt,
            CompareOperator.ge,
            CompareOperator.lt,
            CompareOperator.le,
        ):
            raise InvalidFilterException(
                detail=_("%(operator)s does not apply to %(attribute)s.")
                % {"operator": node.op.value, "attribute": str(node.attr_path)}
            )
        insensitive, exact = LOOKUPS[node.op]
        lookup = exact if (column.case_exact or column.kind != "string") else insensitive
        return Q(**{f"{column.lookup}__{lookup}": value})


def _value(column: Column, node: Comparison) -> Any:
    value = node.value
    if value is None:
        return None
    if column.kind == "string" and isinstance(value, str):
        return value
    if column.kind == "boolean" and isinstance(value, bool):
        return value
    if column.kind == "integer":
        if isinstance(value, str) and is_id_text(value):
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return -1  # an id Plaudit never gives: matches nothing
    if column.kind == "datetime" and isinstance(value, str):
        try:
            moment: datetime | None = parse_datetime(value)
        except ValueError:  # well formed, but no such date ("2024-13-45T00:00:00")
            moment = None
        if moment is not None:
            return moment
    raise InvalidFilterException(
        detail=_("The value compared with %(attribute)s is not of its type.")
        % {"attribute": str(node.attr_path)}
    )


def _unknown(attr_path: AttrPath) -> InvalidFilterException:
    return InvalidFilterException(
        detail=_("Filtering on %(attribute)s is not supported.") % {"attribute": str(attr_path)}
    )


def parse(text: str) -> FilterNode:
    try:
        return ScimFilter(text).ast
    except InvalidFilterException:
        raise
    except Exception as exc:  # the grammar's own errors, whatever their class
        raise InvalidFilterException(detail=_("This filter cannot be read.")) from exc


def users_matching(text: str) -> Q:
    return FilterQuery(USER_COLUMNS, USER_SCHEMAS).query(parse(text))


def groups_matching(text: str) -> Q:
    return FilterQuery(GROUP_COLUMNS, GROUP_SCHEMAS).query(parse(text))
