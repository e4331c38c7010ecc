"""
The seed-capture parser: golden parses of the three seeds and of our own captures, the facts
about each that matter to the import, furniture, manifests and errors.

Regenerate the golden files after an intended change with
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/archive/test_seed_parser.py -q
and read the diff before committing it.
"""

import datetime
import json
import os
from pathlib import Path

import pytest

from archive.parsers.furniture import FURNITURE, match_furniture
from archive.parsers.seed import (
    CaptureError,
    SeedBlog,
    SeedDocument,
    load_manifest,
    parse_capture,
    parse_file,
    unaccounted_lines,
)
from archive.parsers.seed_markdown import body_lines, escape_line, unescape_line
from archive.parsers.seed_text import parse_date, title_from_text

from . import as_read, rendered_text

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
CAPTURES = Path(__file__).parent / "captures"
GOLDEN = Path(__file__).parent / "golden"
ALL_CAPTURES = sorted(SEEDS.glob("*.txt")) + sorted(CAPTURES.glob("*.txt"))

def parse(name: str) -> SeedDocument:
    return parse_file(CAPTURES / name)


def seed(prefix: str) -> SeedDocument:
    return parse_file(next(SEEDS.glob(f"{prefix}_*.txt")))


# Golden files and conservation -------------------------------------------------------------------

@pytest.mark.parametrize("path", ALL_CAPTURES, ids=lambda path: path.name)
def test_parse_matches_golden_file(path):
    parsed = parse_file(path).to_json()
    golden = GOLDEN / f"{path.stem}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(parsed, ensure_ascii=False, indent=2) + "\n", "utf-8")
    assert parsed == json.loads(golden.read_text("utf-8"))


@pytest.mark.parametrize("path", ALL_CAPTURES, ids=lambda path: path.name)
def test_every_line_is_accounted_for_exactly_once(path):
    assert unaccounted_lines(path.read_text("utf-8"), parse_file(path)) == []


@pytest.mark.parametrize("path", ALL_CAPTURES, ids=lambda path: path.name)
def test_bodies_render_exactly_as_captured(path):
    for entry in parse_file(path).entries:
        assert rendered_text(entry.body) == as_read(body_lines(entry.body))


def test_conservation_notices_a_lost_and_a_doubled_line():
    text = "First line of a post.\n\nSecond line of it.\n"
    document = parse_capture(text, source="t.txt")
    assert unaccounted_lines(text + "\nA line the document never saw.\n", document) == [
        "A line the document never saw."
    ]
    assert unaccounted_lines("First line of a post.\n", document) == ["Second line of it."]


@pytest.mark.parametrize("dress", [
    lambda text: text.replace("\n", "\r\n"),
    lambda text: "\ufeff" + text,
], ids=["crlf", "bom"])
def test_line_endings_and_a_byte_order_mark_change_nothing(dress):
    path = next(SEEDS.glob("001_*.txt"))
    text = path.read_text("utf-8")
    dressed = parse_capture(dress(text), source=path.name)
    assert dressed == parse_capture(text, source=path.name)
    assert unaccounted_lines(dress(text), dressed) == []


def test_json_has_exactly_the_agreed_shape():
    document = seed("001").to_json()
    assert set(document) == {"source", "blog", "entries", "dropped"}
    assert set(document["blog"]) == {"title", "tagline"}
    entry = document["entries"][0]
    assert set(entry) == {"kind", "title", "date", "author", "categories", "excerpt_only",
                          "body", "responses"}
    assert set(entry["responses"][0]) == {"kind", "author", "date", "body"}
    json.dumps(document)


# Seed 000: an about page -------------------------------------------------------------------------

