"""
The seed-capture parser: a plain-text capture of a WordPress.com page in, a `SeedDocument` out.

Captures were made by flattening blog pages to text: headings and links lost their markup, page
furniture (comment forms, like buttons) stayed, comments and pingbacks survive as text. The
parser finds the blog's name, the entries and their responses, drops only the furniture listed in
`furniture.py`, and keeps every other line somewhere: `unaccounted_lines` checks that it did.
Where the text is ambiguous a person can write a sidecar manifest (see `seed_manifest`).

Pure Python on purpose: the Django import service and the management command call it.
"""

from collections import Counter
from operator import attrgetter
from pathlib import Path

from .seed_layout import EntryDraft, Known, Layout, StartNotFound, lay_out
from .seed_manifest import EntryNote, Manifest, load_manifest, read_manifest
from .seed_markdown import body_lines, body_markdown
from .seed_model import CaptureError, SeedBlog, SeedDocument, SeedEntry, SeedResponse
from .seed_responses import ResponseDraft
from .seed_text import (
    leader_parts,
    parse_date,
    read_lines,
    read_response_number,
    same_text,
    split_lines,
    title_from_text,
)

__all__ = [
    "CaptureError",
    "SeedBlog",
    "SeedDocument",
    "SeedEntry",
    "SeedResponse",
    "load_manifest",
    "parse_capture",
    "parse_file",
    "unaccounted_lines",
]

_by_number = attrgetter("number")


