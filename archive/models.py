"""
What the importers keep about their own runs: WXR files uploaded through the admin, and the
checkpoints of imports made in batches.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivateUploads(FileSystemStorage):
    """Where uploaded exports are kept: outside MEDIA_ROOT, never served, because an export
    holds commenters' emails and IP addresses, drafts and post passwords."""

    @property
    def base_location(self):
        return settings.ARCHIVE_WXR_UPLOAD_DIR

    @property
    def location(self):
        return os.path.abspath(self.base_location)


class ImportCheckpoint(models.Model):
    """How far a batched import of one file got, so that running it again resumes there.

    Keyed on the file's SHA-256: the same export under another name resumes, and an edited
    export starts over. Deleted when the import finishes.
    """

    digest = models.CharField(max_length=64, unique=True)
    source_name = models.CharField(max_length=500)
    items_done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, help_text=_("The report up to the checkpoint."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return f"{self.source_name}: {self.items_done} items done"


class WxrUpload(models.Model):
    """A WordPress export uploaded in the admin and imported in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file = models.FileField(upload_to="%Y/%m/", storage=PrivateUploads())
    original_name = models.CharField(max_length=255, editable=False)
    fetch_media = models.BooleanField(
        _("download attachment files"), default=False,
        help_text=_("Fetch each attachment's file from its original address after the import."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED,
                              editable=False)
    items_done = models.PositiveIntegerField(default=0, editable=False)
    bytes_done = models.PositiveBigIntegerField(default=0, editable=False)
    bytes_total = models.PositiveBigIntegerField(default=0, editable=False)
    report = models.JSONField(default=dict, blank=True, editable=False)
    error = models.TextField(blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("WordPress import")
        verbose_name_plural = _("WordPress imports")

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.bytes_done / self.bytes_total) if self.bytes_total else 0

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
