"""What a notification says: a title, a body and a link for each event type.

Events carry plain data (ids and the few names a message needs, captured when
the change happened), so a message reads the same later even if, say, the
reward is renamed. Unknown types still get a readable message from the data.
"""

from dataclasses import dataclass
from typing import Any

from .models import EventType, OutboxEvent


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str


def recipients_of(event: OutboxEvent) -> list[int]:
    """Who is told about an event: ``data["recipients"]`` (ids), else ``data["user"]``.

    This is the convention every producer follows; an event with neither is
    for the other systems (webhooks) only.
    """
    data = event.data or {}
    raw = data.get("recipients")
    if raw is None:
        raw = [data["user"]] if data.get("user") is not None else []
    ids: list[int] = []
    for value in raw:
        if isinstance(value, dict):  # [{"user": 3, "points": 10}] as recognitions send it
            value = value.get("user")
        try:
            person = int(value)
        except (TypeError, ValueError):
            continue
        if person not in ids:
            ids.append(person)
    return ids


def _points_for(data: dict[str, Any], user_id: int) -> int | None:
    """Points this person received, from ``points`` (int or {id: int}) or the recipients list."""
    points = data.get("points")
    if isinstance(points, int):
        return points
    if isinstance(points, dict):
        value = points.get(str(user_id), points.get(user_id))
        return value if isinstance(value, int) else None
    for recipient in data.get("recipients") or []:
        if isinstance(recipient, dict) and recipient.get("user") == user_id:
            value = recipient.get("points")
            return value if isinstance(value, int) else None
    return None


def describe(event: OutboxEvent, user_id: int) -> Message:
    data: dict[str, Any] = event.data or {}
    reward = data.get("reward_name", "a reward")
    redemption_url = f"/api/v1/redemptions/{data['redemption']}/" if "redemption" in data else ""
    match event.type:
        case EventType.RECOGNITION_CREATED:
            giver = data.get("giver_name") or "A colleague"
            points = _points_for(data, user_id)
            with_points = f" with {points} points" if points else ""
            return Message(
                f"{giver} recognised you{with_points}",
                data.get("message", ""),
                f"/api/v1/recognitions/{data['recognition']}/" if "recognition" in data else "",
            )
        case EventType.REDEMPTION_CREATED:
            who = data.get("user_name") or "Someone"
            return Message(
                f"{who} redeemed {reward}",
                f"{data.get('cost', '?')} points; waiting for approval.",
                redemption_url,
            )
        case EventType.REDEMPTION_APPROVED:
            return Message(
                f"Your redemption of {reward} was approved",
                "It will be fulfilled soon.",
                redemption_url,
            )
        case EventType.REDEMPTION_REJECTED:
            reason = data.get("reason") or "No reason given."
            return Message(
                f"Your redemption of {reward} was rejected",
                f"{reason} Your {data.get('cost', 'spent')} points are back in your balance.",
                redemption_url,
            )
        case EventType.REDEMPTION_FULFILLED:
            return Message(
                f"{reward} is on its way", "Your redemption was fulfilled.", redemption_url
            )
        case EventType.REDEMPTION_CANCELLED:
            who = data.get("user_name") or "Someone"
            return Message(f"{who} cancelled a redemption of {reward}", "", redemption_url)
        case EventType.POINTS_GRANTED:
            return Message(
                f"You received {data.get('amount', 'some')} points",
                data.get("reason", ""),
                "/api/v1/points/entries/",
            )
        case EventType.IMPORT_FINISHED:
            kind = data.get("kind", "")
            counts = ", ".join(
                f"{data[name]} {name}" for name in ("created", "updated", "failed") if name in data
            )
            return Message(
                " ".join(filter(None, ["Your", kind, "import", data.get("status", "finished")])),
                counts,
                f"/api/v1/imports/{job}/" if (job := data.get("job", data.get("id"))) else "",
            )
        case EventType.REWARD_LOW_STOCK:
            return Message(
                f"{reward} is running low",
                f"{data.get('stock', 'few')} left in stock.",
                f"/api/v1/rewards/{data['reward']}/" if "reward" in data else "",
            )
    return Message(str(data.get("title") or event.type), str(data.get("message", "")), "")
