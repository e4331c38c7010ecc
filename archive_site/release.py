"""
What names this release of the code: RELEASE from the environment (a deploy may set the commit),
else a digest of the code and templates that render pages.

Cached pages and fragments are keyed by content generation, which no deploy moves: without the
release in their keys, a new template would show only once the content changed or the entries
expired, and nodes running two releases side by side would serve each other's renderings.
"""

import hashlib
from pathlib import Path

# What a rendering is made from; vendored or generated folders are not part of it.
SOURCES = ("archive_site", "posts", "comments", "linkbacks", "archive", "templates")
SUFFIXES = {".py", ".html", ".txt", ".xml"}


def code_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in SUFFIXES and "migrations" not in path.parts and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
