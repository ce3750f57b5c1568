"""A client generated from /api/schema/ by openapi-python-client, a generator nobody here
wrote, signs in, redeems and approves against a running server, and reads typed answers.

The client is generated offline into a temporary directory, with no post-hooks: the
generator's default ones run ruff from the PATH, which a test must not count on.
"""

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.factories import TEST_PASSWORD, ManagerFactory, RewardFactory, UserFactory

PACKAGE = "plaudit_client"


def generate_client(schema_url: str, directory: Path) -> None:
    schema = directory / "openapi.json"
    # trust_env off: a proxy set in the environment must not carry a call to this machine.
    response = httpx.get(schema_url, params={"format": "json"}, trust_env=False, timeout=60)
    response.raise_for_status()
    schema.write_bytes(response.content)
    config = directory / "config.json"
    config.write_text(json.dumps({"package_name_override": PACKAGE, "post_hooks": []}))
    result = subprocess.run(
        [
            *(sys.executable, "-m", "openapi_python_client", "generate"),
            *("--path", str(schema), "--config", str(config), "--meta", "none"),
            *("--output-path", str(directory / PACKAGE), "--fail-on-warning"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def client_package(
    live_server: Any, tmp_path_factory: pytest.TempPathFactory, django_db_blocker: Any
) -> Iterator[ModuleType]:
    """The generated package, imported once for this module; forgotten again afterwards."""
    directory = tmp_path_factory.mktemp("generated_client")
    # The schema reads no table, but each request starts by checking the server's
    # connection (Django's close_old_connections), which outside a test is blocked.
    with django_db_blocker.unblock():
        generate_client(f"{live_server.url}/api/schema/", directory)
    sys.path.insert(0, str(directory))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(directory))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def generated(module: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{module}")


def test_a_generated_client_signs_in_redeems_and_approves(live_server, client_package):
    manager = ManagerFactory()
    employee = UserFactory(manager=manager, with_points=500)
    reward = RewardFactory(cost=120)
    models = generated("models")
    sign_in = generated("api.auth.auth_token_create")
    redeem = generated("api.redemptions.redemptions_create")
    approve = generated("api.redemptions.redemptions_approve_create")

    def signed_in_as(person: Any) -> Any:
        anonymous = client_package.Client(
            base_url=live_server.url,
            raise_on_unexpected_status=True,
            httpx_args={"trust_env": False},
        )
        tokens = sign_in.sync(
            client=anonymous,
            body=models.TokenObtainPairRequest(email=person.email, password=TEST_PASSWORD),
        )
        assert isinstance(tokens, models.TokenObtainPair)
        return client_package.AuthenticatedClient(
            base_url=live_server.url,
            token=tokens.access,
            raise_on_unexpected_status=True,
            httpx_args={"trust_env": False},
        )

    redeemed = redeem.sync(
        client=signed_in_as(employee),
        body=models.RedemptionRequestRequest(reward=reward.pk),
        idempotency_key="generated-client-redeem-1",
    )
    assert isinstance(redeemed, models.Redemption)
    assert (redeemed.reward, redeemed.user, redeemed.cost) == (reward.pk, employee.pk, 120)
    assert redeemed.status == models.RedemptionStatusEnum.PENDING

    approved = approve.sync(id=redeemed.id, client=signed_in_as(manager))
    assert isinstance(approved, models.Redemption)
    assert approved.id == redeemed.id
    assert approved.status == models.RedemptionStatusEnum.APPROVED
    assert approved.decided_by == manager.pk


def test_a_generated_client_without_a_token_reads_the_refusal(live_server, client_package):
    models = generated("models")
    redeem = generated("api.redemptions.redemptions_create")
    anonymous = client_package.Client(base_url=live_server.url, httpx_args={"trust_env": False})

    refused = redeem.sync_detailed(client=anonymous, body=models.RedemptionRequestRequest(reward=1))

    assert refused.status_code == 401
    assert isinstance(refused.parsed, models.Problem)
    assert refused.parsed.code == "not_authenticated"
