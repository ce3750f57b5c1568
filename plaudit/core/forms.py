"""What every door's forms share (pages and admin): a service's refusal shown on a form."""

from django.forms import BaseForm

from .errors import DomainError


def show_refusal(form: BaseForm, refusal: DomainError) -> None:
    """The service's words beside the field they name, or atop the form when that field
    is not on it (nothing was saved)."""
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.detail)
