"""An activity's money: budgets and transactions read through IATI's Currency and
TransactionType codelists, and the fundings they make."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from accord.commitments.iati_values import (
    FUNDING_TRANSACTIONS,
    V1_TRANSACTION_TYPES,
    ActivityReader,
    _text,
    amount,
    date,
    narratives,
)
from accord.commitments.records import FundingLine
from accord.core.codelists import codelist


def _currency(reader: ActivityReader, element: Any, text: str, default: str) -> str:
    currency = _text(text).upper() or default
    if not currency:
        reader.warn(
            element, "value/@currency", "", "an amount without a currency", "amount left out"
        )
        return ""
    if currency not in codelist("Currency"):
        reader.warn(
            element,
            "value/@currency",
            currency,
            "not a code of IATI's Currency codelist",
            "amount left out of the funding; kept as text",
        )
        return ""
    return currency


# 1,000.50: commas grouping thousands, readable; 1.000,50 or 2,5: a decimal comma, which
# may as well be a thousands point (2,500 or 2.500?), so the amount is not guessed.
GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
DECIMAL_COMMA = re.compile(r"[+-]?\d+(?:\.\d{3})*,\d+")


def _value(reader: ActivityReader, value: Any, name: str, where: str) -> Decimal | None:
    """A ``<value>``'s amount: None (with a warning) when written with a decimal comma;
    one that is no number refuses the file."""
    text = _text(value.text if value is not None else None)
    if GROUPED.fullmatch(text):
        read = Decimal(text.replace(",", ""))
        reader.warn(
            value, name, text, "an amount written with thousands separators", f"read as {read}"
        )
        return read
    if DECIMAL_COMMA.fullmatch(text):
        reader.warn(
            value,
            name,
            text,
            "an amount written with a decimal comma",
            "left out: the comma may mark thousands or decimals",
        )
        return None
    return amount(text, where)


def _money(
    reader: ActivityReader,
    budget_elements: list[Any],
    transaction_elements: list[Any],
    default_currency: str,
    default_lang: str,
    where: str,
    within: Any,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    if default_currency and default_currency not in codelist("Currency"):
        reader.warn(
            reader.activity,
            "@default-currency",
            default_currency,
            "not a code of IATI's Currency codelist",
            "amounts without their own currency left out",
        )
        default_currency = ""
    budgets = []
    for element in budget_elements:
        value = element.find("value")
        if value is None:
            continue
        read = _value(reader, value, "budget/value", f"{where}, budget")
        if read is None:
            continue
        start = element.find("period-start")
        end = element.find("period-end")
        start_on = date(start.get("iso-date") if start is not None else None, f"{where}, budget")
        end_on = date(end.get("iso-date") if end is not None else None, f"{where}, budget")
        within(start, "budget/period-start", start_on)
        budget = {
            "start": start_on.isoformat() if start_on else "",
            "end": end_on.isoformat() if end_on else "",
            "amount": str(read),
            "currency": _currency(reader, value, value.get("currency") or "", default_currency),
            "value_date": _text(value.get("value-date"))[:10],
        }
        if _text(element.get("type")) == REVISED:  # 1, original, is IATI's default
            budget["type"] = REVISED
        budgets.append(budget)
    transactions = []
    for element in transaction_elements:
        value = element.find("value")
        read = _value(reader, value, "transaction/value", f"{where}, transaction")
        if read is None:
            continue
        kind_element = element.find("transaction-type")
        kind = _text(kind_element.get("code")) if kind_element is not None else ""
        if reader.v1:
            kind = V1_TRANSACTION_TYPES.get(kind.upper(), kind)
        reader.check_code(kind_element, "transaction-type/@code", "TransactionType", kind)
        when = element.find("transaction-date")
        on = date(when.get("iso-date") if when is not None else None, f"{where}, transaction")
        within(when, "transaction-date/@iso-date", on)
        provider = element.find("provider-org")
        receiver = element.find("receiver-org")
        transactions.append(
            {
                "type": kind,
                "date": on.isoformat() if on else "",
                "amount": str(read),
                "currency": _currency(
                    reader,
                    value,
                    value.get("currency") or "" if value is not None else "",
                    default_currency,
                ),
                "provider": _org_name(provider, default_lang),
                "receiver": _org_name(receiver, default_lang),
                "provider_ref": _text(provider.get("ref")) if provider is not None else "",
                "receiver_ref": _text(receiver.get("ref")) if receiver is not None else "",
            }
        )
    return budgets, transactions


INCOMING = {"1", "11"}  # incoming funds, incoming commitment
REVISED = "2"  # IATI BudgetType: 1 original, 2 revised


def _current(budgets: list[dict[str, str]]) -> list[dict[str, str]]:
    """The budgets that count: a revised budget replaces the original of its period."""
    revised = {(b["start"], b["end"]) for b in budgets if b.get("type") == REVISED}
    return [b for b in budgets if b.get("type") == REVISED or (b["start"], b["end"]) not in revised]


def _org_name(element: Any, default_lang: str) -> str:
    """A transaction's provider or receiver by name, in the activity's language first;
    many publishers name them only by ``ref`` (kept beside it)."""
    names = narratives(element, default_lang)
    return names.get(default_lang) or next(iter(names.values()), "")


def _fundings(
    reader: ActivityReader,
    budgets: list[dict[str, str]],
    transactions: list[dict[str, str]],
    participating: list[dict[str, str]],
    where: str,
) -> list[FundingLine]:
    """Budgets summed per currency (else incoming funds and commitments, else
    disbursements), with the funders the activity names (a known one by its acronym)."""
    funders = [
        {"name": o["name"], "ref": o["ref"]}
        for o in participating
        if o["role"] == "funding" and (o["name"] or o["ref"])
    ]
    if not funders:  # many publishers name the funder only as the provider of funds
        funders = [
            {"name": t["provider"], "ref": t.get("provider_ref", "")}
            for t in transactions
            if t["type"] in INCOMING and (t["provider"] or t.get("provider_ref"))
        ][:1]
    known = [reader.match(o["name"], o["ref"]) for o in funders]
    if len(funders) == 1 and known[0]:
        funder = known[0]
    else:
        funder = ", ".join(o["name"] or o["ref"] for o in funders)[:255]
    sources = _current(budgets)
    for kinds in FUNDING_TRANSACTIONS:
        if sources:
            break
        sources = [t for t in transactions if t["type"] in kinds]
    lines: dict[str, FundingLine] = {}
    for item in sources:
        currency = item["currency"]
        if not currency:
            continue
        value_date = date(
            item.get("value_date") or item.get("date") or None, f"{where}, value-date"
        )
        line = lines.get(currency)
        if line is None:
            lines[currency] = FundingLine(Decimal(item["amount"]), currency, funder, value_date)
        else:
            line.amount = (line.amount or Decimal(0)) + Decimal(item["amount"])
            if value_date and (line.value_date is None or value_date < line.value_date):
                line.value_date = value_date
    return list(lines.values())
