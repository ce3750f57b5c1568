"""``manage.py reset_mfa EMAIL``: a person who lost their authenticator signs in again.

Removes their authenticator app, passkeys and recovery codes (allauth's Authenticators).
When their role must use MFA, their next sign-in sends them to enrol a new one.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plaudit.people.mfa import reset_second_factors
from plaudit.people.models import User


class Command(BaseCommand):
    # argparse reads a plain str (a lazy translation breaks --help), as Django's own do.
    help = "Remove a person's second factors (authenticator app, passkeys, recovery codes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's sign-in address")

    def handle(self, *args: Any, **options: Any) -> None:
        person = User.objects.filter(email__iexact=options["email"].strip()).first()
        if person is None:
            raise CommandError(_("Nobody signs in as %(email)s.") % {"email": options["email"]})
        removed = reset_second_factors(person=person)
        self.stdout.write(
            ngettext(
                "Removed %(count)s authenticator of %(email)s; they sign in with their "
                "password and enrol again.",
                "Removed %(count)s authenticators of %(email)s; they sign in with their "
                "password and enrol again.",
                removed,
            )
            % {"count": removed, "email": person.email}
        )
