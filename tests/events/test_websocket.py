"""/ws/notifications/: each socket hears its own person's pushes, never anyone else's.

Runs through config.asgi (the ASGI process's application) with the configured
channel layer: in-memory by default, real Redis when CHANNELS_REDIS_URL is set (CI).
"""

import uuid
from unittest import mock

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import application
from plaudit.events.models import EventType
from plaudit.events.outbox import record_event
from plaudit.imports import attempts, jobs
from plaudit.ledger.services import grant_points
from tests.factories import HRAdminFactory, UserFactory
from tests.imports.conftest import csv_file, csv_text, employee_row

from .payloads import low_stock, points_granted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def own_channel_layer(settings):
    """A layer prefix of our own, so parallel runs sharing one Redis never cross."""
    layers = {**settings.CHANNEL_LAYERS}
    default = {**layers["default"]}
    if "CONFIG" in default:
        default["CONFIG"] = {**default["CONFIG"], "prefix": f"test-{uuid.uuid4().hex[:8]}"}
    settings.CHANNEL_LAYERS = {**layers, "default": default}
    yield
    async_to_sync(get_channel_layer().flush)()


def token_for(person):
    return str(AccessToken.for_user(person))


def socket_for(person):
    return WebsocketCommunicator(application, f"/ws/notifications/?token={token_for(person)}")


def run(scenario):
    async_to_sync(scenario)()


def test_a_socket_receives_its_own_notification_and_never_another_persons():
    alice, bob = UserFactory(), UserFactory()

    async def scenario():
        alice_socket, bob_socket = socket_for(alice), socket_for(bob)
        assert (await alice_socket.connect())[0]
        assert (await bob_socket.connect())[0]

        await sync_to_async(record_event)(EventType.REWARD_LOW_STOCK, low_stock([alice]))

        message = await alice_socket.receive_json_from(timeout=5)
        assert message["type"] == "notification"
        assert message["event"] == "reward.low_stock"
        assert message["title"] == "Mug is running low"
        assert message["read_at"] is None
        assert await bob_socket.receive_nothing(timeout=0.5)
        await alice_socket.disconnect()
        await bob_socket.disconnect()

    run(scenario)


def test_a_balance_change_is_pushed_to_its_owner_after_commit():
    alice, bob = UserFactory(), UserFactory()

    async def scenario():
        alice_socket, bob_socket = socket_for(alice), socket_for(bob)
        assert (await alice_socket.connect())[0]
        assert (await bob_socket.connect())[0]

        await sync_to_async(grant_points)(user=alice, amount=30, reason="Hi", granted_by=None)

        received = [await alice_socket.receive_json_from(timeout=5) for _ in range(2)]
        assert {"type": "balance", "balance": 30} in received
        assert {message["type"] for message in received} == {"balance", "notification"}
        assert await bob_socket.receive_nothing(timeout=0.5)
        await alice_socket.disconnect()
        await bob_socket.disconnect()

    run(scenario)


def test_import_progress_reaches_only_the_person_who_started_the_import():
    """The run records its progress in the outbox as it commits; the uploader's socket
    hears the job as committed, from running to its end, and nobody else hears it."""
    alice, bob = HRAdminFactory(), UserFactory()
    rows = [employee_row(f"W{i}") for i in range(3)]
    job = jobs.start_import(
        upload=csv_file(csv_text(rows)), kind="employees", created_by=alice, in_background=False
    )

    async def scenario():
        alice_socket, bob_socket = socket_for(alice), socket_for(bob)
        assert (await alice_socket.connect())[0]
        assert (await bob_socket.connect())[0]

        await sync_to_async(attempts.process_import)(job_id=job.pk)

        progress = []
        while not progress or progress[-1]["status"] == "running":
            message = await alice_socket.receive_json_from(timeout=5)
            if message["type"] == "import.progress":
                progress.append(message)
        assert progress[0]["status"] == "running"
        assert progress[-1] == {
            "type": "import.progress",
            "id": job.pk,
            "kind": "employees",
            "status": "succeeded",
            "total_rows": 3,
            "processed_rows": 3,
            "created": 3,
            "updated": 0,
            "failed": 0,
        }
        assert await bob_socket.receive_nothing(timeout=0.5)
        await alice_socket.disconnect()
        await bob_socket.disconnect()

    run(scenario)


def test_a_browser_session_authenticates_the_socket_from_our_own_origin():
    alice = UserFactory()
    browser = Client()
    browser.force_login(alice)
    cookie = f"sessionid={browser.cookies['sessionid'].value}".encode()

    async def scenario():
        ours = WebsocketCommunicator(
            application,
            "/ws/notifications/",
            headers=[(b"cookie", cookie), (b"origin", b"http://testserver")],
        )
        assert (await ours.connect())[0]
        await ours.send_json_to({"type": "ping"})
        assert await ours.receive_json_from(timeout=5) == {"type": "pong"}
        await ours.disconnect()

        # Another site cannot ride on the cookie (cross-site WebSocket hijacking).
        theirs = WebsocketCommunicator(
            application,
            "/ws/notifications/",
            headers=[(b"cookie", cookie), (b"origin", b"https://evil.example")],
        )
        assert not (await theirs.connect())[0]

    run(scenario)


