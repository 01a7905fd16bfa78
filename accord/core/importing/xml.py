"""XML read safely: entities are never expanded, nothing is fetched, and a document that
declares a DTD is refused.

The parser (libxml2 through lxml) does the refusing: with ``resolve_entities=False``,
``no_network=True`` and ``load_dtd=False`` an internal subset is read but its entities
are not expanded, an external one is not loaded, and the document's DOCTYPE is known by
the time the root element starts, where it is refused. No text is scanned by hand, so a
long comment or a processing instruction before the DOCTYPE costs what parsing it costs.
``huge_tree`` stays off: libxml2 keeps its limits on depth and on the size of one text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

from accord.core.importing.bounds import Guard
from accord.core.importing.problems import ImportRejected, Problem

DTD_REFUSED = (
    "The file declares a DTD (<!DOCTYPE ...>), which may define entities or refer to "
    "external files; the files Accord reads need neither. Nothing was imported."
)


def _refuse_doctype(element: Any) -> None:
    docinfo = element.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.system_url:
        raise ImportRejected(
            DTD_REFUSED,
            problems=[Problem(1, "DOCTYPE", "a DTD is declared", value=docinfo.doctype)],
        )


# What a file that is no XML document often is: its first bytes, and what to say.
GZIP, ZIP = b"\x1f\x8b", b"PK\x03\x04"
HTML = re.compile(
    rb"\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.I | re.S
)


def _refuse_unreadable(head: bytes) -> None:
    """Refuse, saying what it is, a file that is empty, compressed or an HTML page."""
    start = head.removeprefix(b"\xef\xbb\xbf")
    if not start.strip():
        raise ImportRejected(
            "The file is empty. Nothing was imported.",
            problems=[Problem(0, "", "an empty file")],
        )
    if start.startswith((GZIP, ZIP)):
        kind = "gzip" if start.startswith(GZIP) else "zip"
        raise ImportRejected(
            f"The file is compressed ({kind}): unpack it and import the XML file inside. "
            "Nothing was imported.",
            problems=[Problem(1, "", f"a {kind} archive, not XML")],
        )
    if HTML.match(start):
        raise ImportRejected(
            "The file is an HTML page (perhaps the error page of the site it was "
            "downloaded from), not XML. Nothing was imported.",
            problems=[Problem(1, "", "an HTML page, not XML")],
        )


def _check_start(source: IO[bytes] | str | bytes) -> None:
    if isinstance(source, bytes):
        _refuse_unreadable(source[:1024])
    elif not isinstance(source, str) and source.seekable():
        position = source.tell()
        _refuse_unreadable(source.read(1024))
        source.seek(position)


def not_xml(error: Exception) -> ImportRejected:
    line = getattr(error, "lineno", 0) or 0
    return ImportRejected(
        f"The file is not well-formed XML: {error}. Nothing was imported.",
        problems=[Problem(int(line), "", f"not well-formed XML: {error}")],
    )


def parser() -> etree.XMLParser:
    """A parser for whole (small) documents; check the result with :func:`parse`."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


def parse(source: IO[bytes] | str | bytes) -> Any:
    """Parse a whole document; refuse a DTD and malformed XML. Returns the root element."""
    _check_start(source)
    try:
        if isinstance(source, bytes):
            root = etree.fromstring(source, parser())
        else:
            root = etree.parse(source, parser()).getroot()
    except etree.XMLSyntaxError as error:
        raise not_xml(error) from error
    if root is None:
        raise ImportRejected("The file holds no XML element. Nothing was imported.")
    _refuse_doctype(root)
    return root


def _refuse_root(element: Any, roots: tuple[str, ...], explain: dict[str, str] | None) -> None:
    top = element.getroottree().getroot()
    found = etree.QName(top).localname
    if roots and found not in roots:
        message = (explain or {}).get(found) or (
            f"The file's root element is <{found}>, not <{roots[0]}>. Nothing was imported."
        )
        raise ImportRejected(
            message, problems=[Problem(top.sourceline or 1, found, f"not a <{roots[0]}> file")]
        )


def iterate(
    source: IO[bytes] | str,
    *,
    tag: str,
    guard: Guard | None = None,
    roots: tuple[str, ...] = (),
    explain: dict[str, str] | None = None,
) -> Iterator[Any]:
    """Stream the elements named ``tag`` (``{*}name`` for any namespace), each whole.

    ``roots``: the root element's names a file may have, else it is refused (with the
    message ``explain`` gives for the name found, if any). An empty file, a compressed
    one or an HTML page is refused as what it is.

    The element is cleared after the caller's turn and the elements already read are
    dropped from the tree, so memory stays flat whatever the file's size (the parent,
    e.g. ``iati-activities``, keeps its attributes). Refuses a DTD by the first element
    (or the end, when none matches) and malformed XML where it is met.
    """
    _check_start(source)
    events = etree.iterparse(
        source,
        events=("end",),
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    first = True
    try:
        for _event, element in events:
            if first:
                _refuse_doctype(element)
                _refuse_root(element, roots, explain)
                first = False
            if guard is not None:
                guard.row(element.sourceline or 0)
            yield element
            element.clear(keep_tail=True)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        raise not_xml(error) from error
    top = getattr(events, "root", None)
    if top is None:
        raise ImportRejected("The file holds no XML element. Nothing was imported.")
    if first:
        _refuse_doctype(top)
        _refuse_root(top, roots, explain)
