"""
The WordPress.com page furniture a seed capture may contain: the lines the parser is allowed to drop.

A line is furniture only if one of these patterns matches the whole line (spaces, non-breaking
ones included, collapsed to one). Anything else is kept, even when it looks like clutter: losing
a sentence of an archived post is worse than showing a stray "Follow" button. Each pattern carries
examples taken from real captures; the tests check that every example matches.
"""

import re
from dataclasses import dataclass

from .seed_text import same_text

# What a match tells the parser beyond "drop this line".
COMMENT_FORM = "comment-form"  # only a single post or page has a comment form
READ_MORE = "read-more"  # a front-page excerpt was cut here


@dataclass(frozen=True)
class Furniture:
    name: str
    pattern: re.Pattern
    examples: tuple[str, ...]
    role: str | None = None


def _furniture(name, pattern, *examples, role=None):
    return Furniture(name, re.compile(pattern), examples, role)


FURNITURE = (
    _furniture("reply heading", r"Leave a Reply(?: to .+)? Cancel reply|Leave a Reply",
               "Leave a Reply", "Leave a Reply Cancel reply",
               "Leave a Reply to Marthanda Cancel reply", role=COMMENT_FORM),
    _furniture(
        "login prompt",
        r"Fill in your details below or click an icon to log in:(?: (?:WordPress\.com )?Logo)?",
        "Fill in your details below or click an icon to log in:",
        "Fill in your details below or click an icon to log in: Logo",
        role=COMMENT_FORM,
    ),
    _furniture(
        "login account",
        r"You are commenting using your (?:[\w.+]+ )?account\. \(? ?Log Out / Change \)",
        "You are commenting using your WordPress.com account. Log Out / Change )",
        "You are commenting using your account. Log Out / Change )",
        "You are commenting using your Google+ account. ( Log Out / Change )",
        role=COMMENT_FORM,
    ),
    _furniture(
        "login service icon",
        r"WordPress\.com Logo|Google\+? photo|Twitter picture|Facebook photo",
        "WordPress.com Logo", "Google photo", "Google+ photo", "Twitter picture",
        "Facebook photo",
        role=COMMENT_FORM,
    ),
    _furniture("login script", r"Connecting to %s", "Connecting to %s", role=COMMENT_FORM),
    _furniture("cancel reply", r"Cancel reply", "Cancel reply", role=COMMENT_FORM),
    _furniture("post comment button", r"Post Comment", "Post Comment", role=COMMENT_FORM),
    _furniture(
        "comment form field",
        r"Email \(required\) \(Address never made public\)|Name \(required\)",
        "Email (required) (Address never made public)", "Name (required)",
        role=COMMENT_FORM,
    ),
    _furniture(
        "notify checkbox",
        r"Notify me of (?:new comments|follow-up comments|new posts) (?:via|by) email\.",
        "Notify me of new comments via email.", "Notify me of new posts via email.",
        role=COMMENT_FORM,
    ),
    _furniture("likes script", r"%d bloggers like this:", "%d bloggers like this:"),
    _furniture(
        "like and share buttons",
        r"Like this:|Like Loading\.\.\.|Loading\.\.\.|Share this:|Be the first to like this\.",
        "Like this:", "Like Loading...", "Loading...", "Share this:",
        "Be the first to like this.",
    ),
    _furniture(
        "comment count",
        r"(?:No|One|[0-9]+) (?:Comments?|Responses?)(?: to “.*”)?(?: »)?|No Comments Yet"
        r"|Leave a comment(?: »)?",
        "4 Responses to “On Stalin”", "No Comments Yet", "3 Comments »", "Leave a comment",
    ),
    _furniture(
        "comment feed links",
        r"RSS feed for comments on this post\.?|TrackBack URI",
        "RSS feed for comments on this post.", "TrackBack URI",
    ),
    _furniture(
        "read more link",
        r"Continue reading(?: .*)? ?[→»›]|Continue reading|\(more…\)|Read more(?: ?[→»…])?"
        r"|Read the rest of this entry »",
        "Continue reading →", "Continue reading “A winter ride” →", "(more…)", "Read more",
        "Read more »", "Read the rest of this entry »",
        role=READ_MORE,
    ),
    _furniture(
        "page navigation",
        r"« Older Entries|Newer Entries »|« Previous Entries|Next Entries »|← Older posts"
        r"|Newer posts →|Older posts|Newer posts",
        "« Older Entries", "Newer Entries »", "← Older posts", "Newer posts →",
    ),
    _furniture(
        "site credit",
        r"(?:Blog at|Create a free website or blog at|Website Powered by) WordPress\.com\."
        r"(?: .*Theme\.)?|Entries \(RSS\) and Comments \(RSS\)\.",
        "Blog at WordPress.com.", "Create a free website or blog at WordPress.com.",
        "Blog at WordPress.com. The Regulus Theme.", "Entries (RSS) and Comments (RSS).",
    ),
    _furniture(
        "cookie banner",
        r"Privacy & Cookies: This site uses cookies\..*"
        r"|To find out more, including how to control cookies, see here: Cookie Policy",
        "Privacy & Cookies: This site uses cookies. By continuing to use this website, "
        "you agree to their use.",
        "To find out more, including how to control cookies, see here: Cookie Policy",
    ),
)


def match_furniture(line: str) -> Furniture | None:
    text = same_text(line)
    for item in FURNITURE:
        if item.pattern.fullmatch(text):
            return item
    return None
