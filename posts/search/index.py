"""
Keeping SearchDocument rows in step with posts. The database builds its full-text index from
those rows (migration 0003); this module only decides what text a post offers to search.

Every post gets a row, drafts included: visibility is decided when searching, through
`Post.objects.published()`, so a post that is published later needs no reindexing.
"""

from django.db.models.signals import m2m_changed, post_save, pre_save

from ..metadata import excerpt_text, plain_text
from ..models import Category, Post, SearchDocument, Tag

BATCH_SIZE = 500
# A tsvector holds at most 1 MB; no real post comes near this, a pasted data dump might.
BODY_MAX_CHARS = 200_000
TEXT_FIELDS = ["title", "excerpt", "body", "terms"]
# The Post fields a search document is made from; saves of anything else leave it alone.
SOURCE_FIELDS = frozenset({"title", "excerpt", "body", "body_format", "password"})


def document_for(post: Post) -> SearchDocument:
    """What search sees of a post. A password-protected post offers only its title and terms."""
    names = [c.name for c in post.categories.all()] + [t.name for t in post.tags.all()]
    protected = bool(post.password)
    return SearchDocument(
        post=post,
        title=post.title,
        excerpt="" if protected else excerpt_text(post),
        body="" if protected else plain_text(post.body_html)[:BODY_MAX_CHARS],
        terms=" ".join(names),
    )


def index_posts(post_ids) -> None:
    """Write (or rewrite) the search documents of these posts, a batch at a time."""
    post_ids = list(post_ids)
    for start in range(0, len(post_ids), BATCH_SIZE):
        batch = post_ids[start:start + BATCH_SIZE]
        posts = Post.objects.filter(pk__in=batch).prefetch_related("categories", "tags")
        SearchDocument.objects.bulk_create(
            [document_for(post) for post in posts],
            update_conflicts=True,
            unique_fields=["post"],
            update_fields=TEXT_FIELDS,
        )


def _post_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or SOURCE_FIELDS & update_fields:
        index_posts([instance.pk])


def _taxonomy_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        # After the clear nothing says which posts it touched; note them now.
        instance._search_cleared_posts = list(instance.posts.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove", "post_clear"}:
        if not reverse:
            index_posts([instance.pk])
        elif action == "post_clear":
            index_posts(instance.__dict__.pop("_search_cleared_posts", []))
        else:
            index_posts(sorted(pk_set))


def _note_rename(sender, instance, **kwargs):
    instance._search_renamed = (
        instance.pk is not None
        and sender.objects.filter(pk=instance.pk).exclude(name=instance.name).exists()
    )


def _reindex_renamed(sender, instance, **kwargs):
    if instance.__dict__.pop("_search_renamed", False):
        index_posts(list(instance.posts.values_list("pk", flat=True)))


def connect():
    post_save.connect(_post_saved, sender=Post, dispatch_uid="search-post-save")
    for through in (Post.categories.through, Post.tags.through):
        m2m_changed.connect(_taxonomy_changed, sender=through, dispatch_uid=f"search-m2m-{through}")
    # A renamed category or tag changes the text of every post filed under it.
    for model in (Category, Tag):
        pre_save.connect(_note_rename, sender=model, dispatch_uid=f"search-rename-{model}")
        post_save.connect(_reindex_renamed, sender=model, dispatch_uid=f"search-renamed-{model}")