def test_seed_000_is_the_about_page_with_its_five_aims():
    document = seed("000")
    assert document.source == "000_0843c5d27c43b53f.txt"
    assert document.blog.title == "Stalin Society Pakistan"
    assert document.blog.tagline is None
    assert document.blog.meta_lines == ("Stalin Society Pakistan", "Stalin Society Pakistan")
    [page] = document.entries
    assert (page.kind, page.title, page.date, page.author, page.categories) == (
        "page", "About us", None, None, ())
    assert page.responses == ()
    assert not page.excerpt_only
    aims = [line for line in page.body.split("\n") if line.startswith("- ")]
    assert len(aims) == 5
    assert aims[0].startswith("- Defending the legacy of Joseph Stalin")
    assert page.body.endswith("AoA – StSP")
    assert "Stalin Society Pakistan\n" not in page.body + "\n"
    assert "research & advocacy oriented organisation" in page.body  # NBSP made plain


def test_seed_000_drops_only_the_comment_form():
    assert seed("000").dropped == (
        "Leave a Reply",
        "Fill in your details below or click an icon to log in:",
        "WordPress.com Logo",
        "You are commenting using your WordPress.com account. Log Out /  Change )",
        "Google photo",
        "You are commenting using your Google account. Log Out /  Change )",
        "Twitter picture",
        "You are commenting using your Twitter account. Log Out /  Change )",
        "Facebook photo",
        "You are commenting using your Facebook account. Log Out /  Change )",
        "Connecting to %s",
    )


# Seed 001: a post with comments and a pingback ---------------------------------------------------

def test_seed_001_keeps_the_blog_name_in_both_scripts():
    blog = seed("001").blog
    # The name as the blog's address has it; the Devanagari form is in the header lines.
    assert blog.title == "parisar"
    assert blog.tagline == "a forum of progressive students / प्रगतिशील छात्रों का मंच"
    # The header lines as captured, dot leaders and all.
    assert blog.meta_lines[0] == "parisar " + "…" * 17 + ".परिसर"
    assert blog.meta_lines[1].startswith("a forum of progressive students……")


def test_seed_001_is_the_post_on_stalin():
    [post] = seed("001").entries
    assert (post.kind, post.title, post.date, post.author) == (
        "post", "On Stalin", datetime.date(2007, 10, 21), None)
    assert post.categories == ("articles", "History", "marxism-leninism-maoism")
    assert post.body.startswith("Some months before we posted an excellent article of Joseph Ball")
    assert post.body.endswith("to the deaths of tens of millions of Soviet citizens and would "
                              "have led to the complete enslavement of the rest, not to speak of "
                              "the destruction of world civilisation-but for the Soviet peoples "
                              "victory against Germany.\nBest Joseph.")
    assert "Dear Parisar\nI have researched the issue of Stalin." in post.body
    assert post.meta_lines == (
        "On Stalin", "October 21, 2007 - Posted by | articles, History, marxism-leninism-maoism")


def test_seed_001_has_three_comments_and_a_pingback():
    [post] = seed("001").entries
    assert [(r.kind, r.author, r.date, r.position, r.number) for r in post.responses] == [
        ("comment", "Marthanda", datetime.date(2007, 10, 21), 1, 1),
        ("comment", "Marthanda", datetime.date(2007, 10, 21), 2, 2),
        ("pingback",
         "Marxist-Leninist-Stalinist-Maoist Media » Letter from Joseph Ball to Parisar on Stalin",
         datetime.date(2007, 12, 13), 3, 3),
        ("comment", "khan", datetime.date(2010, 7, 3), 4, 4),
    ]
    assert post.responses[2].body == "[…] From the page “On Stalin” […]"
    assert post.responses[1].body.startswith("I am webmaster of I also know about")
    assert post.responses[0].line == 19


def test_seed_001_drops_the_comment_form_and_likes():
    assert seed("001").dropped == (
        "Leave a Reply",
        "Fill in your details below or click an icon to log in: Logo",
        "You are commenting using your account. Log Out /  Change )",
        "Google+ photo",
        "You are commenting using your Google+ account. Log Out /  Change )",
        "Twitter picture",
        "You are commenting using your Twitter account. Log Out /  Change )",
        "Facebook photo",
        "You are commenting using your Facebook account. Log Out /  Change )",
        "Connecting to %s",
        "%d bloggers like this:",
    )


