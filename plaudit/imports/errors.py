"""Why an upload is refused before any job starts (400) or is too large (413)."""

from django.utils.translation import gettext_lazy as _

from plaudit.core.errors import DomainError
from plaudit.rewards.errors import FileTooLarge

__all__ = ["FileTooLarge", "ImportNotRestartable", "InvalidImportFile"]


class InvalidImportFile(DomainError):
    code = "invalid_file"
    status = 400
    title = _("Invalid file")
    default_detail = _("The file is not a CSV file of this kind.")


class ImportNotRestartable(DomainError):
    code = "import_not_restartable"
    title = _("Import cannot be re-run")
    default_detail = _("Only a failed or interrupted import can be re-run.")
