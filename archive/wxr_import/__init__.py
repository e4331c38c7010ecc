"""
WordPress exports (WXR 1.0, 1.1, 1.2) into the content model, idempotently and at any size.

`import_wxr()` streams a file through the parser and writes it in bulk, a batch of items at a
time. Everything is keyed on the blog's address plus WordPress's own ids (GUIDs when an item
has no id), so importing the same file again creates nothing and changes nothing.

Two ways to commit:

- by default the whole file is one transaction: a file the parser refuses halfway (malformed
  XML, a bad date) leaves the database exactly as it was;
- with `batch_size`, the file is validated first (so a bad file still writes nothing) and then
  each batch commits on its own together with a checkpoint (ImportCheckpoint, keyed on the
  file's SHA-256). A run that dies is resumed by running it again on the same file.

`dry_run` does all the work inside a transaction that is then rolled back, so its report says
what a real run would do.
"""

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import reset_queries, transaction
from django.utils import timezone

from archive_site import generations
from linkbacks.fetch import FetchPolicy
from posts.redirects import remember_many_legacy_urls

from ..models import ImportCheckpoint
from ..parsers.wxr import WxrAuthor, WxrError, WxrItem, WxrTerm, iter_wxr, validate_wxr
from ..report import ImportReport
from . import comments, items, mapping
from .media import fetch_media
from .site import SiteImport

__all__ = ["Progress", "WxrError", "import_wxr"]


@dataclass(frozen=True)
class Progress:
    items: int  # items read so far, of every type
    bytes_read: int
    bytes_total: int | None  # None for a stream of unknown size


def import_wxr(source: Path | BinaryIO, *, report: ImportReport, name: str | None = None,
               batch_size: int | None = None, dry_run: bool = False, fetch_files: bool = False,
               fetch_policy: FetchPolicy | None = None,
               progress: Callable[[Progress], None] | None = None) -> None:
    """Import one WXR file (a path, or a binary file object that can seek) into `report`.

    Raises WxrError, naming the file and line, for a file the parser refuses; nothing of that
    file is then written. `fetch_files` downloads attachments once the import has committed,
    under `fetch_policy` (by default media.default_policy()).
    """
    if name is None:
        name = os.fspath(source) if isinstance(source, str | os.PathLike) else getattr(
            source, "name", "<stream>")
    file_report = ImportReport()
    with _opened(source) as file:
        run = _Run(file, name=name, report=file_report, progress=progress)
        if dry_run:
            with transaction.atomic():
                run.stream(flush_items=settings.ARCHIVE_WXR_FLUSH_ITEMS)
                transaction.set_rollback(True)
        elif batch_size:
            validate_wxr(_Rewound(file))
            run.stream_in_batches(batch_size, digest=_sha256(file))
        else:
            with transaction.atomic():
                run.stream(flush_items=settings.ARCHIVE_WXR_FLUSH_ITEMS)
    if not dry_run:
        generations.bump("content")
        if fetch_files:
            fetch_media(site_key=run.state.key, report=file_report, policy=fetch_policy)
    report.merge(file_report)


