"""
Captured text as Markdown that renders the way the capture reads.

The site renders bodies with Python-Markdown (extra, sane_lists, nl2br), so every character that
Markdown, or one of those extensions, would read as syntax is escaped: a backtick used as an
opening quote must not start a code span. Bullet lines ("•") become list items and runs of
numbered lines ("1.", "2.", …) stay lists. `unescape_line` is the exact inverse, so the
conservation check can compare a body with the lines it came from.
"""

import re

from .seed_text import BULLET

# Backslash escapes where Python-Markdown accepts them; entities for "<" and for "&" that would
# read as an entity, which a backslash does not escape.
_INLINE = re.compile(r"[\\`*_{}\[\]|]|<|&(?=#?\w+;)")
_INLINE_ESCAPES = {"<": "&lt;", "&": "&amp;"}
# "2019. " opens an ordered list for Python-Markdown, whose \d takes any script's digits.
_ORDERED = re.compile(r"(?P<number>\d+)\.(?=\s|$)")
_UNESCAPE = re.compile(r"\\(?P<char>[\\`*_{}\[\]|#>+\-.!()])|&(?P<entity>lt|amp|#61|#58|#126);")
_ENTITIES = {"lt": "<", "amp": "&", "#61": "=", "#58": ":", "#126": "~"}

LIST_ITEM = re.compile(r"(?P<number>[0-9]{1,9})\.\s+(?P<rest>\S.*)")


def _escape_inline(text: str) -> str:
    return _INLINE.sub(lambda m: _INLINE_ESCAPES.get(m.group(), "\\" + m.group()), text)


def escape_line(text: str) -> str:
    """One stripped line of captured text as Markdown that renders as that text. Besides the
    inline syntax, a line's start may open a block: a heading, quote, list item, rule, setext
    underline, definition (":") or fenced code ("~~~")."""
    ordered = _ORDERED.match(text)
    if ordered:
        return ordered["number"] + "\\." + _escape_inline(text[ordered.end():])
    if text[:1] in ("#", ">", "+", "-"):
        return "\\" + text[0] + _escape_inline(text[1:])
    if text[:1] == ":":
        return "&#58;" + _escape_inline(text[1:])
    if text.startswith("~~~"):
        return "&#126;" + _escape_inline(text[1:])
    if text and text == "=" * len(text):
        return "&#61;" + text[1:]
    return _escape_inline(text)


def unescape_line(line: str) -> str:
    """The captured text a line of `body_markdown` output came from."""
    if line.startswith("- "):
        return "• " + _unescape(line[2:])
    return _unescape(line)


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: m["char"] or _ENTITIES[m["entity"]], text)


def _numbered_lists(lines: list[str]) -> set[int]:
    """Indexes of lines (blank lines between them allowed) that number 1., 2., … in sequence:
    a list the author wrote. A lone "3." line or a year ending a sentence is text."""
    in_lists: set[int] = set()
    run: list[int] = []
    previous_number = None
    for index, line in enumerate(lines):
        if not line:
            continue
        item = LIST_ITEM.fullmatch(line)
        number = int(item["number"]) if item else None
        if number is not None and previous_number is not None and number == previous_number + 1:
            run.append(index)
        else:
            if len(run) > 1:
                in_lists.update(run)
            run = [index] if number is not None else []
        previous_number = number
    if len(run) > 1:
        in_lists.update(run)
    return in_lists


def _markdown_line(line: str, in_list: bool) -> tuple[str, str]:
    """(kind, markdown) for one line; kinds decide where blank lines must separate blocks."""
    bullet = BULLET.fullmatch(line)
    if bullet:
        return "bullet", "- " + escape_line(bullet["rest"])
    if in_list:
        item = LIST_ITEM.fullmatch(line)
        return "numbered", f"{item['number']}. " + escape_line(item["rest"])
    return "text", escape_line(line)


def body_markdown(paragraphs: list[list[str]]) -> str:
    """Markdown for paragraphs of stripped lines. Lines keep their breaks (nl2br renders them);
    a list is set apart from text by a blank line, which Markdown needs to see where it ends."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend([*paragraph, ""])
    numbered = _numbered_lists(lines)
    blocks: list[list[str]] = []
    kind = None
    for index, line in enumerate(lines):
        if not line:
            kind = None
            continue
        line_kind, markdown = _markdown_line(line, index in numbered)
        if line_kind != kind:
            blocks.append([])
            kind = line_kind
        blocks[-1].append(markdown)
    return "\n\n".join("\n".join(block) for block in blocks)


def body_lines(markdown: str) -> list[str]:
    """The captured lines a body was made from, for the conservation check."""
    return [unescape_line(line) for line in markdown.split("\n") if line.strip()]