def parse_file(path: Path) -> SeedDocument:
    """Parse the capture at `path` (UTF-8) with its sidecar manifest, if it has one."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CaptureError(f"cannot read the capture: {error.strerror}",
                           source=path.name) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CaptureError(f"not UTF-8 text: byte 0x{data[error.start]:02X} cannot be decoded",
                           source=path.name, line=line) from None
    return parse_capture(text, source=path.name, manifest=load_manifest(path))


def parse_capture(text: str, *, source: str, manifest: dict | None = None) -> SeedDocument:
    notes = Manifest() if manifest is None else read_manifest(manifest, source=f"{source} manifest")
    lines = read_lines(text, source=source)
    try:
        layout = lay_out(lines, Known(notes.blog_title, notes.tagline, notes.starts))
    except StartNotFound as missing:
        raise CaptureError(
            f"manifest entry {missing.index + 1}: no line starts with {missing.words!r}",
            source=source,
        ) from None
    empty = [entry for entry in layout.entries if not (entry.paragraphs or entry.title_line)]
    if empty or not layout.entries:
        line = empty[0].start if empty else 0
        raise CaptureError("no entry text: only page furniture and metadata", source=source,
                           line=line or 1)
    entry_notes = _notes_for(layout, notes, source)
    entries = tuple(
        _entry(draft, note, position, single=layout.single)
        for position, (draft, note) in enumerate(zip(layout.entries, entry_notes, strict=True),
                                                 start=1)
    )
    return SeedDocument(
        source=source,
        blog=_blog(layout, notes),
        entries=entries,
        dropped=tuple(line.text for line in layout.dropped),
    )


def _notes_for(layout: Layout, notes: Manifest, source: str) -> list[EntryNote]:
    """The manifest's table for each entry. With `starts`, text before the first start may have
    become an entry of its own, which no table describes."""
    count = len(layout.entries)
    if len(notes.entries) > count:
        raise CaptureError(
            f"the manifest describes {len(notes.entries)} entries but the capture has {count}",
            source=source,
        )
    if notes.starts:
        return [EntryNote()] * (count - len(notes.entries)) + list(notes.entries)
    return list(notes.entries) + [EntryNote()] * (count - len(notes.entries))


def _blog(layout: Layout, notes: Manifest) -> SeedBlog:
    """A header line may give the name in two scripts, joined by a dot leader. The title is the
    first form, the one the blog's address uses; a tagline is prose, so it keeps every form. The
    header lines themselves are kept verbatim in `meta_lines`."""
    title = tagline = None
    if layout.blog_title:
        title = leader_parts(layout.blog_title.text)[0]
    if layout.tagline:
        tagline = " / ".join(leader_parts(layout.tagline.text))
    return SeedBlog(
        title=notes.blog_title or title,
        tagline=notes.tagline or tagline,
        url=notes.url,
        meta_lines=tuple(line.text for line in sorted(layout.blog_lines, key=_by_number)),
    )


def _entry(draft: EntryDraft, note: EntryNote, position: int, *, single: bool) -> SeedEntry:
    metas = [meta for _, meta in draft.meta]
    dates = [meta.date for meta in metas if meta.date]
    if draft.date_line:
        dates.append(parse_date(draft.date_line.text))
    categories = tuple(dict.fromkeys(name for meta in metas for name in meta.categories))
    authors = [meta.author for meta in metas if meta.author]
    meta_lines = [line for line in (draft.title_line, draft.date_line) if line]
    meta_lines += [line for line, _ in draft.meta]
    date = note.date or (dates[0] if dates else None)
    categories = note.categories if note.categories is not None else categories
    first_lines = [*meta_lines, *(p.lines[0] for p in draft.paragraphs[:1]),
                   *(r.attribution_line for r in draft.responses[:1])]
    return SeedEntry(
        kind=note.kind or ("page" if single and not (date or categories) else "post"),
        title=note.title or _title(draft),
        date=date,
        author=note.author or (authors[0] if authors else None),
        categories=categories,
        excerpt_only=not single and draft.read_more,
        body=body_markdown([[line.text for line in p.lines] for p in draft.paragraphs]),
        responses=tuple(
            _response(response, number) for number, response in enumerate(draft.responses, 1)
        ),
        position=position,
        line=min(line.number for line in first_lines),
        meta_lines=tuple(line.text for line in sorted(meta_lines, key=_by_number)),
    )


def _title(draft: EntryDraft) -> str:
    if draft.title_line:
        return draft.title_line.text
    return title_from_text(draft.paragraphs[0].first)


def _response(draft: ResponseDraft, position: int) -> SeedResponse:
    paragraphs: list[list[str]] = [[]]
    for line in draft.lines:
        if line.text:
            paragraphs[-1].append(line.text)
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    number = None
    if paragraphs:
        numbered = read_response_number(paragraphs[0][0])
        if numbered and numbered[1]:
            number, paragraphs[0][0] = numbered
    body_start = next((line for line in draft.lines if line.text), draft.attribution_line)
    return SeedResponse(
        kind=draft.attribution.kind,
        author=draft.attribution.author,
        date=draft.attribution.date,
        body="\n\n".join("\n".join(paragraph) for paragraph in paragraphs),
        position=position,
        line=body_start.number,
        number=number,
        meta_lines=(draft.attribution_line.text,),
    )


def unaccounted_lines(text: str, document: SeedDocument) -> list[str]:
    """The non-blank lines of `text` that `document` does not account for exactly once: lines
    lost, and lines used twice or not in the text at all. Empty means nothing was lost.

    Lines are compared with whitespace runs collapsed; bodies are compared after undoing their
    Markdown escaping, and responses with the capture's numbering put back."""
    remaining = Counter(_accounted(document))
    unaccounted = []
    for line in split_lines(text.removeprefix("\ufeff")):
        line = same_text(line)
        if not line:
            continue
        if remaining[line] > 0:
            remaining[line] -= 1
        else:
            unaccounted.append(line)
    unaccounted += [line for line, count in remaining.items() for _ in range(count)]
    return unaccounted


def _accounted(document: SeedDocument):
    yield from (same_text(line) for line in document.dropped)
    yield from (same_text(line) for line in document.blog.meta_lines)
    for entry in document.entries:
        yield from (same_text(line) for line in entry.meta_lines)
        yield from (same_text(line) for line in body_lines(entry.body))
        for response in entry.responses:
            yield from (same_text(line) for line in response.meta_lines)
            lines = [same_text(line) for line in response.body.split("\n") if line.strip()]
            if response.number is not None and lines:
                lines[0] = f"{response.number}. {lines[0]}"
            yield from lines
