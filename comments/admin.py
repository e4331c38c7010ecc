"""
The moderation queue. Every status change goes through comments.services, so counts, cached
pages and notifications stay right; the bulk actions need the `can_moderate` permission, which
the Moderator group holds.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms import model_to_dict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from posts.admin import HTTPS_ADDRESSES

from . import services
from .forms import StaffReplyForm
from .models import Comment, DiscussionSettings
from .moderation import MODERATE_PERMISSION


def moderation_action(name, service, description, done):
    """An admin action calling `service` on the selection and reporting the count."""

    @admin.action(description=description, permissions=["moderate"])
    def action(modeladmin, request, queryset):
        count = service(queryset, moderator=request.user)
        modeladmin.message_user(request, done % count, messages.SUCCESS)

    action.__name__ = name
    return action


def delete_spam_and_trash(comments, *, moderator):
    # As in WordPress, only what is already in spam or trash can be deleted for good.
    return services.delete_permanently(comments.filter(status__in=services.PARKED))


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["author", "excerpt", "on_post", "status", "kind", "created_at"]
    list_filter = ["status", "kind", "created_at"]
    list_select_related = ["post"]
    search_fields = ["author_name", "author_email", "author_url", "body", "ip_address"]
    autocomplete_fields = ["post", "parent", "user"]
    date_hierarchy = "created_at"
    list_per_page = 50
    formfield_overrides = HTTPS_ADDRESSES
    readonly_fields = ["depth", "ip_address", "user_agent", "approved_at", "moderated_by",
                       "moderation_reason", "source_key", "source_position", "imported_at"]
    fieldsets = [
        (None, {"fields": ["post", "parent", "kind", "status", "body"]}),
        (_("Author"), {"fields": ["author_name", "author_email", "author_url", "user",
                                  "notify_replies"]}),
        (_("Linkback source"), {"classes": ["collapse"], "fields": ["source_url", "source_title"]}),
        (_("Moderation"), {"fields": ["created_at", "approved_at", "moderated_by",
                                      "moderation_reason", "ip_address", "user_agent", "depth"]}),
        (_("Provenance"), {"classes": ["collapse"], "fields": [
            "source_key", "source_position", "imported_at", "meta"]}),
    ]
    actions = [
        moderation_action("approve", services.approve, _("Approve"),
                          ngettext_lazy("%d comment was approved.", "%d comments were approved.")),
        moderation_action("unapprove", services.unapprove, _("Unapprove (back to pending)"),
                          ngettext_lazy("%d comment was unapproved.",
                                        "%d comments were unapproved.")),
        moderation_action("mark_spam", services.mark_spam, _("Mark as spam"),
                          ngettext_lazy("%d comment was marked as spam.",
                                        "%d comments were marked as spam.")),
        moderation_action("mark_not_spam", services.mark_not_spam, _("Not spam"),
                          ngettext_lazy("%d comment was taken out of spam.",
                                        "%d comments were taken out of spam.")),
        moderation_action("trash", services.trash, _("Move to trash"),
                          ngettext_lazy("%d comment was moved to the trash.",
                                        "%d comments were moved to the trash.")),
        moderation_action("restore", services.restore, _("Restore from trash"),
                          ngettext_lazy("%d comment was restored.", "%d comments were restored.")),
        moderation_action("delete_permanently", delete_spam_and_trash,
                          _("Delete permanently (spam and trash only)"),
                          ngettext_lazy("%d comment was deleted permanently.",
                                        "%d comments were deleted permanently.")),
    ]

    def has_moderate_permission(self, request):
        return request.user.has_perm(MODERATE_PERMISSION)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting around the services would leave the posts' comment counts wrong.
        actions.pop("delete_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # The thread a comment sits in is fixed; its status moves through the actions.
            fields += ["post", "parent", "kind", "status"]
        return fields

    def get_list_display(self, request):
        if self.has_moderate_permission(request):
            return [*self.list_display, "reply_link"]
        return self.list_display

    def changelist_view(self, request, extra_context=None):
        counts = Comment.objects.status_counts()
        extra_context = {**(extra_context or {}), "status_counts": [
            {"value": value, "label": label, "count": counts[value]}
            for value, label in Comment.Status.choices
        ]}
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        services.save_edited(comment=obj)

    def delete_model(self, request, obj):
        services.delete_permanently(Comment.objects.filter(pk=obj.pk))

    def get_urls(self):
        reply = path("<path:object_id>/reply/", self.admin_site.admin_view(self.reply_view),
                     name="comments_comment_reply")
        return [reply, *super().get_urls()]

    def reply_view(self, request, object_id):
        """Answer a comment from the queue; the reply (and its parent) is published at once."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        parent = get_object_or_404(Comment.objects.select_related("post"), pk=object_id)
        form = StaffReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.staff_reply(parent=parent, author=request.user, body=form.cleaned_data["body"])
            self.message_user(request, _("Your reply was published."), messages.SUCCESS)
            return redirect("admin:comments_comment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "parent": parent, "form": form,
            "title": _("Reply to %s") % parent.author_name,
        }
        return TemplateResponse(request, "admin/comments/comment/reply.html", context)

    @admin.display(description=_("author"), ordering="author_name")
    def author(self, comment):
        return format_html("{}<br><small>{}</small>", comment.author_name,
                           comment.author_email or comment.website)

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(100)

    @admin.display(description=_("in response to"), ordering="post__title")
    def on_post(self, comment):
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:posts_post_change", args=[comment.post_id]),
                           comment.post.title)

    @admin.display(description=_("held because"))
    def moderation_reason(self, comment):
        return comment.meta.get(services.MODERATION_REASON, "")

    @admin.display(description="")
    def reply_link(self, comment):
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:comments_comment_reply", args=[comment.pk]), _("Reply"))


@admin.register(DiscussionSettings)
class DiscussionSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (_("Moderation"), {"fields": ["hold_all", "auto_approve_known", "max_links",
                                      "close_after_days"]}),
        (_("Display"), {"fields": ["max_depth", "per_page", "gravatar"]}),
        (_("Email"), {"fields": ["notify_moderators", "notify_post_author"]}),
        (_("Blocklist: matches go to spam"), {"fields": [
            "block_words", "block_ips", "block_emails", "block_urls"]}),
        (_("Hold list: matches wait for a moderator"), {"fields": [
            "hold_words", "hold_ips", "hold_emails", "hold_urls"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not DiscussionSettings.objects.exists()

    def get_changeform_initial_data(self, request):
        # A new record starts from the settings in force, so saving it changes nothing.
        return model_to_dict(DiscussionSettings.from_settings())
