"""The WXR parser: namespaces, records, refusals, streaming, and the public test exports.

Tests on the WordPress importer's and the theme unit test's own files read them from
$ARCHIVE_TESTDATA/wxr and are skipped when that variable is unset.
"""

import io
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.parsers.wxr import (
    WxrAuthor,
    WxrError,
    WxrItem,
    WxrSite,
    WxrTerm,
    detect_namespaces,
    iter_wxr,
    parse_wordpress_date,
    parse_wxr,
    validate_wxr,
)
from tests import require

FIXTURES = Path(__file__).parent / "wxr"
PROJECT_ROOT = Path(__file__).parents[2]

NAMESPACES = (
    'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/"'
)


def wxr(channel: str, *, version: str = "1.2") -> io.BytesIO:
    """A small WXR 1.2 document around the given channel content; line 3 is the version."""
    return io.BytesIO(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" {NAMESPACES}><channel>\n'
        f"<wp:wxr_version>{version}</wp:wxr_version>\n{channel}\n</channel></rss>\n".encode()
    )


def item(fields: str) -> str:
    return f"<item><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>{fields}</item>"


def shared_file(*parts: str) -> Path:
    root = os.environ.get("ARCHIVE_TESTDATA")
    require(root, "ARCHIVE_TESTDATA is unset: point it at the shared folder of public WXR files")
    return Path(root, "wxr", *parts)


def importer_file(name: str) -> Path:
    return shared_file("wordpress-importer", name)


def raises_wxr_error(source) -> WxrError:
    with pytest.raises(WxrError) as caught:
        list(iter_wxr(source))
    return caught.value


# Namespaces --------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_is_recognised_on_http_and_https(scheme, version):
    found = detect_namespaces(
        {
            "wp": f"{scheme}://wordpress.org/export/{version}/",
            "excerpt": f"{scheme}://wordpress.org/export/{version}/excerpt/",
            "content": f"{scheme}://purl.org/rss/1.0/modules/content/",
            "dc": f"{scheme}://purl.org/dc/elements/1.1/",
            "wfw": f"{scheme}://wellformedweb.org/CommentAPI/",
        }
    )
    assert found.wp == f"{scheme}://wordpress.org/export/{version}/"
    assert found.excerpt == f"{scheme}://wordpress.org/export/{version}/excerpt/"
    assert found.content == f"{scheme}://purl.org/rss/1.0/modules/content/"
    assert found.dc == f"{scheme}://purl.org/dc/elements/1.1/"
    assert found.wfw == f"{scheme}://wellformedweb.org/CommentAPI/"


def test_the_usual_prefix_wins_when_two_wxr_versions_are_declared():
    found = detect_namespaces(
        {"wp2": "http://wordpress.org/export/1.1/", "wp": "http://wordpress.org/export/1.2/"}
    )
    assert found.wp == "http://wordpress.org/export/1.2/"


def test_lookalike_namespaces_are_not_wxr():
    found = detect_namespaces(
        {"wp": "http://wordpress.org/export/1.3/", "x": "http://example.com/wordpress.org/export/1.2/"}
    )
    assert found.wp is None
    assert found.content is None


def test_the_wxr_namespace_is_found_under_any_prefix():
    source = io.BytesIO(
        b'<rss xmlns:press="http://wordpress.org/export/1.1/"><channel>'
        b"<press:wxr_version>1.1</press:wxr_version>"
        b"<item><press:post_id>5</press:post_id><press:post_type>page</press:post_type></item>"
        b"</channel></rss>"
    )
    export = parse_wxr(source)
    assert export.site.wxr_version == "1.1"
    assert [(i.wp_id, i.post_type) for i in export.items] == [(5, "page")]


# Records, from our own fixtures ------------------------------------------------------------------


