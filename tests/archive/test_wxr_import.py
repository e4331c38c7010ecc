"""The WXR import service and its command, on small exports of our own (tests/archive/wxr/)."""

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.models import ImportCheckpoint
from archive.parsers.wxr import WxrError
from archive.report import ImportReport
from archive.wxr_import import comments as comment_writer
from archive.wxr_import import import_wxr
from comments.models import Comment
from posts.models import Author, Blog, Category, Media, Post, Tag

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "wxr"
SMALL_BLOG = FIXTURES / "small-blog.xml"
NAMESPACES = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"'
)


def wxr(items: str) -> io.BytesIO:
    """A WXR 1.2 file around the given items, from https://tiny.example.org."""
    return io.BytesIO(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" {NAMESPACES}><channel>\n'
        "<title>Tiny</title><link>https://tiny.example.org</link>\n"
        f"<wp:wxr_version>1.2</wp:wxr_version>\n{items}\n</channel></rss>\n".encode()
    )


def post_item(wp_id: int, **fields) -> str:
    values = {"post_type": "post", "status": "publish", "post_name": f"post-{wp_id}", **fields}
    return (f"<item><title>Post {wp_id}</title><wp:post_id>{wp_id}</wp:post_id>"
            + "".join(f"<wp:{name}>{value}</wp:{name}>" for name, value in values.items())
            + "</item>")


def run(source=SMALL_BLOG, **options) -> ImportReport:
    report = ImportReport()
    import_wxr(source, report=report, **options)
    return report


def post(wp_id: int) -> Post:
    return Post.objects.get(source_key=f"wxr:https://garden.example.org#{wp_id}")


def comment(wp_id: int) -> Comment:
    return Comment.objects.get(source_key=f"wxr:https://garden.example.org#comment-{wp_id}")


def counts(report: ImportReport, kind: str) -> dict:
    return report.as_dict()["counts"][kind]


# What is imported ---------------------------------------------------------------------------------


def test_every_kind_of_object_is_counted():
    report = run()
    assert {kind: row["created"] for kind, row in report.as_dict()["counts"].items()} == {
        "attachments": 1, "authors": 2, "blogs": 1, "categories": 4, "comments": 4, "pages": 2,
        "pingbacks": 1, "posts": 6, "tags": 2, "trackbacks": 1,
        "nav_menu_item": 0, "other terms": 0,
    }
    assert counts(report, "nav_menu_item")["skipped"] == 1
    assert counts(report, "posts")["skipped"] == 1  # post 14 written twice


def test_statuses_map_faithfully_and_future_posts_are_scheduled_not_published():
    run()
    assert [(n, post(n).status) for n in (10, 11, 12, 13, 14)] == [
        (10, "published"), (11, "scheduled"), (12, "draft"), (13, "pending"), (14, "private")]
    assert post(11).published_at == datetime(2030, 6, 1, 7, tzinfo=UTC)
    assert not Post.objects.published().filter(pk=post(11).pk).exists()


def test_a_post_keeps_its_wordpress_details():
    run()
    sowing = post(10)
    assert sowing.title == "Sowing & growing"  # "&amp;amp; &lt;em&gt;" read as the text shown
    assert sowing.body_format == "html"
    assert sowing.body.startswith("<!-- wp:paragraph -->\n<p>Soak the beans C:\\seeds\\ overnight.")
    assert "<!--more Read the rest-->" in sowing.body
    assert (sowing.slug, sowing.sticky, sowing.post_format) == ("sowing", True, "aside")
    assert (sowing.comment_status, sowing.ping_status) == ("open", "closed")
    assert sowing.published_at == datetime(2012, 3, 3, 10, tzinfo=UTC)
    assert sowing.guid == "https://garden.example.org/?p=10"
    assert sowing.original_url == "https://garden.example.org/2012/03/sowing/"
    assert (sowing.wp_id, sowing.source_file) == (10, "small-blog.xml")
    assert sowing.blog == Blog.objects.get(url="https://garden.example.org")
    assert sowing.author.name == "Ann Gardener"
    assert sorted(sowing.tags.values_list("slug", flat=True)) == ["seeds", "été"]
    assert list(sowing.categories.values_list("slug", flat=True)) == ["runner-beans"]


