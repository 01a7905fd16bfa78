"""The words of the index: both languages' forms, prefixes, and escaped snippets."""

from __future__ import annotations

from accord.search.text import forms, parse_query, snippet, stems


def test_a_french_verb_and_its_noun_share_a_form() -> None:
    assert set(forms("réintégrer")) & set(forms("réintégration"))
    assert "reintegr" in stems("La réintégration durable").split()


def test_accents_fold_and_english_stems_meet() -> None:
    assert "reintegration" in forms("Réintégration")
    assert set(forms("agencies")) & set(forms("agency"))


def test_a_query_is_made_of_words_only() -> None:
    query = parse_query('retour" OR NEAR(x) * -- ;')
    # Quotes, parentheses and operators carry nothing into the engine's syntax.
    assert '"retour"*' in query.fts5()
    assert all(c.isalnum() for term in query.terms for c in term.prefix)
    assert not parse_query("  ,;*  ")


def test_prefixes_match_and_snippets_escape_the_text() -> None:
    query = parse_query("réintég")
    html = str(snippet("<script>alert(1)</script> la réintégration des migrants", query))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>réintégration</mark>" in html