class _Run:
    """One pass over a file: records buffered into batches, each batch written in bulk."""

    def __init__(self, file: BinaryIO, *, name: str, report: ImportReport, progress):
        self.reader = _CountingReader(file, name=name)
        self.name = name
        self.report = report
        self.progress = progress
        self.total = _size(file)
        self.state: SiteImport | None = None
        self.batch: list[tuple[str, WxrItem]] = []
        self.waiting_bytes = 0
        self.items_read = 0
        self.now = timezone.now()

    def stream(self, *, flush_items: int, skip: int = 0,
               commit: Callable[[int, bool], object] = lambda items, last: nullcontext()) -> None:
        """Read the file, writing each batch inside `commit(items read, is last batch)`."""
        records = iter_wxr(_Rewound(self.reader))
        self.state = SiteImport(next(records), source_name=self.name, report=self.report)
        # What a resumed run reads again was counted by the run that wrote it.
        already_reported = ImportReport() if skip else self.report
        for record in records:
            if isinstance(record, WxrAuthor):
                self.state.pending_authors.append(record)
            elif isinstance(record, WxrTerm):
                self.state.pending_terms.append(record)
            else:
                self.items_read += 1
                if self.items_read <= skip:
                    with self.state.reporting_to(already_reported):
                        self._claim_only(record)
                else:
                    self._add(record)
                if self.batch and (len(self.batch) >= flush_items or
                                   self.waiting_bytes >= settings.ARCHIVE_WXR_FLUSH_BYTES):
                    with commit(self.items_read, False):
                        self._flush(already_reported)
            if self.progress:
                self.progress(Progress(self.items_read, self.reader.bytes_read, self.total))
        with commit(self.items_read, True):
            self._flush(already_reported)
            items.link_late_parents(self.state)

    def stream_in_batches(self, batch_size: int, *, digest: str) -> None:
        checkpoint = ImportCheckpoint.objects.filter(digest=digest).first()
        skip = 0
        if checkpoint is not None:
            skip = checkpoint.items_done
            _restore(self.report, checkpoint.report)
            self.report.warn(f"resumed after item {skip}, where an earlier run stopped")

        @contextmanager
        def commit(items_done: int, last: bool) -> Iterator[None]:
            with transaction.atomic():
                yield
                if last:
                    ImportCheckpoint.objects.filter(digest=digest).delete()
                else:
                    ImportCheckpoint.objects.update_or_create(digest=digest, defaults={
                        "source_name": mapping.clip(ImportCheckpoint, "source_name", self.name),
                        "items_done": items_done, "report": self.report.as_dict()})

        self.stream(flush_items=batch_size, skip=skip, commit=commit)

    def _add(self, item: WxrItem) -> None:
        if item.post_type not in mapping.POST_KINDS and item.post_type != mapping.ATTACHMENT:
            self.report.add(item.post_type or "items without a type", "skipped")
            return
        key = items.claim(self.state, item)
        if key is None:
            self.report.add(f"{item.post_type}s", "skipped")
            return
        self.batch.append((key, item))
        # Memory follows the batch: its text, and about a kilobyte for each record around it.
        self.waiting_bytes += len(item.content) + len(item.excerpt) + 1024 + sum(
            len(comment.content) + 1024 for comment in item.comments)

    def _claim_only(self, item: WxrItem) -> None:
        """Read an item a resumed run already wrote, so that repeated ids are still caught."""
        if item.post_type in mapping.POST_KINDS or item.post_type == mapping.ATTACHMENT:
            items.claim(self.state, item)
            self.state.seen_comments.update(comment.wp_id for comment in item.comments)

    def _flush(self, declarations_report: ImportReport) -> None:
        state = self.state
        with state.reporting_to(declarations_report):
            if state.blog_id is None:
                state.write_blog()
            if state.pending_authors:
                state.write_authors()
            if state.pending_terms:
                state.write_terms()
        posts = items.write_items(state, self.batch, now=self.now)
        comments.write_comments(state, [(post.pk, item) for post, item in posts], now=self.now)
        remember_many_legacy_urls(
            (post, [post.original_url] if post.original_url else []) for post, _item in posts)
        self.batch = []
        self.waiting_bytes = 0
        # With DEBUG on, Django keeps every query's SQL; bulk inserts of long posts would make
        # that log, not the import, what fills the memory.
        if settings.DEBUG:
            reset_queries()


def _restore(report: ImportReport, saved: dict) -> None:
    for kind, counts in saved.get("counts", {}).items():
        for outcome, n in counts.items():
            report.add(kind, outcome, n)
    report.warnings.extend(saved.get("warnings", []))


class _CountingReader:
    """A file as the parser reads it, counting bytes for the progress bar."""

    def __init__(self, file: BinaryIO, *, name: str):
        self.file = file
        self.name = name
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.bytes_read += len(data)
        return data

    def seek(self, offset: int) -> None:
        self.file.seek(offset)
        self.bytes_read = offset


class _Rewound:
    """The file from its start, for one more pass (validating, then importing)."""

    def __init__(self, file):
        file.seek(0)
        self.file = file
        self.name = getattr(file, "name", "<stream>")

    def read(self, size: int = -1) -> bytes:
        return self.file.read(size)


@contextmanager
def _opened(source: Path | BinaryIO) -> Iterator[BinaryIO]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as file:
            yield file
    else:
        yield source


def _size(file: BinaryIO) -> int | None:
    try:
        return os.fstat(file.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        size = getattr(file, "size", None)
        return size if isinstance(size, int) else None


def _sha256(file: BinaryIO) -> str:
    file.seek(0)
    digest = hashlib.sha256()
    while chunk := file.read(1024 * 1024):
        digest.update(chunk)
    return digest.hexdigest()
