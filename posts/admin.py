from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import ngettext
from markdownx.admin import MarkdownxModelAdmin

from . import images, services
from .models import Author, Blog, Category, LegacyURL, Media, Post, Tag

# An address typed without a scheme is taken as https, as Django 6 will by default.
HTTPS_ADDRESSES = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Blog)
class BlogAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_ADDRESSES
    list_display = ["title", "tagline", "url"]
    search_fields = ["title", "tagline", "url"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_ADDRESSES
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class PostAdminForm(forms.ModelForm):
    """Featured images are re-encoded on the way in; the fields are the admin's fieldsets."""

    def clean_featured_image(self):
        image = self.cleaned_data.get("featured_image")
        if image and image != self.initial.get("featured_image"):
            return images.reencode(image)
        return image


@admin.register(Post)
class PostAdmin(MarkdownxModelAdmin):
    form = PostAdminForm
    formfield_overrides = {**MarkdownxModelAdmin.formfield_overrides, **HTTPS_ADDRESSES}
    list_display = ["title", "kind", "status", "published_at", "author", "blog", "sticky",
                    "comment_count"]
    list_filter = ["kind", "status", "sticky", "excerpt_only", "blog", "comment_status"]
    list_select_related = ["author", "blog"]
    search_fields = ["title", "slug", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "categories", "tags", "blog", "parent"]
    readonly_fields = ["comment_count", "created_at", "updated_at", "source_file",
                       "source_checksum", "source_position", "source_key", "imported_at"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "body", "body_format", "excerpt"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "sticky",
                                   "comment_status", "ping_status"]}),
        ("Taxonomy", {"fields": ["categories", "tags"]}),
        ("Image", {"fields": ["featured_image", "featured_image_alt"]}),
        ("Page hierarchy", {"classes": ["collapse"], "fields": ["parent", "menu_order", "template"]}),
        ("WordPress", {"classes": ["collapse"], "fields": ["password", "post_format", "guid", "wp_id"]}),
        ("Provenance", {"classes": ["collapse"], "fields": [
            "blog", "original_url", "excerpt_only", "language", "source_file", "source_checksum",
            "source_position", "source_key", "imported_at", "comment_count", "created_at",
            "updated_at"]}),
    ]

    @admin.action(description="Publish selected posts", permissions=["change"])
    def publish(self, request, queryset):
        count = services.set_status(queryset, Post.Status.PUBLISHED)
        self.message_user(
            request,
            ngettext("%d post was published.", "%d posts were published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish selected posts (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        count = services.set_status(queryset, Post.Status.DRAFT)
        self.message_user(
            request,
            ngettext("%d post was unpublished.", "%d posts were unpublished.", count) % count,
            messages.SUCCESS,
        )


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_ADDRESSES
    list_display = ["__str__", "mime_type", "post", "published_at"]
    list_select_related = ["post"]
    search_fields = ["title", "url", "alt_text"]
    autocomplete_fields = ["post"]
    readonly_fields = ["source_key", "imported_at", "guid", "wp_id"]


@admin.register(LegacyURL)
class LegacyURLAdmin(admin.ModelAdmin):
    """Old addresses and custom redirects; rows for renamed slugs are added automatically."""

    list_display = ["path", "destination", "created_at"]
    list_select_related = ["post", "category"]
    search_fields = ["path", "target_url", "post__title", "category__name"]
    autocomplete_fields = ["post", "category"]
    fields = ["path", "post", "category", "target_url"]

    @admin.display(description="Redirects to")
    def destination(self, obj):
        return obj.target_url or obj.post or obj.category
