"""The words of the search index: folded, stemmed in English and in French, and the query
and highlighted snippets made of the same words.

A text is indexed as the set of forms of each of its words: the word with its accents
folded (``reintegration``), its English stem and its French stem (``reintegr``), all
folded. A query word matches a record when its folded form is a prefix of an indexed
form, or when one of its stems is one: ``réintégrer`` finds ``réintégration`` whatever
the interface language. The index holds only these forms, made of ASCII letters and
digits, so a query built from them cannot carry the search engines' own syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Words as people write them: letters and digits, apostrophes split ("l'accord").
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: Query words past this are ignored: a query is a few words, not a document.
MAX_QUERY_WORDS = 12
#: Indexed words longer than this are no words (hashes, base64): left out.
MAX_WORD_LENGTH = 40

_ENGLISH = Stemmer.Stemmer("english")
_FRENCH = Stemmer.Stemmer("french")


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Lower case without accents: ``Réintégration`` → ``reintegration``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of ``text``, lower case, accents kept."""
    return [w.casefold() for w in _WORD.findall(text) if len(w) <= MAX_WORD_LENGTH]


@lru_cache(maxsize=100_000)
def forms(word: str) -> tuple[str, ...]:
    """The indexed forms of one lower-case word: folded, and its stems in both languages."""
    folded = fold(word)
    if not folded.isascii() or not folded.isalnum():
        folded = "".join(c for c in folded if c.isascii() and c.isalnum())
    if not folded:
        return ()
    found = {folded}
    if not folded.isdigit():
        found.add(fold(_FRENCH.stemWord(word)))
        found.add(_FRENCH.stemWord(folded))
        found.add(_ENGLISH.stemWord(folded))
    return tuple(sorted(f for f in found if f and f.isascii() and f.isalnum()))


def stems(text: str) -> str:
    """What the index stores for ``text``: the forms of its words, space-separated."""
    return " ".join(" ".join(forms(word)) for word in words(text))


@dataclass(frozen=True)
class Term:
    """One query word: its folded form (matched as a prefix) and its stems."""

    word: str
    prefix: str
    stems: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fts5(self) -> str:
        """The SQLite FTS5 expression: every word, each as prefix OR one of its stems."""
        groups = []
        for term in self.terms:
            options = [f'"{term.prefix}"*', *(f'"{s}"' for s in term.stems)]
            groups.append("(" + " OR ".join(options) + ")")
        return " AND ".join(groups)

    def tsquery(self) -> str:
        """The PostgreSQL ``to_tsquery`` expression of the same match."""
        groups = []
        for term in self.terms:
            options = [f"'{term.prefix}':*", *(f"'{s}'" for s in term.stems)]
            groups.append("(" + " | ".join(options) + ")")
        return " & ".join(groups)

    def matches(self, word: str) -> bool:
        """Whether one word of a text is a match of any query term (for highlighting)."""
        found = forms(word.casefold())
        if not found:
            return False
        folded = fold(word)
        for term in self.terms:
            if folded.startswith(term.prefix) or any(s in found for s in term.stems):
                return True
        return False


def parse_query(text: str) -> Query:
    """The query in ``text``: its first words, each with its forms; operators are words."""
    terms: list[Term] = []
    seen: set[str] = set()
    for word in words(text):
        found = forms(word)
        if not found:
            continue
        prefix = "".join(c for c in fold(word) if c.isascii() and c.isalnum())
        if not prefix or prefix in seen:
            continue
        seen.add(prefix)
        terms.append(Term(word, prefix, tuple(f for f in found if f != prefix)))
        if len(terms) == MAX_QUERY_WORDS:
            break
    return Query(tuple(terms))


@lru_cache(maxsize=50_000)
def _matches(query: Query, word: str) -> bool:
    return query.matches(word)


#: Characters of context shown around the first match, each side.
SNIPPET_CONTEXT = 90


def snippet(text: str, query: Query, *, context: int = SNIPPET_CONTEXT) -> SafeString:
    """Safe HTML: the part of ``text`` around its first match, every matching word in
    ``<mark>``. The text is escaped first, so markup in a record stays text."""
    text = " ".join(text.split())
    spans: list[tuple[int, int]] = []
    end = len(text)
    for found in _WORD.finditer(text):
        if spans and found.start() > end:
            break  # past the window: the rest is not shown
        if _matches(query, found.group()):
            if not spans:
                end = min(len(text), found.end() + context * 2)
            spans.append(found.span())
    if spans:
        start = max(0, spans[0][0] - context)
    else:
        start, end = 0, min(len(text), context * 3)
    # Whole words at both ends.
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    if end < len(text):
        space = text.rfind(" ", 0, end)
        end = space if space > (spans[0][1] if spans else start) else end
    pieces: list[str] = []
    cursor = start
    for begin, finish in spans:
        if begin < start or finish > end:
            continue
        pieces.append(escape(text[cursor:begin]))
        pieces.append(f"<mark>{escape(text[begin:finish])}</mark>")
        cursor = finish
    pieces.append(escape(text[cursor:end]))
    html = ("… " if start > 0 else "") + "".join(pieces) + (" …" if end < len(text) else "")
    return mark_safe(html)  # noqa: S308 - every piece of text above is escaped


def joined(parts: Iterable[str | None]) -> str:
    """Texts of a record as one, empty parts left out."""
    return "\n".join(p for p in parts if p)
