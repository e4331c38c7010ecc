"""
Old addresses answered with 301s: WordPress permalinks, `?p=` and `?page_id=` links, slugs
renamed in the admin, and custom redirects kept in the LegacyURL table.

The middleware looks only at what the site could not answer (a 404), plus the front page when it
carries WordPress's query parameters, so ordinary pages never pay for a lookup.
"""

from collections.abc import Iterable
from urllib.parse import urlencode

from django.db.models import Q
from django.db.models.signals import pre_save
from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone

from .models import Category, LegacyURL, Post
from .models_redirects import ID_PARAMETERS, legacy_key

# The fields an address is made from; saves of anything else cannot move a post or category.
ADDRESS_FIELDS = frozenset({"slug", "published_at", "kind", "parent", "parent_id"})
# WordPress's ?feed= values and the feeds they meant.
FEEDS = {"rss2": "posts:feed", "rss": "posts:feed", "rdf": "posts:feed", "atom": "posts:feed_atom"}


def derived_urls(target: Post | Category) -> list[str]:
    """The addresses WordPress itself gave this object, worked out from what we keep of it."""
    if isinstance(target, Category):
        # WordPress nests child categories in the path: /category/garden/vegetables/.
        slugs = [c.slug for c in reversed(target.ancestors())] + [target.slug]
        return [f"/category/{'/'.join(slugs)}/"] if len(slugs) > 1 else []
    urls = [target.original_url] if target.original_url else []
    if target.wp_id:
        param = "page_id" if target.kind == Post.Kind.PAGE else "p"
        urls.append(f"/?{param}={target.wp_id}")
    if target.kind == Post.Kind.POST and target.published_at:
        local = timezone.localtime(target.published_at)
        urls.append(f"/{local.year}/{local.month:02d}/{target.slug}/")
    return urls


def remember_legacy_urls(target: Post | Category, urls: Iterable[str] = ()) -> int:
    """
    Record old addresses of a saved post or category so they 301 to it; returns how many.

    Importers pass the addresses they found (full URLs or paths); the forms WordPress derives
    from the id, date and slug are added here. An address belongs to whoever claimed it last,
    and the object's current address is never recorded. Safe to call again with the same URLs.
    """
    return remember_many_legacy_urls([(target, urls)])


def remember_many_legacy_urls(targets: Iterable[tuple[Post | Category, Iterable[str]]]) -> int:
    """remember_legacy_urls() for many objects, in one write: an importer's batch."""
    claimed = {}  # an address two of them claim goes to the later, as one by one
    for target, urls in targets:
        for row in _legacy_rows(target, urls):
            claimed.pop(row.path, None)
            claimed[row.path] = row
    LegacyURL.objects.bulk_create(
        list(claimed.values()), update_conflicts=True, unique_fields=["path"],
        update_fields=["post", "category", "target_url"],
    )
    return len(claimed)


def _legacy_rows(target, urls) -> list[LegacyURL]:
    current = legacy_key(target.get_absolute_url())
    field = "category" if isinstance(target, Category) else "post"
    keys = {legacy_key(url) for url in [*urls, *derived_urls(target)] if url.strip()}
    return [
        LegacyURL(path=key, **{field: target})
        for key in sorted(keys)
        if key != current and len(key) <= LegacyURL._meta.get_field("path").max_length
    ]


def _remember_renamed(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a published post or a category moves to a new address, keep its old one."""
    if raw or instance.pk is None or (update_fields is not None and not ADDRESS_FIELDS & update_fields):
        return
    if sender is Post:
        old = Post.objects.published().filter(pk=instance.pk).select_related("parent").first()
    else:
        old = Category.objects.filter(pk=instance.pk).first()
    if old is not None and old.get_absolute_url() != instance.get_absolute_url():
        remember_legacy_urls(instance, [old.get_absolute_url()])


def connect():
    for model in (Post, Category):
        pre_save.connect(_remember_renamed, sender=model, dispatch_uid=f"redirects-rename-{model}")


def _wordpress_query(request) -> str | None:
    """Where the front page's WordPress parameters lead: ?s= searches, ?feed= feeds."""
    if request.GET.get("s", "").strip():
        return f"{reverse('posts:search')}?{urlencode({'q': request.GET['s']})}"
    if request.GET.get("feed") in FEEDS:
        return reverse(FEEDS[request.GET["feed"]])
    return None


def redirect_for(request) -> str | None:
    """The new address for an old one, or None. Never leads to a post readers cannot see."""
    key = legacy_key(request.get_full_path())
    row = (
        LegacyURL.objects.filter(path=key)
        .filter(Q(post__isnull=True) | Q(post__in=Post.objects.published()))
        .select_related("post__parent", "category")
        .first()
    )
    if row is not None:
        return row.target()
    if key == "/":
        return _wordpress_query(request)
    return None


class LegacyRedirectMiddleware:
    WORDPRESS_PARAMETERS = ID_PARAMETERS | {"s", "feed"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The front page answers any query string, so WordPress's ones are looked at first.
        if request.path == "/" and not self.WORDPRESS_PARAMETERS.isdisjoint(request.GET):
            target = redirect_for(request)
            if target is not None:
                return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404:
            target = redirect_for(request)
            if target is not None and target != request.path:
                return HttpResponsePermanentRedirect(target)
        return response
