"""The ledger's consumer of outbox events: a person's new balance on their open pages."""

from plaudit.events.dispatch import live_consumer
from plaudit.events.models import OutboxEvent
from plaudit.events.payloads import PAYLOADS, EventData, payload_of
from plaudit.events.realtime import send_to_user, with_open_sockets

from .models import Account, AccountKind

# The types whose payload can say it moved a balance: any other is not read.
MOVES_BALANCES = frozenset(
    event_type
    for event_type, payload in PAYLOADS.items()
    if payload.balances_moved is not EventData.balances_moved
)


@live_consumer
def push_new_balances(event: OutboxEvent) -> None:
    """Push each balance the event's fact moved to its owner's open sockets.

    The balance is read when it is pushed, so it is the committed one and never stale.
    Most people have no socket open when their points move (an API client, a closed
    tab): for them this costs one cache read for the whole event, and no query.
    """
    if event.type not in MOVES_BALANCES:
        return
    people = with_open_sockets(payload_of(event).balances_moved())
    if not people:
        return
    balances = dict(
        Account.objects.filter(owner_id__in=people, kind=AccountKind.BALANCE).values_list(
            "owner_id", "balance"
        )
    )
    for person in people:
        send_to_user(person, {"type": "balance", "balance": balances.get(person, 0)})
