"""An activity's money: budgets and transactions read through IATI's Currency and
TransactionType codelists, and the fundings they make."""

from __future__ import annotations

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
        start = element.find("period-start")
        end = element.find("period-end")
        start_on = date(start.get("iso-date") if start is not None else None, f"{where}, budget")
        end_on = date(end.get("iso-date") if end is not None else None, f"{where}, budget")
        within(start, "budget/period-start", start_on)
        budgets.append(
            {
                "start": start_on.isoformat() if start_on else "",
                "end": end_on.isoformat() if end_on else "",
                "amount": str(amount(value.text, f"{where}, budget")),
                "currency": _currency(reader, value, value.get("currency") or "", default_currency),
                "value_date": _text(value.get("value-date"))[:10],
            }
        )
    transactions = []
    for element in transaction_elements:
        value = element.find("value")
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
                "amount": str(
                    amount(value.text if value is not None else None, f"{where}, transaction")
                ),
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
    sources = budgets
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
