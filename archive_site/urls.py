from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("markdownx/", include("markdownx.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    path("", include("posts.urls")),
]
