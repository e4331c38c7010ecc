"""
Where things are on a captured page: which lines are furniture, the blog's name, where each entry
starts and ends, which lines are responses.

A capture is one of three layouts, told apart by what the page shows:
- a single post or page: it has a comment form, responses, or one "Posted by" line;
- an archive listing: two or more "Posted by" lines, each closing one post;
- a front page of untitled excerpts, with nothing but the text to go by (see `split_front_page`).
Every line ends up in exactly one place; the conservation check in `seed` holds us to that.
"""

from dataclasses import dataclass, field

from .furniture import COMMENT_FORM, READ_MORE, match_furniture
from .seed_front_page import split_front_page
from .seed_responses import ResponseDraft, find_responses
from .seed_text import (
    Line,
    Paragraph,
    PostMeta,
    is_cut,
    leader_parts,
    paragraphs_of,
    parse_date,
    read_attribution,
    read_post_meta,
    same_text,
)


@dataclass
class EntryDraft:
    paragraphs: list[Paragraph]
    title_line: Line | None = None
    date_line: Line | None = None
    meta: list[tuple[Line, PostMeta]] = field(default_factory=list)
    responses: list[ResponseDraft] = field(default_factory=list)

    @property
    def start(self) -> int:
        candidates = [line.number for line in (self.title_line, self.date_line) if line]
        candidates += [paragraph.number for paragraph in self.paragraphs[:1]]
        return min(candidates, default=0)

    @property
    def read_more(self) -> bool:
        """Only an excerpt is shown: the text stops mid-sentence at "…" or at a read-more link."""
        last = self.paragraphs[-1] if self.paragraphs else None
        return bool(last and (is_cut(last.last) or last.read_more_after))


@dataclass
class Layout:
    single: bool  # one post or page, as opposed to a listing of several
    entries: list[EntryDraft]
    dropped: list[Line]
    blog_title: Line | None = None
    tagline: Line | None = None
    blog_lines: list[Line] = field(default_factory=list)  # title, tagline and their repeats


@dataclass(frozen=True)
class Known:
    """What a manifest says, where it helps to find lines rather than only to relabel them."""

    blog_title: str | None = None
    tagline: str | None = None
    starts: tuple[str, ...] = ()


def lay_out(lines: list[Line], known: Known) -> Layout:
    """Decide where every line goes: furniture, responses, metadata, then the layout's entries."""
    dropped, roles = _furniture(lines)
    attributions = {
        line.number: found for line in lines
        if line.text and line.number not in roles and (found := read_attribution(line.text))
    }
    metas = {
        line.number: found for line in lines
        if line.text and line.number not in roles and line.number not in attributions
        and (found := read_post_meta(line.text))
    }
    responses = find_responses(lines, attributions, set(metas), set(roles))
    taken = set(roles) | set(metas)
    for response in responses:
        taken.add(response.attribution_line.number)
        taken.update(line.number for line in response.lines)
    read_more = {number for number, role in roles.items() if role == READ_MORE}
    paragraphs = paragraphs_of(lines, taken, read_more)

    single = len(metas) < 2 and bool(responses or metas or COMMENT_FORM in roles.values())
    if known.starts:
        layout = _split_by_manifest(paragraphs, known, single)
    elif single:
        layout = _single(paragraphs, known)
    elif metas:
        layout = _archive(paragraphs, known, sorted(metas))
    else:
        layout = _front_page(paragraphs, known)
    layout.dropped = dropped
    _attach(layout.entries, [(line, metas[line.number]) for line in lines
                             if line.number in metas], responses)
    return layout


def _furniture(lines: list[Line]) -> tuple[list[Line], dict[int, str | None]]:
    dropped, roles = [], {}
    for line in lines:
        found = match_furniture(line.text) if line.text else None
        if found:
            dropped.append(line)
            roles[line.number] = found.role
    return dropped, roles


