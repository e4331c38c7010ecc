"""Reading fetched pages for linkbacks: the links on a page, whether one of them points at
us, the title and the text around that link, and where a page wants its webmentions and
pingbacks sent.

Parsing is lxml.html, which accepts what the web actually serves: junk, fragments,
unclosed tags. A page that cannot be parsed at all reads as an empty one. Functions take
the page as bytes or str; bytes are decoded by `decode_html`, so a caller that knows the
charset from the HTTP headers should decode first and pass str.
"""

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left alone when percent-encoding a path or query for comparison: the reserved
# and unreserved ones, and "%" so that existing escapes survive.
_URL_SAFE = "/%:@!$&'()*+,;=-._~"
_WHITESPACE = re.compile(r"\s+")
_PERCENT_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

# Elements whose edges separate words, and whose text is never page text.
_BREAKING_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
})  # fmt: skip
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
# Where the text around a link is taken from: the nearest of these around it.
_PARAGRAPH_TAGS = _BREAKING_TAGS - {"br", "hr"}

# One link in a Link header (RFC 8288): <url> and its parameters, up to a comma that is
# not inside a quoted string.
_LINK_VALUE = re.compile(r'<(?P<url>[^>]*)>(?P<params>(?:[^,"]|"[^"]*")*)')
_LINK_PARAM = re.compile(r';\s*(?P<name>[^\s=;,]+)\s*(?:=\s*(?:"(?P<quoted>[^"]*)"|(?P<token>[^\s;,]*)))?')


@dataclass(frozen=True)
class Endpoints:
    webmention: str | None
    pingback: str | None


def decode_html(body: bytes, *, charset: str | None = None) -> str:
    """`body` as text, choosing the encoding as browsers do: a byte-order mark, then the
    HTTP charset, then a <meta> charset in the first 1024 bytes, then UTF-8.

    ISO-8859-1 and ASCII labels decode as windows-1252, as the HTML standard says: pages
    declaring them routinely contain its curly quotes.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace")
    meta = _META_CHARSET.search(body[:1024])
    for label in (charset, meta and meta.group(1).decode("ascii")):
        if not label:
            continue
        try:
            encoding = codecs.lookup(label).name
        except LookupError:
            continue
        if encoding in ("iso8859-1", "ascii"):
            encoding = "cp1252"
        return body.decode(encoding, errors="replace")
    return body.decode("utf-8", errors="replace")


def normalise_url(url: str) -> str:
    """`url` in a canonical form for comparison: scheme and host lower-case, the default port
    dropped, "/" for an empty path, escapes upper-case, and no fragment (a fragment names a
    place in the same page, so it does not change which page is linked).

    Raises ValueError for a URL whose port or host cannot be parsed.
    """
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise ValueError(f"invalid host in {url!r}") from exc
    if ":" in host:
        host = f"[{host}]"
    if parts.port is not None and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{parts.port}"
    path = _canonical_escapes(quote(parts.path or "/", safe=_URL_SAFE))
    query = _canonical_escapes(quote(parts.query, safe=_URL_SAFE + "?"))
    return urlunsplit((parts.scheme, host, path, query, ""))


def extract_links(html: bytes | str, *, base_url: str) -> list[str]:
    """The absolute http(s) URLs of the page's <a href> links, in document order, each once.

    Relative links resolve against the page's <base href> if it has one, else `base_url`.
    Fragments are kept as written; other schemes (mailto:, javascript:) are left out.
    """
    document = _parse(html)
    if document is None:
        return []
    base = _document_base(document, base_url)
    links = (_absolute_href(anchor, base=base) for anchor in document.iter("a"))
    return list(dict.fromkeys(link for link in links if link))


def links_to(html: bytes | str, *, base_url: str, target: str) -> bool:
    """Whether the page has an <a href> that, once resolved, is `target`.

    URLs compare after `normalise_url`. The target merely appearing in the page (in text,
    in another attribute, inside a longer URL) does not count.
    """
    document = _parse(html)
    if document is None:
        return False
    return next(_anchors_to(document, base_url=base_url, target=target), None) is not None


def page_title(html: bytes | str) -> str:
    """The page's <title>, whitespace collapsed; "" when it has none."""
    document = _parse(html)
    title = document.find(".//title") if document is not None else None
    return _collapse(title.text_content()) if title is not None else ""


def excerpt_around_link(html: bytes | str, *, base_url: str, target: str, width: int = 200) -> str:
    """WordPress-style context for a linkback: "[…] text around the link […]".

    Takes the first link to `target`, and up to width/2 characters either side of it from
    the paragraph (or list item, cell, …) that holds it, cut at word boundaries. Plain
    text, to be escaped wherever it is shown. "" when the page has no link to `target`.
    """
    document = _parse(html)
    if document is None:
        return ""
    anchor = next(_anchors_to(document, base_url=base_url, target=target), None)
    if anchor is None:
        return ""
    paragraph = next(
        (element for element in anchor.iterancestors() if element.tag in _PARAGRAPH_TAGS),
        document,
    )
    before, link_text, after = _text_around(paragraph, anchor=anchor)
    words = link_text.strip()
    if len(words) > 100:
        link_text = link_text.replace(words, words[:100].rstrip() + "…")
    half = width // 2
    excerpt = _last_words(before, limit=half) + link_text + _first_words(after, limit=half)
    return f"[…] {_collapse(excerpt)} […]"