@pytest.mark.parametrize("query", ["", "?token=not-a-jwt", "?token="])
def test_a_socket_without_valid_credentials_is_refused(query):
    async def scenario():
        socket = WebsocketCommunicator(
            application, f"/ws/notifications/{query}", headers=[(b"origin", b"http://testserver")]
        )
        connected, _ = await socket.connect()
        assert not connected

    run(scenario)


def test_a_deactivated_persons_token_no_longer_opens_a_socket():
    alice = UserFactory()
    token = token_for(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    async def scenario():
        socket = WebsocketCommunicator(application, f"/ws/notifications/?token={token}")
        connected, _ = await socket.connect()
        assert not connected

    run(scenario)


def test_sockets_count_themselves_so_a_push_to_someone_offline_costs_one_cache_read():
    from unittest import mock

    from plaudit.events import realtime

    alice = UserFactory()
    assert not realtime.has_open_socket(alice.pk)

    async def scenario():
        first, second = socket_for(alice), socket_for(alice)
        assert (await first.connect())[0]
        assert (await second.connect())[0]
        assert await sync_to_async(realtime.has_open_socket)(alice.pk)
        await first.disconnect()
        assert await sync_to_async(realtime.has_open_socket)(alice.pk)
        await second.disconnect()

    run(scenario)

    assert not realtime.has_open_socket(alice.pk)
    with mock.patch.object(realtime, "get_channel_layer") as layer:
        realtime.push_to_user(alice.pk, {"type": "notification"})
    layer.return_value.group_send.assert_not_called()


def test_a_balance_push_to_someone_with_no_socket_open_reads_no_balance():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plaudit.events import realtime
    from plaudit.ledger.subscribers import push_new_balances

    alice = UserFactory()
    event = record_event(EventType.POINTS_GRANTED, points_granted(alice))

    with (
        mock.patch.object(realtime, "get_channel_layer") as layer,
        CaptureQueriesContext(connection) as queries,
    ):
        push_new_balances(event)

    assert queries.captured_queries == []
    layer.return_value.group_send.assert_not_called()


def test_every_open_socket_follows_the_feed_new_thanks_and_changed_counts():
    from plaudit.recognition.services import (
        Gift,
        add_comment,
        delete_comment,
        give_recognition,
        react,
        remove_reaction,
    )

    giver, receiver, alice, bob = (UserFactory() for _ in range(4))

    async def scenario():
        sockets = [socket_for(alice), socket_for(bob)]
        for socket in sockets:
            assert (await socket.connect())[0]

        async def everyone_hears(message):
            for socket in sockets:
                assert await socket.receive_json_from(timeout=5) == message

        kudos = await sync_to_async(give_recognition)(
            giver=giver, message="Thanks!", gifts=[Gift(receiver, 0)]
        )
        await everyone_hears({"type": "feed.new", "recognition": kudos.pk, "giver": giver.pk})

        def counts(reactions, comments):
            return {
                "type": "feed.counts",
                "recognition": kudos.pk,
                "reactions": reactions,
                "comments": comments,
            }

        await sync_to_async(react)(user=alice, recognition=kudos, emoji="🎉")
        await everyone_hears(counts([{"emoji": "🎉", "count": 1}], 0))
        comment = await sync_to_async(add_comment)(author=bob, recognition=kudos, body="Yes!")
        await everyone_hears(counts([{"emoji": "🎉", "count": 1}], 1))
        await sync_to_async(delete_comment)(actor=bob, comment=comment)
        await everyone_hears(counts([{"emoji": "🎉", "count": 1}], 0))
        await sync_to_async(remove_reaction)(user=alice, recognition=kudos, emoji="🎉")
        await everyone_hears(counts([], 0))
        for socket in sockets:
            assert await socket.receive_nothing(timeout=0.5)
            await socket.disconnect()

    run(scenario)


def test_with_no_socket_open_a_feed_change_reads_nothing_to_push(monkeypatch):
    from django.core.cache import cache

    from plaudit.events import realtime
    from plaudit.recognition import subscribers
    from plaudit.recognition.services import Gift, give_recognition, react

    cache.delete(realtime._open_sockets_key(None))  # nobody is connected
    built = []
    monkeypatch.setattr(subscribers, "feed_counts", lambda recognition_id: built.append(1) or {})
    kudos = give_recognition(giver=UserFactory(), message="Hi", gifts=[Gift(UserFactory(), 0)])

    with mock.patch.object(realtime, "get_channel_layer") as layer:
        react(user=UserFactory(), recognition=kudos, emoji="🎉")

    assert built == []
    layer.return_value.group_send.assert_not_called()
