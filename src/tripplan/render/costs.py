"""What the exchange costs, for a finance office: a terminal table, JSON, CSV and XLSX.

Costs are internal: only ``tripplan costs`` renders them; no view for hosts or delegates
and no calendar reads a :class:`~tripplan.planning.costs.CostReport`.

The JSON document (``docs/json-output.md``, "costs-1") gives every line and every day's
allowance with the rule, place, rate and deductions it came from, and the totals. The CSV
is one table of lines in the dialect a spreadsheet of the language's locale reads (see
:func:`csv_separator`): semicolon and decimal comma for ``--lang de``, comma and decimal
point for ``--lang en``; UTF-8 with a byte-order mark and CRLF line ends (RFC 4180
quoting), which Excel opens as it is.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tripplan.messages import N_, Message, msg, nmsg
from tripplan.models import Plan
from tripplan.planning.allowances import DayAllowance
from tripplan.planning.costs import UNFUNDED, CostLine, CostReport
from tripplan.render import escape
from tripplan.render.common import clean, dump_json, plain_text
from tripplan.render.i18n import decimal_sign, translate, words
from tripplan.render.marks import COSTS, COSTS_SCHEMA
from tripplan.vocabulary import Lang

if TYPE_CHECKING:
    from rich.console import Console

SCHEMA = COSTS_SCHEMA
VERSION = 1
"""The columns of the table in a file (``--format table --out FILE``): what a table sent to
a file or pipe is laid out at, whatever terminal the command runs on."""

_KINDS = {
    "leg": N_("Fares"),
    "stay": N_("Lodging"),
    "activity": N_("Programme costs"),
    "item": N_("Other costs"),
    "allowance": N_("Daily allowance"),
}
_SHARES = {
    "full": N_("full"),
    "partial": N_("partial"),
    "75%": N_("75 %"),
    "none": N_("none"),
}
_STATUS = {"planned": N_("planned"), "actual": N_("actual")}
_MEALS = {"breakfast": N_("breakfast"), "lunch": N_("lunch"), "dinner": N_("dinner")}
_COLUMNS = {
    "kind": N_("Kind"),
    "item": N_("Item"),
    "trip": N_("Trip"),
    "delegate": N_("Delegate"),
    "date": N_("Date"),
    "what": N_("What"),
    "country": N_("Country"),
    "rules": N_("Rule set"),
    "share": N_("Share"),
    "base": N_("Full amount"),
    "deductions": N_("Deductions"),
    "count": N_("Count"),
    "unit": N_("Unit amount"),
    "amount": N_("Amount"),
    "currency": N_("Currency"),
    "status": N_("Status"),
    "invented": N_("Example figure"),
    "converted": N_("Amount in {currency}"),
    "rate": N_("Exchange rate"),
    "note": N_("Note"),
    "funder": N_("Funder"),
    "total": N_("Total"),
    "unfunded": N_("Unfunded"),
    "days": N_("Days"),
    "missing": N_("No rate"),
}


def _money(value: Decimal | None, lang: Lang) -> str:
    """An amount with two decimals (more only if exact cents would lose some), with the
    language's decimal sign (babel's locale data: ``12.50`` / ``12,50``)."""
    if value is None:
        return ""
    text = f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else f"{value.normalize():f}"
    return text.replace(".", decimal_sign(lang))


def _number(value: Decimal | None) -> str | None:
    """An exact amount for JSON: a string, so no reader turns it into a float."""
    if value is None:
        return None
    return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else f"{value.normalize():f}"


def _funder_name(report: CostReport, funder: str, lang: Lang) -> str:
    if funder == UNFUNDED:
        return words(_COLUMNS["unfunded"], lang)
    return report.funder_names.get(funder, funder)


def _missing_text(day: DayAllowance, lang: Lang) -> str:
    assert day.missing is not None
    return translate(
        msg(
            "no {rules} rate for {place} ({country}) in {year} in the plan's table",
            rules=day.missing.rules,
            place=day.missing.place or day.missing.country,
            country=day.missing.country,
            year=str(day.missing.year),
        ),
        lang,
    )


def _deductions_text(day: DayAllowance, lang: Lang) -> str:
    return ", ".join(
        f"{words(_MEALS[d.meal], lang)} −{_money(d.amount, lang)}" for d in day.deductions
    )


# -- JSON ------------------------------------------------------------------------------


def _source(source: str | Message, lang: Lang) -> str:
    """Where a rate comes from: a published source as the table cites it, or a message."""
    return translate(source, lang) if isinstance(source, Message) else source


def _day_json(day: DayAllowance, lang: Lang) -> dict[str, Any]:
    """One allowance day; its rules' texts in ``lang``."""
    return {
        "delegate": day.delegate,
        "date": day.day.isoformat(),
        "trips": list(day.trips),
        "place": day.place.name,
        "community": day.place.community,
        "country": day.place.country,
        "rules": day.rules,
        "rule": translate(day.rule, lang),
        "share": day.share,
        "currency": day.currency or None,
        "base": _number(day.base) if day.missing is None else None,
        "start": _number(day.start) if day.missing is None else None,
        "deductions": [
            {"meal": d.meal, "amount": _number(d.amount), "rule": translate(d.rule, lang)}
            for d in day.deductions
        ],
        "result": _number(day.result) if day.missing is None else None,
        "source": _source(day.source, lang) or None,
        "missing": None
        if day.missing is None
        else {
            "rules": day.missing.rules,
            "country": day.missing.country,
            "place": day.missing.place or None,
            "year": day.missing.year,
        },
    }


