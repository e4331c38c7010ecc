from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .models import WxrUpload


class WxrUploadForm(forms.ModelForm):
    """The admin's upload form. The file is only checked for size and for looking like XML
    here; the import itself reports anything wrong with its contents, line by line."""

    class Meta:
        model = WxrUpload
        fields = ["file", "fetch_media"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ".xml,.wxr,text/xml"})}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ARCHIVE_WXR_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The file is larger than {filesizeformat(limit)}.")
        start = upload.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n")
        upload.seek(0)
        if not start.startswith(b"<"):
            raise forms.ValidationError("This is not an XML file: a WordPress export starts with "
                                        "<?xml or <rss.")
        return upload
