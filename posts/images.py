"""
Uploaded images, made safe to serve: verified, re-encoded and renamed.

Re-encoding keeps only the pixels. Whatever else rode along in the file (EXIF with GPS
positions, comments, polyglot payloads) is gone, and the generated name means an upload can never
choose its own path or extension.
"""

import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from .validators import validate_image

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def reencode(upload) -> ContentFile:
    """A clean copy of an uploaded image; raises ValidationError for anything else."""
    validate_image(upload)
    upload.seek(0)
    with Image.open(upload) as image:
        image_format = image.format
        # Apply the orientation the camera recorded before that record is dropped.
        clean = ImageOps.exif_transpose(image)
        if image_format == "JPEG" and clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 88, "optimize": True} if image_format == "JPEG" else {}
        clean.save(buffer, format=image_format, **options)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSIONS[image_format]}")
