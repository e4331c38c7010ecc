"""
WordPress post content to HTML: block comments removed, auto-paragraphs as `wpautop()` makes
them. The output still goes through the sanitizer; this module only restores the structure
WordPress would have shown.
"""

import re

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|h[1-6]|header|hr|li|main|math|menu|nav|ol|p|pre|section|"
    "summary|table|tbody|td|tfoot|th|thead|tr|ul|audio|video|iframe|object|style|script"
)
STARTS_WITH_BLOCK = re.compile(rf"^\s*</?(?:{BLOCK_TAGS})[\s/>]", re.IGNORECASE)
PRESERVED = re.compile(r"<(pre|script|style)[\s>].*?</\1>", re.DOTALL | re.IGNORECASE)


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


def to_html(content: str) -> str:
    content = BLOCK_COMMENT.sub("", content)
    content = HTML_COMMENT.sub("", content)
    return autop(content)
