"""Parsing fetched pages: links, link verification, titles, excerpts, endpoint discovery.
The discovery cases follow the W3C Webmention recommendation and webmention.rocks."""

import pytest

from linkbacks.html import (
    Endpoints,
    decode_html,
    discover_endpoints,
    excerpt_around_link,
    extract_links,
    links_to,
    normalise_url,
    page_title,
)

PAGE = "https://source.example/2009/05/a-post/"
TARGET = "http://blog.example/2008/01/hello/"


def test_extract_links_resolves_relative_hrefs_in_document_order():
    html = """
        <a href="/about">About</a> <a href=" other/ ">Other</a>
        <a href="https://elsewhere.example/x?y=1#frag">x</a> <a href="/about">again</a>
        <a href="mailto:me@example.com">mail</a> <a href="javascript:void(0)">js</a>
        <a name="anchor-without-href">no</a> <link href="/style.css">
    """

    assert extract_links(html, base_url=PAGE) == [
        "https://source.example/about",
        "https://source.example/2009/05/a-post/other/",
        "https://elsewhere.example/x?y=1#frag",
    ]


def test_extract_links_honours_base_href():
    html = '<head><base href="https://cdn.example/root/"></head><a href="page">p</a>'

    assert extract_links(html, base_url=PAGE) == ["https://cdn.example/root/page"]


@pytest.mark.parametrize(
    "junk", ["", "   ", b"", b"\x00\xff\xfe junk", "<<<>>>", "<a href='http://[::1'>", "<?xml?>"]
)
def test_junk_reads_as_a_page_without_links(junk):
    assert extract_links(junk, base_url=PAGE) == []
    assert not links_to(junk, base_url=PAGE, target=TARGET)
    assert page_title(junk) == ""
    assert excerpt_around_link(junk, base_url=PAGE, target=TARGET) == ""


@pytest.mark.parametrize(
    "href",
    [
        TARGET,
        "HTTP://Blog.Example:80/2008/01/hello/",
        "http://blog.example/2008/01/hello/#comments",
        "  http://blog.example/2008/01/hello/  ",
    ],
)
def test_links_to_matches_equivalent_hrefs(href):
    assert links_to(f'<p><a href="{href}">hello</a></p>', base_url=PAGE, target=TARGET)


def test_links_to_resolves_relative_hrefs():
    assert links_to('<a href="/2008/01/hello/">x</a>', base_url="http://blog.example/", target=TARGET)


def test_links_to_treats_a_path_less_url_like_its_root():
    html = '<a href="https://Blog.Example">home</a>'

    assert links_to(html, base_url=PAGE, target="https://blog.example/")
    assert links_to(html, base_url=PAGE, target="https://blog.example:443")


def test_links_to_compares_percent_escapes_and_raw_characters_alike():
    html = '<a href="http://blog.example/caf%c3%a9/">x</a>'

    assert links_to(html, base_url=PAGE, target="http://blog.example/café/")


@pytest.mark.parametrize(
    "html",
    [
        f"<p>I read {TARGET} today</p>",
        f'<img src="{TARGET}"> <a data-href="{TARGET}">x</a> <link href="{TARGET}">',
        f'<a href="{TARGET}extra">longer</a>',
        f'<a href="https://evil.example/?u={TARGET}">wrapped</a>',
        f'<a href="{TARGET.replace("http:", "https:")}">other scheme</a>',
        f"<!-- <a href='{TARGET}'>commented out</a> -->",
        f"&lt;a href='{TARGET}'&gt;escaped&lt;/a&gt;",
    ],
)
def test_links_to_needs_a_real_link_not_the_url_somewhere(html):
    assert not links_to(html, base_url=PAGE, target=TARGET)


def test_normalise_url():
    assert normalise_url("HTTPS://Example.COM:443?q=1#top") == "https://example.com/?q=1"
    assert normalise_url("http://example.com:8080/a%2fb") == "http://example.com:8080/a%2Fb"
    assert normalise_url("http://bücher.example/") == "http://xn--bcher-kva.example/"


def test_page_title():
    assert page_title("<html><head><title>\n  A   post\n</title></head></html>") == "A post"
    assert page_title("<p>no title</p>") == ""


def test_excerpt_takes_the_paragraph_around_the_link():
    html = f"""
        <p>An unrelated paragraph.</p>
        <p>As <em>someone</em> wrote in <a href="{TARGET}">a fine post</a>, this matters.
           <script>var x = "not text";</script></p>
        <p>Another paragraph.</p>
    """

    excerpt = excerpt_around_link(html, base_url=PAGE, target=TARGET)

    assert excerpt == "[…] As someone wrote in a fine post, this matters. […]"


def test_excerpt_is_cut_at_word_boundaries():
    before = " ".join(f"before{n}" for n in range(40))
    after = " ".join(f"after{n}" for n in range(40))
    html = f'<p>{before} <a href="{TARGET}">the link</a> {after}</p>'

    excerpt = excerpt_around_link(html, base_url=PAGE, target=TARGET, width=60)

    assert excerpt == ("[…] before37 before38 before39 the link after0 after1 after2 after3 […]")