def _line_json(line: CostLine) -> dict[str, Any]:
    return {
        "uid": line.uid,
        "kind": line.kind,
        "trip": line.trip,
        "title": line.title,
        "delegate": line.delegate,
        "date": line.day.isoformat() if line.day else None,
        "count": line.count,
        "unit": _number(line.unit),
        "amount": _number(line.amount),
        "currency": line.currency,
        "status": line.status,
        "invented": line.invented,
        "converted": _number(line.converted),
        "exchange_rate": None
        if line.rate is None
        else {
            "from": line.rate.base,
            "to": line.rate.quote,
            "rate": _number(line.rate.rate),
            "date": line.rate.date.isoformat(),
            "source": line.rate.source,
        },
        "funders": [{"funder": f or None, "amount": _number(p)} for f, p in line.funders],
    }


def _totals(totals: dict[str, Decimal]) -> dict[str, str | None]:
    return {key: _number(value) for key, value in sorted(totals.items())}


def costs_document(report: CostReport, plan: Plan, lang: Lang) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "programme": plan.programme.name,
        "language": lang.value,
        "filters": report.filters,
        "currency": report.currency,
        "invented": bool(plan.budget and plan.budget.invented),
        "funders": [{"id": key, "name": name} for key, name in sorted(report.funder_names.items())],
        "lines": [_line_json(line) for line in report.lines],
        "allowances": [_day_json(day, lang) for day in report.days],
        "totals": {
            "total": _number(report.total()),
            "by_funder": {
                (key or "unfunded"): value for key, value in _totals(report.by("funder")).items()
            },
            "by_delegate": {
                (key or "shared"): value for key, value in _totals(report.by("delegate")).items()
            },
            "by_trip": {
                (key or "none"): value for key, value in _totals(report.by("trip")).items()
            },
            "by_kind": _totals(report.by("kind")),
            "by_status": _totals(report.by("status")),
            "by_currency": _totals(report.by_currency()),
        },
        "missing_exchange_rates": [{"from": a, "to": b} for a, b in report.missing_rates],
    }


def render_costs_json(report: CostReport, plan: Plan, lang: Lang) -> str:
    return dump_json(costs_document(report, plan, lang))


# -- CSV and XLSX ----------------------------------------------------------------------


Cell = str | Decimal | int | None


_HEAD = (
    "kind", "item", "trip", "delegate", "date", "what", "country", "rules", "share", "base",
    "deductions", "count", "unit", "amount", "currency", "status", "invented",
)  # fmt: skip
"""The first columns of the table; the first four begin every CSV (:func:`report_heads`)."""