def discover_endpoints(
    *, base_url: str, headers: Iterable[tuple[str, str]], html: bytes | str | None
) -> Endpoints:
    """Where the page at `base_url` takes webmentions and pingbacks; None where it doesn't.

    `base_url` is the page's final URL, after redirects, and `headers` its response headers
    as (name, value) pairs. Pass html=None when the response is not HTML.

    Webmention follows the W3C recommendation: the first Link header link with rel
    "webmention", then the first <link> or <a> with rel "webmention" in document order; an
    empty href is the page itself. Pingback: the X-Pingback header, then <link rel="pingback">.
    Relative hrefs in the HTML resolve as browsers resolve them, against <base href> if any.
    """
    headers = list(headers)
    document = _parse(html) if html else None
    base = _document_base(document, base_url) if document is not None else base_url
    return Endpoints(
        webmention=_webmention_endpoint(headers, document, base_url=base_url, html_base=base),
        pingback=_pingback_endpoint(headers, document, base_url=base_url, html_base=base),
    )


def _webmention_endpoint(
    headers: list[tuple[str, str]], document, *, base_url: str, html_base: str
) -> str | None:
    for name, value in headers:
        if name.lower() != "link":
            continue
        for url, rels in _parse_link_header(value):
            if "webmention" in rels and (endpoint := _join(base_url, url)):
                return endpoint
    if document is None:
        return None
    for element in document.iter("link", "a"):
        href = element.get("href")
        if href is None or "webmention" not in _rel_values(element):
            continue
        if endpoint := _join(html_base, href):
            return endpoint
    return None


def _pingback_endpoint(
    headers: list[tuple[str, str]], document, *, base_url: str, html_base: str
) -> str | None:
    for name, value in headers:
        if name.lower() == "x-pingback" and value.strip() and (endpoint := _join(base_url, value)):
            return endpoint
    if document is None:
        return None
    for element in document.iter("link"):
        href = element.get("href")
        if not (href and href.strip()) or "pingback" not in _rel_values(element):
            continue
        if endpoint := _join(html_base, href):
            return endpoint
    return None


def _parse_link_header(value: str) -> Iterator[tuple[str, set[str]]]:
    """(url, rel values) for each link in one Link header value."""
    for link in _LINK_VALUE.finditer(value):
        rels: set[str] = set()
        for param in _LINK_PARAM.finditer(link["params"]):
            if param["name"].lower() == "rel":
                rels = set((param["quoted"] or param["token"] or "").lower().split())
                break  # RFC 8288: only the first rel parameter counts
        yield link["url"].strip(), rels


def _rel_values(element) -> set[str]:
    return set((element.get("rel") or "").lower().split())


def _parse(html: bytes | str | None):
    """The parsed document, or None for an empty or unparseable page."""
    text = decode_html(html) if isinstance(html, bytes) else html
    if not text or not text.strip():
        return None
    # Parse UTF-8 bytes with the encoding fixed: lxml refuses str that carries an XML
    # encoding declaration, and a <meta charset> must not re-decode text already decoded.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _document_base(document, base_url: str) -> str:
    base = document.find(".//base[@href]")
    return (base is not None and _join(base_url, base.get("href"))) or base_url


def _join(base: str, href: str) -> str | None:
    try:
        return urljoin(base, href.strip())
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None


def _absolute_href(anchor, *, base: str) -> str | None:
    href = anchor.get("href")
    url = _join(base, href) if href is not None else None
    if url is None or urlsplit(url).scheme not in _DEFAULT_PORTS:
        return None
    try:
        normalise_url(url)
    except ValueError:  # an unusable port or host: not a link anything could follow
        return None
    return url


def _anchors_to(document, *, base_url: str, target: str) -> Iterator:
    try:
        wanted = normalise_url(target)
    except ValueError:
        return
    base = _document_base(document, base_url)
    for anchor in document.iter("a"):
        url = _absolute_href(anchor, base=base)
        if url and normalise_url(url) == wanted:
            yield anchor


def _text_around(paragraph, *, anchor) -> tuple[str, str, str]:
    """The text of `paragraph` before `anchor`, inside it and after it, each with runs of
    whitespace made single spaces but not stripped, so that "<a>link</a>, and" stays
    "link, and" when the three are put back together."""
    pieces: tuple[list[str], list[str], list[str]] = ([], [], [])
    where = 0
    walker = etree.iterwalk(paragraph, events=("start", "end"))
    for event, element in walker:
        if event == "start":
            if element is anchor:
                where = 1
            if element.tag in _SKIPPED_TAGS:
                walker.skip_subtree()
                continue
            if element.tag in _BREAKING_TAGS:
                pieces[where].append(" ")
            pieces[where].append(element.text or "")
        else:
            if element is anchor:
                where = 2
            if element.tag in _BREAKING_TAGS:
                pieces[where].append(" ")
            if element is not paragraph:
                pieces[where].append(element.tail or "")
    before, inside, after = (_WHITESPACE.sub(" ", "".join(texts)) for texts in pieces)
    return before.lstrip(), inside, after.rstrip()


def _last_words(text: str, *, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    if not text[-limit - 1].isspace():
        cut = cut.partition(" ")[2]  # drop the word cut in half
    return cut.lstrip()


def _first_words(text: str, *, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if not text[limit].isspace():
        cut = cut.rpartition(" ")[0]  # drop the word cut in half
    return cut.rstrip()


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _canonical_escapes(text: str) -> str:
    return _PERCENT_ESCAPE.sub(lambda match: match.group().upper(), text)
