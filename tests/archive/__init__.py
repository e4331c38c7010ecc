"""Shared by the archive tests: what a reader sees when a parsed body is rendered."""

from html.parser import HTMLParser

import markdown


class _VisibleText(HTMLParser):
    """The text of rendered HTML, list items prefixed by the marker a browser would show."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list] = []  # [tag, next number]

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self.lists.append([tag, int(dict(attrs).get("start") or 1)])
        elif tag == "li":
            kind = self.lists[-1]
            self.parts.append(" • " if kind[0] == "ul" else f" {kind[1]}. ")
            kind[1] += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self.lists.pop()
        self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def rendered_text(body: str) -> str:
    """The body rendered as the site renders Markdown, as text with whitespace collapsed."""
    html = markdown.Markdown(extensions=["extra", "sane_lists", "nl2br"]).convert(body)
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def as_read(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())
