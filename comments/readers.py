"""
What the site knows about the reader behind a request: the comments they wrote that still wait
for a moderator.

Those comment ids live in the reader's session and nowhere else, so only that reader sees their
pending comments in place, as WordPress shows them. A page cache must pass by requests whose
session holds SESSION_KEY.
"""

SESSION_KEY = "comments_pending"
REMEMBERED = 20  # enough for any real reader; a session is not a database


def pending_ids(request) -> list[int]:
    # Reading marks the response "Vary: Cookie": the page differs for this reader.
    session = getattr(request, "session", None)
    return list(session.get(SESSION_KEY, [])) if session is not None else []


def remember_pending(request, comment) -> None:
    ids = [pk for pk in pending_ids(request) if pk != comment.pk]
    request.session[SESSION_KEY] = [*ids, comment.pk][-REMEMBERED:]
