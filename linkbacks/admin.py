from django.contrib import admin
from django.utils.html import format_html

from .models import OutgoingLinkback


@admin.register(OutgoingLinkback)
class OutgoingLinkbackAdmin(admin.ModelAdmin):
    """What we told other sites about our posts. Written only by linkbacks.sending: here it can
    be read, searched and filtered, not edited."""

    list_display = ["target_link", "post", "protocol", "status", "attempts", "last_attempt_at",
                    "next_retry_at"]
    list_filter = ["status", "protocol"]
    list_select_related = ["post"]
    search_fields = ["target", "post__title", "endpoint"]
    date_hierarchy = "created_at"
    fields = ["post", "target", "protocol", "endpoint", "status", "response", "attempts",
              "created_at", "last_attempt_at", "next_retry_at"]
    readonly_fields = fields

    @admin.display(description="target", ordering="target")
    def target_link(self, record):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', record.target, record.target)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
