"""Django's ``makemessages`` without msgmerge's fuzzy guesses.

A new sentence that resembles an old one would arrive "fuzzy" with the old one's
translation, whose placeholders often differ (``%(reward)s`` for ``%(name)s``): Babel
then refuses to compile the catalogue and ``make install`` stops. New sentences arrive
untranslated instead, and the completeness test (tests/i18n) lists them for translators.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