def _rows(report: CostReport, lang: Lang) -> list[list[Cell]]:
    """The table of lines (and allowance days without a line), with a column per funder."""
    funders = sorted({f for line in report.lines for f, _ in line.funders})
    head: list[Cell] = [words(_COLUMNS[key], lang) for key in _HEAD]
    head.append(translate(msg("Amount in {currency}", currency=report.currency), lang))
    head += [_funder_name(report, f, lang) for f in funders]
    head.append(words(_COLUMNS["note"], lang))
    days: dict[tuple[str, date | None], DayAllowance] = {
        (d.delegate, d.day): d for d in report.days
    }
    yes, no = words(N_("yes"), lang), ""
    rows: list[list[Cell]] = [head]
    seen: set[tuple[str, object]] = set()
    for line in report.lines:
        day = days.get((line.delegate or "", line.day)) if line.kind == "allowance" else None
        if day is not None:
            seen.add((day.delegate, day.day))
        parts = dict(line.funders)
        rows.append(
            [
                words(_KINDS[line.kind], lang),
                line.uid,
                line.trip or "",
                line.delegate or "",
                line.day.isoformat() if line.day else "",
                line.title,
                day.place.country if day else "",
                day.rules if day else "",
                words(_SHARES[day.share], lang) if day else "",
                day.base if day else None,
                _deductions_text(day, lang) if day else "",
                line.count,
                line.unit,
                line.amount,
                line.currency,
                words(_STATUS[line.status], lang),
                yes if line.invented else no,
                line.converted,
                *(parts.get(f, Decimal(0)) for f in funders),
                translate(day.rule, lang) if day else "",
            ]
        )
    for day in report.days:
        if (day.delegate, day.day) in seen:
            continue
        rows.append(
            [
                words(_KINDS["allowance"], lang),
                f"allowance/{day.delegate}/{day.day.isoformat()}",
                day.trips[0] if day.trips else "",
                day.delegate,
                day.day.isoformat(),
                day.place.name,
                day.place.country,
                day.rules,
                words(_SHARES[day.share], lang),
                None if day.missing else day.base,
                _deductions_text(day, lang),
                None,
                None,
                None if day.missing else day.result,
                day.currency,
                words(_STATUS["planned"], lang),
                no,
                None,
                *(None for _ in funders),
                _missing_text(day, lang) if day.missing else translate(day.rule, lang),
            ]
        )
    return rows


def csv_separator(lang: Lang) -> str:
    """The separator of the CSV's fields in ``lang``: ``;`` exactly when the language writes
    a decimal comma (babel's locale data), as spreadsheets of those locales expect (they read
    ``,`` as the decimal sign), else ``,``. German: ``;``, English: ``,``."""
    return ";" if decimal_sign(lang) == "," else ","


def render_costs_csv(report: CostReport, lang: Lang) -> bytes:
    """The lines as CSV: UTF-8 with BOM, CRLF; the separator of :func:`csv_separator` and
    the language's decimal sign."""
    return ("\ufeff" + _csv_text(_rows(report, lang), lang)).encode("utf-8")


def _csv_text(rows: Iterable[Iterable[Cell]], lang: Lang) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=csv_separator(lang), lineterminator="\r\n")
    writer.writerows([[_csv_cell(cell, lang) for cell in row] for row in rows])
    return out.getvalue()


def _title(lang: Lang) -> str:
    """How the title of a report's table begins: ``Costs: `` / ``Kosten: ``."""
    return words(N_("Costs"), lang) + ": "


@functools.cache
def report_heads() -> tuple[bytes, ...]:
    """How a cost report tripplan wrote begins, in every language it speaks: its CSV's
    header (the first four columns and the separator after them, as the CSV writes them)
    and its table's title. ``render.marks`` recognises a CSV or a table by them: neither
    carries a mark a reader would not see."""
    heads: list[bytes] = []
    for lang in Lang:
        lead: list[Cell] = [words(_COLUMNS[key], lang) for key in _HEAD[:4]]
        heads.append(_csv_text([[*lead, ""]], lang).removesuffix("\r\n").encode("utf-8"))
        heads.append(_title(lang).encode("utf-8"))
    return tuple(heads)


