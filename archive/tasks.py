"""
Background work for the archive: importing a WXR file uploaded in the admin.

The upload imports in batches (each batch commits with a checkpoint), so that the progress it
writes to its WxrUpload row can be seen by the admin page while it runs, and a worker that dies
halfway resumes where it stopped when the task runs again.

Once imported, the file is deleted, as WordPress's importer does: an export holds commenters'
addresses and everything else the site already has. A file that failed is kept, to be looked
into, until its row is deleted.
"""

import logging
import time

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .models import WxrUpload
from .parsers.wxr import WxrError
from .report import ImportReport
from .wxr_import import Progress, import_wxr

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 1.0  # seconds between progress writes


@task()
def import_upload(upload_id: int) -> dict:
    upload = WxrUpload.objects.get(pk=upload_id)
    WxrUpload.objects.filter(pk=upload_id).update(status=WxrUpload.Status.RUNNING, error="")
    report = ImportReport()
    last_write = 0.0

    def progress(done: Progress) -> None:
        nonlocal last_write
        if time.monotonic() - last_write >= PROGRESS_INTERVAL:
            last_write = time.monotonic()
            WxrUpload.objects.filter(pk=upload_id).update(items_done=done.items,
                                                          bytes_done=done.bytes_read)

    # An imported file is deleted (see above): the row forgets it with the outcome.
    outcome = {"status": WxrUpload.Status.DONE, "error": "", "file": ""}
    try:
        with upload.file.open("rb") as file:
            import_wxr(file, report=report, name=upload.original_name,
                       batch_size=settings.ARCHIVE_WXR_UPLOAD_BATCH,
                       fetch_files=upload.fetch_media, progress=progress)
    except WxrError as error:
        outcome = {"status": WxrUpload.Status.FAILED,
                   "error": f"{error.message} (line {error.line}); nothing was imported"}
    except Exception:
        logger.exception("Import of upload %s failed", upload_id)
        outcome = {"status": WxrUpload.Status.FAILED,
                   "error": "The import stopped on an unexpected error; see the server log. "
                            "Importing the file again resumes after the last batch written."}
        raise
    finally:
        WxrUpload.objects.filter(pk=upload_id).update(**outcome, report=report.as_dict(),
                                                      finished_at=timezone.now())
    if outcome["status"] == WxrUpload.Status.DONE:
        upload.file.delete(save=False)
    return report.as_dict()
