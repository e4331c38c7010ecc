"""
Reading a capture's lines, and recognising what a single line is: a date, a "Posted by" line,
a response's attribution, a heading. No decisions about the page's layout are made here.
"""

import datetime
import re
from dataclasses import dataclass

from .seed_model import CaptureError

# Control characters other than tab and line breaks, lone surrogates and non-characters mean the
# file is not text (a binary, or a decoding gone wrong); nothing sensible can be made of it.
NOT_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    text: str  # stripped, non-breaking spaces made plain; "" for a blank line


def split_lines(text: str) -> list[str]:
    """Lines as the capture has them. str.splitlines() would also split at U+2028 and friends."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_lines(text: str, *, source: str) -> list[Line]:
    raw = split_lines(text.removeprefix("\ufeff"))
    for number, line in enumerate(raw, start=1):
        bad = NOT_TEXT.search(line)
        if bad:
            raise CaptureError(
                f"not text: character U+{ord(bad.group()):04X} at column {bad.start() + 1}",
                source=source, line=number,
            )
    lines = [Line(number, line.replace("\u00a0", " ").strip())
             for number, line in enumerate(raw, start=1)]
    if not any(line.text for line in lines):
        raise CaptureError("the capture is empty", source=source, line=1)
    return lines


def same_text(line: str) -> str:
    """The form in which lines are compared: whitespace runs (NBSP included) become one space."""
    return " ".join(line.split())


# Dates -------------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}
_TIME = r"(?:,? (?:at|@) | )[0-9]{1,2}:[0-9]{2}(?: ?[aApP]\.?[mM]\.?)?"
DATE_FORMS = [
    re.compile(rf"(?P<month>[A-Za-z]+)\.? (?P<day>[0-9]{{1,2}}),? (?P<year>[0-9]{{4}})(?:{_TIME})?"),
    re.compile(rf"(?P<day>[0-9]{{1,2}}) (?P<month>[A-Za-z]+)\.?,? (?P<year>[0-9]{{4}})(?:{_TIME})?"),
    re.compile(rf"(?P<year>[0-9]{{4}})-(?P<month>[0-9]{{2}})-(?P<day>[0-9]{{2}})(?:{_TIME})?"),
]


def parse_date(text: str) -> datetime.date | None:
    """The date a whole line or field states, in the forms WordPress themes print; else None."""
    text = same_text(text)
    for form in DATE_FORMS:
        match = form.fullmatch(text)
        if not match:
            continue
        month = match["month"]
        month = int(month) if month.isdigit() else MONTHS.get(month.lower())
        try:
            return datetime.date(int(match["year"]), month or 0, int(match["day"]))
        except ValueError:
            return None
    return None


# Metadata lines ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PostMeta:
    date: datetime.date | None
    author: str | None
    categories: tuple[str, ...]


# The Regulus-style line under a post: "October 21, 2007 - Posted by admin | cat, cat".
POSTED_BY = re.compile(r"(?P<date>.+?) [-–—] Posted by(?: (?P<author>[^|]*?))? ?(?:\|(?P<rest>.*))?")
# Other themes: "Posted in cat, cat | Leave a comment", "Filed under: cat, cat".
POSTED_IN = re.compile(r"(?:Posted in|Filed under:?|Categories:) (?P<rest>.+)")
CATEGORY = re.compile(r"[^.!?:;]{1,50}")


def _categories(text: str | None) -> tuple[str, ...] | None:
    """The comma-separated category names before any further "|" field; None if not a list."""
    if text is None:
        return ()
    names = [name.strip() for name in text.split("|")[0].split(",")]
    names = [name for name in names if name]
    if all(CATEGORY.fullmatch(name) for name in names):
        return tuple(names)
    return None


def read_post_meta(text: str) -> PostMeta | None:
    text = same_text(text)
    match = POSTED_BY.fullmatch(text)
    if match:
        day = parse_date(match["date"])
        categories = _categories(match["rest"])
        if day and categories is not None:
            return PostMeta(day, (match["author"] or "").strip() or None, categories)
    match = POSTED_IN.fullmatch(text)
    if match:
        categories = _categories(match["rest"])
        if categories:
            return PostMeta(None, None, categories)
    return None


@dataclass(frozen=True)
class Attribution:
    kind: str
    author: str
    date: datetime.date | None


# "Comment by Marthanda | October 21, 2007", "Pingback by <page title> | December 13, 2007".
ATTRIBUTION = re.compile(r"(?P<kind>Comment|Pingback|Trackback) by (?P<author>.+) \| (?P<date>[^|]+)")


def read_attribution(text: str) -> Attribution | None:
    match = ATTRIBUTION.fullmatch(same_text(text))
    if not match:
        return None
    day = parse_date(match["date"])
    if day is None:
        return None
    return Attribution(match["kind"].lower(), match["author"].strip(), day)


# "  3. Text of the third response": the theme numbers the responses.
RESPONSE_NUMBER = re.compile(r"(?P<number>[1-9][0-9]{0,3})\.(?:\s+(?P<rest>.*))?")


def read_response_number(text: str) -> tuple[int, str] | None:
    match = RESPONSE_NUMBER.fullmatch(text)
    if not match:
        return None
    return int(match["number"]), match["rest"] or ""


# Headings and excerpts ---------------------------------------------------------------------------

BULLET = re.compile(r"•\s+(?P<rest>\S.*)")
LIST_MARKER = re.compile(r"(?:•|[0-9]+\.)\s")
SENTENCE_END = ".,:;"
CLOSING = "’”\"')]»"
HEADING_LENGTH = 120


def is_heading(text: str, *, strict: bool) -> bool:
    """A short line that is not a sentence. Lenient headings may end in "?" or "!" (post titles
    do); strict ones end in no punctuation at all, as page titles and blog names do."""
    endings = SENTENCE_END + ("!?…" if strict else "")
    unquoted = text.rstrip(CLOSING)
    return (
        0 < len(text) <= HEADING_LENGTH
        and any(char.isalnum() for char in text)
        and not unquoted.endswith(tuple(endings))
        and not LIST_MARKER.match(text)
    )


def is_cut(text: str) -> bool:
    """Does the line end where a read-more excerpt was cut off?"""
    return text.endswith(("…", "[…]", "[...]"))


# Dot leaders joining a blog's name in two scripts: "parisar ………….परिसर". Four dots or more,
# so that "Wait... what" stays as it is.
LEADER = re.compile(r"\s*(?:[….·]\s*){4,}")


def leader_parts(text: str) -> list[str]:
    """The parts a dot leader joins: "parisar ………….परिसर" gives ["parisar", "परिसर"]."""
    return [part for part in LEADER.split(text) if part] or [text]


# Titles derived from text ------------------------------------------------------------------------

TITLE_LENGTH = 90
_STOP = re.compile(r"[.!?…]+[’”'\")]*(?=\s|$)")
# Words a full stop follows without ending the sentence.
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "vs", "etc", "no", "op", "cit", "ibid", "pp", "p",
                 "cf", "vol", "ed", "jr", "sr", "prof", "gen", "col", "lt", "rev"}


def first_sentence(text: str) -> str:
    """Up to the first full stop, "!", "?" or "…" that ends a sentence of two words or more
    (not "J. V. Stalin", "op. cit." or a bare "2019.")."""
    for stop in _STOP.finditer(text):
        words = text[: stop.start()].split()
        word = words[-1] if words else ""
        abbreviation = len(word) == 1 or "." in word or word.lower() in ABBREVIATIONS
        if len(words) < 2 or (text[stop.start()] == "." and abbreviation):
            continue
        return text[: stop.end()]
    return text


def title_from_text(text: str) -> str:
    """A title for an entry the capture gives none: its first sentence, cut at a word boundary."""
    bullet = BULLET.fullmatch(text)
    text = bullet["rest"] if bullet else text
    sentence = first_sentence(text)
    if sentence.count("“") > sentence.count("”"):
        # A quotation's first sentence: take the whole quotation if it is short enough.
        close = text.find("”", len(sentence))
        if 0 <= close < TITLE_LENGTH:
            sentence = text[: close + 1]
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    if len(sentence) <= TITLE_LENGTH:
        return sentence
    cut = sentence[: TITLE_LENGTH + 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut[:TITLE_LENGTH].rstrip(" ,;:–—-") + "…"


# Paragraphs --------------------------------------------------------------------------------------

@dataclass
class Paragraph:
    lines: list[Line]
    gap_before: int  # lines left out (blank, furniture, metadata) since the previous paragraph
    gap_after: int = 0
    read_more_after: bool = False

    @property
    def first(self) -> str:
        return self.lines[0].text

    @property
    def last(self) -> str:
        return self.lines[-1].text

    @property
    def number(self) -> int:
        return self.lines[0].number

    def is_heading(self, *, strict: bool) -> bool:
        return len(self.lines) == 1 and is_heading(self.first, strict=strict)


def paragraphs_of(lines: list[Line], taken: set[int], read_more: set[int]) -> list[Paragraph]:
    """Runs of consecutive content lines. A left-out line (blank, furniture, metadata, a
    response) ends a paragraph and counts towards the gap before the next one."""
    paragraphs: list[Paragraph] = []
    current = None
    gap = 0
    for line in lines:
        if line.text and line.number not in taken:
            if current is None:
                current = Paragraph([], gap_before=gap)
                if paragraphs:
                    paragraphs[-1].gap_after = gap
                paragraphs.append(current)
                gap = 0
            current.lines.append(line)
            continue
        current = None
        gap += 1
        if line.number in read_more and paragraphs:
            paragraphs[-1].read_more_after = True
    if paragraphs:
        paragraphs[-1].gap_after = gap
    return paragraphs