def _attach(entries: list[EntryDraft], metas, responses: list[ResponseDraft]) -> None:
    """Metadata lines and responses belong to the last entry starting before them."""
    if not entries and (metas or responses):
        entries.append(EntryDraft([]))  # for parse_capture to reject: no text to attach to
    starts = [entry.start for entry in entries]

    def owner(number):
        before = [i for i, start in enumerate(starts) if start <= number]
        return entries[before[-1] if before else 0]

    for line, meta in metas:
        owner(line.number).meta.append((line, meta))
    for response in responses:
        first = response.lines[0] if response.lines else response.attribution_line
        owner(first.number).responses.append(response)


# The blog's name ---------------------------------------------------------------------------------

def _leading_headings(paragraphs, *, strict: bool, known: Known) -> int:
    count = 0
    for paragraph in paragraphs:
        named = _names_blog(paragraph, known)
        if not (named or paragraph.is_heading(strict=strict)):
            break
        count += 1
    return count


def _names_blog(paragraph: Paragraph, known: Known) -> bool:
    names = {same_text(name) for name in (known.blog_title, known.tagline) if name}
    return len(paragraph.lines) == 1 and same_text(paragraph.first) in names


def _take_footer(layout: Layout, paragraphs: list[Paragraph], known: Known) -> list[Paragraph]:
    """The site title repeated at the foot of the page (footer widgets) is the blog's, not text.
    It must follow some text: a page that holds nothing else keeps it as its text."""
    names = {same_text(name) for name in (known.blog_title,) if name}
    if layout.blog_title:
        names |= {same_text(layout.blog_title.text),
                  same_text(leader_parts(layout.blog_title.text)[0])}
    end = len(paragraphs)
    if names:
        while end > 1 and len(paragraphs[end - 1].lines) == 1 and (
            same_text(paragraphs[end - 1].first) in names
        ):
            end -= 1
    else:
        # No name known: the same short line, twice or more, at the very end.
        while (end > 1 and paragraphs[end - 1].is_heading(strict=True)
               and same_text(paragraphs[end - 1].first) == same_text(paragraphs[-1].first)):
            end -= 1
        if len(paragraphs) - end < 2:
            return paragraphs
        layout.blog_title = paragraphs[end].lines[0]
    layout.blog_lines += [paragraph.lines[0] for paragraph in paragraphs[end:]]
    return paragraphs[:end]


def _assign_heads(layout: Layout, heads: list[Paragraph], known: Known, *, titled: bool):
    """Split leading headings between the blog's name, its tagline and the first entry's title.
    Returns (title line or None, leftover heading paragraphs that belong to the text)."""
    heads = list(heads)
    if heads and known.blog_title and same_text(heads[0].first) == same_text(known.blog_title):
        layout.blog_title = heads.pop(0).lines[0]
    if heads and known.tagline and same_text(heads[0].first) == same_text(known.tagline):
        layout.tagline = heads.pop(0).lines[0]
    title = heads.pop().lines[0] if heads and titled else None
    if layout.blog_title is None and heads:
        layout.blog_title = heads.pop(0).lines[0]
    if layout.tagline is None and heads:
        layout.tagline = heads.pop(0).lines[0]
    layout.blog_lines += [line for line in (layout.blog_title, layout.tagline) if line]
    return title, heads


# Layouts -----------------------------------------------------------------------------------------

def _single(paragraphs: list[Paragraph], known: Known) -> Layout:
    """[blog name, tagline,] title, [date,] body: the last heading before the text is the title."""
    layout = Layout(single=True, entries=[], dropped=[])
    count = _leading_headings(paragraphs, strict=False, known=known)
    heads, rest = paragraphs[:count], paragraphs[count:]
    date_line = None
    dated = [i for i, head in enumerate(heads) if parse_date(head.first)]
    if dated:
        date_line = heads.pop(dated[0]).lines[0]
    title, extra = _assign_heads(layout, heads, known, titled=True)
    body = _take_footer(layout, extra + rest, known)
    layout.entries = [EntryDraft(body, title_line=title, date_line=date_line)]
    return layout


