from django.apps import AppConfig
from django.db.models.signals import post_delete


def delete_upload_file(sender, instance, **kwargs):
    if instance.file:
        instance.file.delete(save=False)


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Import and export"

    def ready(self):
        post_delete.connect(delete_upload_file, sender=self.get_model("WxrUpload"),
                            dispatch_uid="archive-upload-file")
