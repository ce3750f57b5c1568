"""Production settings come from the environment only, and refuse to start half-configured.

Each case starts a fresh interpreter, because settings are read once per process.
"""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "k" * 20 + "-production-secret-for-tests-only-" + "x" * 20
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": PRODUCTION_KEY,
    "ALLOWED_HOSTS": "plaudit.example.com",
    "PLAUDIT_CODES_KEYS": base64.urlsafe_b64encode(b"k" * 32).decode(),
}


def run_django(code: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` after django.setup() with only ``environ`` (plus PATH) set."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", **environ}
    script = f"import django; django.setup()\n{code}"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_without_a_secret_key_refuses_to_start():
    environ = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_django("", **environ)
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


@pytest.mark.parametrize(
    "secret_key", ["insecure-embedded-default-do-not-use-in-production", "short"]
)
def test_production_refuses_the_embedded_or_a_short_secret_key(secret_key):
    result = run_django("", **{**PRODUCTION, "SECRET_KEY": secret_key})
    assert result.returncode != 0
    assert "SECRET_KEY must be a random value" in result.stderr


def test_production_refuses_debug():
    result = run_django("", **{**PRODUCTION, "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


@pytest.mark.abuse
def test_check_deploy_reports_nothing_for_production_settings():
    """Every check, warnings included: the security settings and drf-spectacular's
    schema generation (W001/W002 are what a generated client would get wrong)."""
    env = {"PATH": os.environ["PATH"], **PRODUCTION}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stderr


def test_production_turns_on_https_only_behaviour_behind_a_proxy():
    result = run_django(
        "from django.conf import settings as s\n"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.PASSWORD_HASHERS[0], s.LOG_FORMAT)",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "True",
        "31536000",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "json",
    ]


def test_with_no_environment_at_all_plaudit_runs_as_the_embedded_default():
    result = run_django(
        "from django.conf import settings as s\n"
        "print(s.DATABASES['default']['ENGINE'], s.SECURE_SSL_REDIRECT, s.DEBUG, s.LOG_FORMAT)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False", "False", "plain"]


def test_make_runs_server_is_daphnes_with_the_in_memory_channel_layer():
    """``manage.py runserver`` serves config.asgi (pages and /ws/) from one process; the
    browser proof is tests/web/test_live_under_make_run.py."""
    result = run_django(
        "from django.conf import settings as s\n"
        "from django.core.management import get_commands\n"
        "print(get_commands()['runserver'], s.ASGI_APPLICATION,"
        " s.CHANNEL_LAYERS['default']['BACKEND'])"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "daphne",
        "config.asgi.application",
        "channels.layers.InMemoryChannelLayer",
    ]


def test_debug_on_starts():
    """Under DEBUG, Django checks each signal receiver's signature: the outbox's
    consumers must pass, or no process starts."""
    result = run_django("print('started')", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["started"]


def test_replica_urls_become_mirrored_aliases_behind_the_router():
    result = run_django(
        "from django.conf import settings as s\n"
        "print(s.DATABASE_REPLICAS, s.DATABASE_ROUTERS,"
        " s.DATABASES['replica_2']['PORT'], s.DATABASES['replica_2']['TEST']['MIRROR'])",
        DATABASE_URL="postgres://app@db:5432/plaudit",
        DATABASE_REPLICA_URLS="postgres://app@r1:5432/plaudit,postgres://app@r2:5433/plaudit",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['replica_1', 'replica_2'] ['plaudit.core.db_routing.PrimaryReplicaRouter'] 5433 default"
    )


def test_the_connection_pool_is_sized_to_the_server_threads():
    result = run_django(
        "from django.conf import settings as s\n"
        "d = s.DATABASES['default']\n"
        "print(d['OPTIONS']['pool']['max_size'], d['CONN_MAX_AGE'])",
        DATABASE_URL="postgres://app@db:5432/plaudit",
        DATABASE_POOL="true",
        WEB_THREADS="8",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["8", "0"]


def test_sentry_reports_errors_only_when_a_dsn_is_set():
    code = "import sentry_sdk\nprint(sentry_sdk.get_client().is_active())"
    assert run_django(code).stdout.strip() == "False"
    with_dsn = run_django(code, SENTRY_DSN="https://public@sentry.invalid/1")
    assert with_dsn.stdout.strip() == "True", with_dsn.stderr