# Seed 002: a front page of untitled excerpts -----------------------------------------------------

FRONT_PAGE_STARTS = [
    ("Stalin’s reply to Ivan", True),
    ("Digitalisation, robotisation", False),
    ("News: India’s Corruption Index", False),
    ("Fascism is rising", True),
    ("Did Stalin know of the intrigues", False),
    ("British culture, democratic norms", False),
    ("When I was young", True),
    ("Reformist election campaigns", False),
    ("Marxism-Leninism seeks revolution", False),
    ("Some people still idealize spontaneity", True),
]


def test_seed_002_finds_the_ten_posts():
    document = seed("002")
    assert document.blog.title is None
    assert document.blog.tagline is None
    assert document.dropped == ()
    assert [(entry.body[:40].startswith(start), entry.excerpt_only)
            for entry, (start, _) in zip(document.entries, FRONT_PAGE_STARTS, strict=True)] == [
        (True, cut) for _, cut in FRONT_PAGE_STARTS
    ]
    assert [entry.line for entry in document.entries] == [1, 22, 36, 50, 56, 194, 205, 207, 211,
                                                          215]
    for entry in document.entries:
        assert (entry.kind, entry.date, entry.author, entry.categories) == ("post", None, None, ())
        assert entry.responses == ()


def test_seed_002_titles_are_short_first_sentences():
    titles = [entry.title for entry in seed("002").entries]
    assert titles[3] == "Fascism is rising in all countries!"
    assert titles[4] == "Did Stalin know of the intrigues that the revisionists around him were preparing?"
    assert titles[9] == "Some people still idealize spontaneity and spontaneous grassroots movements"
    assert titles[0].startswith("Stalin’s reply to Ivan Philipovich Ivanov")
    assert titles[0].endswith("…")  # cut at a word boundary
    assert all(len(title) <= 91 and not title.endswith(".") for title in titles)


def test_seed_002_double_blank_lines_inside_posts_do_not_split_them():
    entries = seed("002").entries
    assert "\n\nDear Comrade Stalin,\n\n" in entries[0].body
    assert "\n\nAnalysis : The Corruption Index Rank" in entries[2].body
    assert "\n\nKhrushchev, Special Report, op. cit. , p. S17.\n\n" in entries[4].body
    assert "\n\nIbid. , p. S15.\n\n" in entries[4].body


def test_seed_002_keeps_its_numbered_list_and_escapes_backtick_quotes():
    entries = seed("002").entries
    assert "\n\n1. The problem of the internal relations" in entries[0].body
    assert "\n\n2. The problem of the external relations" in entries[0].body
    # The list ends before the commentary, which would otherwise continue item 2.
    assert "restoration.”\n\nBrilliant dialectical" in entries[0].body
    assert "\n\\`In the light of the war" in entries[4].body
    assert "`" not in entries[4].body.replace("\\`", "")


def test_a_manifest_naming_the_ten_starts_agrees_with_the_heuristics():
    path = next(SEEDS.glob("002_*.txt"))
    manifest = {"entries": [{"starts": start} for start, _ in FRONT_PAGE_STARTS]}
    guided = parse_capture(path.read_text("utf-8"), source=path.name, manifest=manifest)
    assert guided == parse_file(path)


# Our own captures --------------------------------------------------------------------------------

