"""The WordPress importer's own edge-case files, each imported as its name says or refused with
its line, and nothing written.

The files are read from $ARCHIVE_TESTDATA/wxr; without that variable these tests are skipped.
"""


import pytest

from archive.parsers.wxr import WxrError
from comments.models import Comment
from posts.models import Author, Category, Post, Tag
from tests.archive.test_wxr_import import run
from tests.archive.test_wxr_parser import importer_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "posts", "pages", "comments"),
    [
        ("valid-wxr-1.0.xml", 3, 3, 1),
        ("valid-wxr-1.1.xml", 1, 1, 1),
        ("small-export.xml", 6, 5, 1),
        ("wxr-utf-8-challenges.xml", 1, 0, 0),
        ("crazy-cdata-escaped.xml", 1, 0, 0),
        ("slashes.xml", 1, 0, 1),
        ("namespace-edge-cases.xml", 5, 0, 0),
        ("test-serialized-comment-meta.xml", 1, 0, 1),
    ],
)
def test_each_valid_file_imports_and_imports_again_unchanged(name, posts, pages, comments):
    run(importer_file(name))
    assert (Post.objects.posts().count(), Post.objects.pages().count()) == (posts, pages)
    assert Comment.objects.count() == comments
    again = run(importer_file(name))
    assert (again.total("created"), again.total("updated")) == (0, 0)


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("crazy-cdata.xml", 18, "not well-formed XML: Sequence ']]>' not allowed in content"),
        ("malformed.xml", 90, "not well-formed XML: Opening and ending tag mismatch"),
        ("missing-version-tag.xml", 35, "no valid WXR version: wp:wxr_version is missing"),
        ("invalid-version-tag.xml", 33, "no valid WXR version: wp:wxr_version is 'abc'"),
    ],
)
def test_each_broken_file_is_refused_with_its_line_and_nothing_written(name, line, message):
    path = importer_file(name)
    with pytest.raises(WxrError) as caught:
        run(path)
    assert (caught.value.source, caught.value.line) == (str(path), line)
    assert caught.value.message.startswith(message)
    assert not Post.objects.exists()
    assert not Author.objects.exists()


def test_wxr_1_0_pages_find_a_parent_written_after_them():
    run(importer_file("valid-wxr-1.0.xml"))
    child = Post.objects.get(wp_id=8)
    assert child.parent.wp_id == 10
    assert child.get_absolute_url() == "/parent-page/child-post/"


def test_small_export_keeps_private_draft_and_nested_pages():
    run(importer_file("small-export.xml"))
    assert Post.objects.get(wp_id=13).status == "private"
    draft = Post.objects.get(wp_id=9)
    assert (draft.status, draft.kind, draft.slug) == ("draft", "page", "draft-page")
    assert Post.objects.get(wp_id=4).parent.wp_id == 6
    assert Post.objects.get(wp_id=19).post_format == "aside"
    assert Category.objects.filter(name="远征手记").exists()


def test_utf_8_challenges_survive_exactly(client):
    run(importer_file("wxr-utf-8-challenges.xml"))
    post = Post.objects.get()
    assert post.title == '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c'
    assert post.slug == "hello-w\u202eorld\u202c-utf8-💫-test"
    assert "السلام عليكم وﷲ" in post.body
    assert "\u200c\u200b\u200d\u200e" in post.body
    assert client.get(post.get_absolute_url()).status_code == 200


def test_nested_cdata_and_backslashes_survive_exactly():
    run(importer_file("crazy-cdata-escaped.xml"))
    assert Post.objects.get().body == "Content with nested <![CDATA[ tags ]]> :)"
    Post.objects.all().delete()
    run(importer_file("slashes.xml"))
    assert Post.objects.get().body == 'Slashes aren\\\'t \\"cool\\"'
    assert Comment.objects.get().body == "\\o/ ¯\\_(ツ)_/¯"
    assert Category.objects.get(slug="alpha").name == 'a \\"great\\" category'
    assert Tag.objects.get(slug="tag1").name == "foo\\'bar"


def test_serialized_comment_meta_is_kept_as_text():
    run(importer_file("test-serialized-comment-meta.xml"))
    assert Comment.objects.get().meta == {"string": "¯\\_(ツ)_/¯",
                                          "array": 'a:1:{s:3:"key";s:13:"¯\\_(ツ)_/¯";}'}


def test_namespace_edge_cases_keep_only_real_wxr_elements():
    report = run(importer_file("namespace-edge-cases.xml"))
    assert list(Author.objects.values_list("slug", flat=True)) == ["real_user"]
    assert report.as_dict()["counts"]["items without a type"]["skipped"] == 1  # hijacked
    assert Post.objects.get(title="Namespace Bomb").body == "&lol1;" * 10
