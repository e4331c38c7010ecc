"""
Thin class-based views over PostQuerySet. None of them filters by status itself: visibility is
`Post.objects.visible_to(user)` for single objects and `published()` for lists.
"""

import functools

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode
from django.views import generic

from archive_site import generations

from . import selectors
from .models import Author, Blog, Category, Post, Tag, this_minute
from .pagination import ArchivePaginator
from .protection import PasswordProtectedMixin


class PostListMixin:
    """Published posts as teasers, a page at a time. The page's posts are read as keys only, and
    only when the list's fragment is not cached (the templates' {% fragment %}): their teasers
    come from selectors.teasers_html, which reads the rest when it must."""

    allow_empty = True
    paginator_class = ArchivePaginator

    def get_paginate_by(self, queryset):
        return settings.POSTS_PER_PAGE

    def get_queryset(self):
        return Post.objects.published().posts().only("pk")

    def get_paginator(self, queryset, per_page, **kwargs):
        arguments = sorted((name, value) for name, value in self.kwargs.items() if name != "page")
        list_key = f"{type(self).__name__}?{urlencode(arguments)}"
        return super().get_paginator(queryset, per_page, list_key=list_key, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Called by the template, inside the fragment: not at all when that is cached.
        teasers = functools.partial(selectors.teasers_html, context["object_list"])
        return {**context, "teasers": teasers}


class HomeView(PostListMixin, generic.ListView):
    template_name = "posts/home.html"


class ArchiveSubjectMixin(PostListMixin):
    """A list of posts about one subject: a category, tag, author or source blog."""

    subject_model = None
    template_name = "posts/post_list.html"

    def get(self, request, *args, **kwargs):
        self.subject = get_object_or_404(self.subject_model, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def filter_posts(self, queryset):
        raise NotImplementedError

    def get_queryset(self):
        return self.filter_posts(super().get_queryset())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject, subject_kind=self.subject_model._meta.verbose_name, **kwargs
        )


class CategoryView(ArchiveSubjectMixin, generic.ListView):
    subject_model = Category

    def filter_posts(self, queryset):
        return queryset.in_category(self.subject)


class TagView(ArchiveSubjectMixin, generic.ListView):
    subject_model = Tag

    def filter_posts(self, queryset):
        return queryset.filter(tags=self.subject)


class AuthorView(ArchiveSubjectMixin, generic.ListView):
    subject_model = Author

    def filter_posts(self, queryset):
        return queryset.filter(author=self.subject)


class BlogView(ArchiveSubjectMixin, generic.ListView):
    subject_model = Blog

    def filter_posts(self, queryset):
        return queryset.filter(blog=self.subject)


class DateArchiveMixin:
    """Shared by the year, month and day archives and the dated permalink."""

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # Which months (or days) have posts: a pass over the period's posts, kept per generation.
        arguments = urlencode(sorted(self.kwargs.items()))
        return generations.cached(
            "content", "date-list", type(self).__name__, arguments, date_type, ordering,
            this_minute().isoformat(),
            build=lambda: list(super(DateArchiveMixin, self).get_date_list(
                queryset, date_type, ordering)),
            timeout=60 * 60)

    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"
    # Visibility is the queryset's business; the date views must not second-guess it.
    allow_future = True
    make_object_list = True


class YearArchiveView(PostListMixin, DateArchiveMixin, generic.YearArchiveView):
    pass


class MonthArchiveView(PostListMixin, DateArchiveMixin, generic.MonthArchiveView):
    pass


class DayArchiveView(PostListMixin, DateArchiveMixin, generic.DayArchiveView):
    pass


class PostDetailMixin(PasswordProtectedMixin):
    context_object_name = "post"
    template_name = "posts/post_detail.html"

    def get_queryset(self):
        return Post.objects.visible_to(self.request.user).select_related("author", "blog")


class PostDateDetailView(PostDetailMixin, DateArchiveMixin, generic.DateDetailView):
    def get_queryset(self):
        return super().get_queryset().posts()


class UndatedPostDetailView(PostDetailMixin, generic.DetailView):
    def get_queryset(self):
        return super().get_queryset().posts().filter(published_at__isnull=True)


class PageDetailView(PostDetailMixin, generic.DetailView):
    """A page at its slug path, e.g. /about-us/ or /parent/child/."""

    def get_object(self, queryset=None):
        slugs = self.kwargs["path"].strip("/").split("/")
        pages = self.get_queryset().pages().select_related("parent")
        page = None
        for slug in slugs:
            page = pages.filter(slug=slug, parent=page).first()
            if page is None:
                raise Http404("No page at this address.")
        return page
