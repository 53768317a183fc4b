"""The client notice as PDF (SIM-5), drawn with ReportLab from the notice's frozen facts
alone, so that a reprint is the same document. A4, the agency's name and address in the
header of every page; the standard Helvetica font (WinAnsi encoding) covers German umlauts,
ß, the en dash and the euro sign, so no font file is needed."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT, BOLD = "Helvetica", "Helvetica-Bold"


def _styles():
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=FONT, fontSize=10, leading=13)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=15, leading=19),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        "cellr": ParagraphStyle("cellr", parent=body, fontSize=9, leading=11.5, alignment=2),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text or "")), style)


def _table(rows, widths, styles, *, header: bool = False, right: tuple[int, ...] = ()):
    data = [
        [_p(cell, styles["cellr"] if i in right else styles["cell"]) for i, cell in enumerate(row)]
        for row in rows
    ]
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
    table.setStyle(TableStyle(commands))
    return table


def _payee(third_party: dict) -> str:
    reference = third_party["reference"]
    return third_party["name"] + (f", Referenz {reference}" if reference else "")


def notice_pdf(facts: dict, *, number: str, issued_at: str) -> bytes:
    """The notice as PDF bytes. ``number`` and ``issued_at`` are printed in the footer."""
    styles = _styles()
    buffer = io.BytesIO()
    agency = facts["agency"]
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=28 * mm,
        bottomMargin=20 * mm,
        title=f"{facts['title']} Nr. {number}",
        author=agency["name"],
        # No creation time or random document id: a reprint is byte for byte the same.
        invariant=True,
    )
    width = A4[0] - 40 * mm
    story = [
        *_opening(facts, styles),
        *_benefit_and_decision(facts, styles, width),
        *_deductions(facts, styles, width),
        *_payments(facts, styles, width),
        Spacer(1, 4 * mm),
        _p(facts["closing"], styles["body"]),
        Spacer(1, 4 * mm),
        _p("Mit freundlichen Grüßen", styles["body"]),
        _p(agency["name"], styles["body"]),
    ]
    header_footer = _header_footer(facts, number=number, issued_at=issued_at)
    doc.build(story, onFirstPage=header_footer, onLaterPages=header_footer)
    return buffer.getvalue()


def _header_footer(facts: dict, *, number: str, issued_at: str):
    """Draws the agency's name and address above, and the notice number and page below,
    on every page."""
    agency = facts["agency"]

    def header_footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(BOLD, 10)
        canvas.drawString(20 * mm, A4[1] - 14 * mm, agency["name"])
        canvas.setFont(FONT, 8.5)
        canvas.drawString(20 * mm, A4[1] - 18.5 * mm, " · ".join(agency["address"]))
        canvas.setLineWidth(0.5)
        canvas.line(20 * mm, A4[1] - 21 * mm, A4[0] - 20 * mm, A4[1] - 21 * mm)
        canvas.setFont(FONT, 8)
        canvas.drawString(20 * mm, 12 * mm, f"{facts['title']} Nr. {number} · {issued_at}")
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"Seite {doc.page}")
        canvas.restoreState()

    return header_footer


def _opening(facts: dict, styles) -> list:
    """Address block, date, reference, title, subject, greeting and introduction."""
    client = facts["client"]
    story = [_p(line, styles["body"]) for line in [client["name"], *client["address"]]]
    story += [
        Spacer(1, 6 * mm),
        _p(f"{facts['issued_on']}", styles["small"]),
        _p(f"Ihre Referenznummer: {client['reference']}", styles["small"]),
        Spacer(1, 4 * mm),
        _p(facts["title"], styles["title"]),
        _p(facts["subject"], styles["h2"]),
        Spacer(1, 2 * mm),
        _p(f"Guten Tag {client['name']},", styles["body"]),
        _p(facts["intro"], styles["body"]),
    ]
    return story


def _benefit_and_decision(facts: dict, styles, width) -> list:
    benefit = facts["benefit"]
    story = [
        _p("Ihre Leistung", styles["h2"]),
        _table(
            [
                ["Leistung", benefit["product"]],
                ["Aktenzeichen", benefit["case"]],
                ["Zahlungsweise", benefit["frequency"]],
                ["Zeitraum", benefit["period"]],
                ["Betrag je Zahlung vor Abzügen", benefit["amount"]],
            ],
            [60 * mm, width - 60 * mm],
            styles,
        ),
    ]
    if facts.get("decision"):
        story.append(_p(facts["decision"]["heading"], styles["h2"]))
        story.append(_table(facts["decision"]["rows"], [60 * mm, width - 60 * mm], styles))
    return story


def _deductions(facts: dict, styles, width) -> list:
    story = [_p("Ihre Abzüge", styles["h2"])]
    if not facts["deductions"]:
        story.append(_p("Zurzeit wird nichts von Ihrer Leistung abgezogen.", styles["body"]))
        return story
    rows = [["Abzug", "Betrag", "Zeitraum", "Grund", "Noch offen / Tilgung"]]
    for d in facts["deductions"]:
        rows.append(
            [
                d["name"],
                d["amount"],
                d["period"],
                d["reason"],
                " – ".join(x for x in (d["remaining"], d["payoff"]) if x) or "–",
            ]
        )
    story.append(
        _table(rows, [28 * mm, 30 * mm, 30 * mm, 45 * mm, width - 133 * mm], styles, header=True)
    )
    return story


def _payments(facts: dict, styles, width) -> list:
    """Each payment's breakdown, with what was paid directly to third parties."""
    if not facts["payments"]:
        return []
    story = [_p(facts["payments_heading"], styles["h2"])]
    for payment in facts["payments"]:
        rows = [
            ["Leistungsempfänger", payment["nominee"]],
            ["Zeitraum", payment["period"]],
            ["Zahltag", payment["effective_date"]],
            ["Leistung", payment["gross"]],
        ]
        if payment["tax"]:
            rows.append(["Steuer", f"− {payment['tax']}"])
        for line in payment["lines"]:
            label = line["name"] + (f" ({line['note']})" if line["note"] else "")
            rows.append([label, f"− {line['amount']}"])
        rows.append(["Ausgezahlt an Sie", payment["net"]])
        story.append(_table(rows, [width - 40 * mm, 40 * mm], styles, right=(1,)))
        if payment["third_parties"]:
            story.append(Spacer(1, 2 * mm))
            story.append(_p("Davon haben wir direkt gezahlt an:", styles["body"]))
            story.append(
                _table(
                    [[_payee(t), t["amount"]] for t in payment["third_parties"]],
                    [width - 40 * mm, 40 * mm],
                    styles,
                    right=(1,),
                )
            )
        story.append(Spacer(1, 3 * mm))
    return story
