"""Engine results as plain JSON data, shared by simulations (SIM-2), saved simulations,
the comparison of two of them (SIM-3) and the breakdown stored on each payment (PAY-12).

One function shapes a nominee's payment, so what a simulation shows and what a payment
run records are the same data; money is written as strings with two decimals.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from config.skip_reasons import skip_reason_text

from .engine import DeductionLine, NomineePayment

ZERO = Decimal("0.00")


def _m(value: Decimal) -> str:
    """Money as text with two decimals (``f"{value:.2f}"``). A Decimal that has exactly two
    (the engine's amounts) prints so already, and ``str`` is three times faster than
    formatting: its text is used when it ends in ".dd" (only plain notation with two
    decimals does; scientific notation ends in an exponent)."""
    text = str(value)
    return text if text[-3:-2] == "." else f"{value:.2f}"


def payment_dict(payment: NomineePayment) -> dict:
    """One nominee's payment for one period as api.md's simulation shows it (plus more)."""
    return {
        "period_start": payment.period.start.isoformat(),
        "period_end": payment.period.end.isoformat(),
        "effective_date": payment.period.effective_date.isoformat(),
        "nominee": payment.nominee_id,
        "gross": _m(payment.gross),
        "tax": _m(payment.tax),
        "net": _m(payment.net),
        "net_before_deductions": _m(payment.net_before_deductions),
        "deductible_base": _m(payment.deductible_base),
        "total_deductible": _m(payment.total_deductible),
        "total_deducted": _m(payment.total_deducted),
        "components": [
            {
                "component": line.component_id,
                "name": line.name,
                "amount": _m(line.amount),
                "tax": _m(line.tax),
                "net_before_deductions": _m(line.net),
                "deducted": _m(line.deducted),
                "net": _m(line.net_after_deductions),
                "deductible": line.deductible,
            }
            for line in payment.components
        ],
        "deductions": [line_dict(line) for line in payment.deductions],
    }


def line_dict(line) -> dict:
    """A deduction line; a skipped line whose check compared two amounts also names them
    (``needed_amount``, ``limit_amount``; absent on every other line, so processed lines
    read as before)."""
    result = {
        "deduction": line.deduction_id,
        "name": line.name,
        "category": str(line.category),
        "priority": line.priority,
        "component": line.component_id,
        "status": str(line.status),
        "amount": _m(line.amount),
        "requested_amount": _m(line.requested_amount),
        "reason": None if line.reason is None else str(line.reason),
        "balance_after": _m(line.balance_after),
    }
    if line.needed_amount is not None and line.limit_amount is not None:
        result["needed_amount"] = _m(line.needed_amount)
        result["limit_amount"] = _m(line.limit_amount)
    return result


# Keys of ``payment_dict`` that a Payment row holds in columns: not repeated in ``details``.
COLUMN_KEYS = ("period_start", "period_end", "effective_date", "nominee", "gross", "tax", "net")


def stored_details(payment: dict) -> dict:
    """What a benefit Payment keeps in its ``details`` (the rest are its columns)."""
    return {key: value for key, value in payment.items() if key not in COLUMN_KEYS}


# --- the same as JSON text, for payment runs ----------------------------------------------
#
# A payment run stores ``stored_details(payment_dict(p))`` of every payment as JSON. Built
# as dicts and then encoded, that cost the worker ~0.04 ms per case (docs/performance.md);
# these functions write the same JSON text directly from the engine's results, without
# the dicts. tests/payments/test_details_json.py checks that they decode to exactly
# ``stored_details(payment_dict(p))`` and ``line_dict(line)``.


class JSONText(str):
    """A value already serialised as JSON: ``bulk.rows_insert`` writes it as it is."""

    __slots__ = ()


_encode_string = json.encoder.encode_basestring  # the C function where available
# Names and codes repeat in every chunk (deduction types, component types, statuses).
_STRINGS: dict[str, str] = {}

_COMPONENT = (
    '{"component":%d,"name":%s,"amount":"%s","tax":"%s","net_before_deductions":"%s",'
    '"deducted":"%s","net":"%s","deductible":%s}'
)
_LINE = (
    '{"deduction":%d,"name":%s,"category":%s,"priority":%d,"component":%s,"status":%s,'
    '"amount":"%s","requested_amount":"%s","reason":%s,"balance_after":"%s"%s}'
)
_COMPARED = ',"needed_amount":"%s","limit_amount":"%s"'
_DETAILS = (
    '{"net_before_deductions":"%s","deductible_base":"%s","total_deductible":"%s",'
    '"total_deducted":"%s","components":[%s],"deductions":[%s]}'
)
_BOOLEANS = {True: "true", False: "false"}


def _string(value: str) -> str:
    """A string (or a StrEnum code) as JSON, remembered: callers look in ``_STRINGS``
    first (``_STRINGS.get(v) or _string(v)``), the hot path without a call."""
    if not isinstance(value, str):
        raise TypeError(f"not a string: {value!r}")
    if len(_STRINGS) > 10_000:
        _STRINGS.clear()
    text = _STRINGS[value] = _encode_string(value)
    return text


# Ids and priorities are ints (``%d``); a component id may be None. Inlined lookups and no
# helper per value: this runs for every line of a payment run (docs/performance.md).
def line_json(line: DeductionLine) -> str:
    """``line_dict(line)`` as compact JSON text."""
    needed, limit, reason = line.needed_amount, line.limit_amount, line.reason
    component = line.component_id
    return _LINE % (
        line.deduction_id,
        _STRINGS.get(line.name) or _string(line.name),
        _STRINGS.get(line.category) or _string(line.category),
        line.priority,
        "null" if component is None else f"{component:d}",
        _STRINGS.get(line.status) or _string(line.status),
        _m(line.amount),
        _m(line.requested_amount),
        "null" if reason is None else _STRINGS.get(reason) or _string(reason),
        _m(line.balance_after),
        "" if needed is None or limit is None else _COMPARED % (_m(needed), _m(limit)),
    )


def details_json(payment: NomineePayment, lines: Sequence[str]) -> JSONText:
    """``stored_details(payment_dict(payment))`` as compact JSON text; ``lines`` are
    ``line_json`` of the payment's deduction lines (the caller reuses them)."""
    components = ",".join(
        [
            _COMPONENT
            % (
                line.component_id,
                _STRINGS.get(line.name) or _string(line.name),
                _m(line.amount),
                _m(line.tax),
                _m(line.net),
                _m(line.deducted),
                _m(line.net_after_deductions),
                _BOOLEANS[line.deductible],
            )
            for line in payment.components
        ]
    )
    return JSONText(
        _DETAILS
        % (
            _m(payment.net_before_deductions),
            _m(payment.deductible_base),
            _m(payment.total_deductible),
            _m(payment.total_deducted),
            components,
            ",".join(lines),
        )
    )


def third_party_details_json(line_text: str, nominee_id) -> JSONText:
    """A third-party payment's ``details``: ``{"deduction": line, "benefit_nominee": id}``."""
    return JSONText(f'{{"deduction":{line_text},"benefit_nominee":{nominee_id:d}}}')


STATUS_LABELS = {"processed": "Verarbeitet", "skipped": "Übersprungen"}


def with_displays(payments: Iterable[dict], *, language: str = "de") -> list[dict]:
    """Copies of ``payments`` with ``status_display`` and ``reason_display`` on each line,
    in the request's language (stored simulations keep the codes only)."""
    from django.utils.translation import gettext

    result = []
    for payment in payments:
        lines = []
        for line in payment.get("deductions", []):
            line = dict(line)
            line["status_display"] = gettext(STATUS_LABELS.get(line["status"], line["status"]))
            line["reason_display"] = (
                skip_reason_text(line["reason"], language=language) if line.get("reason") else None
            )
            lines.append(line)
        result.append({**payment, "deductions": lines})
    return result


def deducted_of(payment: dict) -> Decimal:
    """What the payment's deduction lines take (its ``total_deducted``)."""
    if payment.get("total_deducted") is not None:
        return Decimal(payment["total_deducted"])
    lines = payment.get("deductions", [])
    return sum((Decimal(line["amount"]) for line in lines if line["status"] != "skipped"), ZERO)


def simulation_summary(
    payments: Sequence[dict], *, totals_of: Sequence[dict] | None = None
) -> dict:
    """SIM-2: the overview above a simulation's payment cards: one row per payment (its
    card's anchor ``payment-<n>``: the payment's ``number`` when it has one, else counted
    from 1 like the cards), the totals of gross, tax, deducted and net and the number of
    skipped lines. Sums are Decimal from the payments' money strings; they are those of
    ``totals_of`` when given (a page's rows, the totals of every payment filtered)."""
    rows = []
    for index, payment in enumerate(payments, start=1):
        row = {
            "anchor": f"payment-{payment.get('number', index)}",
            "period_start": payment["period_start"],
            "period_end": payment["period_end"],
            "effective_date": payment["effective_date"],
            "nominee": payment["nominee"],
            "nominee_name": payment.get("nominee_name", payment["nominee"]),
            "gross": Decimal(payment["gross"]),
            "tax": Decimal(payment["tax"]),
            "deducted": deducted_of(payment),
            "net": Decimal(payment["net"]),
            "skipped": skipped_of(payment),
        }
        rows.append(row)
    overall = simulation_totals(payments if totals_of is None else totals_of)["overall"]
    return {
        "rows": rows,
        "totals": {key: overall[key] for key in ("gross", "tax", "deducted", "net")},
        "skipped": overall["skipped"],
        "count": overall["count"],
    }


def skipped_of(payment: dict) -> int:
    """How many of the payment's deduction lines were skipped."""
    return sum(1 for line in payment.get("deductions", []) if line["status"] == "skipped")


def simulation_totals(payments: Sequence[dict]) -> dict:
    """SIM-2 at scale: the sums of a whole simulation, per nominee (in order of first
    payment) and overall: number of payments, gross, tax, deducted, net and the number of
    skipped deduction lines. ``overall`` has the same keys. Sums are Decimal."""

    def empty(nominee=None, name=None) -> dict:
        return {
            "nominee": nominee,
            "nominee_name": name,
            "count": 0,
            "gross": ZERO,
            "tax": ZERO,
            "deducted": ZERO,
            "net": ZERO,
            "skipped": 0,
        }

    overall = empty()
    by_nominee: dict[int, dict] = {}
    for payment in payments:
        nominee = payment["nominee"]
        row = by_nominee.setdefault(nominee, empty(nominee, payment.get("nominee_name", nominee)))
        values = {
            "gross": Decimal(payment["gross"]),
            "tax": Decimal(payment["tax"]),
            "deducted": deducted_of(payment),
            "net": Decimal(payment["net"]),
        }
        skipped = skipped_of(payment)
        for target in (row, overall):
            target["count"] += 1
            target["skipped"] += skipped
            for key, value in values.items():
                target[key] += value
    return {"nominees": list(by_nominee.values()), "overall": overall}


def filter_payments(
    payments: Sequence[dict],
    *,
    nominee: int | None = None,
    with_deductions: bool = False,
    with_skips: bool = False,
) -> list[tuple[int, dict]]:
    """The payments a simulation's list shows under its filters, each with its number in
    the whole simulation (from 1; the anchor ``payment-<n>`` stays the same on every page
    and under every filter): one nominee's, only those with something deducted, only
    those with a skipped deduction."""
    chosen = []
    for number, payment in enumerate(payments, start=1):
        if nominee is not None and payment["nominee"] != nominee:
            continue
        if with_deductions and not deducted_of(payment):
            continue
        if with_skips and not skipped_of(payment):
            continue
        chosen.append((number, payment))
    return chosen


# --- comparison (SIM-3) -------------------------------------------------------------------

TOTAL_FIELDS = ("count", "gross", "deducted", "net", "skipped")


def compare_totals(a: Sequence[dict], b: Sequence[dict]) -> dict:
    """SIM-3: the totals of two simulations per nominee (nominees of either) and overall,
    with B − A for each figure and whether they differ; a nominee missing on one side
    has zeros there."""
    left, right = simulation_totals(a), simulation_totals(b)
    by_a = {row["nominee"]: row for row in left["nominees"]}
    by_b = {row["nominee"]: row for row in right["nominees"]}
    nominees = list(dict.fromkeys([*by_a, *by_b]))

    def pair(ta: dict | None, tb: dict | None, nominee=None) -> dict:
        zero = {"count": 0, "gross": ZERO, "deducted": ZERO, "net": ZERO, "skipped": 0}
        va = {f: (ta or zero)[f] for f in TOTAL_FIELDS}
        vb = {f: (tb or zero)[f] for f in TOTAL_FIELDS}
        difference = {f: vb[f] - va[f] for f in TOTAL_FIELDS}
        return {
            "nominee": nominee,
            "a": va,
            "b": vb,
            "difference": difference,
            "differs": [f for f in TOTAL_FIELDS if difference[f]],
        }

    return {
        "nominees": [pair(by_a.get(n), by_b.get(n), n) for n in nominees],
        "overall": pair(left["overall"], right["overall"]),
    }


PAYMENT_FIELDS = ("period_end", "effective_date", "gross", "tax", "net")
LINE_FIELDS = ("status", "amount", "reason", "balance_after")


def _key(payment: dict) -> tuple[str, int]:
    return payment["period_start"], payment["nominee"]


def compare_payments(a: Sequence[dict], b: Sequence[dict]) -> list[dict]:
    """Payment by payment (matched on period start and nominee) and line by line (matched
    on the deduction): the values on each side and the names of the fields that differ."""
    left = {_key(p): p for p in a}
    right = {_key(p): p for p in b}
    rows = []
    for key in sorted(set(left) | set(right)):
        pa, pb = left.get(key), right.get(key)
        differences = [
            name
            for name in PAYMENT_FIELDS
            if pa is None or pb is None or pa.get(name) != pb.get(name)
        ]
        lines_a = {line["deduction"]: line for line in (pa or {}).get("deductions", [])}
        lines_b = {line["deduction"]: line for line in (pb or {}).get("deductions", [])}
        order = [line["deduction"] for line in (pa or {}).get("deductions", [])] + [
            d for d in lines_b if d not in lines_a
        ]
        lines = []
        for deduction_id in order:
            la, lb = lines_a.get(deduction_id), lines_b.get(deduction_id)
            line_diff = [
                name
                for name in LINE_FIELDS
                if la is None or lb is None or la.get(name) != lb.get(name)
            ]
            lines.append(
                {
                    "deduction": deduction_id,
                    "name": (la or lb)["name"],
                    "priority": (la or lb)["priority"],
                    "a": None if la is None else {f: la.get(f) for f in LINE_FIELDS},
                    "b": None if lb is None else {f: lb.get(f) for f in LINE_FIELDS},
                    "differences": line_diff,
                }
            )
        rows.append(
            {
                "period_start": key[0],
                "nominee": key[1],
                "a": None if pa is None else {f: pa.get(f) for f in PAYMENT_FIELDS},
                "b": None if pb is None else {f: pb.get(f) for f in PAYMENT_FIELDS},
                "differences": differences,
                "deductions": lines,
                "identical": not differences and not any(line["differences"] for line in lines),
            }
        )
    return rows


# --- waterfall chart (SIM-2) --------------------------------------------------------------

# Pixel layout of one row: the label line above its bar. Rows stack downwards, so the
# chart's height grows with the steps and its width is always the card's (bars in %).
WF_ROW, WF_TEXT_Y, WF_BAR_Y, WF_BAR_H, WF_TOP = 44, 15, 21, 16, 2
# Labels longer than this are shortened with "…" (the bar's <title> has the full name),
# so that label and amount share a row at a phone's card width (390 px screens).
WF_LABEL_MAX, WF_SKIPPED_LABEL_MAX = 30, 22
WF_MIN_WIDTH = Decimal("0.6")  # % — a skipped line that asked nothing still shows


def _pct(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def waterfall(payment: dict) -> dict:
    """Rows of a waterfall chart gross → tax → each deduction line → net (SIM-2).

    Each processed bar floats from the running total before it to the one after it, in
    percent of the gross, so the chart fills the card's width at any screen size while its
    text keeps the page's size; rows are stacked at fixed pixel heights, each with its label
    above the bar. A skipped line is a hatched bar of what it asked for (``needed_amount``
    where the engine named it, else ``requested_amount``) ending at the running total,
    which it leaves unchanged: it takes 0,00 €. The template draws them as inline SVG
    (no script, no CDN). Labels are in the active language."""
    from django.utils.translation import gettext

    gross = Decimal(payment["gross"])
    steps: list[tuple[str, Decimal, str, dict | None]] = [(gettext("Brutto"), gross, "total", None)]
    tax = Decimal(payment["tax"])
    if tax:
        steps.append((gettext("Steuer"), -tax, "down", None))
    for line in payment["deductions"]:
        amount = Decimal(line["amount"])
        if line.get("status") == "skipped":
            steps.append((line["name"], ZERO, "skipped", line))
        elif amount:
            steps.append((line["name"], -amount, "down", line))
    steps.append((gettext("Netto"), Decimal(payment["net"]), "total", None))
    top = max(gross, Decimal("0.01"))
    bars = []
    running = ZERO
    for index, (label, value, kind, line) in enumerate(steps):
        asked = None
        if kind == "total":
            low, high = ZERO, value
            running = value
        elif kind == "down":
            low, high = running + value, running
            running = low
        else:
            asked = Decimal(line.get("needed_amount") or line.get("requested_amount") or "0")
            low, high = max(ZERO, running - asked), running
        start = min(max(low / top * 100, ZERO), Decimal(100))
        width = min(max((high - low) / top * 100, ZERO), Decimal(100) - start)
        if kind == "skipped" and width < WF_MIN_WIDTH:
            start, width = max(ZERO, start - WF_MIN_WIDTH), WF_MIN_WIDTH
        row_top = WF_TOP + index * WF_ROW
        bars.append(
            {
                "label": label,
                "short_label": _short(
                    label, WF_SKIPPED_LABEL_MAX if kind == "skipped" else WF_LABEL_MAX
                ),
                "value": _m(abs(value)),
                "asked": None if asked is None else _m(asked),
                "kind": kind,
                "x": _pct(start),
                "width": _pct(width),
                "end": _pct(start + width),
                "text_y": row_top + WF_TEXT_Y,
                "y": row_top + WF_BAR_Y,
                "height": WF_BAR_H,
                # The dashed connector down to the next bar, at this bar's running total.
                "joint_x": _pct(min(max(running / top * 100, ZERO), Decimal(100))),
                "joint_y1": row_top + WF_BAR_Y + WF_BAR_H,
                "joint_y2": row_top + WF_ROW + WF_BAR_Y,
                "last": index == len(steps) - 1,
            }
        )
    return {
        "height": WF_TOP * 2 + len(steps) * WF_ROW - (WF_ROW - WF_BAR_Y - WF_BAR_H),
        "bars": bars,
        "skipped": any(bar["kind"] == "skipped" for bar in bars),
    }