def test_excerpt_caps_long_link_text():
    html = f'<li><a href="{TARGET}">{"x" * 150}</a></li>'

    assert excerpt_around_link(html, base_url=PAGE, target=TARGET) == f"[…] {'x' * 100}… […]"


def test_excerpt_is_empty_without_a_link():
    assert excerpt_around_link(f"<p>{TARGET}</p>", base_url=PAGE, target=TARGET) == ""


def test_decode_html_prefers_bom_then_http_charset_then_meta_then_utf8():
    latin = '<meta charset="iso-8859-1"><p>café</p>'.encode("latin-1")

    assert "café" in decode_html(latin)
    assert "café" in decode_html("<p>café</p>".encode())
    assert "café" in decode_html("<p>café</p>".encode("utf-16"), charset="latin-1")
    assert "café" in decode_html("<p>café</p>".encode("latin-1"), charset="ISO-8859-1")
    assert decode_html(b"<p>\x93quoted\x94</p>", charset="iso-8859-1") == "<p>“quoted”</p>"
    assert "café" in decode_html("<p>café</p>".encode(), charset="no-such-charset")


def test_functions_accept_bytes():
    html = f'<meta charset="windows-1252"><title>Caf\xe9</title><a href="{TARGET}">x</a>'

    assert page_title(html.encode("cp1252")) == "Café"
    assert links_to(html.encode("cp1252"), base_url=PAGE, target=TARGET)


# Webmention discovery: https://www.w3.org/TR/webmention/#sender-discovers-receiver-webmention-endpoint


def webmention(*, headers=(), html=None, base_url=PAGE):
    return discover_endpoints(base_url=base_url, headers=headers, html=html).webmention


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ('<https://hooks.example/webmention>; rel="webmention"', "https://hooks.example/webmention"),
        ('</webmention?x=1>; rel="webmention"', "https://source.example/webmention?x=1"),
        ("<endpoint>; rel=webmention", "https://source.example/2009/05/a-post/endpoint"),
        ('</wm>; rel="somethingelse webmention"', "https://source.example/wm"),
        ('</wm>; REL="WebMention"', "https://source.example/wm"),
        ('</other>; rel="other", </wm>; rel="webmention"', "https://source.example/wm"),
        ('</a,b>; title="x, y"; rel="webmention"', "https://source.example/a,b"),
        ('</wm>; rel="not-webmention"', None),
        ('</wm>; rel="webmention-not"', None),
    ],
)
def test_webmention_link_header(link, expected):
    assert webmention(headers=[("Link", link)]) == expected


def test_webmention_header_name_is_case_insensitive_and_first_header_wins():
    headers = [("LinK", '</first>; rel="other"'), ("link", "</second>; rel=webmention"),
               ("Link", "</third>; rel=webmention")]  # fmt: skip

    assert webmention(headers=headers) == "https://source.example/second"


def test_webmention_link_header_resolves_against_the_final_url():
    assert (
        webmention(headers=[("Link", "<wm>; rel=webmention")], base_url="https://moved.example/p/")
        == "https://moved.example/p/wm"
    )


def test_webmention_link_header_beats_html():
    html = '<link rel="webmention" href="/from-html">'

    assert webmention(headers=[("Link", "</from-header>; rel=webmention")], html=html) == (
        "https://source.example/from-header"
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<link rel="webmention" href="/link">', "https://source.example/link"),
        ('<a rel="webmention" href="https://hooks.example/a">x</a>', "https://hooks.example/a"),
        ('<link rel="somethingelse webmention" href="/multi">', "https://source.example/multi"),
        ('<a rel="webmention" href="/a">x</a><link rel="webmention" href="/link">',
         "https://source.example/a"),
        ('<link rel="webmention" href="/link"><a rel="webmention" href="/a">x</a>',
         "https://source.example/link"),
        ('<link rel="webmention"><a rel="webmention" href="/after">x</a>',
         "https://source.example/after"),
        ('<link rel="webmention" href="">', PAGE),
        ('<link rel="webmention" href="?query=yes">', PAGE + "?query=yes"),
        ('<link rel="not-webmention" href="/no">', None),
        ("<!-- <link rel='webmention' href='/commented'> -->", None),
        ("&lt;a rel='webmention' href='/escaped'&gt;&lt;/a&gt;", None),
        ('<area rel="webmention" href="/area">', None),
        ("<p>nothing</p>", None),
    ],
)  # fmt: skip
def test_webmention_html(html, expected):
    assert webmention(html=html) == expected


def test_pingback_header_then_link_element():
    html = '<link rel="pingback" href="/xmlrpc.php">'

    assert discover_endpoints(base_url=PAGE, headers=[], html=html) == Endpoints(
        webmention=None, pingback="https://source.example/xmlrpc.php"
    )
    assert (
        discover_endpoints(
            base_url=PAGE, headers=[("X-Pingback", " https://rpc.example/xmlrpc.php ")], html=html
        ).pingback
        == "https://rpc.example/xmlrpc.php"
    )


def test_discovery_without_html():
    assert discover_endpoints(base_url=PAGE, headers=[], html=None) == Endpoints(None, None)