def test_an_export_with_https_namespaces_is_read_in_full():
    export = parse_wxr(FIXTURES / "https-namespaces.xml")

    assert export.site == WxrSite(
        title="Secure Blog",
        link="https://blog.example.org",
        description="Notes over TLS",
        language="en-GB",
        base_site_url="https://example.org",
        base_blog_url="https://blog.example.org",
        wxr_version="1.2",
    )
    assert export.authors == (
        WxrAuthor(
            login="ada",
            email="ada@example.org",
            display_name="Ada L.",
            first_name="Ada",
            last_name="Lovelace",
            wp_id=7,
        ),
    )
    assert export.terms == (
        WxrTerm("category", "engines", "Engines", "", "Analytical & otherwise", 3),
        WxrTerm("category", "difference", "Difference", "engines", "", 4),
        WxrTerm("post_tag", "notes", "Notes", "", "", 5),
        WxrTerm("series", "sketches", "Sketches", "", "A series", 6),
    )
    [post] = export.items
    assert (post.post_type, post.wp_id, post.status, post.post_name) == ("post", 42, "publish", "fish")
    assert post.creator == "ada"
    assert post.content == "<p>First.</p>\n<!--more-->\n<p>Second, with a C:\\path and 'quotes'.</p>"
    assert post.excerpt == "Short & sweet"
    assert post.guid == "https://blog.example.org/?p=42"
    assert post.link == "https://blog.example.org/2012/03/fish/"
    assert (post.comment_status, post.ping_status, post.is_sticky) == ("closed", "open", True)
    assert post.categories == (
        ("category", "difference", "Difference"),
        ("post_tag", "notes", "Notes"),
        ("series", "sketches", "Sketches"),
    )
    assert post.postmeta == {"_thumbnail_id": "43"}
    assert post.line == 55


def test_titles_keep_html_and_entities_as_xml_gives_them():
    [post] = parse_wxr(FIXTURES / "https-namespaces.xml").items
    # The file says "Fish &amp;amp; Chips &lt;em&gt;..."; XML parsing undoes one level only.
    assert post.title == "Fish &amp; Chips <em>fresh</em>"


def test_local_dates_are_naive_and_gmt_dates_are_utc():
    [post] = parse_wxr(FIXTURES / "https-namespaces.xml").items
    assert post.post_date == datetime(2012, 3, 3, 11, 0)
    assert post.post_date_gmt == datetime(2012, 3, 3, 10, 0, tzinfo=UTC)


def test_a_comment_thread_keeps_its_replies_types_and_moderation_states():
    [post] = parse_wxr(FIXTURES / "comment-thread.xml").items
    comments = {comment.wp_id: comment for comment in post.comments}

    replies = [(c.wp_id, c.parent_id) for c in post.comments]
    assert replies == [(1, None), (2, 1), (3, 2), (4, None), (5, None)]
    states = [(c.type, c.approved) for c in post.comments]
    assert states == [("", "1"), ("comment", "1"), ("", "0"), ("pingback", "1"), ("trackback", "spam")]
    first = comments[1]
    assert (first.author, first.author_email, first.author_ip) == (
        "Reader",
        "reader@example.net",
        "192.0.2.1",
    )
    assert first.author_url == "http://reader.example.net/"
    assert first.content == "First!  <b>bold</b> \\o/"
    assert first.date == datetime(2012, 1, 1, 10, 0)
    assert first.date_gmt == datetime(2012, 1, 1, 9, 0, tzinfo=UTC)
    assert first.user_id is None
    assert comments[2].user_id == 3
    assert comments[3].date_gmt is None
    assert comments[4].content == "[&#8230;] as Discuss said [&#8230;]"
    assert comments[5].meta == {
        "akismet_result": "true",
        "akismet_history": 'a:1:{s:4:"time";d:1325412000.5;}',
    }


def odd_items() -> dict[int, WxrItem]:
    return {post.wp_id: post for post in parse_wxr(FIXTURES / "odd-items.xml").items}


def test_slugs_are_kept_as_written_whether_percent_encoded_or_not_ascii():
    items = odd_items()
    assert items[10].post_name == "%e6%97%a5%e6%9c%ac%e8%aa%9e"
    assert items[10].title == "日本語のタイトル"
    assert items[11].post_name == "café-ñandú"


