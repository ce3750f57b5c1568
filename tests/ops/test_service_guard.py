"""CI cannot pass by skipping. A test that needs PostgreSQL, Redis or a broker skips on
a newcomer's quick run without them, but with ``PLAUDIT_REQUIRE_SERVICES`` (which
``.ci/run`` sets) the same test fails, so a service that is down fails the build."""

from typing import Any

import pytest

from tests import conftest


class NeedsBroker:
    """A collected test marked ``broker``, as pytest hands it to the setup hook."""

    def get_closest_marker(self, name: str) -> Any:
        return pytest.mark.broker.mark if name == "broker" else None


@pytest.fixture
def no_broker(monkeypatch):
    monkeypatch.delenv("PLAUDIT_TEST_BROKER_URL", raising=False)


def test_without_the_service_a_quick_run_skips_the_test(monkeypatch, no_broker):
    monkeypatch.setattr(conftest, "REQUIRE_SERVICES", False)

    with pytest.raises(pytest.skip.Exception, match="needs a Celery broker"):
        conftest.pytest_runtest_setup(NeedsBroker())  # type: ignore[arg-type]


def test_without_the_service_a_ci_run_fails_the_test(monkeypatch, no_broker):
    monkeypatch.setattr(conftest, "REQUIRE_SERVICES", True)

    with pytest.raises(pytest.fail.Exception, match="needs a Celery broker"):
        conftest.pytest_runtest_setup(NeedsBroker())  # type: ignore[arg-type]