def test_slugs_are_decoded_and_drafts_without_one_get_one_from_the_title():
    run()
    assert post(14).slug == "🌱-seedlings"
    assert post(14).password == "beans"
    assert post(12).slug == "notes"
    assert Tag.objects.get(slug="été").name == "été"


def test_categories_nest_whatever_order_they_are_declared_in():
    run()
    runner = Category.objects.get(slug="runner-beans")
    assert [c.slug for c in runner.ancestors()] == ["beans", "vegetables"]
    beans = Category.objects.get(slug="beans")
    assert (beans.name, beans.description) == ("Beans & pulses", "All about beans")
    assert Category.objects.filter(slug="pickles").exists()  # used, never declared


def test_authors_declared_undeclared_and_malformed():
    report = run()
    assert sorted(Author.objects.values_list("slug", "name")) == [("ann", "Ann Gardener"),
                                                                 ("cook", "cook")]
    assert post(13).author.slug == "ann"  # dc:creator "ann>"
    assert "dc:creator 'ann>' is not a declared login: read as 'ann'" in report.warnings
    assert "dc:creator 'cook' is not a declared author: added" in report.warnings


def test_a_repeated_post_id_is_never_merged():
    report = run()
    imposter = Post.objects.get(source_key="wxr:https://garden.example.org#guid:"
                                           "https://garden.example.org/?p=14-copy")
    assert (imposter.title, post(14).title) == ("Imposter", "Just us")
    assert not Post.objects.filter(slug="just-us-again").exists()
    assert any("post ID 14 is used twice: the repeat is skipped" in w for w in report.warnings)


def test_a_page_keeps_its_parent_even_when_the_parent_comes_later():
    run()
    plot = post(21)
    assert (plot.kind, plot.parent, plot.menu_order, plot.template) == (
        "page", post(20), 2, "full-width.php")
    assert plot.get_absolute_url() == "/plots/plot-12/"


def test_an_attachment_becomes_a_media_record():
    run()
    media = Media.objects.get()
    assert (media.url, media.title, media.alt_text, media.caption, media.post) == (
        "https://garden.example.org/wp-content/uploads/2012/03/bean-pods.jpg", "bean-pods",
        "Green pods on the vine", "Pods in March", post(10))
    assert (media.mime_type, media.wp_id, bool(media.file)) == ("image/jpeg", 30, False)


def test_comments_keep_their_thread_status_kind_and_meta():
    report = run()
    first, reply, reply_to_reply = comment(100), comment(101), comment(102)
    assert (reply.parent, reply_to_reply.parent) == (first, reply)
    assert [c.depth for c in (first, reply, reply_to_reply)] == [0, 1, 2]
    assert [c.status for c in (first, reply, reply_to_reply)] == ["approved", "approved", "pending"]
    assert first.meta == {"akismet_result": "false"}
    assert first.body == "Which beans? \\o/"
    assert (first.ip_address, reply_to_reply.ip_address) == ("192.0.2.1", None)
    assert first.created_at == datetime(2012, 3, 4, 9, tzinfo=UTC)

    pingback, trackback = comment(103), comment(104)
    assert (pingback.kind, pingback.status) == ("pingback", "approved")
    assert pingback.source_url == "https://kitchen.example.com/beans/"
    assert pingback.source_title == "Kitchen Notes » Beans"
    assert (trackback.kind, trackback.status) == ("trackback", "spam")

    orphan = comment(105)
    assert (orphan.status, orphan.parent, orphan.depth) == ("trash", None, 0)
    assert ("comment 105 on post 10 replies to comment 99, which is not in the file: imported "
            "as a top-level comment") in report.warnings
    assert post(10).comment_count == 3  # approved: 100, 101 and the pingback


