"""export_wxr: a WXR 1.2 file WordPress's importer reads, and a round trip that loses nothing.

The round trip imports the theme unit test data (from $ARCHIVE_TESTDATA, skipped without it),
exports it, empties the database and imports the export: every field that matters must come
back the same, compared by natural keys (GUIDs, slugs), never by primary keys.
"""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from lxml import etree

from archive.parsers.wxr import parse_wxr
from archive.wxr_export import export_wxr
from comments.models import Comment
from posts.models import Author, Blog, Category, Media, Post, Tag
from tests.archive.test_wxr_import import run
from tests.archive.test_wxr_parser import shared_file
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

SMALL_BLOG = Path(__file__).parent / "wxr" / "small-blog.xml"
WP = "http://wordpress.org/export/1.2/"


def exported(**options) -> bytes:
    out = io.BytesIO()
    export_wxr(out, **options)
    return out.getvalue()


def snapshot() -> dict:
    """Everything an import writes, keyed by what identifies it outside this database."""
    def key(post):
        # Exports can repeat a GUID (the theme unit test data does): the id tells them apart.
        return (post.guid, post.wp_id) if post else None

    def comment_key(comment):
        return (key(comment.post), comment.created_at, comment.author_name, comment.body)

    posts = {
        key(post): (
            post.kind, post.title, post.slug, post.body, post.body_format, post.excerpt,
            post.status, post.published_at, post.author.slug if post.author else None,
            sorted(c.slug for c in post.categories.all()), sorted(t.slug for t in post.tags.all()),
            post.sticky, post.comment_status, post.ping_status, key(post.parent), post.menu_order,
            post.password, post.post_format, post.template, post.original_url,
            post.comment_count, post.blog.title, post.blog.url,
        )
        for post in Post.objects.select_related("author", "parent", "blog")
        .prefetch_related("categories", "tags")
    }
    comments = {
        comment_key(comment): (
            comment.kind, comment.status, comment_key(comment.parent) if comment.parent else None,
            comment.depth, comment.author_email, comment.author_url,
            comment.user.author_profile.slug if comment.user else None, comment.source_url,
            comment.source_title, comment.ip_address, comment.meta, comment.body_format,
        )
        for comment in Comment.objects.select_related("post", "parent__post", "user__author_profile")
    }
    media = {
        item.guid: (item.url, item.title, item.alt_text, item.caption, item.mime_type,
                    item.published_at, item.wp_id, key(item.post))
        for item in Media.objects.select_related("post")
    }
    return {
        "posts": posts,
        "comments": comments,
        "media": media,
        "categories": {c.slug: (c.name, c.description, c.parent.slug if c.parent else None)
                       for c in Category.objects.select_related("parent")},
        "tags": dict(Tag.objects.values_list("slug", "name")),
        "authors": {a.slug: (a.name, a.email) for a in Author.objects.all()},
    }


def empty_the_database():
    for model in (Comment, Media, Post, Category, Tag, Author, Blog, get_user_model()):
        model.objects.all().delete()


def assert_round_trip(source):
    """Import, export the blog imported, empty the database, import the export: the same."""
    run(source)
    before = snapshot()
    export = exported(blog=Blog.objects.get())
    empty_the_database()
    report = run(io.BytesIO(export))
    assert report.total("skipped") == 0
    after = snapshot()
    for part in before:
        assert after[part] == before[part], part
    return before


def test_small_blog_round_trips(tmp_path):
    # Without the post that repeats post ID 14: an export cannot give two posts one id, so it
    # goes out under a new one, the one difference a round trip of that file shows.
    source = tmp_path / "small-blog.xml"
    source.write_text(re.sub(r"<!-- The same post id again.*?</item>", "",
                             SMALL_BLOG.read_text(), flags=re.DOTALL))
    before = assert_round_trip(source)
    assert (len(before["posts"]), len(before["comments"]), len(before["media"])) == (7, 6, 1)


def test_theme_unit_test_data_round_trips():
    before = assert_round_trip(shared_file("themeunittestdata.wordpress.xml"))
    assert (len(before["posts"]), len(before["comments"]), len(before["media"])) == (79, 33, 37)


# The file itself ------------------------------------------------------------------------------------


def test_the_export_is_wxr_1_2_with_the_prefixes_wordpress_looks_for():
    run(SMALL_BLOG)
    document = exported()
    root = etree.fromstring(document)
    assert root.nsmap["wp"] == WP
    assert b"<wp:wxr_version>1.2</wp:wxr_version>" in document
    assert b"ns0:" not in document  # WordPress's fallback parsers match "wp:" literally
    assert root.find(f"channel/{{{WP}}}wxr_version").text == "1.2"
    export = parse_wxr(io.BytesIO(document))
    assert [a.login for a in export.authors] == ["ann", "cook"]
    types = sorted(item.post_type for item in export.items)
    assert types == ["attachment"] + ["page"] * 2 + ["post"] * 6


