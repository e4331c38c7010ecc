"""Read a WordPress export (WXR 1.0, 1.1 or 1.2) as a stream of plain records.

iter_wxr(source) yields, in this order:

- one WxrSite, as soon as the channel header (title, links, wp:wxr_version) is read;
- then each WxrAuthor, WxrTerm and WxrItem in document order. WordPress writes
  authors, then categories, tags and terms, then items, but nothing here relies on it.

Each record's element is cleared once read, so memory follows the largest
item, not the file: a 500 MB export streams in a few MB.

Nothing written on error. A bad file raises WxrError, and because the file is
streamed, the error can come after earlier records were yielded. So:

- a service that writes as it reads does so inside one transaction.atomic(),
  and the WxrError rolls every write back;
- a service with effects outside the database (fetching attachments, sending
  pingbacks) or a --dry-run first calls validate_wxr(source), which reads the
  whole file without keeping anything and raises the same WxrError iter_wxr
  would. Then it streams iter_wxr again to write.

parse_wxr(source) keeps everything in one WxrExport, for small files and tests.

Refused (WxrError): XML that is not well-formed, any DOCTYPE (WordPress never
writes one, and DTD entities are how XML bombs and external-entity reads get
in), a missing or unknown wp:wxr_version, and ids or dates that are not numbers
or WordPress dates. The version must come before the first author, term or item,
as it does in every WordPress export.
"""

import os
from collections import deque
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from .wxr_elements import (
    InvalidValue,
    WxrNamespaces,
    detect_namespaces,
    header_field,
    record_reader,
    text_of,
)
from .wxr_records import (
    WORDPRESS_DATE_FORMAT,
    WXR_VERSIONS,
    WxrAuthor,
    WxrComment,
    WxrError,
    WxrExport,
    WxrItem,
    WxrSite,
    WxrTerm,
    parse_wordpress_date,
)

__all__ = [
    "WORDPRESS_DATE_FORMAT",
    "WxrAuthor",
    "WxrComment",
    "WxrError",
    "WxrExport",
    "WxrItem",
    "WxrNamespaces",
    "WxrSite",
    "WxrTerm",
    "detect_namespaces",
    "iter_wxr",
    "parse_wordpress_date",
    "parse_wxr",
    "validate_wxr",
]

WxrRecord = WxrSite | WxrAuthor | WxrTerm | WxrItem
Source = str | os.PathLike | BinaryIO

ENTITIES_REFUSED = "refusing this file: it declares entities (an XML bomb or an external entity?)"

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,  # keep libxml2's limits on depth and text size
    "load_dtd": False,
}


def iter_wxr(source: Source) -> Iterator[WxrRecord]:
    """Yield the site, then each author, term and item of an export; see the module doc."""
    name = _source_name(source)
    header: dict[str, tuple[str, int]] = {}
    site = None
    line = 1
    for namespaces, element in _channel_children(source, name):
        line = element.sourceline
        read = record_reader(element.tag, namespaces)
        if read is None:
            if site is None and (field := header_field(element.tag, namespaces)):
                header.setdefault(field, (text_of(element), line))
            continue
        if site is None:
            site = _site(header, name, line)
            yield site
        try:
            record = read(element, namespaces)
        except InvalidValue as error:
            raise WxrError(name, error.line, error.message) from None
        yield record
    if site is None:
        yield _site(header, name, line)


def validate_wxr(source: Source) -> WxrSite:
    """Read a whole export without keeping it: raise WxrError if iter_wxr would.

    A file object must be rewound before it is read again.
    """
    records = iter_wxr(source)
    site = next(records)
    deque(records, maxlen=0)
    return site


def parse_wxr(source: Source) -> WxrExport:
    """Read a whole export into memory; for small files."""
    records = iter_wxr(source)
    site = next(records)
    authors, terms, items = [], [], []
    kinds = {WxrAuthor: authors, WxrTerm: terms, WxrItem: items}
    for record in records:
        kinds[type(record)].append(record)
    return WxrExport(site=site, authors=tuple(authors), terms=tuple(terms), items=tuple(items))