def test_an_item_of_a_type_the_blog_does_not_know_is_still_yielded():
    block = odd_items()[12]
    assert block.post_type == "wp_block"
    assert block.content == "<!-- wp:paragraph --><p>Reusable</p><!-- /wp:paragraph -->"


def test_an_attachment_has_its_url_parent_and_alt_text():
    items = odd_items()
    attachment = items[13]
    assert attachment.post_type == "attachment"
    assert attachment.attachment_url == "http://odd.example.org/wp-content/uploads/2011/05/engine.png"
    assert attachment.parent_id == 10
    assert attachment.postmeta["_wp_attachment_image_alt"] == "A brass engine"
    assert items[10].postmeta["_thumbnail_id"] == "13"


def test_an_unscheduled_draft_has_no_gmt_date():
    draft = odd_items()[14]
    assert (draft.post_type, draft.status) == ("page", "draft")
    assert draft.post_date == datetime(2011, 6, 1, 12, 0)
    assert draft.post_date_gmt is None
    assert draft.menu_order == 3
    assert draft.postmeta == {"_wp_page_template": "full-width.php"}


def test_missing_fields_read_as_empty_or_none():
    [post] = parse_wxr(wxr(item(""))).items
    assert (post.title, post.content, post.creator, post.post_name) == ("", "", "", "")
    assert (post.parent_id, post.post_date, post.menu_order, post.is_sticky) == (None, None, 0, False)
    assert (post.categories, post.postmeta, post.comments) == ((), {}, ())


def test_a_repeated_meta_key_keeps_its_first_value():
    meta = (
        "<wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key><wp:meta_value>one</wp:meta_value>"
        "</wp:postmeta><wp:postmeta><wp:meta_key>_wp_old_slug</wp:meta_key>"
        "<wp:meta_value>two</wp:meta_value></wp:postmeta>"
    )
    [post] = parse_wxr(wxr(item(meta))).items
    assert post.postmeta == {"_wp_old_slug": "one"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2011-01-18 07:40:14", datetime(2011, 1, 18, 7, 40, 14)),
        (" 2030-01-01 12:00:18\n", datetime(2030, 1, 1, 12, 0, 18)),
        ("0000-00-00 00:00:00", None),
        ("", None),
    ],
)
def test_wordpress_dates(text, expected):
    assert parse_wordpress_date(text) == expected


@pytest.mark.parametrize("text", ["2011-01-18", "18/01/2011 07:40:14", "2011-02-30 00:00:00"])
def test_other_date_forms_are_refused(text):
    with pytest.raises(ValueError):
        parse_wordpress_date(text)


# Refusals and errors -----------------------------------------------------------------------------


def test_an_entity_bomb_is_refused():
    # Where libxml2 stops it (at the root element, or at the first reference that would blow up)
    # depends on its version; the refusal does not.
    error = raises_wxr_error(FIXTURES / "entity-bomb.xml")
    assert error.message.startswith("refusing this file: it declares entities")


def test_an_external_entity_is_refused_before_any_record():
    records = iter_wxr(FIXTURES / "external-entity.xml")
    with pytest.raises(WxrError, match="declares entities"):
        next(records)


def test_any_doctype_is_refused():
    source = io.BytesIO(b'<!DOCTYPE rss SYSTEM "http://example.com/rss.dtd">\n<rss/>')
    assert "has a DOCTYPE" in raises_wxr_error(source).message


def test_an_undefined_entity_is_reported_where_it_is():
    error = raises_wxr_error(wxr(item("<title>Caf&eacute;</title>")))
    assert (error.line, error.message) == (4, "not well-formed XML: Entity 'eacute' not defined")


def test_a_truncated_file_is_not_well_formed():
    cut_short = wxr(item("<title>A long post</title>")).getvalue()[:-40]
    assert raises_wxr_error(io.BytesIO(cut_short)).message.startswith("not well-formed XML")


