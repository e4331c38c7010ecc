"""
WordPress post content to HTML: block comments removed, the common shortcodes expanded and
auto-paragraphs as `wpautop()` makes them; comments get auto-paragraphs and clickable addresses
(`make_clickable()`). The output still goes through the sanitizer; this module only restores
the structure WordPress would have shown.

Shortcodes follow WordPress's own grammar (`get_shortcode_regex`, `shortcode_parse_atts`) for
the five tags it ships with media support: [caption], [gallery], [audio], [video] and [embed].
Any other bracketed text, a plugin's shortcode or prose like "[simple boat]", stays as written,
and `[[caption]]` is WordPress's way of writing the literal text "[caption]".
"""

import re

from django.utils.html import format_html, format_html_join, urlize

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|h[1-6]|header|hr|li|main|math|menu|nav|ol|p|pre|section|"
    "summary|table|tbody|td|tfoot|th|thead|tr|ul|audio|video|iframe|object|style|script"
)
STARTS_WITH_BLOCK = re.compile(rf"^\s*</?(?:{BLOCK_TAGS})[\s/>]", re.IGNORECASE)
PRESERVED = re.compile(r"<(pre|script|style)[\s>].*?</\1>", re.DOTALL | re.IGNORECASE)

SHORTCODES = ("caption", "gallery", "audio", "video", "embed")
# get_shortcode_regex(), group for group: 1 "[" of [[escaped]], 2 name, 3 attributes,
# 4 "/" of a self-closing tag, 5 enclosed content, 6 "]" of [[escaped]].
SHORTCODE = re.compile(
    r"\[(\[?)(" + "|".join(SHORTCODES) + r")(?![\w-])"
    r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)"
    r"(\]?)"
)
# shortcode_parse_atts(): name="value", name='value', name=value, "value", 'value', value.
ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
# [caption] without a caption attribute: the image (perhaps linked) first, the caption after.
CAPTIONED_IMAGE = re.compile(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.DOTALL | re.I)
AUDIO_SOURCES = ("src", "mp3", "ogg", "m4a", "wav")
VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv")
MEDIA_TYPES = {"mp3": "audio/mpeg", "ogg": "audio/ogg", "m4a": "audio/mp4", "wav": "audio/wav",
               "mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm", "ogv": "video/ogg"}
URL = re.compile(r"https?://\S+", re.IGNORECASE)
TAG = re.compile(r"(<[^<>]*>)")
# Text inside these is never made into links: it is a link already, or code shown as written.
UNLINKED = re.compile(r"<(/?)(?:a|code|pre|script|style)(?=[\s/>])", re.IGNORECASE)


