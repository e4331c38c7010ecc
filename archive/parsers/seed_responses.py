"""
Responses on a single post or page: numbered comments, pingbacks and trackbacks, each closed by
its attribution line ("Comment by Marthanda | October 21, 2007").
"""

from dataclasses import dataclass

from .seed_text import Attribution, Line, read_response_number


@dataclass
class ResponseDraft:
    attribution_line: Line
    attribution: Attribution
    lines: list[Line]  # the body, blank lines included, furniture left out


def find_responses(lines, attributions, metas, furniture) -> list[ResponseDraft]:
    """Each "Comment by … | date" line closes a response. Its body runs back to the previous
    response; the first one (or the first after a "Posted by" line) starts at its number."""
    responses = []
    floor = 0  # index of the first line the next response may use
    for index, line in enumerate(lines):
        if line.number not in attributions:
            continue
        metas_before = [i for i in range(floor, index) if lines[i].number in metas]
        if responses and not metas_before:
            start = floor
        else:
            start = _first_response_start(lines, max([floor, *(i + 1 for i in metas_before)]),
                                          index, furniture)
        body = [each for each in lines[start:index] if each.number not in furniture]
        responses.append(ResponseDraft(line, attributions[line.number], body))
        floor = index + 1
    return responses


def _first_response_start(lines, floor, end, furniture) -> int:
    """Where the first response in lines[floor:end] begins: at its number ("1." if there is one),
    else at the paragraph just before its attribution."""
    numbered = [
        i for i in range(floor, end)
        if lines[i].text and lines[i].number not in furniture
        and read_response_number(lines[i].text)
    ]
    first = [i for i in numbered if read_response_number(lines[i].text)[0] == 1]
    if first or numbered:
        return (first or numbered)[-1]
    start = end
    while start > floor and not lines[start - 1].text:
        start -= 1
    while start > floor and lines[start - 1].text and lines[start - 1].number not in furniture:
        start -= 1
    return start
