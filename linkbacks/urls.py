from django.urls import path

from . import views

app_name = "linkbacks"

urlpatterns = [
    path("xmlrpc/", views.xmlrpc_endpoint, name="xmlrpc"),
    path("webmention/", views.webmention_endpoint, name="webmention"),
    path("trackback/<int:post_id>/", views.trackback_endpoint, name="trackback"),
]
