"""``manage.py create_api_token --scope scim --name okta``: a token from the shell.

For an operator setting up an integration (SCIM from Okta or Entra ID, a script). The
token belongs to ``--owner`` (an email), or else to the longest-serving active HR admin;
scopes beyond that person's role are refused as on the web. The secret is printed once.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from plaudit.core.errors import DomainError
from plaudit.people.models import User
from plaudit.people.roles import ACTIVE_HR_ADMIN
from plaudit.tokens.models import TokenKind
from plaudit.tokens.scopes import Scope
from plaudit.tokens.services import create_token


class Command(BaseCommand):
    help = "Create an API token (a service token by default) and print its secret once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--scope", action="append", required=True, choices=Scope.values, dest="scopes"
        )
        parser.add_argument("--owner", help="The owner's email (default: an HR admin).")
        parser.add_argument("--kind", choices=TokenKind.values, default=TokenKind.SERVICE)
        parser.add_argument(
            "--expires-days", type=int, default=365, help="0: the token never expires."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        owner = self._owner(options["owner"])
        days = options["expires_days"]
        expires_at = timezone.now() + timedelta(days=days) if days > 0 else None
        try:
            issued = create_token(
                actor=None,
                owner=owner,
                name=options["name"],
                scopes=options["scopes"],
                kind=options["kind"],
                expires_at=expires_at,
            )
        except DomainError as error:
            raise CommandError(str(error.detail)) from error
        token = issued.token
        if token.expires_at is None:
            summary = _(
                "Token %(name)s (plaudit_%(prefix)s_…) for %(owner)s, scopes %(scopes)s, "
                "never expires. The secret, shown once:"
            )
        else:
            summary = _(
                "Token %(name)s (plaudit_%(prefix)s_…) for %(owner)s, scopes %(scopes)s, "
                "expires %(expires)s. The secret, shown once:"
            )
        self.stderr.write(
            summary
            % {
                "name": token.name,
                "prefix": token.prefix,
                "owner": owner.email,
                "scopes": " ".join(token.scopes),
                "expires": f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "",
            }
        )
        self.stdout.write(issued.secret)

    def _owner(self, email: str | None) -> User:
        if email:
            owner = User.objects.filter(email__iexact=email).first()
            if owner is None:
                raise CommandError(_("Nobody has the email %(email)s.") % {"email": email})
            return owner
        owner = (
            User.objects.filter(ACTIVE_HR_ADMIN)
            .order_by("-is_superuser", "date_joined", "pk")
            .first()
        )
        if owner is None:
            raise CommandError(_("There is no active HR admin to own the token; pass --owner."))
        return owner