def test_a_post_with_comments_a_pingback_and_a_trackback():
    document = parse("cycling_post.txt")
    assert document.blog.title == "Two Wheels North"
    assert document.blog.meta_lines[0] == "Two Wheels North " + "…" * 9 + "Zwei Räder Nord"
    assert document.blog.tagline == "a cycling diary from the fjords"
    [post] = document.entries
    assert (post.kind, post.title, post.date, post.author, post.categories) == (
        "post", "A winter ride to the coast", datetime.date(2018, 1, 14), "Maren Holm",
        ("rides", "winter", "touring"))
    assert [(r.kind, r.author) for r in post.responses] == [
        ("comment", "Tobias"),
        ("comment", "Maren Holm"),
        ("pingback", "Northern Gravel » Best winter rides of 2018"),
        ("trackback", "Cycling Weekly Digest"),
        ("comment", "kari_b"),
    ]
    assert post.responses[1].body == (
        "Schwalbe Marathon Winter, 42 mm. Worth every gram.\n\nAnd yes, they are loud on tarmac.")
    assert post.responses[3].date == datetime.date(2018, 2, 10)
    for escaped in ("\\*something\\*", "\n\\#winterriding", "\n\\> that arrow", "&lt;3",
                    "\\[sic\\]", "\\`never again"):
        assert escaped in post.body
    assert "\n\n1. The railway path" in post.body
    assert "- Take the old railway path" in post.body


def test_an_about_page_with_a_comment_and_the_blog_name_in_its_footer():
    document = parse("garden_about.txt")
    assert document.blog.title == "The Allotment Diary"
    [page] = document.entries
    assert (page.kind, page.title, page.date) == ("page", "About the allotment", None)
    assert page.body.endswith("Plot 14, Elm Road – Ruth & Sam")
    [comment] = page.responses
    assert (comment.kind, comment.author, comment.date) == (
        "comment", "Ade", datetime.date(2014, 5, 2))


def test_a_front_page_of_excerpts():
    document = parse("garden_front.txt")
    assert document.blog.title is None
    assert [(entry.title, entry.excerpt_only) for entry in document.entries] == [
        ("The first frost came early this year, and the dahlias took it badly", True),
        ("Seed order placed for next year: the broad beans, two kinds of kale and a purple "
         "carrot we…", False),
        ("Frost warning for Saturday night!", False),
        ("“A garden is a grand teacher. It teaches patience and careful watchfulness.”", True),
        ("The plot next door has changed hands!", False),
        ("2019. That was the year the blight took every potato on the site, and we still talk "
         "about…", True),
    ]
    assert document.dropped == ("Continue reading →",)
    assert "\n\n— Gertrude Jekyll, Wood and Garden\n\n" in document.entries[3].body
    assert document.entries[5].body.startswith("2019\\. That was")


def test_an_archive_listing_with_titles_and_a_manifest():
    document = parse("birds_archive.txt")
    assert document.blog == SeedBlog(
        title="Marsh Notes", tagline="birds of the estuary, week by week",
        url="https://marshnotes.wordpress.com/",
        meta_lines=("Marsh Notes", "birds of the estuary, week by week"))
    assert [(e.title, e.date, e.author, e.categories) for e in document.entries] == [
        ("First avocets of the spring", datetime.date(2016, 3, 18), "Dafydd",
         ("sightings", "waders")),
        ("The hide roof is fixed at last", datetime.date(2016, 3, 11), "Dafydd",
         ("site news",)),
        ("Winter count: totals", datetime.date(2016, 2, 28), "Nia",
         ("counts", "waders", "winter")),
    ]
    # The manifest renamed the second post; its heading line is still accounted for.
    assert document.entries[1].meta_lines[0] == "The hide roof is fixed"
    assert document.dropped == ("Leave a comment", "Leave a comment", "2 Comments »",
                                "« Older Entries", "Blog at WordPress.com.")


def test_a_manifest_sets_boundaries_the_text_cannot_show():
    path = CAPTURES / "cycling_front.txt"
    [guessed] = parse_capture(path.read_text("utf-8"), source=path.name).entries
    assert guessed.title.startswith("Spring checklist for the tandem")
    entries = parse_file(path).entries
    assert [(e.title, e.date, e.categories, e.line) for e in entries] == [
        ("Spring checklist", datetime.date(2019, 3, 2), (), 1),
        ("Club ride on Sunday from the square at nine", datetime.date(2019, 3, 9), ("club",), 4),
        ("Easter tour photos", datetime.date(2019, 4, 23), (), 6),
    ]


