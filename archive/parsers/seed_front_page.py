"""
Where one entry ends and the next begins on a front page of untitled excerpts, when the capture
has nothing but its text to go by: no titles, no dates, no trustworthy separators.
"""

import re
from itertools import pairwise

from .seed_text import Paragraph, is_cut

HEADLINE_LENGTH = 100
CITATION = re.compile(r"Ibid\b|.{0,80}\bop\. ?cit\b|[—―–] ?\w")
SALUTATION_LENGTH = 60


def split_front_page(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Untitled excerpts one after another. A new entry starts
    - after a line cut off with "…" or a read-more link: the end of an excerpt;
    - after two or more blank lines, unless what follows plainly continues the text (a
      citation, a letter's salutation, the text a colon announced, or the body of a headline);
    - at a headline: a short one-line paragraph followed by two or more blank lines.
    Blank lines alone cannot decide: posts use double blank lines inside them too."""
    if not paragraphs:
        return []
    entries = [[paragraphs[0]]]
    for previous, paragraph in pairwise(paragraphs):
        if _starts_entry(entries[-1], previous, paragraph):
            entries.append([paragraph])
        else:
            entries[-1].append(paragraph)
    return entries


def _starts_entry(entry: list[Paragraph], previous: Paragraph, paragraph: Paragraph) -> bool:
    if is_cut(previous.last) or previous.read_more_after:
        return True
    if paragraph.gap_before >= 2 or _is_headline(paragraph):
        return not _continues(entry, previous, paragraph)
    return False


def _is_headline(paragraph: Paragraph) -> bool:
    text = paragraph.first
    return (
        len(paragraph.lines) == 1
        and len(text) <= HEADLINE_LENGTH
        and paragraph.gap_after >= 2
        and text[-1] not in ",:;"
        and not _is_citation(text)
    )


def _continues(entry: list[Paragraph], previous: Paragraph, paragraph: Paragraph) -> bool:
    return (
        (len(entry) == 1 and _is_headline(entry[0]))
        or previous.last.endswith(":")
        or _is_citation(paragraph.first)
        or (len(paragraph.first) <= SALUTATION_LENGTH and paragraph.first.endswith(","))
    )


def _is_citation(text: str) -> bool:
    """A reference under a quotation: "Ibid. , p. S15.", "Malenkov, op. cit. , pp. 113–116."."""
    return bool(CITATION.match(text))
