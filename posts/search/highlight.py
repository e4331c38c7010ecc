"""Marking matched words in snippets without trusting the text around them."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Private-use characters: the databases put them around matches, and as plain characters they
# need no quoting in SQL or in ts_headline's options.
START, END = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}([^{START}{END}]*){END}")


def highlight(snippet: str) -> SafeString:
    """The snippet escaped, with each marked match in <mark>; stray markers are dropped."""
    marked = _MARKED.sub(r"<mark>\1</mark>", escape(snippet))
    return mark_safe(marked.replace(START, "").replace(END, ""))
