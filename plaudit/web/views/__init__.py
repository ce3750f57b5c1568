"""Pages for employees, managers and HR, one module per area. Each view parses, calls a
service or selector, renders.

List pages are class-based views (``ListView`` with ``get_queryset`` and
``get_context_data``); one-shot actions (redeem, approve, reject) are small
function views that answer htmx with a fragment and everyone else with a redirect.

- :mod:`.recognition`: home, the feed, kudos, reactions, comments, the people picker;
- :mod:`.rewards`: the catalog, redeeming, one's redemptions and points history;
- :mod:`.manager`: the team and the approvals queue;
- :mod:`.hr`: the people directory, the catalog editor, reports;
- :mod:`.people`: a person's page and ledger, editing them, granting points;
- :mod:`.notifications`: notifications and their settings;
- :mod:`.imports`: HR's CSV uploads and a job's progress;
- :mod:`.from_request`: what every view reads off its request (htmx, the signed-in person).
"""
