from django.urls import path, re_path, register_converter

from . import feeds, views
from .search.views import SearchView


class PageNumberConverter:
    """Page numbers start at 1: /page/0/ is not an address, not a synonym of page 1."""

    regex = "[1-9][0-9]{0,8}"
    to_python = int
    to_url = str


register_converter(PageNumberConverter, "pageno")

app_name = "posts"

# WordPress-style addresses. Slugs may be non-ASCII, as WordPress allows, hence <str:slug>.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("page/<pageno:page>/", views.HomeView.as_view(), name="home_page"),
    path("category/<str:slug>/", views.CategoryView.as_view(), name="category"),
    path("category/<str:slug>/page/<pageno:page>/", views.CategoryView.as_view(),
         name="category_page"),
    path("tag/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("tag/<str:slug>/page/<pageno:page>/", views.TagView.as_view(), name="tag_page"),
    path("author/<str:slug>/", views.AuthorView.as_view(), name="author"),
    path("author/<str:slug>/page/<pageno:page>/", views.AuthorView.as_view(), name="author_page"),
    path("blog/<str:slug>/", views.BlogView.as_view(), name="blog"),
    path("blog/<str:slug>/page/<pageno:page>/", views.BlogView.as_view(), name="blog_page"),
    path("archives/<str:slug>/", views.UndatedPostDetailView.as_view(), name="undated_post"),
    re_path(r"^(?P<year>[0-9]{4})/$", views.YearArchiveView.as_view(), name="year"),
    re_path(r"^(?P<year>[0-9]{4})/page/(?P<page>[1-9][0-9]{0,8})/$", views.YearArchiveView.as_view(),
            name="year_page"),
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", views.MonthArchiveView.as_view(),
            name="month"),
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/page/(?P<page>[1-9][0-9]{0,8})/$",
            views.MonthArchiveView.as_view(), name="month_page"),
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
            views.DayArchiveView.as_view(), name="day"),
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/page/(?P<page>[1-9][0-9]{0,8})/$",
            views.DayArchiveView.as_view(), name="day_page"),
    re_path(r"^(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/(?P<slug>[^/]+)/$",
            views.PostDateDetailView.as_view(), name="post"),
    path("search/", SearchView.as_view(), name="search"),
    *feeds.urlpatterns,
    # Last: a page may sit at any top-level address the site does not use itself.
    re_path(r"^(?P<path>[^/].*?)/$", views.PageDetailView.as_view(), name="page"),
]