def _csv_cell(cell: Cell, lang: Lang) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return _money(cell, lang)
    return escape.spreadsheet(str(cell))


def _text_cells(rows: Iterable[tuple[Any, ...]]) -> None:
    """Every text cell of a worksheet stays text: openpyxl makes a string starting with
    ``=`` a formula, and a spreadsheet would make one starting with ``+``, ``-`` or ``@`` a
    formula once it is edited; so each is stored as a string, with Excel's quote prefix
    where it looks like a formula (shown as written, never run)."""
    for cells in rows:
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if escape.formula_like(cell.value):
                    cell.quotePrefix = True


def render_costs_xlsx(report: CostReport, plan: Plan, lang: Lang) -> bytes:
    """The lines as an Excel workbook (openpyxl): amounts as numbers with two decimals,
    the header row frozen, and a sheet of totals."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = words(N_("Costs"), lang)[:31]
    for row in _rows(report, lang):
        sheet.append([escape.inert(c) if isinstance(c, str) else c for c in row])
    _text_cells(sheet.iter_rows())
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, Decimal | float):
                cell.number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    totals = book.create_sheet(words(N_("Totals"), lang)[:31])
    totals.append(["", "", report.currency])
    for name, shown, value in _total_rows(report, lang):
        totals.append([name, shown, value])
    totals.append([words(_COLUMNS["total"], lang), "", report.total()])
    for currency, value in sorted(report.by_currency().items()):
        totals.append([words(_COLUMNS["currency"], lang), currency, value])
    _text_cells(totals.iter_rows())
    for cells in totals.iter_rows(min_row=2, min_col=3):
        for cell in cells:
            cell.number_format = "#,##0.00"
    fixed = datetime(2000, 1, 1)
    book.properties.keywords = COSTS  # how --out recognises a workbook it may replace
    book.properties.created = fixed
    book.properties.modified = fixed
    book.properties.title = _title(lang) + clean(plan.programme.name)
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    out = io.BytesIO()
    with ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        # not book.save(): it dates the workbook "modified" now, to the second, so the same
        # plan gave other bytes a second later
        ExcelWriter(book, archive).save()
    return _fixed_zip(out.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every member dated 1980-01-01: openpyxl dates them now, so the
    same plan gave a different workbook each second."""
    import zipfile

    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, source.read(info.filename))
    return fixed.getvalue()


def _total_rows(report: CostReport, lang: Lang) -> list[tuple[str, str, Decimal]]:
    """The totals in the budget's currency: per funder, delegate, trip and kind."""
    rows = []
    for key in ("funder", "delegate", "trip", "kind", "status"):
        for group, value in sorted(report.by(key).items()):
            if key == "funder":
                shown = _funder_name(report, group, lang)
            elif key == "kind":
                shown = words(_KINDS[group], lang)
            elif key == "status":
                shown = words(_STATUS[group], lang)
            elif key == "delegate" and not group:
                shown = words(N_("shared"), lang)
            else:
                shown = group or "—"
            rows.append((words(_COLUMNS[key], lang), clean(shown), value))
    return rows


# -- terminal --------------------------------------------------------------------------


@functools.cache  # babel's formatting of a skeleton, once per day and language
def _dated(day: date, lang: Lang) -> str:
    """``Do., 8. Nov. 2018`` / ``Thu, Nov 8, 2018``: a day in a table that may span years."""
    from babel.dates import format_skeleton

    return str(format_skeleton("yMMMEd", day, locale=lang))


def _cells(*texts: str) -> list[Text]:
    """Table cells as rich ``Text``, never markup: a plain ``str`` cell is parsed as rich
    markup, so a title ``[/]`` crashed the table (MarkupError) and ``[link=…]`` made a link."""
    return [Text(escape.terminal(text)) for text in texts]