def test_an_error_names_the_file_and_line(tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(wxr(item("<title>x</titel>")).getvalue())
    error = raises_wxr_error(path)
    assert (error.source, error.line) == (str(path), 4)
    assert str(error) == f"{path}:4: {error.message}"
    assert error.message.startswith("not well-formed XML: Opening and ending tag mismatch")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("<wp:post_parent>\nabc</wp:post_parent>", "wp:post_parent is '\\nabc', not a whole number"),
        ("<wp:post_date>\n\nyesterday</wp:post_date>", "wp:post_date is '\\n\\nyesterday', not a YYYY"),
        ("<wp:comment>\n<wp:comment_content/></wp:comment>", "wp:comment has no wp:comment_id"),
    ],
)
def test_a_value_that_cannot_be_read_is_reported_where_it_is(fields, message):
    error = raises_wxr_error(wxr(item(fields)))
    assert error.line == 4
    assert error.message.startswith(message)


def test_a_file_without_records_still_needs_a_version():
    source = io.BytesIO(f"<rss {NAMESPACES}><channel><title>t</title></channel></rss>".encode())
    assert raises_wxr_error(source).message.startswith("no valid WXR version")


def test_a_version_we_do_not_know_is_refused():
    error = raises_wxr_error(wxr(item(""), version="2.0"))
    assert (error.line, error.message) == (
        3,
        "no valid WXR version: wp:wxr_version is '2.0', not 1.0, 1.1 or 1.2",
    )


# Streaming ---------------------------------------------------------------------------------------


def test_the_site_comes_first_then_records_in_document_order():
    kinds = [type(record).__name__ for record in iter_wxr(FIXTURES / "https-namespaces.xml")]
    assert kinds == ["WxrSite", "WxrAuthor"] + ["WxrTerm"] * 4 + ["WxrItem"]


def test_records_arrive_before_an_error_later_in_the_file():
    # Why a service must not write as it reads outside a transaction: see validate_wxr.
    posts = "".join(
        f"<item><wp:post_id>{n}</wp:post_id><content:encoded>{'x' * 1000}</content:encoded></item>\n"
        for n in range(1, 201)
    )
    records = iter_wxr(wxr(posts + "<item><title>broken</titel></item>"))
    received = []
    with pytest.raises(WxrError, match="not well-formed"):
        for record in records:
            received.append(record)
    assert len(received) > 1


def test_validate_reads_the_whole_file_and_returns_the_site():
    assert validate_wxr(FIXTURES / "comment-thread.xml").title == "Talkative"
    with pytest.raises(WxrError, match="not well-formed"):
        validate_wxr(wxr(item("<title>x</titel>")))


