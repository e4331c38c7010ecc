"""
Properties of the seed-capture parser over random text and damaged seeds: it raises nothing but
CaptureError, and whatever it returns accounts for every line exactly once.
"""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.parsers.furniture import match_furniture
from archive.parsers.seed import CaptureError, parse_capture, unaccounted_lines
from archive.parsers.seed_markdown import body_lines, body_markdown, escape_line, unescape_line
from archive.parsers.seed_text import same_text

from . import as_read, rendered_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_LINES = [path.read_text("utf-8").split("\n") for path in sorted(SEEDS.glob("*.txt"))]

fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text a capture might hold: no control characters, but every script, Markdown's punctuation,
# and the bits of WordPress page furniture and metadata the parser looks for.
printable = st.characters(blacklist_categories=("Cc", "Cs"))
fragments = st.sampled_from([
    "\\", "`", "*", "_", "{", "}", "[", "]", "#", "+", "-", ".", "!", "|", "<", ">", "&", ":",
    "=", "~", "•", "…", "“", "’", "\u00a0", "1. ", "2. ", "- ", "> ", "    ", "```", "~~~",
    "---", "&amp;", "<b>", "[^1]", "{: .x}", "Ibid. , p. 5.", "Dear Sir,", "op. cit.",
    "Leave a Reply", "Connecting to %s", "Continue reading →", "Comment by Ann | May 2, 2014",
    "Pingback by A » B | June 1, 2009", "October 21, 2007 - Posted by | a, b",
    "Posted in Garden, Notes", "परिसर",
])
line_text = st.lists(st.one_of(fragments, st.text(printable, max_size=8)), max_size=8).map("".join)
capture_text = st.lists(line_text, min_size=1, max_size=30).map("\n".join)


def parses_and_conserves(text: str) -> None:
    try:
        document = parse_capture(text, source="random.txt")
    except CaptureError as error:
        assert error.source == "random.txt"
        return
    assert unaccounted_lines(text, document) == []
    assert document.entries
    document.to_json()


@fast
@given(st.text())
def test_any_text_raises_only_capture_error_and_conserves_lines(text):
    parses_and_conserves(text)


@fast
@given(capture_text)
def test_capture_like_text_raises_only_capture_error_and_conserves_lines(text):
    parses_and_conserves(text)


@fast
@given(st.lists(st.text(st.characters(whitelist_categories=("L", "N", "Zs")), min_size=1,
                        max_size=40).map(str.strip).filter(bool), min_size=1, max_size=20)
       # Furniture alone ("Google photo") is no capture at all: that has its own test.
       .filter(lambda lines: not all(match_furniture(line) for line in lines)))
def test_prose_always_parses(lines):
    text = "\n\n".join(lines)
    document = parse_capture(text, source="prose.txt")
    assert unaccounted_lines(text, document) == []


# Damaged seeds -----------------------------------------------------------------------------------

@st.composite
def damaged_seed(draw):
    lines = list(draw(st.sampled_from(SEED_LINES)))
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        damage = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "splice",
                                       "truncate"]))
        if damage == "delete":
            del lines[at]
        elif damage == "duplicate":
            lines.insert(at, lines[at])
        elif damage == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif damage == "insert":
            lines.insert(at, draw(st.one_of(line_text, st.text())))
        elif damage == "splice":
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:column] + draw(st.text(max_size=5)) + lines[at][column:]
        else:
            lines = lines[:at]
    return "\n".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_seed())
def test_damaged_seeds_raise_only_capture_error_and_conserve_lines(text):
    parses_and_conserves(text)


# Markdown ----------------------------------------------------------------------------------------

stripped_line = line_text.map(str.strip).filter(bool)


@fast
@given(stripped_line)
def test_escaping_is_undone_exactly(text):
    assert unescape_line(escape_line(text)) == text


@fast
@given(st.lists(st.lists(stripped_line, min_size=1, max_size=4), min_size=1, max_size=4))
def test_bodies_render_as_the_text_they_were_made_from(paragraphs):
    body = body_markdown(paragraphs)
    lines = [line for paragraph in paragraphs for line in paragraph]
    # Whitespace may change ("•\u00a0x" becomes "- x"), the text may not.
    assert [same_text(line) for line in body_lines(body)] == [same_text(line) for line in lines]
    assert rendered_text(body) == as_read(lines)