def _allowances_per_day(person: str, mine: list[DayAllowance], lang: Lang) -> RenderableType:
    """One delegate's allowance day by day: date, place, share, deductions, amount."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(words(_COLUMNS["date"], lang), no_wrap=True)
    table.add_column(words(_COLUMNS["what"], lang), min_width=14)  # a place name whole
    table.add_column(words(_COLUMNS["share"], lang), no_wrap=True)
    table.add_column(words(_COLUMNS["deductions"], lang))
    table.add_column(words(_COLUMNS["amount"], lang), justify="right", no_wrap=True)
    for day in mine:
        amount = (
            f"{_money(day.result, lang)} {day.currency}"
            if day.missing is None
            else words(N_("rate missing"), lang)
        )
        share = words(_SHARES[day.share], lang)
        if day.missing is None and day.share != "none":
            share += f" ({_money(day.start, lang)})"
        table.add_row(
            *_cells(
                _dated(day.day, lang),
                f"{day.place.name} ({day.place.country})",
                share,
                _deductions_text(day, lang),
                amount,
            )
        )
    return Group(Text(f"{person} · {mine[0].rules}", style="bold"), table)


def _per_currency(amounts: Iterable[tuple[str, Decimal]], lang: Lang, sign: str = "") -> str:
    """``9,60 EUR`` (``+ 12,00 USD``): sums kept apart per currency, never converted; a
    deduction (``sign`` "−") that sums to nothing is left out."""
    sums: dict[str, Decimal] = {}
    for currency, amount in amounts:
        sums[currency] = sums.get(currency, Decimal(0)) + amount
    return " + ".join(
        f"{sign}{_money(v, lang)} {c}" for c, v in sorted(sums.items()) if v or not sign
    )


def _allowances_per_delegate(
    per_delegate: dict[str, list[DayAllowance]], lang: Lang
) -> RenderableType:
    """A row per delegate: rule set, the number of days of each share (a line each),
    deductions, amount and the days whose rate the plan's table lacks. The days
    themselves: ``--days`` or ``--delegate``."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column(words(_COLUMNS["delegate"], lang), overflow="fold")  # ids are never cut
    table.add_column(words(_COLUMNS["rules"], lang), no_wrap=True)
    table.add_column(words(_COLUMNS["days"], lang), no_wrap=True)
    table.add_column(words(_COLUMNS["deductions"], lang), justify="right", no_wrap=True)
    table.add_column(words(_COLUMNS["amount"], lang), justify="right", no_wrap=True)
    table.add_column(words(_COLUMNS["missing"], lang), justify="right")
    for person, mine in per_delegate.items():
        priced = [day for day in mine if day.missing is None]
        shares = [sum(day.share == share for day in mine) for share in _SHARES]
        days = Text(  # a line per share
            "\n".join(
                escape.terminal(f"{n} × {words(_SHARES[share], lang)}")
                for share, n in zip(_SHARES, shares, strict=True)
                if n
            )
        )
        person_cell, rules_cell, *money = _cells(
            person,
            mine[0].rules,
            _per_currency(
                ((day.currency, d.amount) for day in priced for d in day.deductions),
                lang,
                "−",
            ),
            _per_currency(((day.currency, day.result) for day in priced), lang),
            str(len(mine) - len(priced)) if len(priced) < len(mine) else "",
        )
        table.add_row(person_cell, rules_cell, days, *money)
    hint = words(N_("Each day with its place, share and deductions: --days or --delegate."), lang)
    return Group(table, Text(hint, style="dim"))


def _per_item(lines: Iterable[CostLine]) -> list[list[CostLine]]:
    """The lines of each item (not allowances) together, in the order items first appear:
    the five delegates' seats on one flight are one row of the table (each delegate's own
    line: ``--delegate``, JSON, CSV, XLSX)."""
    groups: dict[tuple[object, ...], list[CostLine]] = {}
    for line in lines:
        if line.kind != "allowance":
            key = (line.uid, line.title, line.currency, line.unit, line.status, line.invented)
            groups.setdefault(key, []).append(line)
    return list(groups.values())