def _archive(paragraphs: list[Paragraph], known: Known, meta_numbers: list[int]) -> Layout:
    """Posts one after another, each closed by its "Posted by" line."""
    layout = Layout(single=False, entries=[], dropped=[])
    groups: list[list[Paragraph]] = [[] for _ in range(len(meta_numbers) + 1)]
    for paragraph in paragraphs:
        groups[sum(number < paragraph.number for number in meta_numbers)].append(paragraph)
    later = [group for group in groups[1:] if group]
    titled = sum(_starts_with_title(group, strict=False) for group in later) * 2 > len(later)
    count = _leading_headings(groups[0], strict=False, known=known)
    if count == len(groups[0]) and not titled:
        count = 0  # no text would be left for the first post
    title, extra = _assign_heads(layout, groups[0][:count], known, titled=titled)
    groups[0] = extra + groups[0][count:]
    groups[-1] = _take_footer(layout, groups[-1], known)
    for group in groups:
        if not group and title is None:
            continue
        entry = EntryDraft(group, title_line=title)
        if title is None and titled:
            _take_title(entry, strict=False)
        layout.entries.append(entry)
        title = None
    return layout


def _front_page(paragraphs: list[Paragraph], known: Known) -> Layout:
    layout = Layout(single=False, entries=[], dropped=[])
    count = min(_leading_headings(paragraphs, strict=True, known=known), 2)
    if count == len(paragraphs):
        count = 0  # a lone short line is a post, not a blog's name
    _assign_heads(layout, paragraphs[:count], known, titled=False)
    rest = _take_footer(layout, paragraphs[count:], known)
    for group in split_front_page(rest):
        entry = EntryDraft(group)
        _take_title(entry, strict=True)
        layout.entries.append(entry)
    return layout


def _split_by_manifest(paragraphs: list[Paragraph], known: Known, single: bool) -> Layout:
    """Entries start where the manifest says; anything before the first is the blog's name or,
    failing that, an entry of its own, so that no text is lost."""
    layout = Layout(single=single and len(known.starts) == 1, entries=[], dropped=[])
    groups = split_at_starts(paragraphs, known.starts)
    before = groups.pop(0)
    count = min(_leading_headings(before, strict=True, known=known), 2)
    _assign_heads(layout, before[:count], known, titled=False)
    if before[count:]:
        groups.insert(0, before[count:])
    groups[-1] = _take_footer(layout, groups[-1], known)
    for group in groups:
        entry = EntryDraft(group)
        _take_title(entry, strict=not layout.single)
        layout.entries.append(entry)
    return layout


def _starts_with_title(group: list[Paragraph], *, strict: bool) -> bool:
    return len(group) > 1 and group[0].is_heading(strict=strict)


def _take_title(entry: EntryDraft, *, strict: bool) -> None:
    if _starts_with_title(entry.paragraphs, strict=strict):
        entry.title_line = entry.paragraphs.pop(0).lines[0]


class StartNotFound(LookupError):
    def __init__(self, index: int, words: str):
        super().__init__(index, words)
        self.index = index
        self.words = words


def split_at_starts(paragraphs: list[Paragraph], starts: tuple[str, ...]) -> list[list[Paragraph]]:
    """Groups of paragraphs: what comes before the first start, then one group per start, in
    order. A start may fall inside a paragraph, which is then split there."""
    groups: list[list[Paragraph]] = [[]]
    pending = list(enumerate(starts))
    for paragraph in paragraphs:
        piece = Paragraph([], paragraph.gap_before)
        for line in paragraph.lines:
            if pending and same_text(line.text).startswith(same_text(pending[0][1])):
                pending.pop(0)
                if piece.lines:
                    groups[-1].append(piece)
                piece = Paragraph([], 0)
                groups.append([])
            piece.lines.append(line)
        piece.gap_after = paragraph.gap_after
        piece.read_more_after = paragraph.read_more_after
        groups[-1].append(piece)
    if pending:
        raise StartNotFound(*pending[0])
    return groups


