"""
The editor's image upload (django-markdownx), through the same checks as every other image.

markdownx keeps the uploaded file's own extension and trusts the declared content type; here the
image is verified and re-encoded by Pillow (posts.images) and stored under a generated name whose
extension comes from the decoded format, so an upload can never become a page the server sends
as HTML.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView

from . import images


class SafeImageForm(ImageForm):
    def clean(self):
        upload = super().clean()
        self.clean_image_file = images.reencode(upload)
        return upload

    def save(self, commit=True):
        path = f"{settings.MARKDOWNX_MEDIA_PATH.rstrip('/')}/{self.clean_image_file.name}"
        stored = default_storage.save(path, self.clean_image_file)
        return default_storage.url(stored)


class SafeImageUploadView(ImageUploadView):
    form_class = SafeImageForm
