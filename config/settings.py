"""Plaudit settings: one module, every value from the environment.

The defaults run Plaudit with no service at all (SQLite, an in-process cache,
Celery tasks executed inline). Setting DATABASE_URL, REDIS_URL and
CELERY_BROKER_URL switches to PostgreSQL, Redis and a real broker.
See docs/operations.md and .env.example for every variable.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from corsheaders.defaults import default_headers as cors_default_headers
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration

from config import sso

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

# --- Environment ---------------------------------------------------------------
# DJANGO_ENV=production turns on every production guard and secure default below;
# anything else (the default "development") runs with no configuration at all.
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env.bool("DEBUG", default=False)
EMBEDDED_SECRET_KEY = "insecure-embedded-default-do-not-use-in-production"  # noqa: S105
if PRODUCTION:
    # No default here: a production process without its own key refuses to start.
    SECRET_KEY = env.str("SECRET_KEY")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")
    if SECRET_KEY == EMBEDDED_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be a random value of at least 50 characters in production, "
            "e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'."
        )
else:
    # The embedded default is only for trying Plaudit on one's own machine.
    SECRET_KEY = env.str("SECRET_KEY", default=EMBEDDED_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First, so its `runserver` is the one: `make run` serves the ASGI application (pages
    # and the /ws/ WebSocket) from one process, with the in-memory channel layer.
    "daphne",
    "plaudit.core.admin_config.PlauditAdminConfig",  # django.contrib.admin, role-checked
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "django_guid",
    "django_prometheus",
    "rest_framework",
    "rest_framework_simplejwt",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served by Plaudit itself (no CDN)
    "plaudit.core",
    "plaudit.people",
    "plaudit.ledger",
    "plaudit.rewards",
    "plaudit.reports",
    "plaudit.events",
    "plaudit.recognition",
    "plaudit.web",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",  # TOTP, passkeys (WebAuthn) and recovery codes at /accounts/2fa/
    "axes",
    "csp",
    "plaudit.imports",
    "plaudit.chat",
    "plaudit.audit",
    "plaudit.tokens",
    "plaudit.scim",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request id (X-Request-ID from nginx, or a new one) for every log line and task.
    "django_guid.middleware.guid_middleware",
    "plaudit.audit.context.AuditContextMiddleware",  # the address facts are recorded with
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # The sign-in pages' forms may lead to the identity providers configured (CSP form-action).
    "plaudit.web.auth.SignInFormActions",
    "corsheaders.middleware.CorsMiddleware",
    # Before sessions and auth, so their reads and writes are routed too.
    "plaudit.core.db_routing.ReplicaRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the switcher's cookie, then Accept-Language, then LANGUAGE_CODE;
    # after sessions, before CommonMiddleware (Django's order). On the way out it writes
    # Content-Language and Vary: Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's own language and time zone win (plaudit/people/localisation.py;
    # an API token's person gets theirs from the JWT authentication, inside DRF).
    "plaudit.people.localisation.PersonLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication (and allauth's): a person who must use MFA and has not enrolled
    # reaches nothing but the enrolment pages (plaudit/web/mfa.py).
    "plaudit.web.mfa.RequireMFAMiddleware",
    # Last, so it sees the result of every authentication attempt.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
# Pages and /ws/ (Channels): what `manage.py runserver` (Daphne's) serves; in production
# only /ws/ goes to this ASGI process and HTTP stays on WSGI (docs/operations.md).
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE and LANGUAGE_BIDI: <html lang dir> in templates/base.html.
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "plaudit.web.context_processors.points",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# With DATABASE_POOL on, each process keeps a psycopg pool of at most
# DATABASE_POOL_MAX_SIZE connections: size it to the server's threads per process
# (WEB_THREADS), since a thread holds one connection for its request.
DATABASE_POOL = env.bool("DATABASE_POOL", default=False)
WEB_THREADS = env.int("WEB_THREADS", default=4)


def _database(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(env.db_url_config(url))
    config["ATOMIC_REQUESTS"] = False  # services own their transactions
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.sqlite3":  # see "SQLite" in docs/operations.md
        options.update(transaction_mode="IMMEDIATE", timeout=20)  # writers queue at BEGIN
        options["init_command"] = "PRAGMA journal_mode=WAL"  # and readers never wait for them
    elif DATABASE_POOL:
        options["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=WEB_THREADS),
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
        }
        config["CONN_MAX_AGE"] = 0  # the pool, not Django, keeps connections open
    else:
        config["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {
    "default": _database(env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}
# Read replicas (comma-separated URLs): safe reads go there, see plaudit/core/db_routing.py.
DATABASE_REPLICAS: list[str] = []
for _index, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    DATABASES[f"replica_{_index}"] = {**_database(_url), "TEST": {"MIRROR": "default"}}
    DATABASE_REPLICAS.append(f"replica_{_index}")
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["plaudit.core.db_routing.PrimaryReplicaRouter"]
# After a write, the same client reads from the primary for this long (replica lag bound).
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Degrades to cache misses if Redis is unreachable: see plaudit/core/cache.py.
            "BACKEND": "plaudit.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="plaudit"),
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
                "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=0.5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth ---------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        # Argon2 for new passwords; PBKDF2 still verifies (and upgrades) older hashes.
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)

# --- Internationalisation ----------------------------------------------------
# The languages Plaudit ships (locale/<code>/LC_MESSAGES/django.po), each named in its
# own language for the switcher. A person's own choice (User.language) wins, then the
# browser's Accept-Language, then the company default, LANGUAGE_CODE.
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
]
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LOCALE_PATHS = [BASE_DIR / "locale"]
# The company's time zone: "this month" for allowances, leaderboards and digests is
# the company's calendar month here. A person may read times in their own
# (User.time_zone); blank means the company's.
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# Numbers people read are grouped ("2,500") by plaudit/core/wording.py (Django's
# number_format with force_grouping) and the `points`/`number` template filters, in
# pages, emails, notifications and problem messages alike. USE_THOUSAND_SEPARATOR stays
# off: it would also group the ids templates put in URLs and attributes.

# --- Static and media -----------------------------------------------------------
STATIC_URL = "static/"
# collectstatic writes here; nginx serves it at /static/ in a deployment.
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Set STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage
    # after `collectstatic` for content-hashed names cached forever.
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND", default="whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
# WhiteNoise serves static files from the app's own process, so `make run` works with
# DEBUG off; finders spare a collectstatic step in development.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
# Reward images: served by Django unless a web server in front (nginx) serves /media/.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)

# --- Web app: sign-in (django-allauth), brute-force protection (django-axes), CSP ------
AUTHENTICATION_BACKENDS = [
    "plaudit.web.auth.SignInAttemptsBackend",  # first: refuses locked-out sign-ins (axes)
    "plaudit.web.auth.SingleSignOnOnlyBackend",  # refuses passwords when SSO_ONLY is on
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "plaudit.web.auth.CompanyAccountAdapter"
# django-axes is the brute-force guard for passwords (web and API alike:
# CompanyAccountAdapter.pre_authenticate leaves them to it). allauth's "login_failed" limit
# stays on for what axes never sees: second-factor codes, per person (allauth.mfa counts
# them under this action) and per address. The token endpoint keeps its own count of the
# same size (plaudit.people.mfa).
MFA_CODE_FAILURES_ALLOWED = env.int("MFA_CODE_FAILURES_ALLOWED", default=5)
MFA_CODE_FAILURES_WINDOW = env.int("MFA_CODE_FAILURES_WINDOW_SECONDS", default=300)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"10/m/ip,{MFA_CODE_FAILURES_ALLOWED}/{MFA_CODE_FAILURES_WINDOW}s/key"
}
SOCIALACCOUNT_ADAPTER = "plaudit.web.auth.CompanySocialAccountAdapter"
# Social sign-in matches an existing person by a verified email address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {}
for _provider in ("google", "github"):
    # Off unless both values are set, e.g. GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET.
    _client_id = env.str(f"{_provider.upper()}_CLIENT_ID", default="")
    _secret = env.str(f"{_provider.upper()}_CLIENT_SECRET", default="")
    if _client_id and _secret:
        INSTALLED_APPS.append(f"allauth.socialaccount.providers.{_provider}")
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [{"client_id": _client_id, "secret": _secret}],
            "SCOPE": ["profile", "email"] if _provider == "google" else ["user:email"],
            "VERIFIED_EMAIL": _provider == "google",
        }
# Multi-factor authentication (allauth.mfa): an authenticator app (TOTP), passkeys and
# security keys (WebAuthn), and single-use recovery codes. Anyone may enrol at
# /accounts/2fa/; the roles in PLAUDIT_REQUIRE_MFA_FOR must (see plaudit/web/mfa.py).
MFA_ADAPTER = "plaudit.web.mfa.CompanyMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# "Sign in with a passkey" on the sign-in page: a passkey is both factors at once.
MFA_PASSKEY_LOGIN_ENABLED = env.bool("MFA_PASSKEY_LOGIN_ENABLED", default=True)
# Authenticator apps show this name beside the code; passkeys name the relying party so.
MFA_TOTP_ISSUER = env.str("PLAUDIT_SITE_NAME", default="Plaudit")
# A passkey belongs to a domain (its relying party id): the host of PLAUDIT_SITE_URL unless
# set. Changing it later makes every registered passkey unusable.
MFA_WEBAUTHN_RP_ID = env.str("MFA_WEBAUTHN_RP_ID", default="")
# Only for trying passkeys over plain HTTP on another name than localhost.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False)
# Roles that must use MFA: such a person is sent to enrol before anything else, and the
# API refuses their tokens (problem "mfa_required"). "hr_admin" covers superusers too.
# On by default in production; empty (nobody forced) otherwise.
PLAUDIT_REQUIRE_MFA_FOR = env.list(
    "PLAUDIT_REQUIRE_MFA_FOR", default=["hr_admin"] if PRODUCTION else []
)

# Single sign-on through the company's identity provider (docs/operations.md, "Single
# sign-on"): generic OpenID Connect and SAML 2.0. Both providers are installed always, so
# an HR admin can also configure one in the admin (Social applications); the environment
# configures one of each. A person is found (or hired) by email only when the IdP vouches
# for the address (plaudit.people.sso): an OpenID Connect provider with its email_verified
# claim (or, for one that never sends it, SSO_OIDC_EMAIL_VERIFIED=true); a SAML IdP, which
# has no such claim, is the company's authority on its addresses unless
# SSO_SAML_EMAIL_VERIFIED=false. A superuser is never found by email.
SSO_OIDC_EMAIL_VERIFIED = env.bool("SSO_OIDC_EMAIL_VERIFIED", default=False)
SSO_SAML_EMAIL_VERIFIED = env.bool("SSO_SAML_EMAIL_VERIFIED", default=True)
INSTALLED_APPS += [
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
]
SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
    "VERIFIED_EMAIL": SSO_OIDC_EMAIL_VERIFIED,
    "APPS": [],
}
SOCIALACCOUNT_PROVIDERS["saml"] = {"VERIFIED_EMAIL": SSO_SAML_EMAIL_VERIFIED, "APPS": []}
if env.str("SSO_OIDC_DISCOVERY_URL", default=""):
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [
        sso.oidc_app(
            name=env.str("SSO_OIDC_NAME", default="Single sign-on"),
            discovery_url=env.str("SSO_OIDC_DISCOVERY_URL"),
            client_id=env.str("SSO_OIDC_CLIENT_ID"),
            secret=env.str("SSO_OIDC_CLIENT_SECRET", default=""),
            scopes=env.list("SSO_OIDC_SCOPES", default=["openid", "profile", "email"]),
            pkce=env.bool("SSO_OIDC_PKCE", default=True),
        )
    ]
if env.str("SSO_SAML_METADATA_URL", default="") or env.str("SSO_SAML_METADATA_FILE", default=""):
    SOCIALACCOUNT_PROVIDERS["saml"]["APPS"] = [
        sso.saml_app(
            name=env.str("SSO_SAML_NAME", default="Single sign-on"),
            metadata_url=env.str("SSO_SAML_METADATA_URL", default=""),
            metadata_file=env.str("SSO_SAML_METADATA_FILE", default=""),
            entity_id=env.str("SSO_SAML_IDP_ENTITY_ID", default=""),
            sp_entity_id=env.str("SSO_SAML_SP_ENTITY_ID", default=""),
            attribute_mapping=sso.SAML_ATTRIBUTE_MAPPING,
        )
    ]
# Just-in-time provisioning: a first sign-in through single sign-on creates the person.
SSO_AUTO_CREATE = env.bool("SSO_AUTO_CREATE", default=False)
# Only the identity provider signs people in: password sign-in (web and API) is refused to
# everyone but a superuser, the break-glass account (/accounts/login/?password).
SSO_ONLY = env.bool("SSO_ONLY", default=False)
if SSO_ONLY:
    # A passkey alone would be a way in beside the provider (CompanyAccountAdapter.pre_login
    # refuses any such sign-in too); passkeys stay a second factor.
    MFA_PASSKEY_LOGIN_ENABLED = False
# Which claims or attributes carry each field: SSO_CLAIM_DEPARTMENT=dept,ou (first present).
SSO_CLAIMS: dict[str, list[str]] = {}
for _field in (
    "email",
    "first_name",
    "last_name",
    "name",
    "department",
    "title",
    "employee_id",
    "manager",
    "groups",
):
    SSO_CLAIMS[_field] = env.list(f"SSO_CLAIM_{_field.upper()}", default=sso.DEFAULT_CLAIMS[_field])
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Plaudit <plaudit@localhost>")

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "plaudit.web.auth.attempted_email"
AXES_LOCKOUT_CALLABLE = "plaudit.web.auth.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no start-up banner on every manage.py command
AXES_IPWARE_PROXY_COUNT = env.int("NUM_PROXIES", default=0)

# Scripts only from our own origin or carrying this response's nonce; no inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- REST framework ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer tokens first: their WWW-Authenticate header makes unauthenticated calls
        # a 401. API tokens ("plaudit_...") are the first class's, JWTs the second's.
        "plaudit.tokens.authentication.TokenAuthentication",
        "plaudit.people.authentication.CachedUserJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["plaudit.core.parsers.JSONParser"],
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "DEFAULT_VERSION": "v1",
    "DEFAULT_PAGINATION_CLASS": "plaudit.core.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "plaudit.core.throttling.UserRateThrottle",
        "plaudit.core.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("THROTTLE_AUTH_RATE", default="20/min"),
        "redeem": env.str("THROTTLE_REDEEM_RATE", default="30/min"),
        "user": env.str("THROTTLE_USER_RATE", default="6000/min"),
        "anon": env.str("THROTTLE_ANON_RATE", default="600/min"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "EXCEPTION_HANDLER": "plaudit.core.exceptions.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "plaudit.core.schema.ProblemAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": True,
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default=SECRET_KEY),
    "UPDATE_LAST_LOGIN": False,
}

# API tokens (plaudit/tokens): a new token's lifetime when its maker does not choose one.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
# The audit log flags a grant of at least this many points to one person as large.
AUDIT_LARGE_GRANT_POINTS = env.int("AUDIT_LARGE_GRANT_POINTS", default=1000)

SPECTACULAR_SETTINGS = {
    "TITLE": "Plaudit API",
    "DESCRIPTION": "Employee recognition and rewards: people, points, rewards, redemptions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    # /api/docs/ and /api/redoc/ load their assets from Plaudit's own static files, so they
    # work offline and under the CSP (templates/drf_spectacular/ adds the nonce).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge image from validator.swagger.io: nothing leaves the page.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # One stable, readable name per choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "TransactionKindEnum": "plaudit.ledger.models.TransactionKind",
        "ImportKindEnum": "plaudit.imports.models.ImportKind",
        "ApiTokenKindEnum": "plaudit.tokens.models.TokenKind",
        "ApiTokenScopeEnum": "plaudit.tokens.scopes.Scope",
        "EventTypeEnum": "plaudit.events.models.EventType",
    },
}

# --- Celery -----------------------------------------------------------------------
_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# With no broker, tasks run inline in the calling process (the embedded default);
# Celery still builds a producer for inline tasks, so give it kombu's in-memory transport.
CELERY_TASK_ALWAYS_EAGER = not _BROKER_URL
CELERY_BROKER_URL = _BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_TIMEZONE = TIME_ZONE
# A dedicated queue name lets several deployments (or test runs) share one broker.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# With the broker down, fail fast: the event stays in the outbox and the sweep sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {
        "task": "plaudit.events.tasks.sweep_outbox",
        "schedule": timedelta(minutes=1),
    },
    "retry-webhooks": {
        "task": "plaudit.events.tasks.retry_webhooks",
        "schedule": timedelta(minutes=1),
    },
    "resume-interrupted-imports": {
        "task": "plaudit.imports.tasks.resume_interrupted_imports",
        "schedule": timedelta(minutes=1),
    },
    "retry-chat-deliveries": {
        "task": "plaudit.chat.tasks.retry_chat_deliveries",
        "schedule": timedelta(minutes=1),
    },
    "purge-delivered-events": {
        "task": "plaudit.events.tasks.purge_delivered_events",
        "schedule": timedelta(hours=24),
    },
    "daily-digests": {
        "task": "plaudit.events.tasks.send_daily_digests",
        "schedule": crontab(hour=env.int("PLAUDIT_DIGEST_HOUR", default=8), minute=0),
    },
    "deactivate-expired-rewards": {
        "task": "plaudit.rewards.tasks.deactivate_expired_rewards",
        "schedule": timedelta(hours=24),
    },
    # Idempotent and catches up on missed days, so running it often is harmless.
    "celebrate-occasions": {
        "task": "plaudit.recognition.tasks.celebrate_occasions",
        "schedule": timedelta(hours=6),
    },
}

# --- Events: WebSockets (Channels), webhooks -------------------------------------------
# In-memory only reaches sockets in the same process: production sets CHANNELS_REDIS_URL
# so workers and the WSGI process can push to the ASGI process's sockets.
CHANNELS_REDIS_URL = env.str("CHANNELS_REDIS_URL", default="")
CHANNEL_LAYERS = {
    "default": (
        {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CHANNELS_REDIS_URL], "prefix": "plaudit:ws"},
        }
        if CHANNELS_REDIS_URL
        else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    )
}
# Hosts whose webhook URLs may resolve to private addresses (an operator's choice).
WEBHOOK_ALLOWED_HOSTS = env.list("WEBHOOK_ALLOWED_HOSTS", default=[])
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_RETRY_WINDOW_SECONDS = env.int("WEBHOOK_RETRY_WINDOW_SECONDS", default=24 * 60 * 60)
# Outbox events every consumer took are deleted this many days later (with their webhook
# delivery log); 0 keeps them forever. Undelivered events are never deleted.
PLAUDIT_OUTBOX_RETENTION_DAYS = env.int("PLAUDIT_OUTBOX_RETENTION_DAYS", default=30)

# --- Plaudit ---------------------------------------------------------------------
PLAUDIT = {
    # Absolute links in emails start with this; its host is the domain emails name.
    "SITE_URL": env.str("PLAUDIT_SITE_URL", default="http://localhost:8000"),
    # What emails (sign-in ones included) and the web app manifest call this installation.
    "SITE_NAME": env.str("PLAUDIT_SITE_NAME", default="Plaudit"),
    # HR is told when a redemption takes a reward's stock down to this many.
    "LOW_STOCK_THRESHOLD": env.int("PLAUDIT_LOW_STOCK_THRESHOLD", default=5),
    # Monthly giving allowance, in points, for everyone and for managers.
    "MONTHLY_ALLOWANCE": env.int("PLAUDIT_MONTHLY_ALLOWANCE", default=100),
    "MANAGER_MONTHLY_ALLOWANCE": env.int("PLAUDIT_MANAGER_MONTHLY_ALLOWANCE", default=200),
    # Upper bound on how long the catalog list may be served from cache.
    "CATALOG_CACHE_SECONDS": env.int("PLAUDIT_CATALOG_CACHE_SECONDS", default=300),
    # Upper bound on how long leaderboards and trends may be served from cache.
    "REPORTS_CACHE_SECONDS": env.int("PLAUDIT_REPORTS_CACHE_SECONDS", default=300),
    # Celebrations look this many days back, so a late or missed run still celebrates.
    "CELEBRATION_CATCH_UP_DAYS": env.int("PLAUDIT_CELEBRATION_CATCH_UP_DAYS", default=3),
    "REWARD_IMAGE_MAX_BYTES": env.int("PLAUDIT_REWARD_IMAGE_MAX_BYTES", default=2 * 1024 * 1024),
    # CSV imports: larger uploads are refused with 413 before they are read.
    "IMPORT_MAX_BYTES": env.int("PLAUDIT_IMPORT_MAX_BYTES", default=256 * 1024 * 1024),
    # Fernet keys for secrets at rest (reward codes, webhook secrets), newest first
    # (empty: derived from SECRET_KEY); plaudit/core/encryption.py.
    "CODES_KEYS": env.list("PLAUDIT_CODES_KEYS", default=[]),
}
if PRODUCTION and not PLAUDIT["CODES_KEYS"]:
    raise ImproperlyConfigured(
        "Set PLAUDIT_CODES_KEYS in production (a Fernet key: python -c 'from "
        "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
    )

# --- Chat: Slack, Mattermost, Microsoft Teams (plaudit/chat) ------------------------
# One Slack workspace configured here, without the admin (more are added in the admin,
# as chat workspaces). Secrets in the admin are stored encrypted with PLAUDIT_CODES_KEYS.
SLACK_SIGNING_SECRET = env.str("SLACK_SIGNING_SECRET", default="")
SLACK_BOT_TOKEN = env.str("SLACK_BOT_TOKEN", default="")
SLACK_CHANNEL = env.str("SLACK_CHANNEL", default="")  # a channel id: every recognition's post
# Slack's Web API; the tests point it at a local fake (tests/chat/fake_slack.py).
SLACK_API_URL = env.str("SLACK_API_URL", default="https://slack.com/api/")

# --- Security ---------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Production sits behind a TLS-terminating proxy (nginx, a load balancer) that sets
# X-Forwarded-Proto; only trust that header when the proxy always overwrites it.
if env.bool("SECURE_PROXY_SSL_HEADER", default=PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
# Probes and scrapers talk plain HTTP to the app port from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=PRODUCTION)

# CORS for a front end served from another origin (django-cors-headers); API only.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = env.bool("CORS_ALLOW_CREDENTIALS", default=False)
CORS_ALLOW_HEADERS = (*cors_default_headers, "idempotency-key", "x-request-id")
CORS_EXPOSE_HEADERS = ["Idempotent-Replayed", "Retry-After", "X-Request-ID", "Location"]

# --- Operations: request ids, logs, errors, metrics ----------------------------------
DJANGO_GUID: dict[str, Any] = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,  # a client's malformed id is replaced, never logged as given
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
    # Carries the id into Celery task headers and the worker's log lines.
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from django_guid.integrations import SentryIntegration as GuidSentryIntegration

    DJANGO_GUID["INTEGRATIONS"].append(GuidSentryIntegration())
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default=DJANGO_ENV),
        release=env.str("APP_RELEASE", default=None),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,  # no emails, salaries or cookies leave for Sentry
    )
# /metrics answers only with "Authorization: Bearer <METRICS_TOKEN>" (404 when unset).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# JSON lines in production (for ELK, Loki, CloudWatch); readable text otherwise.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "django_guid.log_filters.CorrelationId"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django_guid": {"level": "WARNING"},
        # Inline tasks (no broker) would log a "succeeded" or "delivered" line for every
        # event of a request.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
        "plaudit.events.dispatch": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}
