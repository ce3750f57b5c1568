"""Reads of recognition: the feed, leaderboards, trends and team totals.

Each read has a fixed number of queries whatever the number of rows: the feed
annotates its counts with correlated subqueries (no join fan-out, no N+1) and
prefetches recipients and values; each leaderboard is one grouped query ranked
by a window function. Their caching lives in :mod:`plaudit.recognition.cache`.
"""

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, DenseRank

from plaudit.core import calendar
from plaudit.people.models import User

from .models import AddOn, Award, Comment, CompanyValue, Reaction, Recognition, RecognitionKind

PERIODS = ("month", "quarter", "year", "all")


def period_start(period: str, now: datetime | None = None) -> datetime | None:
    """Start of the company's current calendar month, quarter or year, in the company's
    time zone (:mod:`plaudit.core.calendar`); None for all time."""
    if period == "month":
        return calendar.this_month(now)[0]
    if period == "quarter":
        return calendar.this_quarter(now)[0]
    if period == "year":
        return calendar.this_year(now)[0]
    if period == "all":
        return None
    raise ValueError(f"Unknown period {period!r}; expected one of {PERIODS}.")


def _sum_of(awards: QuerySet[Award], group: str) -> Any:
    """A correlated ``SUM(points)`` of ``awards`` per ``group``, 0 when there are none."""
    total = awards.order_by().values(group).annotate(total=Sum("points")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def _count_of(rows: QuerySet[Any]) -> Any:
    count = rows.order_by().values("recognition").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


@functools.cache
def _annotated_recognitions() -> QuerySet[Recognition]:
    """Built once per process: resolving the four correlated subqueries cost a feed
    request as much as running its page query. Callers get a clone (``.all()``), as
    DRF does with a view's ``queryset``; it never holds rows or prefetch state."""
    here = OuterRef("pk")
    return (
        Recognition.objects.select_related("giver__department")
        .annotate(
            points=_sum_of(Award.objects.filter(recognition=here), "recognition"),
            comments_count=_count_of(Comment.objects.filter(recognition=here)),
            reactions_count=_count_of(Reaction.objects.filter(recognition=here)),
            add_ons_count=_count_of(AddOn.objects.filter(recognition=here)),
        )
        .order_by("-created_at", "-id")
    )


def recognitions_for_feed() -> QuerySet[Recognition]:
    """Recognitions with everything a feed item shows, in a fixed number of queries.

    ``recipients`` (the original awards, with the person and their department)
    and ``company_values`` (by name) are prefetched as lists; ``points`` (add-ons
    included), ``comments_count``, ``reactions_count`` and ``add_ons_count`` are
    annotated. :func:`as_feed_item` gives a just-written recognition the same shape.
    """
    return _annotated_recognitions().prefetch_related(
        Prefetch(
            "awards",
            queryset=Award.objects.filter(add_on__isnull=True)
            .select_related("recipient__department")
            .order_by("id"),
            to_attr="recipients",
        ),
        Prefetch(
            "values",
            queryset=CompanyValue.objects.order_by("name", "id"),
            to_attr="company_values",
        ),
    )


def as_feed_item(
    recognition: Recognition, awards: Sequence[Award], values: Iterable[CompanyValue]
) -> Recognition:
    """``recognition``, just written with ``awards`` and ``values``, shaped as a
    :func:`recognitions_for_feed` row without reading it back (three queries and a
    quarter of a kudos' CPU): a new recognition has no add-ons, comments or reactions.
    """
    recognition.recipients = list(awards)  # type: ignore[attr-defined]
    recognition.company_values = sorted(values, key=lambda value: (value.name, value.pk))  # type: ignore[attr-defined]
    recognition.points = sum(award.points for award in awards)  # type: ignore[attr-defined]
    recognition.comments_count = 0  # type: ignore[attr-defined]
    recognition.reactions_count = 0  # type: ignore[attr-defined]
    recognition.add_ons_count = 0  # type: ignore[attr-defined]
    return recognition


def feed(
    *,
    person: User | None = None,
    department: str | None = None,
    value: str | None = None,
) -> QuerySet[Recognition]:
    """The company feed, newest first, optionally about one person, department or value.

    ``person`` matches their recognitions given and received; ``department`` the
    recognitions whose giver or a recipient works there (case-insensitive name).
    """
    recognitions = recognitions_for_feed()
    here = OuterRef("pk")
    if person is not None:
        received = Award.objects.filter(recognition=here, recipient=person, add_on__isnull=True)
        recognitions = recognitions.filter(Q(giver=person) | Exists(received))
    if department:
        in_department = Award.objects.filter(
            recognition=here, add_on__isnull=True, recipient__department__name__iexact=department
        )
        recognitions = recognitions.filter(
            Q(giver__department__name__iexact=department) | Exists(in_department)
        )
    if value:
        named = Recognition.values.through.objects.filter(
            recognition=here, companyvalue__slug=value.lower()
        )
        recognitions = recognitions.filter(Exists(named))
    return recognitions


def reaction_summaries(
    recognition_ids: Iterable[int], viewer: User | None
) -> dict[int, list[dict[str, Any]]]:
    """``{recognition id: [{"emoji", "count", "mine"}]}`` for a page, in one query.

    ``mine`` says whether ``viewer`` reacted so; with no viewer (a page everyone
    shares, see :func:`emojis_reacted_by`) it is False.
    """
    rows = Reaction.objects.filter(recognition_id__in=list(recognition_ids)).values(
        "recognition_id", "emoji"
    )
    if viewer is None:
        rows = rows.annotate(count=Count("pk"))
    else:
        rows = rows.annotate(count=Count("pk"), mine=Count("pk", filter=Q(user=viewer)))
    summaries: dict[int, list[dict[str, Any]]] = {}
    for row in rows.order_by("recognition_id", "-count", "emoji"):
        summaries.setdefault(row["recognition_id"], []).append(
            {"emoji": row["emoji"], "count": row["count"], "mine": bool(row.get("mine"))}
        )
    return summaries


def feed_counts(recognition_id: int) -> dict[str, Any]:
    """What every open feed shows of one recognition that changed: its reactions (as the
    shared page has them, nobody's marked) and how many comments it has."""
    reactions = reaction_summaries([recognition_id], None).get(recognition_id, [])
    return {
        "reactions": [{"emoji": row["emoji"], "count": row["count"]} for row in reactions],
        "comments": Comment.objects.filter(recognition_id=recognition_id).count(),
    }


def emojis_reacted_by(viewer: User, recognition_ids: Iterable[int]) -> dict[int, set[str]]:
    """The viewer's own reactions to these recognitions: what makes a shared page theirs."""
    mine: dict[int, set[str]] = {}
    rows = Reaction.objects.filter(recognition_id__in=list(recognition_ids), user=viewer)
    for recognition_id, emoji in rows.values_list("recognition_id", "emoji"):
        mine.setdefault(recognition_id, set()).add(emoji)
    return mine


def comments_on(recognition: Recognition) -> QuerySet[Comment]:
    return recognition.comments.select_related("author__department").order_by("created_at", "id")


def active_values() -> QuerySet[CompanyValue]:
    return CompanyValue.objects.alive().order_by("name", "id")


# --- Reports --------------------------------------------------------------------------


def _peer_awards(start: datetime | None) -> QuerySet[Award]:
    """Points people gave each other; celebrations (the company giving) do not compete."""
    awards = Award.objects.filter(giver__isnull=False)
    return awards if start is None else awards.filter(created_at__gte=start)


def _ranked(awards: QuerySet[Award], person: str, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` people by total, dense-ranked: 100, 100, 80 → ranks 1, 1, 2.

    One query: ``GROUP BY`` the person, ``DENSE_RANK() OVER (ORDER BY SUM(points) DESC)``,
    ties in name order. At most ``limit`` rows, however many people share a rank.
    """
    rows = (
        awards.filter(**{f"{person}__is_active": True})
        .values(
            person_id=F(f"{person}_id"),
            first_name=F(f"{person}__first_name"),
            last_name=F(f"{person}__last_name"),
            email=F(f"{person}__email"),
            department=F(f"{person}__department__name"),
        )
        .annotate(points=Sum("points"))
        .filter(points__gt=0)
        .annotate(rank=Window(DenseRank(), order_by=F("points").desc()))
        .filter(rank__lte=limit)
        .order_by("rank", "last_name", "first_name", "person_id")[:limit]
    )
    return [
        {
            "rank": row["rank"],
            "id": row["person_id"],
            "name": f"{row['first_name']} {row['last_name']}".strip() or row["email"],
            "department": row["department"],
            "points": row["points"],
        }
        for row in rows
    ]


def leaderboard(
    *, period: str, department: str | None = None, limit: int = 10, now: datetime | None = None
) -> dict[str, Any]:
    """Top receivers and top givers of peer recognition in the period (two queries)."""
    start = period_start(period, now)
    awards = _peer_awards(start)
    receivers = awards
    givers = awards
    if department:
        receivers = receivers.filter(recipient__department__name__iexact=department)
        givers = givers.filter(giver__department__name__iexact=department)
    return {
        "period": period,
        "since": start,
        "department": department or None,
        "results": _ranked(receivers, "recipient", limit),
        "givers": _ranked(givers, "giver", limit),
    }


# Words too common to say anything about a message (English; a split string reads best).
STOP_WORDS = frozenset(
    """
    a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just let me more most my myself no nor not now of off on once only or other
    our ours ourselves out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom why will with would you your yours yourself
    yourselves thanks thank thx really much many great you're it's i'm we're that's
    """.split()  # noqa: SIM905
)
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")  # apostrophes, straight or curly
HASHTAG_OR_MENTION = re.compile(r"[#@]\S+")


def word_frequencies(messages: Iterable[str], *, limit: int) -> list[tuple[str, int]]:
    """The most used words, ignoring case, stop words, ``#values``, ``@names`` and short words."""
    counts: Counter[str] = Counter()
    for message in messages:
        text = HASHTAG_OR_MENTION.sub(" ", message.lower())
        counts.update(
            word for word in WORD.findall(text) if len(word) > 2 and word not in STOP_WORDS
        )
    return counts.most_common(limit)


def trending(*, period: str, limit: int = 10, now: datetime | None = None) -> dict[str, Any]:
    """The values named most (named in the active language) and the words used most in
    peer kudos of the period."""
    start = period_start(period, now)
    in_period = Q() if start is None else Q(recognitions__created_at__gte=start)
    values = (
        CompanyValue.objects.alive()
        .annotate(uses=Count("recognitions", filter=in_period))
        .filter(uses__gt=0)
        .order_by("-uses", "name", "id")[:limit]
    )
    messages = Recognition.objects.filter(kind=RecognitionKind.PEER)
    if start is not None:
        messages = messages.filter(created_at__gte=start)
    words = word_frequencies(
        messages.values_list("message", flat=True).iterator(chunk_size=2000), limit=limit
    )
    return {
        "period": period,
        "since": start,
        "values": [
            {"slug": v.slug, "name": v.translated("name"), "emoji": v.emoji, "count": v.uses}
            for v in values
        ],
        "words": [{"word": word, "count": count} for word, count in words],
    }


def team_points(manager: User, *, period: str, now: datetime | None = None) -> dict[str, Any]:
    """A manager's direct reports with the peer points each received and gave in the period."""
    start = period_start(period, now)
    awards = _peer_awards(start)
    people = (
        User.objects.filter(manager=manager, is_active=True)
        .select_related("department")
        .annotate(
            received=_sum_of(awards.filter(recipient=OuterRef("pk")), "recipient"),
            given=_sum_of(awards.filter(giver=OuterRef("pk")), "giver"),
        )
        .order_by("last_name", "first_name", "id")
    )
    members = [
        {
            "id": person.pk,
            "name": str(person),
            "department": person.department.name if person.department else None,
            "received": person.received,
            "given": person.given,
        }
        for person in people
    ]
    return {
        "period": period,
        "since": start,
        "manager": manager.pk,
        "totals": {
            "received": sum(member["received"] for member in members),
            "given": sum(member["given"] for member in members),
        },
        "results": members,
    }
