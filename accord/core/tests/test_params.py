"""The one reading of numbers, years and dates from text: ASCII digits, bounded, named."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.core.errors import Invalid
from accord.core.params import (
    MAX_INTEGER,
    parse_date,
    parse_int,
    parse_year,
    query_date,
    query_int,
    query_year,
    whole_number,
)


@pytest.mark.parametrize(
    "text", ["²", "som", "1.5", "\uff11\uff12", "", "-", "1e3", "0x10", "1_000"]
)
def test_only_ascii_whole_numbers_are_numbers(text):
    assert whole_number(text) is None
    with pytest.raises(Invalid, match="limit"):
        parse_int(text, name="limit")


def test_whole_numbers_are_bounded():
    assert whole_number(" 42 ") == 42
    assert whole_number(str(MAX_INTEGER)) == MAX_INTEGER
    assert whole_number(str(MAX_INTEGER + 1)) is None
    assert whole_number("9" * 5000) is None  # refused before int() reads it
    with pytest.raises(Invalid, match=r"offset: 99999999999999999999 is out of range"):
        parse_int("99999999999999999999", name="offset", minimum=0)


@pytest.mark.parametrize("text", ["-1", "0", "10000", "99999", "²"])
def test_years_are_those_a_date_can_hold(text):
    with pytest.raises(Invalid) as refused:
        parse_year(text)
    assert refused.value.details == {"year": [refused.value.message]}
    assert refused.value.message.startswith("year: ")


def test_years_and_dates_read():
    assert parse_year("2016") == 2016
    assert parse_date("2016-02-16", name="on") == dt.date(2016, 2, 16)
    for text in (
        "2016-02-30",
        "99999-01-01",
        "2016-2-1",
        "\uff12\uff10\uff11\uff16-02-16",
        "20160216",
    ):
        with pytest.raises(Invalid, match=r"on: .* is not a date"):
            parse_date(text, name="on")


def test_query_parameters_absent_or_empty_are_none():
    query = {"year": "", "due": "2020-01-31", "page": "3"}
    assert query_year(query) is None
    assert query_year({}) is None
    assert query_date(query, "due") == dt.date(2020, 1, 31)
    assert query_int(query, "page", minimum=1) == 3
    with pytest.raises(Invalid, match="page"):
        query_int({"page": "0"}, "page", minimum=1)
