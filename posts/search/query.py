"""
The query syntax readers type, as PostgreSQL's `websearch_to_tsquery` reads it: words must all
appear, "quoted phrases" appear as written, -word excludes, and OR offers alternatives (binding
more loosely than the implied AND, so `a b OR c` means `(a AND b) OR c`).

PostgreSQL parses the text itself. SQLite's FTS5 has its own syntax, in which a stray quote or
a bare `NOT` is an error; `to_fts5` rebuilds the query from quoted strings only, so no input can
become an FTS5 syntax error.
"""

import re
import unicodedata
from dataclasses import dataclass

# An optional minus, then a quoted phrase (closed or not) or a run of other characters.
_TOKEN = re.compile(r'(?P<minus>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


@dataclass(frozen=True)
class Term:
    text: str
    excluded: bool


def _has_word(text: str) -> bool:
    """Whether the tokenizer finds a word in `text` (letters, digits, marks: see migration 0003)."""
    return any(unicodedata.category(ch)[0] in "LNM" or unicodedata.category(ch) == "Co"
               for ch in text)


def parse(text: str) -> list[list[Term]]:
    """The query as alternatives (split at OR), each a list of terms that must all hold."""
    alternatives, current = [], []
    tokens = list(_TOKEN.finditer(text))
    for position, match in enumerate(tokens):
        word = match["word"]
        # OR between two terms is the operator; first, last or doubled, it is a word.
        if (word is not None and word.lower() == "or" and not match["minus"] and current
                and position + 1 < len(tokens)):
            alternatives.append(current)
            current = []
            continue
        term = match["phrase"] if word is None else word
        if _has_word(term):
            current.append(Term(term, excluded=bool(match["minus"])))
    alternatives.append(current)
    # An alternative made only of exclusions would match nearly everything; FTS5 cannot say it,
    # and it is never what a reader means.
    return [terms for terms in alternatives if any(not t.excluded for t in terms)]


def is_searchable(text: str) -> bool:
    return bool(parse(text))


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def to_fts5(text: str) -> str:
    """The same query in FTS5 syntax; empty when there is nothing to look for."""
    clauses = []
    for terms in parse(text):
        required = " AND ".join(_quoted(t.text) for t in terms if not t.excluded)
        excluded = "".join(f" NOT {_quoted(t.text)}" for t in terms if t.excluded)
        clauses.append(f"(({required}){excluded})")
    return " OR ".join(clauses)
