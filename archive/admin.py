"""
The admin's WordPress import page: upload an export, and watch the background import's
progress and final report. Uploads are records of what was imported, so they are read-only
once made.
"""

from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import tasks
from .forms import WxrUploadForm
from .models import WxrUpload
from .report import OUTCOMES


@admin.register(WxrUpload)
class WxrUploadAdmin(admin.ModelAdmin):
    form = WxrUploadForm
    list_display = ["original_name", "status", "progress", "created_at", "uploaded_by"]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    readonly_fields = ["original_name", "status", "progress", "uploaded_by", "created_at",
                       "finished_at", "error", "summary", "warnings"]
    fields = readonly_fields

    def get_fields(self, request, obj=None):
        return ["file", "fetch_media"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.original_name = form.cleaned_data["file"].name
        obj.uploaded_by = request.user
        obj.bytes_total = form.cleaned_data["file"].size
        super().save_model(request, obj, form, change)
        # The worker must find the row and the file: enqueue once they are committed.
        transaction.on_commit(lambda: tasks.import_upload.enqueue(obj.pk))

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return format_html('<progress max="100" value="{0}">{0}%</progress> {0}% · {1} items',
                           obj.percent_done, obj.items_done)

    @admin.display(description=_("report"))
    def summary(self, obj):
        counts = obj.report.get("counts", {})
        if not counts:
            return "–"
        head = format_html_join("", "<th>{}</th>", ((outcome,) for outcome in OUTCOMES))
        rows = format_html_join(
            "", "<tr><th>{}</th>{}</tr>",
            ((kind, format_html_join("", "<td>{}</td>", ((row.get(o, 0),) for o in OUTCOMES)))
             for kind, row in counts.items()),
        )
        return format_html('<table class="wxr-report"><thead><tr><th>{}</th>{}</tr></thead>'
                           "<tbody>{}</tbody></table>", _("kind"), head, rows)

    @admin.display(description=_("warnings"))
    def warnings(self, obj):
        found = obj.report.get("warnings", [])
        if not found:
            return "–"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>",
                                                           ((w,) for w in found)))
