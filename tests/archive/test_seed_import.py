import io
import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from comments.models import Comment
from posts.models import Author, Blog, Category, LegacyURL, Post, Tag
from tests.html import main_text

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR) / "seeds"


def import_seeds(*paths):
    out = io.StringIO()
    call_command("import_seeds", *map(str, paths), stdout=out)
    return out.getvalue()


def test_about_us_page_with_its_aims_as_a_list(client):
    import_seeds()

    response = client.get("/about-us/")

    assert response.status_code == 200
    text = main_text(response)
    assert "<h1 class=\"entry-title\">About us</h1>" in text
    assert text.count("<li>") == 5
    assert "AoA – StSP" in text
    assert "Archived from <a href=\"/blog/stalin-society-pakistan/\">Stalin Society Pakistan</a>" in text


def test_on_stalin_with_its_responses_in_original_order(client):
    import_seeds()

    text = main_text(client.get("/2007/10/21/on-stalin/"))

    lines = [
        "Comment by Marthanda | October 21, 2007",
        "Comment by Marthanda | October 21, 2007",
        "Pingback by Marxist-Leninist-Stalinist-Maoist Media » Letter from Joseph Ball to "
        "Parisar on Stalin | December 13, 2007",
        "Comment by khan | July 3, 2010",
    ]
    flat = re.sub(r"<[^>]+>", "", text)
    positions = [flat.index(lines[0]), flat.index(lines[1], flat.index(lines[0]) + 1),
                 flat.index(lines[2]), flat.index(lines[3])]
    assert positions == sorted(positions)
    assert "[…] From the page “On Stalin” […]" in flat
    post = Post.objects.get(slug="on-stalin")
    assert sorted(post.categories.values_list("name", flat=True)) == [
        "History", "articles", "marxism-leninism-maoism"]
    assert post.author is None
    assert post.comment_count == 4
    assert post.comments.filter(kind="pingback").count() == 1
    assert set(post.comments.values_list("body_format", flat=True)) == {"plain"}  # page text
    assert post.blog.title == "parisar"


def test_front_page_posts_are_undated_and_say_what_is_missing(client):
    import_seeds()
    capture = "002_d3d1742f730c75da.txt"
    posts = Post.objects.filter(source_file=capture)

    assert posts.count() == 10
    cut = posts.filter(excerpt_only=True).first()
    text = main_text(client.get(cut.get_absolute_url()))
    assert "Date unknown" in text
    assert "Only the beginning of this post was archived" in text


def test_provenance_is_recorded():
    import_seeds()
    post = Post.objects.get(slug="on-stalin")
    assert post.source_file == "001_08246adbb22bbd05.txt"
    assert len(post.source_checksum) == 64
    assert post.source_position is not None and post.imported_at is not None


def test_a_second_run_changes_nothing():
    import_seeds()
    before = {p.pk: p.updated_at for p in Post.objects.all()}

    summary = import_seeds()

    total = summary.strip().splitlines()[-1].split()
    assert total[:3] == ["total", "0", "0"], summary
    assert {p.pk: p.updated_at for p in Post.objects.all()} == before


def test_an_edited_capture_updates_its_objects_in_place(tmp_path):
    capture = tmp_path / "001_08246adbb22bbd05.txt"
    shutil.copy(SEEDS / capture.name, capture)
    import_seeds(capture)
    post = Post.objects.get(slug="on-stalin")

    capture.write_text(capture.read_text().replace("Best Joseph.", "Best wishes, Joseph."))
    summary = import_seeds(capture)

    post.refresh_from_db()
    assert "Best wishes, Joseph." in post.body
    assert Post.objects.filter(slug__startswith="on-stalin").count() == 1
    assert "posts" in summary and " 1 " in summary.splitlines()[-1]


def test_a_bad_capture_names_file_and_line_and_writes_nothing(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("Gardening notes\n\nSome text about beans.\n")
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"Title\n\nok line\n\xff\xfe broken bytes\n")

    with pytest.raises(CommandError, match="1 of 2 captures failed"):
        import_seeds(good, bad)

    assert Post.objects.filter(source_file="a.txt").exists()
    assert not Post.objects.filter(source_file="b.txt").exists()


def test_dry_run_json_touches_no_database():
    out = io.StringIO()
    call_command("import_seeds", "--dry-run", "--json", stdout=out)

    payload = json.loads(out.getvalue())
    assert not Post.objects.exists() and not Blog.objects.exists()
    sources = [d["source"] for d in payload["documents"]]
    assert sources == sorted(p.name for p in SEEDS.glob("*.txt"))
    on_stalin = payload["documents"][1]["entries"][0]
    assert on_stalin["date"] == "2007-10-21"
    assert [r["kind"] for r in on_stalin["responses"]] == ["comment", "comment", "pingback",
                                                           "comment"]


def test_loaddata_demo_gives_the_same_pages_as_import_seeds(client):
    import_seeds()
    def page(url):
        # Form tokens are fresh on every request, and database ids depend on the order rows
        # were written; the content around them must not differ.
        text = re.sub(r'name="(csrfmiddlewaretoken|token)" value="[^"]*"', "",
                      main_text(client.get(url)))
        return re.sub(r"(comment-|replytocom=|data-comment-id=\"|/comments/(?:feed/)?post/)\d+",
                      r"\1#", text)

    urls = [p.get_absolute_url() for p in Post.objects.all()] + ["/"]
    imported = {url: page(url) for url in urls}
    for model in (Comment, Post, Blog, Category, Author, Tag, LegacyURL):
        model.objects.all().delete()

    call_command("loaddata", "demo", verbosity=0)

    for url, text in imported.items():
        assert page(url) == text, url


def test_the_demo_fixture_is_current():
    call_command("demo_fixture", "--check", stdout=io.StringIO())