def test_a_manifest_names_the_blog_and_claims_its_lines():
    text = "Bean Counter\n\nRunner beans did well this year. The French beans did not.\n"
    manifest = {"blog": {"title": "Bean Counter", "tagline": "veg, weighed",
                         "url": "https://beans.example.org/"}}
    document = parse_capture(text, source="beans.txt", manifest=manifest)
    assert (document.blog.title, document.blog.tagline, document.blog.url) == (
        "Bean Counter", "veg, weighed", "https://beans.example.org/")
    assert document.blog.meta_lines == ("Bean Counter",)
    assert document.entries[0].body == "Runner beans did well this year. The French beans did not."


def test_a_manifest_can_make_an_entry_a_page():
    text = "Contact\n\nWrite to us at the allotment shed.\n\nLeave a Reply\n"
    document = parse_capture(text, source="c.txt", manifest={"entries": [{"kind": "post"}]})
    assert document.entries[0].kind == "post"
    assert parse_capture(text, source="c.txt").entries[0].kind == "page"


def test_random_prose_becomes_one_post():
    document = parse_capture("just some words\nand more words", source="r.txt")
    [entry] = document.entries
    assert (entry.kind, entry.title) == ("post", "just some words")
    assert document.blog.title is None


# Furniture ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "item, example", [(item, example) for item in FURNITURE for example in item.examples],
    ids=lambda value: getattr(value, "name", value),
)
def test_each_listed_furniture_example_is_recognised(item, example):
    assert match_furniture(example) is item
    assert match_furniture(example.replace(" ", "\u00a0") + "  ") is item


@pytest.mark.parametrize("line", [
    "Leave a Reply to this nonsense, I say",
    "Related",
    "Follow",
    "Google",
    "I am webmaster of I also know about pseudo anti-fascists",
    "Continue reading the letters of Marx and Engels, and you will see.",
    "You are commenting using your head. Good.",
    "Connecting to %s and more",
    "Stalin Society Pakistan",
])
def test_text_that_merely_resembles_furniture_is_kept(line):
    assert match_furniture(line) is None
    document = parse_capture(f"A post.\n\n{line}\n", source="t.txt")
    assert document.dropped == ()
    assert line in document.entries[0].body.replace("\\", "")


# Errors ------------------------------------------------------------------------------------------

def test_capture_error_names_source_and_line():
    error = CaptureError("something is wrong", source="x.txt", line=3)
    assert str(error) == "x.txt:3: something is wrong"
    assert isinstance(error, ValueError)
    assert str(CaptureError("unreadable", source="x.txt")) == "x.txt: unreadable"


