"""What a parsed seed capture is: plain frozen dataclasses, and the one error the parser raises."""

import datetime
from dataclasses import dataclass


class CaptureError(ValueError):
    """A capture or its manifest cannot be read. str() is "<source>:<line>: <message>"."""

    def __init__(self, message: str, *, source: str, line: int | None = None):
        self.source = source
        self.line = line
        self.message = message
        where = source if line is None else f"{source}:{line}"
        super().__init__(f"{where}: {message}")


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class SeedResponse:
    kind: str  # "comment", "pingback" or "trackback"
    author: str  # for a ping, the title of the linking page
    date: datetime.date | None
    body: str  # plain text: the words as the page showed them
    position: int  # 1-based, in capture order within the entry
    line: int  # 1-based line of the capture where the response starts
    # The capture's own number for it ("  3. …"), which the body leaves out.
    number: int | None = None
    # Verbatim capture lines read as metadata: the "Comment by … | date" line.
    meta_lines: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"kind": self.kind, "author": self.author, "date": _iso(self.date),
                "body": self.body}


@dataclass(frozen=True)
class SeedEntry:
    kind: str  # "page" or "post"
    title: str
    date: datetime.date | None
    author: str | None
    categories: tuple[str, ...]
    excerpt_only: bool  # the capture shows only a read-more excerpt
    body: str  # Markdown, escaped so that it renders as the captured text reads
    responses: tuple[SeedResponse, ...]
    position: int  # 1-based, in capture order
    line: int  # 1-based line of the capture where the entry starts
    # Verbatim capture lines read as metadata: a heading line, a date or "Posted by" line.
    meta_lines: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "date": _iso(self.date),
            "author": self.author,
            "categories": list(self.categories),
            "excerpt_only": self.excerpt_only,
            "body": self.body,
            "responses": [response.to_json() for response in self.responses],
        }


@dataclass(frozen=True)
class SeedBlog:
    title: str | None
    tagline: str | None
    url: str | None = None  # only ever from a manifest: captures do not show it
    # Verbatim capture lines the title and tagline were read from, dot leaders and all.
    meta_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class SeedDocument:
    source: str
    blog: SeedBlog
    entries: tuple[SeedEntry, ...]
    dropped: tuple[str, ...]  # the furniture lines left out, in capture order

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "blog": {"title": self.blog.title, "tagline": self.blog.tagline},
            "entries": [entry.to_json() for entry in self.entries],
            "dropped": list(self.dropped),
        }
