"""
One file's import state, and the declarations at the top of a WXR file: the blog, its authors
and its terms.

WordPress refers to authors by login, to terms by slug and to posts and comments by id. The
maps here turn those references into our primary keys as the file streams by, so that each
item is written without looking its relations up one by one.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from posts.models import Author, Blog, Category, Tag

from ..parsers.wxr import WxrAuthor, WxrComment, WxrSite, WxrTerm
from ..report import ImportReport
from ..upsert import upsert, upsert_many
from . import mapping


class SiteImport:
    """What one file's import has written so far, by the ids the file uses."""

    def __init__(self, site: WxrSite, *, source_name: str, report: ImportReport):
        self.site = site
        self.key = mapping.site_key(site, source_name=source_name)
        self.source_name = source_name
        self.report = report
        self.blog_id: int | None = None
        self.author_by_login: dict[str, int] = {}
        self.author_by_slug: dict[str, int] = {}
        self.author_by_wp_id: dict[int, int] = {}
        self.author_by_email: dict[str, int] = {}
        self.user_by_wp_user: dict[int, int] = {}
        self.terms: dict[str, dict[str, int]] = {mapping.CATEGORY: {}, mapping.TAG: {}}
        self.post_pks: dict[int, int] = {}  # WordPress post id -> Post pk, posts and pages
        self.late_parents: list = []  # items.LateParent, linked once the file has been read
        # WordPress id -> hash of the GUID of the first item with it, to tell a duplicate id
        # on another post (imported on its own) from the same post written twice (skipped).
        self.seen_items: dict[int, int] = {}
        self.seen_comments: set[int] = set()
        self.pending_authors: list[WxrAuthor] = []
        self.pending_terms: list[WxrTerm] = []
        self.warned: set[str] = set()

    @contextmanager
    def reporting_to(self, report: ImportReport) -> Iterator[None]:
        """Count into another report for a while: a resumed run repeats, without counting
        them again, the declarations and items the run before it reported."""
        kept, self.report = self.report, report
        try:
            yield
        finally:
            self.report = kept

    def warn_once(self, message: str) -> None:
        if message not in self.warned:
            self.warned.add(message)
            self.report.warn(message)

    # The blog ------------------------------------------------------------------------------

    def write_blog(self) -> None:
        site = self.site
        title = mapping.plain_text(site.title).strip() or self.key
        address = self.key if "://" in self.key else ""
        values = {
            "title": mapping.clip(Blog, "title", title),
            "tagline": mapping.clip(Blog, "tagline", mapping.plain_text(site.description)),
            "language": mapping.clip(Blog, "language", site.language),
        }
        # A blog is known by its address; an export without one, by its title.
        lookup = ({"url": mapping.clip(Blog, "url", address)} if address
                  else {"title": values.pop("title")})
        existing_slugs = Blog.objects.exclude(**lookup).values_list("slug", flat=True)
        blog = upsert(
            Blog, lookup=lookup, report=self.report, kind="blogs", values=values,
            on_create={"slug": _unique(slugify(title, allow_unicode=True)[:190] or "blog",
                                       taken=set(existing_slugs))},
        )
        self.blog_id = blog.pk

    # Authors -------------------------------------------------------------------------------

    def write_authors(self) -> None:
        rows, declared = {}, []
        for author in self.pending_authors:
            slug = mapping.author_slug(author.login)
            if not slug or slug in rows:
                self.warn_once(f"author {author.login!r} declared twice or unusable: skipped")
                self.report.add("authors", "skipped")
                continue
            rows[slug] = {
                "name": mapping.clip(Author, "name",
                                     mapping.plain_text(author.display_name or author.login)),
                "email": mapping.clip(Author, "email", author.email.strip()),
            }
            declared.append((slug, author))
        saved = upsert_many(Author, key="slug", rows=rows, report=self.report, kind="authors")
        for slug, author in declared:
            pk = saved[slug].pk
            self.author_by_login[author.login] = self.author_by_slug[slug] = pk
            if author.wp_id is not None:
                self.author_by_wp_id[author.wp_id] = pk
            if author.email.strip():
                self.author_by_email[author.email.strip().lower()] = pk
        self.pending_authors = []

    def author_for(self, creator: str) -> int | None:
        """The author an item's dc:creator names. Undeclared creators become authors, and
        malformed ones ("admin>") are read as the login they reduce to, as WordPress does."""
        if creator in self.author_by_login:
            return self.author_by_login[creator]
        slug = mapping.author_slug(creator)
        if not slug:
            if creator.strip():
                self.warn_once(f"dc:creator {creator!r} names no usable author: left without one")
            return None
        pk = self.author_by_slug.get(slug)
        if pk is not None:
            self.warn_once(f"dc:creator {creator!r} is not a declared login: read as {slug!r}")
        else:
            self.warn_once(f"dc:creator {creator!r} is not a declared author: added")
            # An author of that name from elsewhere keeps the name it has.
            author, created = Author.objects.get_or_create(slug=slug, defaults={
                "name": mapping.clip(Author, "name", mapping.plain_text(creator).strip())})
            self.report.add("authors", "created" if created else "unchanged")
            pk = self.author_by_slug[slug] = author.pk
        self.author_by_login[creator] = pk
        return pk

    def learn_users(self, comments: list[WxrComment]) -> None:
        """Find which author a registered commenter is: by the author id WXR 1.1 declares,
        else by a comment from that user id written with a declared author's email."""
        for comment in comments:
            user = comment.user_id
            if user is None or user in self.user_by_wp_user:
                continue
            author = self.author_by_wp_id.get(user) or self.author_by_email.get(
                comment.author_email.strip().lower())
            if author is not None:
                self.user_by_wp_user[user] = _user_of(author)

    def user_for(self, comment: WxrComment) -> int | None:
        return self.user_by_wp_user.get(comment.user_id) if comment.user_id else None

    # Terms ---------------------------------------------------------------------------------

    def write_terms(self) -> None:
        declared = {mapping.CATEGORY: {}, mapping.TAG: {}}
        for term in self.pending_terms:
            slug = mapping.term_slug(term.slug)
            terms = declared.get(term.taxonomy)
            if terms is None:
                if term.taxonomy != mapping.POST_FORMAT:
                    self.report.add("other terms", "skipped")
                    self.warn_once(f"terms of taxonomy {term.taxonomy!r} are not kept")
                continue
            if not slug or slug in terms:
                # The theme unit test data declares category 6-1 twice, as wp:category and
                # as wp:term; the first declaration wins, as in WordPress.
                self.warn_once(f"{term.taxonomy} {term.slug!r} declared twice: the first kept")
                continue
            terms[slug] = term
        self._write_categories(declared[mapping.CATEGORY])
        tags = {slug: {"name": mapping.clip(Tag, "name", mapping.plain_text(term.name))}
                for slug, term in declared[mapping.TAG].items()}
        self._remember(mapping.TAG, upsert_many(Tag, key="slug", rows=tags, report=self.report,
                                                kind="tags"))
        self.pending_terms = []

    def _write_categories(self, declared: dict[str, WxrTerm]) -> None:
        """Parents before children, one level at a time, so each row is written whole."""
        remaining = dict(declared)
        while remaining:
            ready = {slug: term for slug, term in remaining.items()
                     if mapping.term_slug(term.parent_slug) not in remaining
                     or mapping.term_slug(term.parent_slug) == slug}
            # A loop of parents has no first level: break it where the file starts it.
            ready = ready or dict([next(iter(remaining.items()))])
            rows = {slug: self._category_values(term) for slug, term in ready.items()}
            self._remember(mapping.CATEGORY, upsert_many(Category, key="slug", rows=rows,
                                                         report=self.report, kind="categories"))
            for slug in ready:
                del remaining[slug]

    def _category_values(self, term: WxrTerm) -> dict:
        parent_slug = mapping.term_slug(term.parent_slug)
        parent = self.terms[mapping.CATEGORY].get(parent_slug) if parent_slug else None
        if parent_slug and parent is None:
            parent = Category.objects.filter(slug=parent_slug).values_list("pk", flat=True).first()
            if parent is None:
                self.warn_once(f"category {term.slug!r} has an undeclared parent "
                               f"{term.parent_slug!r}: kept at the top level")
        return {
            "name": mapping.clip(Category, "name", mapping.plain_text(term.name)),
            "description": term.description,
            "parent_id": parent,
        }

    def ensure_terms(self, uses: dict[str, dict[str, str]]) -> None:
        """Add terms that items use but the file never declared ({taxonomy: {slug: name}})."""
        for taxonomy, model, kind in ((mapping.CATEGORY, Category, "categories"),
                                      (mapping.TAG, Tag, "tags")):
            known = self.terms[taxonomy]
            missing = {slug: name for slug, name in uses.get(taxonomy, {}).items()
                       if slug not in known}
            if not missing:
                continue
            for slug in missing:
                self.warn_once(f"{taxonomy} {slug!r} is used but not declared: added")
            existing = set(model.objects.filter(slug__in=missing).values_list("slug", flat=True))
            rows = {slug: {"name": mapping.clip(model, "name", mapping.plain_text(name))}
                    for slug, name in missing.items() if slug not in existing}
            upsert_many(model, key="slug", rows=rows, report=self.report, kind=kind)
            self.report.add(kind, "unchanged", len(existing))
            known.update(model.objects.filter(slug__in=missing).values_list("slug", "pk"))

    def _remember(self, taxonomy: str, saved: dict) -> None:
        self.terms[taxonomy].update((slug, obj.pk) for slug, obj in saved.items())


def _user_of(author_pk: int) -> int:
    """The account an author's comments are linked to, made when first needed.

    The account cannot log in (no usable password, inactive) until an administrator decides
    it should. An existing account of the same name is never reused: it may be someone else.
    """
    author = Author.objects.get(pk=author_pk)
    if author.user_id is None:
        users = get_user_model()._default_manager
        taken = set(users.filter(username__startswith=author.slug[:140])
                    .values_list("username", flat=True))
        author.user = users.create(
            username=_unique(author.slug[:140], taken=taken), email=author.email,
            is_active=False, password=make_password(None),
        )
        author.save(update_fields=["user"])
    return author.user_id


def _unique(base: str, *, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
