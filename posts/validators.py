"""Pillow checks for uploaded images: real image data, an allowed format, sane dimensions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError


def validate_image(file):
    if file.size > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size),
               "limit": filesizeformat(settings.IMAGE_MAX_UPLOAD_BYTES)}
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("The image is %(w)s×%(h)s pixels, more than this site accepts.")
                    % {"w": width, "h": height}
                )
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise ValidationError(_("This file is not an image that can be read.")) from exc
    finally:
        file.seek(position)
    if image_format not in settings.IMAGE_FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted; use one of: %(allowed)s.")
            % {"format": image_format or _("Unknown"),
               "allowed": ", ".join(settings.IMAGE_FORMATS)}
        )
