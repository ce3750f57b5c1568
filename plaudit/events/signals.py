"""Signals of the events app.

``event_ready`` is a custom signal: the dispatcher sends it once per delivery
attempt of an outbox event, and each consumer (in-app notifications, webhooks, the
live pushes to open pages, or any app that registers one in its
``AppConfig.ready()`` with :func:`~.dispatch.event_consumer` or
:func:`~.dispatch.live_consumer`) is a receiver. The dispatcher does not know its
consumers, and a consumer does not know who produced the event.
"""

from django.dispatch import Signal

# Sent with ``event=<OutboxEvent>``; receivers must be idempotent (at-least-once delivery).
event_ready = Signal()
