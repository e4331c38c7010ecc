from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from posts import sitemaps
from posts.uploads import SafeImageUploadView

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    # Before markdownx's own routes: its upload, with our image checks and generated names.
    path("markdownx/upload/", SafeImageUploadView.as_view(), name="markdownx_upload"),
    path("markdownx/", include("markdownx.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    # Before posts: the comment feeds hang below post addresses that posts would claim.
    path("", include("comments.urls")),
    path("", include("linkbacks.urls")),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemaps.section, name="sitemap_section"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    path("", include("posts.urls")),
]

handler500 = "archive_site.views.server_error"