def render_costs_text(
    report: CostReport, plan: Plan, lang: Lang, console: Console, *, days: bool = False
) -> str:
    """The table of :func:`render_costs_table` as text for a file
    (:func:`render.common.plain_text`)."""
    return plain_text(render_costs_table(report, plan, lang, days=days), console)


def render_costs_table(
    report: CostReport, plan: Plan, lang: Lang, *, days: bool = False
) -> RenderableType:
    """The report for a terminal. Daily allowances are summed per delegate, or with
    ``days`` shown day by day (a plan of 1,600 delegates has 30,000 allowance days)."""
    parts: list[RenderableType] = []
    title = _title(lang) + clean(plan.programme.name)
    if plan.budget and plan.budget.invented:
        title += " (" + words(N_("example figures"), lang) + ")"
    parts.append(Text(title, style="bold"))
    if not report.lines and not report.days:
        parts.append(
            Text(
                words(
                    N_(
                        "No costs and no daily allowances in this selection: add 'cost' to "
                        "legs, stays and activities, a [budget] and 'allowances' to the "
                        "delegations (docs/plan-format.md, 'Costs and allowances')."
                    ),
                    lang,
                )
            )
        )
        return Group(*parts)
    if report.days:
        parts.append(Text(words(N_("Daily allowances"), lang), style="bold underline"))
    per_delegate: dict[str, list[DayAllowance]] = {}
    for day in report.days:
        per_delegate.setdefault(day.delegate, []).append(day)
    if days:
        parts.extend(_allowances_per_day(p, mine, lang) for p, mine in per_delegate.items())
    elif per_delegate:
        parts.append(_allowances_per_delegate(per_delegate, lang))
    parts.append(Text(words(N_("Costs per item"), lang), style="bold underline"))
    items = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    items.add_column(words(_COLUMNS["item"], lang), overflow="fold")  # ids are never cut
    items.add_column(words(_COLUMNS["delegate"], lang))
    items.add_column(words(_COLUMNS["count"], lang), justify="right")
    items.add_column(words(_COLUMNS["amount"], lang), justify="right", no_wrap=True)
    items.add_column(
        translate(msg("Amount in {currency}", currency=report.currency), lang), justify="right"
    )
    for group in _per_item(report.lines):
        first = group[0]
        people = {line.delegate or "" for line in group}
        if len(people) == 1:
            who = first.delegate or ""
        else:
            who = translate(nmsg("{n} delegate", "{n} delegates", len(people)), lang)
        converted: Decimal | None = Decimal(0)
        for line in group:  # no sum where a line has no exchange rate
            converted = (
                None if converted is None or line.converted is None else converted + line.converted
            )
        mark = " *" if first.invented else ""
        items.add_row(
            *_cells(
                f"{first.title} ({first.uid})",
                who,
                str(sum(line.count for line in group)),
                f"{_money(sum((line.amount for line in group), Decimal(0)), lang)} "
                f"{first.currency}{mark}",
                _money(converted, lang),
            )
        )
    parts.append(items)
    parts.append(Text(words(N_("Totals"), lang), style="bold underline"))
    totals = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    totals.add_column("")
    totals.add_column("")
    totals.add_column(report.currency, justify="right")
    for name, shown, value in _total_rows(report, lang):
        totals.add_row(*_cells(name, shown, _money(value, lang)))
    totals.add_row(*_cells(words(_COLUMNS["total"], lang), "", _money(report.total(), lang)))
    parts.append(totals)
    currencies = report.by_currency()
    if len(currencies) > 1:
        parts.append(
            Text(
                words(N_("In their own currencies, unconverted:"), lang)
                + " "
                + ", ".join(f"{_money(v, lang)} {c}" for c, v in sorted(currencies.items()))
            )
        )
    if any(line.invented for line in report.lines):
        parts.append(Text("* " + words(N_("an example figure, not a quote or invoice"), lang)))
    for source, target in report.missing_rates:
        parts.append(
            Text(
                translate(
                    msg(
                        "no exchange rate from {source} to {target} in the plan: those lines "
                        "are not in the totals",
                        source=source,
                        target=target,
                    ),
                    lang,
                ),
                style="yellow",
            )
        )
    return Group(*parts)