def test_comments_go_out_parents_first_with_status_and_type():
    run(SMALL_BLOG)
    export = parse_wxr(io.BytesIO(exported()))
    [sowing] = [item for item in export.items if item.title == "Sowing &amp; growing"]
    seen = set()
    for comment in sowing.comments:
        assert comment.parent_id is None or comment.parent_id in seen
        seen.add(comment.wp_id)
    assert sorted((c.type, c.approved) for c in sowing.comments) == [
        ("comment", "0"), ("comment", "1"), ("comment", "1"), ("comment", "trash"),
        ("pingback", "1"), ("trackback", "spam")]
    pingback = next(c for c in sowing.comments if c.type == "pingback")
    assert pingback.author_url == "https://kitchen.example.com/beans/"


def test_attachments_go_out_as_urls_with_their_parent():
    run(SMALL_BLOG)
    export = parse_wxr(io.BytesIO(exported()))
    [attachment] = [item for item in export.items if item.post_type == "attachment"]
    assert attachment.attachment_url.endswith("/2012/03/bean-pods.jpg")
    assert attachment.parent_id == 10
    assert attachment.postmeta == {"_wp_attachment_image_alt": "Green pods on the vine"}


def test_text_that_cdata_cannot_hold_goes_out_escaped_and_reads_the_same():
    post = PostFactory(body="Ends with ]]> inside, and [a bracket]", body_format="html",
                       title="A [title]", excerpt="x\x0bz")
    CommentFactory(post=post, body="]")
    document = exported()
    export = parse_wxr(io.BytesIO(document))
    [item] = export.items
    assert item.content == "Ends with ]]> inside, and [a bracket]"
    assert item.excerpt == "xz"  # a vertical tab cannot be written in XML 1.0 at all
    assert item.comments[0].content == "]"


def test_plain_text_comments_go_out_as_wordpress_would_show_them_and_come_back_as_typed():
    post = PostFactory(published_at=timezone.now())
    typed = 'Use <b>bold</b> &amp; "quotes",\nsaid the baker.'
    markup = "I <em>love</em> rye &amp; spelt."
    CommentFactory(post=post, body=typed, author_name="Reader")
    CommentFactory(post=post, body=markup, body_format=Comment.BodyFormat.HTML,
                   author_name="Imported", meta={"akismet_result": "false"})
    export = exported()
    [item] = parse_wxr(io.BytesIO(export)).items
    comments = {c.author: c for c in item.comments}
    # WordPress shows the escaped text as the reader typed it; the mark is for our importer.
    assert comments["Reader"].content == 'Use &lt;b&gt;bold&lt;/b&gt; &amp;amp; "quotes",\nsaid the baker.'
    assert comments["Reader"].meta == {"_archive_site_body_format": "plain"}
    assert (comments["Imported"].content, comments["Imported"].meta) == (
        markup, {"akismet_result": "false"})

    empty_the_database()
    run(io.BytesIO(export))
    assert sorted(Comment.objects.values_list("author_name", "body", "body_format", "meta")) == [
        ("Imported", markup, "html", {"akismet_result": "false"}),
        ("Reader", typed, "plain", {}),
    ]


def test_markdown_posts_go_out_as_html_and_native_posts_get_ids():
    first = PostFactory(body="Some *emphasis*", published_at=timezone.now())
    second = PostFactory(wp_id=None)
    export = parse_wxr(io.BytesIO(exported()))
    items = {item.title: item for item in export.items}
    assert items[first.title].content == "<p>Some <em>emphasis</em></p>"
    assert items[second.title].wp_id not in {None, 0, items[first.title].wp_id}
    assert items[second.title].guid.endswith(f"?p={items[second.title].wp_id}")


def test_the_command_writes_a_file_or_standard_output(tmp_path, capsys):
    run(SMALL_BLOG)
    target = tmp_path / "export.xml"
    call_command("export_wxr", "--output", str(target), stderr=(err := io.StringIO()))
    assert "Exported 1 attachments, 2 authors, 4 categories, 4 comments" in err.getvalue()
    assert len(parse_wxr(target).items) == 9
    call_command("export_wxr", "--blog", Blog.objects.get().slug, stderr=io.StringIO())
    assert b"<wp:wxr_version>1.2" in capsys.readouterr().out.encode()
