import pytest

from posts import rendering
from tests.html import unsafe_parts


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
        '<iframe src="https://example.org"></iframe>',
        '<svg onload="alert(1)"></svg>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '[click](javascript:alert(1))',
        '<a href="jav\tascript:alert(1)">tab</a>',
        '<a href="jav&#x09;ascript:alert(1)">entity tab</a>',
        '<a href="jav&#x0A;ascript:alert(1)">entity newline</a>',
        '<a href=" &#14;  javascript:alert(1)">leading control</a>',
        '<img src="java\nscript:alert(1)">',
        '<object data="x.swf"></object><embed src="x.swf">',
        '<form action="https://example.org"><button>go</button></form>',
    ],
)
def test_sanitizer_neutralises_script_vectors(payload):
    for html in (rendering.render(payload, "markdown"), rendering.render(payload, "html"),
                 rendering.render_comment(payload)):
        assert unsafe_parts(html) == [], html


def test_markdown_keeps_text_exactly_and_breaks_lines_as_written():
    html = rendering.render("“Quoted” text… दुनिया\nsecond line", "markdown")
    assert "“Quoted” text… दुनिया<br>\nsecond line" in html


def test_comment_links_are_marked_as_user_content():
    html = rendering.render_comment("See https://example.org/beans for more.")
    assert 'href="https://example.org/beans"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_wordpress_html_gets_paragraphs():
    html = rendering.render("<!-- wp:paragraph -->First\nline\n\nSecond<!-- /wp:paragraph -->",
                            "html")
    assert html == "<p>First<br>\nline</p>\n\n<p>Second</p>"


def test_teaser_stops_at_the_more_marker_and_keeps_its_text():
    teaser = rendering.teaser("Intro\n\n<!--more Read the rest-->\n\nRest", "markdown")
    assert "Rest" not in teaser.html
    assert teaser.truncated
    assert teaser.more_text == "Read the rest"


def test_hand_written_excerpt_wins_over_the_body():
    teaser = rendering.teaser("Body text", "markdown", excerpt="Short version")
    assert "Short version" in teaser.html and "Body text" not in teaser.html


def test_rendering_is_cached_per_revision(monkeypatch):
    calls = []
    original = rendering.markdown_to_html
    monkeypatch.setattr(rendering, "markdown_to_html", lambda t: calls.append(t) or original(t))

    rendering.render("same text", "markdown")
    rendering.render("same text", "markdown")
    rendering.render("changed text", "markdown")

    assert calls == ["same text", "changed text"]


@pytest.mark.django_db
def test_markdownx_preview_uses_the_sanitizing_renderer(admin_client):
    response = admin_client.post("/markdownx/markdownify/",
                                 {"content": "**hi** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<strong>hi</strong>" in response.text
    assert "<script" not in response.text
