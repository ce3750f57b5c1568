"""Microsoft Teams: ``@Plaudit kudos …`` through an outgoing webhook (HMAC verified,
answered synchronously: :mod:`.inbound`), recognitions posted to a channel as Adaptive
Cards through an incoming webhook (:mod:`.posts`). Why an outgoing webhook and not a
Bot Framework bot: docs/operations.md, "Connect Microsoft Teams"."""
