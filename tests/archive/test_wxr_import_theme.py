"""The WordPress theme unit test data, imported whole: every count the issue names, pinned.

The file is read from $ARCHIVE_TESTDATA/wxr; without that variable these tests are skipped.
"""

from collections import Counter
from datetime import UTC, datetime

import pytest
from django.db import transaction

from comments.models import Comment
from posts.models import Author, Category, Media, Post, Tag
from tests.archive.test_wxr_import import run
from tests.archive.test_wxr_parser import depth, shared_file

pytestmark = pytest.mark.django_db

THEME_SITE = "wxr:https://wpthemetestdata.wordpress.com#"


@pytest.fixture(scope="module")
def theme(django_db_setup, django_db_blocker):
    """The theme unit test data, imported once for the module and rolled back after it."""
    path = shared_file("themeunittestdata.wordpress.xml")
    with django_db_blocker.unblock(), transaction.atomic():
        yield run(path)
        transaction.set_rollback(True)


def theme_post(wp_id: int) -> Post:
    return Post.objects.get(source_key=f"{THEME_SITE}{wp_id}")


def test_theme_posts_and_their_statuses(theme):
    posts = Post.objects.posts()
    assert posts.count() == 58
    assert Counter(posts.values_list("status", flat=True)) == {"published": 56, "draft": 1,
                                                               "scheduled": 1}
    scheduled = posts.get(status="scheduled")
    assert scheduled.wp_id == 1153
    assert scheduled.published_at.date() == datetime(2030, 1, 1, tzinfo=UTC).date()
    assert not Post.objects.published().filter(pk=scheduled.pk).exists()


def test_theme_pages_nest_three_deep(theme):
    pages = list(Post.objects.pages().select_related("parent"))
    assert len(pages) == 21
    assert sum(1 for page in pages if page.parent_id) == 13
    assert max(depth(page, lambda p: p.parent) for page in pages) == 3


def test_theme_attachments_and_skipped_menu_items(theme):
    assert Media.objects.count() == 37
    assert Media.objects.filter(url="").count() == 0
    assert theme.as_dict()["counts"]["nav_menu_item"]["skipped"] == 70


def test_theme_authors_and_malformed_creators(theme):
    assert sorted(Author.objects.values_list("slug", flat=True)) == ["themedemos",
                                                                     "themereviewteam"]
    assert ("dc:creator '>themereviewteam' is not a declared login: read as 'themereviewteam'"
            in theme.warnings)


def test_theme_categories(theme):
    assert Category.objects.count() == 68
    categories = list(Category.objects.select_related("parent"))
    assert sum(1 for c in categories if c.parent_id) == 10
    assert max(depth(c, lambda c: c.parent) for c in categories) == 3
    foo_a = Category.objects.filter(name="Foo A").select_related("parent")
    assert sorted((c.slug, c.parent.slug if c.parent else None) for c in foo_a) == [
        ("foo-a", None), ("foo-a-foo-parent", "foo-parent")]
    assert "category '6-1' declared twice: the first kept" in theme.warnings


def test_theme_tags_declared_undeclared_and_non_ascii(theme):
    assert Tag.objects.count() == 110 + 4
    undeclared = sorted(w for w in theme.warnings if w.startswith("post_tag"))
    assert undeclared == [f"post_tag {slug!r} is used but not declared: added"
                          for slug in ("columns", "content", "sample", "test-tag")]
    assert Tag.objects.get(slug="content-2").name == "content περιεχόμενο"


def test_theme_comments(theme):
    assert Counter(Comment.objects.values_list("kind", flat=True)) == {
        "comment": 29, "pingback": 2, "trackback": 2}
    assert Counter(Comment.objects.values_list("status", flat=True)) == {"approved": 30,
                                                                        "pending": 3}
    assert Comment.objects.filter(parent__isnull=False).count() == 10
    counts = theme.as_dict()["counts"]
    assert (counts["comments"]["created"], counts["pingbacks"]["created"],
            counts["trackbacks"]["created"]) == (29, 2, 2)


def test_theme_reply_chain_is_ten_deep_on_post_1148(theme):
    comments = Comment.objects.filter(post=theme_post(1148)).select_related("parent")
    assert max(c.depth for c in comments) == 9  # depth counts from 0
    assert max(depth(c, lambda c: c.parent) for c in comments) == 10
    assert theme_post(1148).comment_count == comments.filter(status="approved").count() == 19


def test_theme_linkbacks_keep_their_source(theme):
    trackback = Comment.objects.filter(kind="trackback").order_by("pk").first()
    assert trackback.source_url == "http://tellyworth.wordpress.com/2007/11/21/ping-1/"
    assert trackback.source_title == "Ping 1 « What’s a tellyworth?"


def test_theme_registered_commenters_are_linked(theme):
    themedemos = Author.objects.get(slug="themedemos")
    linked = Comment.objects.filter(user=themedemos.user).values_list("source_key", flat=True)
    assert sorted(linked) == sorted(f"{THEME_SITE}comment-{n}" for n in (903, 910, 915, 920))


def test_theme_sticky_protected_and_split_posts(theme):
    posts = Post.objects.posts()
    assert list(posts.filter(sticky=True).values_list("wp_id", flat=True)) == [1241]
    assert list(posts.exclude(password="").values_list("wp_id", flat=True)) == [1168]
    assert theme_post(1168).password == "enter"
    assert posts.filter(body__contains="<!--more-->").count() == 4
    assert "<!--nextpage-->" in theme_post(555).body


def test_theme_titles_show_as_text(theme):
    assert theme_post(1173).title == "Markup: Title With Markup"
    assert theme_post(1174).title == "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"


def test_theme_non_ascii_slugs_are_decoded_and_resolve(theme, client):
    greek = Post.objects.filter(slug__startswith="επίπεδο").order_by("slug")
    assert list(greek.values_list("slug", flat=True)) == ["επίπεδο-2", "επίπεδο-3"]
    for page in greek:
        assert client.get(page.get_absolute_url()).status_code == 200


def test_theme_is_imported_again_without_change(theme):
    report = run(shared_file("themeunittestdata.wordpress.xml"))
    assert report.total("created") == 0
    assert report.total("updated") == 0
