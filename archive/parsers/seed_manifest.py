"""
The sidecar manifest: `<capture stem>.toml`, written by a person where a capture is ambiguous.

    [blog]
    title = "parisar"
    tagline = "a forum of progressive students"
    url = "https://parisar.wordpress.com/"

    [[entries]]                       # one table per entry, in capture order
    starts = "Stalin’s reply to Ivan"  # first words; if any entry has them, all must
    title = "Stalin’s reply to Ivanov"
    date = 1938-02-12
    categories = ["letters"]
    kind = "post"                     # or "page"
    author = "admin"

With `starts`, entries begin exactly there and the heuristics do not split the text; without,
the tables correct the entries the heuristics found, in order. Every key is optional.
"""

import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .seed_model import CaptureError

BLOG_KEYS = ("title", "tagline", "url")
ENTRY_KEYS = ("starts", "title", "date", "categories", "kind", "author")
KINDS = ("page", "post")


@dataclass(frozen=True)
class EntryNote:
    starts: str | None = None
    title: str | None = None
    date: datetime.date | None = None
    categories: tuple[str, ...] | None = None
    kind: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Manifest:
    blog_title: str | None = None
    tagline: str | None = None
    url: str | None = None
    entries: tuple[EntryNote, ...] = ()

    @property
    def starts(self) -> tuple[str, ...]:
        return tuple(entry.starts for entry in self.entries if entry.starts)


def load_manifest(path: Path) -> dict | None:
    """The sidecar manifest of the capture at `path`, checked; None if there is none."""
    manifest_path = Path(path).with_suffix(".toml")
    if not manifest_path.is_file():
        return None
    source = manifest_path.name
    try:
        data = manifest_path.read_bytes()
    except OSError as error:
        raise CaptureError(f"cannot read the manifest: {error.strerror}",
                           source=source) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CaptureError("the manifest is not UTF-8 text", source=source, line=line) from None
    try:
        manifest = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _toml_error(source, error) from None
    read_manifest(manifest, source=source, text=text)
    return manifest


def _toml_error(source: str, error: tomllib.TOMLDecodeError) -> CaptureError:
    # Python 3.11's TOMLDecodeError keeps the position only in its message.
    message = str(error)
    where = re.search(r" \(at line (\d+), column \d+\)$", message)
    if where is None:
        return CaptureError(f"not valid TOML: {message}", source=source)
    return CaptureError(f"not valid TOML: {message[: where.start()]}", source=source,
                        line=int(where[1]))


def read_manifest(data: dict, *, source: str, text: str | None = None) -> Manifest:
    """A manifest dictionary checked and typed. `text`, the file's text, locates mistakes."""
    if not isinstance(data, dict):
        raise CaptureError("a manifest must be a table", source=source)

    def fail(message, table=None, index=0, key=None):
        return CaptureError(message, source=source, line=_line_of(text, table, index, key))

    for key in data:
        if key not in ("blog", "entries"):
            raise fail(f"unknown key {key!r}: expected [blog] or [[entries]]", key=key)
    blog = data.get("blog", {})
    if not isinstance(blog, dict):
        raise fail("blog must be a table: [blog]", key="blog")
    for key, value in blog.items():
        if key not in BLOG_KEYS:
            raise fail(f"unknown key blog.{key}; expected one of {', '.join(BLOG_KEYS)}",
                       "blog", 0, key)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"blog.{key} must be a non-empty string", "blog", 0, key)
    entries = data.get("entries", [])
    if not isinstance(entries, list) or not all(isinstance(each, dict) for each in entries):
        raise fail("entries must be an array of tables: [[entries]]", key="entries")
    notes = tuple(_entry_note(entry, index, fail) for index, entry in enumerate(entries))
    with_starts = [note for note in notes if note.starts]
    if with_starts and len(with_starts) != len(notes):
        raise fail("either every [[entries]] table names its first words (starts) or none does",
                   "entries", 0, None)
    return Manifest(blog.get("title"), blog.get("tagline"), blog.get("url"), notes)


def _entry_note(entry: dict, index: int, fail) -> EntryNote:
    for key in entry:
        if key not in ENTRY_KEYS:
            raise fail(f"unknown key {key!r} in entry {index + 1}; expected one of "
                       f"{', '.join(ENTRY_KEYS)}", "entries", index, key)
    for key in ("starts", "title", "author"):
        if key in entry and (not isinstance(entry[key], str) or not entry[key].strip()):
            raise fail(f"entry {index + 1}: {key} must be a non-empty string",
                       "entries", index, key)
    if "kind" in entry and entry["kind"] not in KINDS:
        raise fail(f"entry {index + 1}: kind must be \"page\" or \"post\"", "entries", index,
                   "kind")
    categories = entry.get("categories")
    if categories is not None and not (
        isinstance(categories, list)
        and all(isinstance(name, str) and name.strip() for name in categories)
    ):
        raise fail(f"entry {index + 1}: categories must be a list of non-empty strings",
                   "entries", index, "categories")
    return EntryNote(
        starts=entry.get("starts"),
        title=entry.get("title"),
        date=_date(entry, index, fail),
        categories=tuple(categories) if categories is not None else None,
        kind=entry.get("kind"),
        author=entry.get("author"),
    )


def _date(entry: dict, index: int, fail) -> datetime.date | None:
    value = entry.get("date")
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise fail(f"entry {index + 1}: date must be a date such as 2007-10-21", "entries", index,
               "date")


def _line_of(text: str | None, table: str | None, index: int, key: str | None) -> int | None:
    """The line of `key` in the `index`-th [table] (or [[table]]) of a manifest's text."""
    if text is None:
        return None
    lines = text.split("\n")
    start = 0
    if table:
        header = re.compile(rf"\s*\[\[?\s*{table}\s*\]\]?\s*(#.*)?")
        headers = [number for number, line in enumerate(lines) if header.fullmatch(line)]
        if index >= len(headers):
            return None
        start = headers[index]
        if key is None:
            return start + 1
    assignment = re.compile(rf"\s*{re.escape(key or '')}\s*=")
    for number in range(start, len(lines)):
        if key and assignment.match(lines[number]):
            return number + 1
    return None