def test_a_file_object_is_named_after_its_file(tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(wxr(item("<title>x</titel>")).getvalue())
    with path.open("rb") as file:
        assert raises_wxr_error(file).source == str(path)
    assert raises_wxr_error(wxr(item("<title>x</titel>"))).source == "<stream>"


# VmHWM is the process's peak resident size. The libxml2 tree is allocated outside Python,
# where tracemalloc cannot see it, so the measure runs in a fresh interpreter (whose peak
# starts small, unlike getrusage's, which a child inherits from pytest across fork and exec).
PEAK_MEMORY_GROWTH = r"""
import re, sys
from lxml import etree
from archive.parsers.wxr import iter_wxr

def peak_kb():
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\s+(\d+) kB", status.read()).group(1))

mode, path = sys.argv[1:]
before = peak_kb()
if mode == "stream":
    count = sum(1 for _ in iter_wxr(path))
else:
    count = len(etree.parse(path).getroot()[0])
print(count, peak_kb() - before)
"""


def write_large_export(path: Path, size: int) -> int:
    """Write a WXR file of about `size` bytes; return how many items it holds."""
    paragraphs = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n" * 40
    count = 0
    with path.open("w", encoding="utf-8") as file:
        file.write(f"<rss {NAMESPACES}><channel><wp:wxr_version>1.2</wp:wxr_version>\n")
        while file.tell() < size:
            count += 1
            file.write(
                f"<item><title>Post {count}</title><wp:post_id>{count}</wp:post_id>"
                f"<wp:post_type>post</wp:post_type>"
                f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded>"
                f"<wp:comment><wp:comment_id>{count}</wp:comment_id>"
                f"<wp:comment_content>Nice.</wp:comment_content></wp:comment></item>\n"
            )
        file.write("</channel></rss>\n")
    return count


def peak_memory_growth_kb(mode: str, path: Path) -> tuple[int, int]:
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY_GROWTH, mode, str(path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    count, growth = result.stdout.split()
    return int(count), int(growth)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
def test_memory_stays_flat_while_a_20_mb_export_streams(tmp_path):
    path = tmp_path / "large.xml"
    items = write_large_export(path, 20_000_000)

    streamed, stream_growth = peak_memory_growth_kb("stream", path)
    in_tree, tree_growth = peak_memory_growth_kb("tree", path)

    assert streamed == items + 1  # the site, then every item
    assert in_tree == items + 1  # the version element, then every item
    assert stream_growth < 8 * 1024, "streaming should hold one item at a time"
    assert tree_growth > 4 * stream_growth, "the measure must see a whole tree being built"


# The WordPress importer's test files -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "version", "items"),
    [
        ("valid-wxr-1.0.xml", "1.0", 6),
        ("valid-wxr-1.1.xml", "1.1", 2),
        ("small-export.xml", "1.1", 11),
        ("wxr-utf-8-challenges.xml", "1.2", 1),
        ("crazy-cdata-escaped.xml", "1.1", 1),
        ("slashes.xml", "1.1", 1),
        ("namespace-edge-cases.xml", "1.2", 6),
        ("test-serialized-comment-meta.xml", "1.0", 1),
    ],
)
def test_the_importers_valid_files_parse(name, version, items):
    export = parse_wxr(importer_file(name))
    assert export.site.wxr_version == version
    assert len(export.items) == items


@pytest.mark.parametrize(
    ("name", "line", "problem"),
    [
        ("crazy-cdata.xml", 18, "Sequence ']]>' not allowed in content"),
        ("malformed.xml", 90, "Opening and ending tag mismatch: notachanneltag line 27 and channel"),
    ],
)
def test_the_importers_malformed_files_are_refused_with_their_line(name, line, problem):
    path = importer_file(name)
    error = raises_wxr_error(path)
    assert str(error) == f"{path}:{line}: not well-formed XML: {problem}"


@pytest.mark.parametrize(
    ("name", "line", "found"),
    [("missing-version-tag.xml", 35, "is missing"), ("invalid-version-tag.xml", 33, "is 'abc'")],
)
def test_the_importers_files_without_a_valid_version_are_refused(name, line, found):
    error = raises_wxr_error(importer_file(name))
    assert error.line == line
    assert error.message == f"no valid WXR version: wp:wxr_version {found}, not 1.0, 1.1 or 1.2"


def test_wxr_1_1_reads_as_wordpress_reads_it():
    export = parse_wxr(importer_file("valid-wxr-1.1.xml"))
    assert export.site.base_site_url == "http://localhost/"
    assert export.authors == (WxrAuthor("john", "johndoe@example.org", "John Doe", "John", "Doe", wp_id=2),)
    assert export.terms == (
        WxrTerm("category", "alpha", "alpha", "", "The alpha category", 3),
        WxrTerm("post_tag", "clippable", "Clippable", "", "The Clippable post_tag", 22),
        WxrTerm("post_tax", "bieup", "bieup", "", "The bieup post_tax", 40),
    )
    post, page = export.items
    assert post.categories == (
        ("category", "alpha", "alpha"),
        ("post_tag", "clippable", "Clippable"),
        ("post_tax", "bieup", "bieup"),
    )
    assert post.comments[0].content.endswith(
        "view the post&#039;s comments. There you will have the option to edit or delete them."
    )
    assert page.postmeta == {"_wp_page_template": "default"}


def test_wxr_1_0_tags_become_post_tags_and_rss_only_categories_are_skipped():
    export = parse_wxr(importer_file("valid-wxr-1.0.xml"))
    assert Counter(term.taxonomy for term in export.terms) == {"category": 5, "post_tag": 4}
    assert export.terms[0] == WxrTerm("category", "alpha", "alpha", "", "The alpha category", None)
    assert export.items[0].categories == (("category", "uncategorized", "Uncategorized"),)
    assert export.items[2].categories == (
        ("category", "alpha", "alpha"),
        ("post_tag", "news", "news"),
        ("post_tag", "roar", "roar"),
    )


def test_escaped_cdata_ends_are_joined_back():
    [post] = parse_wxr(importer_file("crazy-cdata-escaped.xml")).items
    assert post.content == "Content with nested <![CDATA[ tags ]]> :)"
    assert post.postmeta == {
        "Plain string": "Foo",
        "Closing CDATA": "]]>",
        "Alot of CDATA": "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>",
    }


def test_backslashes_are_kept_exactly():
    export = parse_wxr(importer_file("slashes.xml"))
    [post] = export.items
    assert post.content == 'Slashes aren\\\'t \\"cool\\"'
    assert post.comments[0].content == "\\o/ ¯\\_(ツ)_/¯"
    assert [term.name for term in export.terms] == ['a \\"great\\" category', "foo\\'bar"]


def test_right_to_left_zero_width_and_astral_characters_are_kept():
    export = parse_wxr(importer_file("wxr-utf-8-challenges.xml"))
    [post] = export.items
    assert post.title == '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c'
    assert post.post_name == "hello-w\u202eorld\u202c-utf8-💫-test"
    assert "السلام عليكم وﷲ" in post.content
    assert "\u200c\u200b\u200d\u200e" in post.content
    assert post.postmeta["_pingme\u200c\u200b\u200d\u200e"] == "1\u200b\u200d\u200c\u200e"
    assert post.postmeta["_special_chars"] == (
        "&#x202E;&#x202D;&#x200B;&#x200C;&#x200D;&#x2060;&#xFEFF;&#xFFFD;"
    )
    [author] = export.authors
    assert (author.login, author.email) == ("admin\u200c\u200b\u200d\u200e", "ădmĩn@ℓocalhost.com")


def test_namespaces_are_matched_by_uri_not_by_prefix():
    export = parse_wxr(importer_file("namespace-edge-cases.xml"))
    # Only elements in the document's WXR namespace (1.2, bound to wp on <rss>) count:
    # the fake, version-1.1, custom, hijacked and 1.0 redefinitions are ignored.
    assert [author.login for author in export.authors] == ["real_user"]
    assert [term.slug for term in export.terms] == ["new-version"]
    items = {post.title: post for post in export.items}
    assert items["Mixed Namespaces"].wp_id == 1  # the first of two 1.2 post_ids
    assert items["Mixed Namespaces"].postmeta == {"normal_key": "normal_value"}
    assert items["No Prefix"].wp_id == 2  # a default namespace of 1.2 is still wp
    assert items["Empty Namespace"].wp_id == 3
    assert items["Unicode Namespace"].wp_id == 4  # an IRI namespace does not stop the parse
    hijacked = items["Hijacked Namespace"]
    assert (hijacked.wp_id, hijacked.post_type, hijacked.postmeta) == (None, "", {})
    assert items["Namespace Bomb"].content == "&lol1;" * 10


def test_serialized_comment_meta_is_kept_as_text():
    [post] = parse_wxr(importer_file("test-serialized-comment-meta.xml")).items
    assert post.comments[0].meta == {
        "string": "¯\\_(ツ)_/¯",
        "array": 'a:1:{s:3:"key";s:13:"¯\\_(ツ)_/¯";}',
    }


def test_small_export():
    export = parse_wxr(importer_file("small-export.xml"))
    assert [author.login for author in export.authors] == ["admin", "editor", "author"]
    assert Counter(term.taxonomy for term in export.terms) == {"category": 30, "post_tag": 3}
    items = {post.wp_id: post for post in export.items}
    assert items[4].parent_id == 6
    assert (items[9].status, items[9].post_date_gmt) == ("draft", None)
    assert items[13].status == "private"
    assert items[19].categories[0] == ("post_format", "post-format-aside", "Aside")
    assert items[22].categories[-1] == ("category", "eternity", "远征手记")


# The theme unit test data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def theme():
    return parse_wxr(shared_file("themeunittestdata.wordpress.xml"))


def of_type(theme, post_type: str) -> list[WxrItem]:
    return [post for post in theme.items if post.post_type == post_type]


def depth(record, parent_of) -> int:
    """How many levels a record sits at: 1 for a top-level one."""
    levels = 1
    while (record := parent_of(record)) is not None:
        levels += 1
    return levels


def test_theme_data_item_types(theme):
    assert Counter(post.post_type for post in theme.items) == {
        "post": 58,
        "page": 21,
        "attachment": 37,
        "nav_menu_item": 70,
    }


def test_theme_data_post_statuses(theme):
    posts = of_type(theme, "post")
    assert Counter(post.status for post in posts) == {"publish": 56, "draft": 1, "future": 1}
    [scheduled] = [post for post in posts if post.status == "future"]
    assert scheduled.wp_id == 1153
    assert scheduled.post_date == datetime(2030, 1, 1, 12, 0, 18)


def test_theme_data_pages_nest_three_deep(theme):
    pages = of_type(theme, "page")
    by_id = {page.wp_id: page for page in pages}
    assert sum(1 for page in pages if page.parent_id) == 13
    assert max(depth(page, lambda p: by_id.get(p.parent_id)) for page in pages) == 3


def test_theme_data_authors_and_malformed_creators(theme):
    assert [author.login for author in theme.authors] == ["themedemos", "themereviewteam"]
    declared = {author.login for author in theme.authors}
    undeclared = Counter(post.creator for post in theme.items if post.creator not in declared)
    assert undeclared == {"themereviewteam>": 1, ">themereviewteam": 1}


def test_theme_data_categories(theme):
    categories = [term for term in theme.terms if term.taxonomy == "category"]
    # 68 wp:category elements, and a wp:term declaring category "6-1" a second time.
    assert len(categories) == 69
    assert len({category.slug for category in categories}) == 68
    by_slug = {category.slug: category for category in categories}
    assert max(depth(c, lambda c: by_slug.get(c.parent_slug)) for c in categories) == 3
    assert sorted(c.slug for c in categories if c.name == "Foo A") == ["foo-a", "foo-a-foo-parent"]


def test_theme_data_tags_declared_and_used(theme):
    declared = {term.slug for term in theme.terms if term.taxonomy == "post_tag"}
    assert len(declared) == 110
    used = {slug for post in theme.items for domain, slug, _ in post.categories if domain == "post_tag"}
    assert sorted(used - declared) == ["columns", "content", "sample", "test-tag"]


def test_theme_data_comments(theme):
    comments = [comment for post in theme.items for comment in post.comments]
    assert len(comments) == 33
    assert Counter(comment.type or "comment" for comment in comments) == {
        "comment": 29,
        "pingback": 2,
        "trackback": 2,
    }
    assert Counter(comment.approved for comment in comments) == {"1": 30, "0": 3}
    assert sum(1 for comment in comments if comment.parent_id) == 10


def test_theme_data_reply_chain_is_ten_deep_on_post_1148(theme):
    [post] = [post for post in theme.items if post.wp_id == 1148]
    by_id = {comment.wp_id: comment for comment in post.comments}
    assert max(depth(c, lambda c: by_id.get(c.parent_id)) for c in post.comments) == 10


def test_theme_data_sticky_protected_and_split_posts(theme):
    posts = of_type(theme, "post")
    assert [post.wp_id for post in posts if post.is_sticky] == [1241]
    assert [post.wp_id for post in posts if post.password] == [1168]
    assert len([post for post in posts if "<!--more-->" in post.content]) == 4