def test_comments_show_their_markup_as_wordpress_showed_it(client):
    markup = ('I <em>love</em> this <a href="https://tiny.example.org/beds/">bed</a> &amp; its '
              "beans.<script>alert(1)</script>")
    item = post_item(1).replace("</item>", (
        "<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_approved>1</wp:comment_approved>"
        f"<wp:comment_content><![CDATA[{markup}]]></wp:comment_content></wp:comment></item>"))
    run(wxr(item))
    page = lxml.html.fromstring(client.get(Post.objects.get().get_absolute_url()).content)
    [body] = page.find_class("comment-body")
    assert body.text_content().strip() == "I love this bed & its beans."
    assert [(e.tag, e.text, e.get("href")) for e in body.iter("em", "a", "script")] == [
        ("em", "love", None), ("a", "bed", "https://tiny.example.org/beds/")]


def test_a_pingbacks_excerpt_shows_its_characters_not_their_entities(client):
    run()
    page = lxml.html.fromstring(client.get(post(10).get_absolute_url()).content)
    pingback = page.get_element_by_id(f"comment-{comment(103).pk}")
    assert "[…] soak them overnight […]" in pingback.text_content()


def test_a_registered_commenter_is_linked_to_their_author():
    run()
    ann = Author.objects.get(slug="ann")
    assert comment(101).user == ann.user
    assert (ann.user.is_active, ann.user.has_usable_password()) == (False, False)
    assert comment(100).user is None


def test_an_existing_account_of_the_same_name_is_not_taken_over(django_user_model):
    admin = django_user_model.objects.create_user("ann", password="pw", is_superuser=True)
    run()
    assert comment(101).user != admin
    assert comment(101).user.username == "ann-2"


def test_old_addresses_are_remembered_for_redirects(client):
    run()
    response = client.get("/?p=10")
    assert response.status_code == 301
    assert response["Location"] == post(10).get_absolute_url()


# Idempotent and atomic ----------------------------------------------------------------------------


def test_importing_again_creates_and_changes_nothing():
    run()
    report = run()
    assert report.total("created") == 0
    assert report.total("updated") == 0
    assert counts(report, "posts")["unchanged"] == 6


def test_an_edited_export_updates_what_changed(tmp_path):
    run()
    edited = tmp_path / SMALL_BLOG.name
    edited.write_text(SMALL_BLOG.read_text().replace("Harvest plans", "Harvest diary"))
    report = run(edited)
    assert counts(report, "posts") == {"created": 0, "updated": 1, "unchanged": 5, "skipped": 1}
    assert post(11).title == "Harvest diary"


def test_a_file_refused_halfway_writes_nothing():
    items = "".join(post_item(n) for n in range(1, 1200))  # more than one batch
    with pytest.raises(WxrError) as caught:
        run(wxr(items + "<item><title>broken</titel></item>"))
    assert caught.value.message.startswith("not well-formed XML")
    assert not Post.objects.exists()
    assert not Blog.objects.exists()


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing():
    report = run(dry_run=True)
    assert counts(report, "posts")["created"] == 6
    assert not Post.objects.exists()
    assert not Author.objects.exists()


def test_a_batched_import_resumes_after_its_last_checkpoint(monkeypatch):
    items = "".join(post_item(n) for n in range(1, 8))
    source = wxr(items)
    real = comment_writer.write_comments
    calls = []

    def fail_on_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        return real(*args, **kwargs)

    monkeypatch.setattr(comment_writer, "write_comments", fail_on_second_batch)
    with pytest.raises(RuntimeError):
        run(source, batch_size=3)
    assert Post.objects.count() == 3  # the first batch committed, the second rolled back
    assert ImportCheckpoint.objects.get().items_done == 3

    monkeypatch.setattr(comment_writer, "write_comments", real)
    report = run(source, batch_size=3)
    assert Post.objects.count() == 7
    assert counts(report, "posts")["created"] == 7  # the first run's batch is in the report
    assert "resumed after item 3, where an earlier run stopped" in report.warnings
    assert not ImportCheckpoint.objects.exists()


def test_a_batched_import_of_a_bad_file_writes_nothing():
    items = "".join(post_item(n) for n in range(1, 8))
    with pytest.raises(WxrError):
        run(wxr(items + "<item><wp:post_date>yesterday</wp:post_date></item>"), batch_size=2)
    assert not Post.objects.exists()
    assert not ImportCheckpoint.objects.exists()


