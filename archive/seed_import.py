"""
Seed captures into the content model, with provenance.

Each capture is parsed completely before anything is written, then written in one transaction:
a file that fails leaves the database as it was. Objects are keyed on the capture's file name and
the entry's position in it, so importing again changes nothing and an edited capture updates its
objects in place.
"""

import datetime
import hashlib
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from comments.models import Comment
from comments.services import published_comments_changed
from posts.models import Author, Blog, Category, Post

from .parsers.seed import CaptureError, SeedDocument, SeedEntry, parse_file
from .report import ImportReport
from .upsert import upsert

SLUG_LENGTH = 80


def capture_paths(paths: list[Path]) -> list[Path]:
    """The capture files named, with folders expanded to the `.txt` files in them."""
    found = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.txt")))
        elif path.is_file():
            found.append(path)
        else:
            raise CaptureError(f"no such file or folder: {path}", source=str(path), line=None)
    return found


def import_capture(path: Path, *, report: ImportReport) -> SeedDocument:
    """Parse one capture and write it; the report is added to only once the file is in."""
    document = parse_file(path)
    checksum = hashlib.sha256(path.read_bytes()).hexdigest()
    file_report = ImportReport()
    with transaction.atomic():
        blog = _write_blog(document, file_report)
        for entry in document.entries:
            post = _write_entry(entry, document=document, blog=blog, checksum=checksum,
                                report=file_report)
            _write_responses(entry, post=post, document=document, report=file_report)
    report.merge(file_report)
    return document


def _unique_slug(text: str, *, taken) -> str:
    """A slug from the title, cut at a word boundary, numbered if another post has it."""
    base = slugify(text, allow_unicode=True) or "untitled"
    if len(base) > SLUG_LENGTH:
        base = base[:SLUG_LENGTH].rsplit("-", 1)[0]
    slug, n = base, 2
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _local_midnight(date: datetime.date | None) -> datetime.datetime | None:
    """A captured date as the start of that day: the capture never said what time it was."""
    if date is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


def _write_blog(document: SeedDocument, report: ImportReport) -> Blog:
    title = document.blog.title or f"Unnamed blog ({document.source})"
    slug = slugify(document.blog.title or f"capture-{Path(document.source).stem}",
                   allow_unicode=True)
    return upsert(Blog, lookup={"slug": slug[:200]}, report=report, kind="blogs",
                  values={"title": title, "tagline": document.blog.tagline or ""})


def _named(model, name: str, report: ImportReport, kind: str):
    """An author or category by name; an existing one keeps the name it has."""
    slug = slugify(name, allow_unicode=True)[:200] or "unnamed"
    obj, created = model.objects.get_or_create(slug=slug, defaults={"name": name})
    report.add(kind, "created" if created else "unchanged")
    return obj


def _write_entry(entry: SeedEntry, *, document, blog, checksum, report) -> Post:
    source_key = f"seed:{document.source}#{entry.position}"
    kind = Post.Kind.PAGE if entry.kind == "page" else Post.Kind.POST
    existing_slugs = Post.objects.filter(kind=kind).exclude(source_key=source_key)
    if kind == Post.Kind.PAGE:
        existing_slugs = existing_slugs.filter(parent__isnull=True)
    return upsert(
        Post,
        lookup={"source_key": source_key},
        report=report,
        kind=f"{kind}s",
        values={
            "kind": kind,
            "title": entry.title,
            "body": entry.body,
            "body_format": Post.BodyFormat.MARKDOWN,
            "status": Post.Status.PUBLISHED,
            "published_at": _local_midnight(entry.date),
            "author": _named(Author, entry.author, report, "authors") if entry.author else None,
            "blog": blog,
            "excerpt_only": entry.excerpt_only,
            "source_file": document.source,
            "source_checksum": checksum,
            "source_position": entry.position,
        },
        on_create={
            "slug": _unique_slug(entry.title,
                                 taken=lambda s: existing_slugs.filter(slug=s).exists()),
            "imported_at": timezone.now(),
        },
        m2m={"categories": [_named(Category, name, report, "categories")
                            for name in entry.categories]},
    )


def _write_responses(entry: SeedEntry, *, post: Post, document, report) -> None:
    for response in entry.responses:
        is_comment = response.kind == "comment"
        upsert(
            Comment,
            lookup={"source_key": f"seed:{document.source}#{entry.position}:{response.position}"},
            report=report,
            kind=f"{response.kind}s",
            values={
                "post": post,
                "kind": response.kind,
                # They were public on the original site.
                "status": Comment.Status.APPROVED,
                "author_name": response.author,
                "source_title": "" if is_comment else response.author,
                "body": response.body,
                "body_format": Comment.BodyFormat.PLAIN,
                "created_at": _local_midnight(response.date),
                "source_position": response.position,
            },
            on_create={"imported_at": timezone.now()},
        )
    published_comments_changed(post_ids={post.pk})
