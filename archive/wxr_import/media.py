"""
Attachment files, downloaded on request (`--fetch-media`) through the one safe fetcher.

An export names its attachments by URL, and the URLs are whatever the file says: the fetcher
refuses private addresses, caps time and size, and follows few redirects. What comes back is
then served from our own origin, so only the media types in ARCHIVE_MEDIA_TYPES are kept (no
HTML, no SVG: both could carry script), each saved under the extension of its type.
"""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.text import slugify

from linkbacks.fetch import FetchError, FetchPolicy, fetch
from posts.models import Media

from ..report import ImportReport
from . import mapping

KIND = "attachment files"


def default_policy() -> FetchPolicy:
    return FetchPolicy(timeout=settings.ARCHIVE_MEDIA_FETCH_TIMEOUT,
                       max_bytes=settings.ARCHIVE_MEDIA_MAX_BYTES,
                       user_agent="archive_site media import")


def fetch_media(*, site_key: str, report: ImportReport, policy: FetchPolicy | None = None) -> None:
    """Download the files of a site's attachments that have none yet; each saved on its own,
    so one that fails costs only itself."""
    policy = policy or default_policy()
    waiting = (Media.objects.filter(source_key__startswith=mapping.key_prefix(site_key), file="")
               .exclude(url="").order_by("pk"))
    for media in waiting.iterator():
        problem = _fetch_into(media, policy)
        if problem:
            report.warn(f"attachment {media.url}: not downloaded: {problem}")
            report.add(KIND, "skipped")
        else:
            report.add(KIND, "created")


def _fetch_into(media: Media, policy: FetchPolicy) -> str | None:
    try:
        result = fetch(media.url, policy=policy)
    except FetchError as error:
        return str(error)
    if result.status != 200:
        return f"the server answered {result.status}"
    if result.truncated:
        return f"larger than {policy.max_bytes} bytes"
    if result.content_type not in settings.ARCHIVE_MEDIA_TYPES:
        return f"{result.content_type or 'an unnamed type'} is not a media type we keep"
    stem = slugify(PurePosixPath(unquote(urlsplit(result.url).path)).stem)[:100]
    extension = mimetypes.guess_extension(result.content_type) or ""
    media.file.save((stem or f"attachment-{media.pk}") + extension, ContentFile(result.body),
                    save=False)
    media.mime_type = result.content_type
    media.save(update_fields=["file", "mime_type"])
    return None