@pytest.mark.parametrize("data, line, message", [
    (b"About us\n\nText\x00\x01\x02 binary", 3, "not text"),
    (b"About us\n\nCaf\xe9 in Latin-1\n", 3, "not UTF-8"),
    (b"", 1, "empty"),
    (b"\n  \n\xc2\xa0\n", 1, "empty"),
    (b"Leave a Reply\n\nConnecting to %s\n", 1, "only page furniture"),
])
def test_bad_files_raise_capture_error_with_a_line(tmp_path, data, line, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(CaptureError) as raised:
        parse_file(path)
    assert (raised.value.source, raised.value.line) == ("bad.txt", line)
    assert message in str(raised.value)


def test_a_missing_file_raises_capture_error(tmp_path):
    with pytest.raises(CaptureError, match="cannot read"):
        parse_file(tmp_path / "missing.txt")


def test_no_sidecar_means_no_manifest(tmp_path):
    assert load_manifest(tmp_path / "plain.txt") is None


@pytest.mark.parametrize("manifest, line, message", [
    ("[blog]\ntitle = \"unterminated\n", 2, "not valid TOML"),
    ("[blog]\ntitle = \"x\"\nowner = \"y\"\n", 3, "unknown key blog.owner"),
    ("[[entries]]\ntitle = \"a\"\n\n[[entries]]\ndate = \"yesterday\"\n", 5, "date must be"),
    ("[[entries]]\nkind = \"article\"\n", 2, "kind must be"),
    ("[[entries]]\ncategories = \"history\"\n", 2, "categories must be a list"),
    ("[[entries]]\nstarts = \"A\"\n[[entries]]\ntitle = \"B\"\n", 1, "every [[entries]]"),
    ("colour = \"red\"\n", 1, "unknown key 'colour'"),
])
def test_a_malformed_manifest_names_its_file_and_line(tmp_path, manifest, line, message):
    (tmp_path / "capture.txt").write_text("A post.\n", "utf-8")
    (tmp_path / "capture.toml").write_text(manifest, "utf-8")
    with pytest.raises(CaptureError) as raised:
        parse_file(tmp_path / "capture.txt")
    assert (raised.value.source, raised.value.line) == ("capture.toml", line)
    assert message in str(raised.value)


def test_a_manifest_that_does_not_fit_the_capture_is_an_error():
    with pytest.raises(CaptureError, match="no line starts with 'Gone'"):
        parse_capture("A post.\n", source="a.txt", manifest={"entries": [{"starts": "Gone"}]})
    with pytest.raises(CaptureError, match="describes 2 entries but the capture has 1"):
        parse_capture("A post.\n", source="a.txt", manifest={"entries": [{}, {}]})


# Markdown, titles and dates ----------------------------------------------------------------------

@pytest.mark.parametrize("text, markdown", [
    ("`quoted’ text", "\\`quoted’ text"),
    ("5 * 3 = 15 and snake_case", "5 \\* 3 = 15 and snake\\_case"),
    ("[sic] <b>not bold</b>", "\\[sic\\] &lt;b>not bold&lt;/b>"),
    ("# not a heading", "\\# not a heading"),
    ("> not a quote", "\\> not a quote"),
    ("1. not a list on its own", "1\\. not a list on its own"),
    ("- not a bullet", "\\- not a bullet"),
    ("&amp; stays as typed", "&amp;amp; stays as typed"),
    ("===", "&#61;=="),
    (": not a definition", "&#58; not a definition"),
    ("a | b", "a \\| b"),
    ("C:\\path", "C:\\\\path"),
    ("“Curly” quotes… and दुनिया", "“Curly” quotes… and दुनिया"),
])
def test_markdown_escaping_and_its_inverse(text, markdown):
    assert escape_line(text) == markdown
    assert unescape_line(markdown) == text
    assert rendered_text(markdown) == text


@pytest.mark.parametrize("text, title", [
    ("Fascism is rising in all countries! Resistance is needed.",
     "Fascism is rising in all countries!"),
    ("Work by J. V. Stalin was discussed. Then more.", "Work by J. V. Stalin was discussed"),
    ("Malenkov, op. cit. , pp. 108–109 is the source. Other text.",
     "Malenkov, op. cit. , pp. 108–109 is the source"),
    ("• A bullet to begin with. Then text.", "A bullet to begin with"),
    ("word " * 40, ("word " * 18).strip() + "…"),
])
def test_titles_from_text(text, title):
    assert title_from_text(text) == title


@pytest.mark.parametrize("text, date", [
    ("October 21, 2007", datetime.date(2007, 10, 21)),
    ("July 3, 2010", datetime.date(2010, 7, 3)),
    ("21 October 2007", datetime.date(2007, 10, 21)),
    ("Sept 3, 2010 at 5:04 pm", datetime.date(2010, 9, 3)),
    ("2007-10-21", datetime.date(2007, 10, 21)),
    ("February 30, 2007", None),
    ("Octember 1, 2007", None),
    ("in October 2007", None),
])
def test_dates(text, date):
    assert parse_date(text) == date
