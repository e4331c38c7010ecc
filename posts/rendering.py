"""
The one place where stored text becomes HTML.

Every body, excerpt and comment passes through `sanitize()`, an nh3 (Ammonia) allow-list, on its
way to a page. Markdown and WordPress HTML are converted first; the result is cached by a hash of
its input, so an object is rendered once per revision rather than on every request.

Comments come as plain text (typed into this site's form, or captured as page text) or as the
HTML WordPress stored (imported): plain text is escaped, so a reader who types "<b>" sees "<b>".
"""

import hashlib
import html as html_entities
import re
import threading
from dataclasses import dataclass

import markdown
import nh3
from django.template.defaultfilters import linebreaks_filter, urlize
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from archive_site import fragments

from . import wordpress

# Bump when the output for the same input changes, so stale cache entries are never served.
RENDERER_VERSION = 3
CACHE_TIMEOUT = 60 * 60 * 24 * 30

# acronym and strike are obsolete, but WordPress's comment form offers them to this day.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "audio", "b", "blockquote", "br", "caption", "cite", "code",
        "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
        "q", "s", "samp", "small", "source", "span", "strike", "strong", "sub", "summary",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var", "video",
    }
)
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "abbr": {"title"},
    "audio": {"src", "controls", "preload"},
    "blockquote": {"cite"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "source": {"src", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "video": {"src", "controls", "preload", "poster", "width", "height"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed together with everything inside them, not merely unwrapped.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})

URL_ATTRIBUTES = frozenset({"href", "src", "cite", "poster"})
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Browsers drop tabs, newlines and other control characters inside a URL: "jav\tascript:" runs.
IGNORED_IN_URLS = re.compile(r"[\x00-\x20]")


def _refuse_disguised_schemes(tag, attribute, value):
    """Drop a URL whose scheme, once read the way a browser reads it, is not allowed."""
    if attribute in URL_ATTRIBUTES:
        scheme = SCHEME.match(IGNORED_IN_URLS.sub("", value))
        if scheme and scheme.group(1).lower() not in URL_SCHEMES:
            return None
    return value


def _cleaner(*, link_rel: str) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        attribute_filter=_refuse_disguised_schemes,
        link_rel=link_rel,
    )


_content_cleaner = _cleaner(link_rel="noopener")
# Readers' links are not endorsed by the site: search engines are told so.
_user_content_cleaner = _cleaner(link_rel="nofollow ugc noopener")

MORE_MARKER = re.compile(r"<!--\s*more(?P<text>.*?)-->", re.DOTALL)

# Markdown instances keep state between conversions, so each thread gets its own.
_local = threading.local()


def sanitize(html: str, *, user_content: bool = False) -> SafeString:
    """Reduce HTML to the allow-list. The only function that marks stored text safe."""
    cleaner = _user_content_cleaner if user_content else _content_cleaner
    return mark_safe(cleaner.clean(html))


def markdown_to_html(text: str) -> str:
    converter = getattr(_local, "markdown", None)
    if converter is None:
        # nl2br: archived text breaks lines where its authors did, as WordPress showed them.
        converter = _local.markdown = markdown.Markdown(
            extensions=["extra", "sane_lists", "nl2br"], output_format="html"
        )
    return converter.reset().convert(text)


def _convert(text: str, body_format: str) -> str:
    if body_format == "html":
        return wordpress.to_html(text)
    return markdown_to_html(text)


def _cached(kind: str, text: str, produce) -> SafeString:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"render:{RENDERER_VERSION}:{kind}:{digest}"
    return mark_safe(fragments.get_or_build(key, lambda: str(produce()), CACHE_TIMEOUT))


def render(text: str, body_format: str = "markdown") -> SafeString:
    """Render a post body (Markdown or WordPress HTML) to sanitized HTML."""
    return _cached(body_format, text, lambda: sanitize(_convert(text, body_format)))


def render_comment(text: str, body_format: str = "plain") -> SafeString:
    """A comment with paragraphs and auto-linked URLs, the way WordPress shows comments."""
    if body_format == "html":
        return _cached("comment-html", text, lambda: sanitize(
            wordpress.autop(wordpress.make_clickable(text)), user_content=True))
    return _cached(
        "comment", text, lambda: sanitize(linebreaks_filter(urlize(text, autoescape=True)),
                                          user_content=True)
    )


def comment_text(text: str, body_format: str = "plain") -> str:
    """A comment as plain text, for mail: WordPress HTML as the words a reader saw."""
    if body_format != "html":
        return text
    # Sanitized first, so that a script's code goes with its tags rather than into the text.
    return html_entities.unescape(strip_tags(sanitize(text, user_content=True)))


def markdownify(text: str) -> SafeString:
    """django-markdownx's preview hook: the same renderer, never raw HTML."""
    return render(text, "markdown")


@dataclass(frozen=True)
class Teaser:
    html: SafeString
    truncated: bool
    more_text: str


def teaser(body: str, body_format: str, *, excerpt: str = "") -> Teaser:
    """What a list page shows: the hand-written excerpt, else the body up to `<!--more-->`."""
    if excerpt.strip():
        return Teaser(render(excerpt, body_format), truncated=True, more_text="")
    match = MORE_MARKER.search(body)
    if match is None:
        return Teaser(render(body, body_format), truncated=False, more_text="")
    return Teaser(
        render(body[: match.start()], body_format),
        truncated=True,
        more_text=match.group("text").strip(),
    )