# Edge cases of items ------------------------------------------------------------------------------


def test_unmodelled_item_types_are_counted_as_skipped():
    report = run(wxr(post_item(1) + post_item(2, post_type="wp_navigation")
                     + post_item(3, post_type="product") + "<item><title>x</title></item>"))
    assert {kind: row["skipped"] for kind, row in report.as_dict()["counts"].items()} == {
        "blogs": 0, "posts": 0, "wp_navigation": 1, "product": 1, "items without a type": 1}


def test_slugs_stay_unique_where_the_site_needs_them():
    run(wxr(post_item(1, post_name="same") + post_item(2, post_name="same")
            + post_item(3, post_type="page", post_name="same")
            + post_item(4, post_type="page", post_name="search")))
    slugs = dict(Post.objects.values_list("wp_id", "slug"))
    assert slugs == {1: "same", 2: "same-2", 3: "same", 4: "search-2"}  # /search/ is ours
    report = run(wxr(post_item(1, post_name="same") + post_item(2, post_name="same")
                     + post_item(3, post_type="page", post_name="same")
                     + post_item(4, post_type="page", post_name="search")))
    assert report.total("updated") == 0


def test_a_repeated_linkback_is_skipped_not_merged():
    pingback = ("<wp:comment><wp:comment_id>{}</wp:comment_id><wp:comment_approved>1"
                "</wp:comment_approved><wp:comment_type>pingback</wp:comment_type>"
                "<wp:comment_author_url>https://other.example/p</wp:comment_author_url>"
                "</wp:comment>")
    item = post_item(1).replace("</item>", pingback.format(1) + pingback.format(2) + "</item>")
    report = run(wxr(item))
    assert Comment.objects.count() == 1
    assert counts(report, "pingbacks") == {"created": 1, "updated": 0, "unchanged": 0,
                                           "skipped": 1}


def test_a_reply_chain_deeper_than_the_display_limit_is_kept_whole():
    chain = "".join(
        f"<wp:comment><wp:comment_id>{n}</wp:comment_id><wp:comment_approved>1"
        f"</wp:comment_approved><wp:comment_parent>{n - 1}</wp:comment_parent></wp:comment>"
        for n in range(1, 16))
    run(wxr(post_item(1).replace("</item>", chain + "</item>")))
    deepest = Comment.objects.get(source_key="wxr:https://tiny.example.org#comment-15")
    assert deepest.depth == 14
    assert deepest.parent.source_key.endswith("#comment-14")


# The command --------------------------------------------------------------------------------------


def import_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_wxr", *map(str, args), stdout=out, stderr=err)
    return out.getvalue()


def test_the_command_prints_a_table_and_the_warnings():
    output = import_command(SMALL_BLOG)
    lines = output.splitlines()
    assert lines[0].split() == ["kind", "created", "updated", "unchanged", "skipped"]
    assert "posts 6 0 0 1" in [" ".join(line.split()) for line in lines]
    assert "8 warnings:" in output


def test_the_command_reports_as_json():
    payload = json.loads(import_command(SMALL_BLOG, "--json"))
    assert payload["counts"]["comments"]["created"] == 4
    assert len(payload["warnings"]) == 8


def test_the_command_names_the_file_and_line_of_a_bad_file(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(wxr(post_item(1) + "<item><title>x</titel></item>").getvalue())
    with pytest.raises(CommandError, match="1 of 2 files were not imported"):
        call_command("import_wxr", str(bad), str(SMALL_BLOG), stdout=io.StringIO(),
                     stderr=(err := io.StringIO()))
    assert f"{bad}:5: not well-formed XML" in err.getvalue()
    assert Post.objects.filter(source_key__startswith="wxr:https://tiny.example.org").count() == 0
    assert Post.objects.filter(source_key__startswith="wxr:https://garden.example.org").count() == 8


def test_the_command_dry_run_and_batch_options():
    output = import_command(SMALL_BLOG, "--dry-run")
    assert output.startswith("Dry run: nothing was written.")
    assert not Post.objects.exists()
    import_command(SMALL_BLOG, "--batch", "--batch-size", "2")
    assert Post.objects.count() == 8
