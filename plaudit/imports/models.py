"""Import jobs, the rows they stage while they run, and the rows they reject."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    EMPLOYEES = "employees", _("Employees")
    REWARDS = "rewards", _("Reward catalog")
    REWARD_CODES = "reward_codes", _("Reward codes")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One uploaded CSV and what became of it; ``created``/``updated`` are "would" counts
    when ``dry_run`` is set."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    dry_run = models.BooleanField(default=False)
    file = models.FileField(upload_to="imports/", max_length=255, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    reward = models.ForeignKey(
        "rewards.Reward",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The reward whose codes a reward_codes import adds."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    unknown_columns = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True, help_text=_("Why the job failed, if it did."))
    attempts = models.PositiveIntegerField(default=0)
    resumes = models.PositiveIntegerField(
        default=0,
        help_text=_(
            "Times in a row it was started again on its own after its worker died; "
            "a re-run by a person resets it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When it was last sent to the workers.")
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(processed_rows__lte=models.F("total_rows")),
                name="import_progress_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import #{self.pk} ({self.status})"


class StagedRow(models.Model):
    """A row of a running job, parked in the database so memory stays flat.

    Duplicate keys, references to rows further down the file and conflicts with
    existing data are then decided with set-based queries instead of in Python.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveIntegerField()
    key = models.CharField(max_length=255, null=True, blank=True)
    email = models.CharField(max_length=254, null=True, blank=True)
    ref_key = models.CharField(max_length=255, null=True, blank=True)
    data = models.JSONField(default=dict)
    rejected = models.BooleanField(default=False)
    awaits_link = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "line"], name="staged_row_line_unique")
        ]
        indexes = [
            models.Index(fields=["job", "key", "line"], name="staged_row_key_idx"),
            models.Index(fields=["job", "email", "line"], name="staged_row_email_idx"),
        ]

    def __str__(self) -> str:
        return f"line {self.line} of import {self.job_id}"


class RowError(models.Model):
    """One reason a row was rejected; a row may have several (one per bad column)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row = models.PositiveIntegerField(help_text=_("Line number in the file; the header is line 1."))
    column = models.CharField(max_length=100, blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["job", "row", "id"], name="row_error_job_row_idx")]

    def __str__(self) -> str:
        return f"line {self.row}, {self.column or 'row'}: {self.message}"