def _channel_children(source: Source, name: str) -> Iterator[tuple[WxrNamespaces, etree._Element]]:
    """Yield each child of <rss><channel> once it is read whole, then forget it."""
    if isinstance(source, os.PathLike):
        source = os.fspath(source)
    events = etree.iterparse(source, events=("start", "end"), **_PARSER_OPTIONS)
    depth = 0
    channel = namespaces = None
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    _refuse_doctype(element, name)
                elif depth == 2 and element.tag == "channel" and channel is None:
                    channel, namespaces = element, detect_namespaces(element.nsmap)
                continue
            depth -= 1
            if depth == 2 and element.getparent() is channel:
                yield namespaces, element
                _forget(element)
            elif depth == 1:
                element.clear()
    except etree.XMLSyntaxError as error:
        problem = _first_real_error(events.error_log)
        # An IRI namespace alone makes lxml raise only after the whole document
        # was read (depth back to 0); then there is nothing wrong to report.
        if problem is not None or depth != 0:
            raise _syntax_error(name, error, problem) from None


def _forget(element: etree._Element) -> None:
    """Free a channel child and the siblings before it (XML comments, whitespace)."""
    element.clear()
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]


def _refuse_doctype(root: etree._Element, name: str) -> None:
    docinfo = root.getroottree().docinfo
    if not docinfo.doctype:
        return
    dtd = docinfo.internalDTD
    if dtd is not None and dtd.entities():
        raise WxrError(name, root.sourceline, ENTITIES_REFUSED)
    raise WxrError(name, root.sourceline,
                   "refusing this file: it has a DOCTYPE, which WordPress exports never have")


def _first_real_error(log: etree._ListErrorLog) -> etree._LogEntry | None:
    """The first error in the parser's log, leaving out IRI namespace URIs.

    libxml2 files a namespace URI with non-ASCII characters (http://ëxämplë.com/,
    in namespace-edge-cases.xml) under warnings (WAR_NS_URI) but raises its level
    to an error. It breaks no well-formedness rule, so it does not count.
    """
    for entry in log:
        if entry.level >= etree.ErrorLevels.ERROR and entry.type != etree.ErrorTypes.WAR_NS_URI:
            return entry
    return None


def _syntax_error(name: str, error: etree.XMLSyntaxError, problem: etree._LogEntry | None) -> WxrError:
    # The parser's own log names the first problem; the exception itself can
    # describe a later symptom ("no element found" after an undefined entity).
    if problem is None:
        return WxrError(name, error.lineno, error.msg)
    # libxml2 2.14 stops an entity bomb at its first reference, which can come before
    # lxml reports the root element whose DOCTYPE _refuse_doctype would have refused.
    if "entity amplification" in problem.message:
        return WxrError(name, problem.line, ENTITIES_REFUSED)
    return WxrError(name, problem.line, f"not well-formed XML: {problem.message}")


def _site(header: dict[str, tuple[str, int]], name: str, line: int) -> WxrSite:
    """The site header, once its wp:wxr_version is known to be one we read."""
    version, version_line = header.get("wxr_version", ("", line))
    if version.strip() not in WXR_VERSIONS:
        found = f"is {version!r}" if "wxr_version" in header else "is missing"
        raise WxrError(
            name, version_line, f"no valid WXR version: wp:wxr_version {found}, not 1.0, 1.1 or 1.2"
        )
    fields = {field: text for field, (text, _line) in header.items()}
    return WxrSite(
        title=fields.get("title", ""),
        link=fields.get("link", ""),
        description=fields.get("description", ""),
        language=fields.get("language", ""),
        base_site_url=fields.get("base_site_url", ""),
        base_blog_url=fields.get("base_blog_url", ""),
        wxr_version=version.strip(),
    )


def _source_name(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))