def autop(text: str) -> str:
    """Wrap blank-line-separated chunks in <p> and turn single newlines into <br>."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    preserved = []

    def keep(match):
        preserved.append(match.group(0))
        return f"\x00{len(preserved) - 1}\x00"

    text = PRESERVED.sub(keep, text)
    chunks = [chunk.strip("\n") for chunk in re.split(r"\n\s*\n", text)]
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if STARTS_WITH_BLOCK.match(chunk) or re.fullmatch(r"\s*\x00\d+\x00\s*", chunk):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"(?<!<br />)\n", "<br />\n", chunk) + "</p>")
    html = "\n\n".join(out)
    return re.sub(r"\x00(\d+)\x00", lambda m: preserved[int(m.group(1))], html)


def make_clickable(html: str) -> str:
    """Turn the addresses in the text of `html` into links, leaving its tags alone."""
    pieces = TAG.split(html)
    unlinked = 0
    for i, piece in enumerate(pieces):
        if i % 2:  # split() puts each tag at an odd position
            if match := UNLINKED.match(piece):
                unlinked = max(unlinked - 1, 0) if match.group(1) else unlinked + 1
        elif piece and not unlinked:
            # The text is HTML already: urlize must not escape it a second time.
            pieces[i] = urlize(piece, autoescape=False)
    return "".join(pieces)


def to_html(content: str) -> str:
    content = BLOCK_COMMENT.sub("", content)
    content = HTML_COMMENT.sub("", content)
    return autop(expand_shortcodes(content))


def expand_shortcodes(content: str) -> str:
    """Replace the shortcodes we know with HTML; leave all other bracketed text alone."""
    def replace(match: re.Match) -> str:
        if match.group(1) == "[" and match.group(6) == "]":
            return match.group(0)[1:-1]
        attributes = parse_attributes(match.group(3))
        rendered = RENDERERS[match.group(2)](attributes, match.group(5) or "")
        return match.group(1) + rendered + match.group(6)

    return SHORTCODE.sub(replace, content)


def parse_attributes(text: str) -> dict[str | int, str]:
    """Named attributes by lower-case name, positional ones by position (0, 1, ...)."""
    text = re.sub("[\u00a0\u200b]+", " ", text)
    attributes: dict[str | int, str] = {}
    position = 0
    for match in ATTRIBUTE.finditer(text):
        groups = match.groups()
        for name, value in ((groups[0], groups[1]), (groups[2], groups[3]), (groups[4], groups[5])):
            if name is not None:
                attributes[name.lower()] = value
                break
        else:
            attributes[position] = next(g for g in groups[6:] if g is not None)
            position += 1
    return attributes


def _caption(attributes: dict, content: str) -> str:
    caption = attributes.get("caption", "")
    if not caption and (match := CAPTIONED_IMAGE.match(content.strip())):
        content, caption = match.group(1), match.group(2).strip()
    # Both are the author's HTML, like the rest of the body: the sanitizer cleans them after.
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{content.strip()}{figcaption}</figure>"


def _gallery(attributes: dict, content: str) -> str:
    ids = [int(n) for n in re.findall(r"\d+", attributes.get("ids", attributes.get("include", "")))]
    images = format_html_join(
        "", '<figure><a href="{0}"><img src="{0}" alt="{1}"></a>{2}</figure>',
        ((url, alt, format_html("<figcaption>{}</figcaption>", caption) if caption else "")
         for url, alt, caption in _gallery_images(ids)),
    )
    return format_html("<div>{}</div>", images) if images else ""


def _gallery_images(ids: list[int]) -> list[tuple[str, str, str]]:
    """(url, alt text, caption) of imported attachments, by their WordPress ids, in order.

    A gallery without ids shows the images attached to its post, which text alone does not
    name: it renders as nothing, as an empty gallery does in WordPress.
    """
    if not ids:
        return []
    from .models import Media  # models import this module through rendering

    found = {}
    for media in Media.objects.filter(wp_id__in=ids).order_by("pk"):
        found.setdefault(media.wp_id, (media.file.url if media.file else media.url,
                                       media.alt_text, media.caption))
    return [found[n] for n in ids if n in found]



def _media_sources(attributes: dict, content: str, names: tuple[str, ...]) -> list[str]:
    sources = [attributes[name] for name in names if attributes.get(name)]
    # WordPress also accepts the address alone: [audio https://...] or [video]https://...[/video].
    sources += [value for key, value in attributes.items() if isinstance(key, int)]
    sources += URL.findall(content)
    return [source for source in dict.fromkeys(sources) if URL.fullmatch(source)]


def _media(tag: str, names: tuple[str, ...], extra: tuple[str, ...]):
    def render(attributes: dict, content: str) -> str:
        sources = _media_sources(attributes, content, names)
        if not sources:
            return ""
        options = format_html_join("", ' {}="{}"', ((name, attributes[name]) for name in extra
                                                    if attributes.get(name)))
        source_tags = format_html_join(
            "", '<source src="{}"{}>',
            ((url, format_html(' type="{}"', kind) if (kind := _media_type(url)) else "")
             for url in sources),
        )
        # The link is what a reader without audio or video support sees.
        return format_html('<{0} controls preload="none"{1}>{2}<a href="{3}">{3}</a></{0}>',
                           tag, options, source_tags, sources[0])
    return render


def _media_type(url: str) -> str:
    extension = url.split("?", 1)[0].rsplit(".", 1)[-1].lower()
    return MEDIA_TYPES.get(extension, "")


def _embed(attributes: dict, content: str) -> str:
    # WordPress asks the provider for a player (oEmbed); a link says the same without
    # letting a third party's markup into the page.
    url = content.strip()
    if not URL.fullmatch(url):
        return content
    return format_html('<a href="{0}">{0}</a>', url)


RENDERERS = {
    "caption": _caption,
    "gallery": _gallery,
    "audio": _media("audio", AUDIO_SOURCES, ()),
    "video": _media("video", VIDEO_SOURCES, ("poster", "width", "height")),
    "embed": _embed,
}
