"""The rejects report of an import: an xlsx of the rejected rows, their reasons, and the rows to fix."""

from __future__ import annotations

import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from peyvand.core.exports import plain, safe_cell


def rejects_workbook(outcome_json: dict[str, Any], sheet: Any = None, header_index: int = 0) -> bytes:
    """An xlsx of the rejected rows: every issue (row, column, value, message), and the rows to fix.

    The second sheet repeats the original header and the rejected rows with their reasons, so that the
    user can correct them and import that sheet again.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    rtl = translation.get_language() == "fa"
    issues_sheet = workbook.create_sheet(_("Rejected rows")[:31])
    issues_sheet.sheet_view.rightToLeft = rtl
    bold = Font(bold=True)
    header = [_("Row"), _("Column"), _("Value"), _("Message")]
    issues_sheet.append([safe_cell(issues_sheet, str(title), font=bold) for title in header])
    rejected_numbers = {row[0] for row in outcome_json.get("rows", []) if row[1] == "rejected"}
    reasons: dict[int, list[str]] = {}
    for number, column, value, message, level in outcome_json.get("issues", []):
        if level != "error" or number not in rejected_numbers:
            continue
        issues_sheet.append(
            [
                number,
                safe_cell(issues_sheet, column),
                safe_cell(issues_sheet, value),
                safe_cell(issues_sheet, message),
            ]
        )
        reasons.setdefault(number, []).append(f"{column}: {message}" if column else message)
    if sheet is not None:
        rows_sheet = workbook.create_sheet(_("Rows to fix")[:31])
        rows_sheet.sheet_view.rightToLeft = rtl
        headers = sheet.rows[header_index] if header_index < len(sheet.rows) else []
        rows_sheet.append(
            [safe_cell(rows_sheet, str(_("Row")), font=bold)]
            + [safe_cell(rows_sheet, plain(value), font=bold) for value in headers]
            + [safe_cell(rows_sheet, str(_("Reasons")), font=bold)]
        )
        for number in sorted(reasons):
            values = sheet.rows[number - 1] if number - 1 < len(sheet.rows) else []
            padded = list(values) + [None] * (len(headers) - len(values))
            rows_sheet.append(
                [number]
                + [safe_cell(rows_sheet, value) for value in padded]
                + [safe_cell(rows_sheet, " | ".join(reasons[number]))]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
