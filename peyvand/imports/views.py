"""The import pages: upload → sheet → map columns → dry run → apply → summary, and the batch list.

Every step asks the one gate: seeing a batch is ``view`` on ``import_batch`` (the company's staff),
working on one is ``add`` on ``import_batch`` plus ``import`` on the kind's model. Large files run as a
background job (``imports/jobs.py``) and the batch page follows its progress with htmx.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from peyvand.accounts.acting import acting_company
from peyvand.core import permissions

from . import engine, parsing, services
from .forms import UploadForm
from .models import ImportBatch, ImportMapping, ImportMode, ImportState
from .rejects import rejects_workbook

STEPS = [
    ("upload", gettext_lazy("Upload")),
    ("sheet", gettext_lazy("Sheet")),
    ("mapping", gettext_lazy("Columns")),
    ("check", gettext_lazy("Dry run")),
    ("apply", gettext_lazy("Apply")),
    ("summary", gettext_lazy("Summary")),
]
SAMPLE_ROWS = 3
PAGE_SIZE = 50


def _steps(current: str) -> list[dict[str, Any]]:
    names = [name for name, _label in STEPS]
    position = names.index(current)
    return [
        {
            "name": name,
            "label": label,
            "done": index < position,
            "current": index == position,
            "number": index + 1,
        }
        for index, (name, label) in enumerate(STEPS)
    ]


def _batch(request: HttpRequest, pk: int, action: str = permissions.VIEW) -> ImportBatch:
    batch = permissions.get_object_for_user(
        ImportBatch.objects.select_related("created_by", "company"), request.user, action, pk=pk
    )
    if action != permissions.VIEW:
        importer_class = engine.importers().get(batch.kind)
        if importer_class is None or not permissions.can(
            request.user, permissions.IMPORT, importer_class.model
        ):
            raise PermissionDenied
    return batch


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    """Every import of the user's company, newest first: come back here to follow a long one."""
    if not permissions.can(request.user, permissions.VIEW, ImportBatch):
        raise PermissionDenied
    batches = permissions.restrict(
        ImportBatch.objects.select_related("created_by").defer("results"), request.user, permissions.VIEW
    )
    page = Paginator(batches, settings.PEYVAND_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {kind: item.label for kind, item in engine.importers().items()}
    return render(
        request,
        "imports/list.html",
        {"page": page, "kind_labels": labels, "can_import": bool(engine.kinds_for(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponse:
    """Step 1: choose what the file holds and upload it."""
    if not engine.kinds_for(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.create_batch(
            form.cleaned_data["kind"],
            upload.read(),
            upload.name,
            user=request.user,
            company=acting_company(request.user),
        )
        if upload.name.lower().endswith(".xlsx") and len(form.sheets) > 1:
            return redirect("imports:sheet", pk=batch.pk)
        return redirect("imports:mapping", pk=batch.pk)
    return render(
        request,
        "imports/new.html",
        {"form": form, "steps": _steps("upload"), "kinds": engine.kinds_for(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: which sheet of the workbook holds the data."""
    batch = _batch(request, pk, permissions.ADD)
    sheets: list[str] = []
    problem = ""
    try:
        sheets = engine.sheet_names(services.batch_data(batch), batch.original_name)
    except engine.FileProblem as error:
        problem = str(error)
    if request.method == "POST" and request.POST.get("sheet") in sheets:
        batch.sheet = request.POST["sheet"]
        batch.header_row = None
        batch.mapping = {}
        batch.save(update_fields=["sheet", "header_row", "mapping"])
        return redirect("imports:mapping", pk=batch.pk)
    return render(
        request,
        "imports/sheet.html",
        {"batch": batch, "sheets": sheets, "problem": problem, "steps": _steps("sheet")},
    )


def _column_choices(importer_class: type[engine.Importer]) -> list[tuple[str, str]]:
    return [("", _("— not imported —"))] + [(item.name, str(item.label)) for item in importer_class.fields]


@login_required
@require_http_methods(["GET", "POST"])
def batch_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: the header row and which column is which field (guessed, adjustable, saveable)."""
    batch = _batch(request, pk, permissions.ADD)
    importer_class = engine.get_importer(batch.kind)
    context: dict[str, Any] = {"batch": batch, "steps": _steps("mapping"), "importer": importer_class}
    try:
        sheet = services.batch_sheet(batch)
    except engine.FileProblem as problem:
        context["problem"] = str(problem)
        return render(request, "imports/mapping.html", context)
    data = request.POST if request.method == "POST" else request.GET
    header_index = _header_index(data.get("header_row"), batch, importer_class, sheet)
    templates = permissions.restrict(
        ImportMapping.objects.filter(kind=batch.kind), request.user, permissions.VIEW
    )
    template = templates.filter(pk=data.get("template") or 0).first() if data.get("template") else None
    headers = sheet.rows[header_index] if header_index is not None and header_index < len(sheet.rows) else []
    if template is not None:
        mapping = engine.mapping_from_template(template, headers)
        if template.header_row and not data.get("header_row"):
            header_index = template.header_row - 1
    elif request.method == "POST":
        mapping = {
            index: request.POST[f"column_{index}"]
            for index in range(len(headers))
            if request.POST.get(f"column_{index}") in importer_class.field_labels()
        }
    elif batch.mapping and batch.header_row and header_index == batch.header_row - 1:
        mapping = services.batch_mapping(batch)
    else:
        mapping = engine.guess_mapping(importer_class, headers)
    errors: list[str] = []
    if request.method == "POST" and "check" in request.POST:
        chosen = list(mapping.values())
        duplicates = {name for name in chosen if chosen.count(name) > 1}
        if header_index is None:
            errors.append(services.no_header_message(batch.kind))
        if duplicates:
            labels = importer_class.field_labels()
            errors.append(
                _("Each field can come from one column only: %(fields)s.")
                % {"fields": engine.join_list(labels[name] for name in duplicates)}
            )
        missing = importer_class.missing_columns(mapping)
        if missing:
            errors.append(_("Map a column to: %(fields)s.") % {"fields": engine.join_list(missing)})
        if not errors:
            return _start_check(request, batch, sheet, header_index, mapping)
    context.update(
        {
            "header_row": (header_index + 1) if header_index is not None else "",
            "no_header": header_index is None,
            "columns": _columns(sheet, header_index, headers, mapping, importer_class),
            "templates": templates,
            "template": template,
            "errors": errors,
            "row_count": engine.count_rows(sheet, header_index) if header_index is not None else 0,
            "background_rows": services.BACKGROUND_ROWS,
            "save_as": request.POST.get("save_as", ""),
        }
    )
    return render(request, "imports/mapping.html", context)


def _header_index(
    value: str | None, batch: ImportBatch, importer_class: Any, sheet: engine.Sheet
) -> int | None:
    if value:
        try:
            number = int(parsing.integer(value) or 0)
        except parsing.CellError:
            number = 0
        if 1 <= number <= len(sheet.rows):
            return number - 1
    if batch.header_row and batch.header_row <= len(sheet.rows):
        return batch.header_row - 1
    return engine.find_header_row(importer_class, sheet)


def _columns(
    sheet: engine.Sheet,
    header_index: int | None,
    headers: list[Any],
    mapping: dict[int, str],
    importer_class: type[engine.Importer],
) -> list[dict[str, Any]]:
    if header_index is None:
        return []
    samples: list[list[Any]] = [
        values
        for _number, values in zip(
            range(SAMPLE_ROWS), (row for _n, row in engine.data_rows(sheet, header_index)), strict=False
        )
    ]
    width = max([len(headers)] + [len(values) for values in samples])
    choices = _column_choices(importer_class)
    columns = []
    for index in range(width):
        values = [parsing.display(row[index]) if index < len(row) else "" for row in samples]
        if not engine.header_text(headers[index] if index < len(headers) else None) and not any(values):
            continue  # an empty column
        columns.append(
            {
                "index": index,
                "label": engine.column_label(headers, index),
                "samples": [value for value in values if value],
                "chosen": mapping.get(index, ""),
                "choices": choices,
            }
        )
    return columns


def _start_check(
    request: HttpRequest,
    batch: ImportBatch,
    sheet: engine.Sheet,
    header_index: int,
    mapping: dict[int, str],
) -> HttpResponse:
    saved = services.set_mapping(
        batch,
        header_index,
        mapping,
        user=request.user,
        sheet=sheet,
        save_as=request.POST.get("save_as", ""),
        language=translation.get_language() or "fa",
    )
    if saved is not None:
        messages.success(request, _("The column mapping was saved as “%(name)s”.") % {"name": saved.name})
    services.check(batch, request.user, background=services.needs_background(batch))
    return redirect(batch)


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Steps 4–6: the dry run's results and the apply buttons, the progress, or the summary."""
    batch = _batch(request, pk)
    results = batch.results or {}
    show = request.GET.get("show", "problems")
    rows = results.get("rows", [])
    issues_by_row: dict[int, list[list[Any]]] = {}
    for issue in results.get("issues", []):
        issues_by_row.setdefault(issue[0], []).append(issue)
    if show != "all":
        rows = [row for row in rows if row[0] in issues_by_row]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    listed = [
        {
            "number": row[0],
            "action": row[1],
            "label": row[2],
            "changes": row[3],
            "issues": issues_by_row.get(row[0], []),
        }
        for row in page.object_list
    ]
    if batch.state == ImportState.APPLIED:
        step = "summary"
    elif batch.state == ImportState.APPLYING:
        step = "apply"
    elif batch.state in (ImportState.CHECKED, ImportState.CHECKING):
        step = "check"
    else:
        step = "mapping"
    can_work = permissions.can(request.user, permissions.ADD, batch) and batch.kind in engine.importers()
    counts = batch.counts or {}
    return render(
        request,
        "imports/detail.html",
        {
            "batch": batch,
            "steps": _steps(step),
            "page": page,
            "rows": listed,
            "show": show,
            "counts": counts,
            "kind_label": engine.importers()[batch.kind].label
            if batch.kind in engine.importers()
            else batch.kind,
            "can_work": can_work,
            "valid_count": counts.get("created", 0) + counts.get("updated", 0),
            "tried_all": results.get("mode") == ImportMode.ALL_OR_NOTHING and not results.get("applied"),
            "action_labels": engine.ACTION_LABELS,
        },
    )


@login_required
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar a running batch's page polls every second; it sends the page on when done."""
    batch = _batch(request, pk)
    if not batch.is_running:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = batch.get_absolute_url()
        return response
    return render(request, "imports/progress.html", {"batch": batch})


@login_required
@require_POST
def batch_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 5: write all rows (or nothing), or only the valid rows."""
    batch = _batch(request, pk, permissions.ADD)
    try:
        # A second submit finds the batch no longer "checked" (one conditional UPDATE) and is refused.
        outcome = services.apply(
            batch, request.user, request.POST.get("mode", ""), background=services.needs_background(batch)
        )
    except services.NotApplicable as refusal:
        messages.error(request, str(refusal))
        return redirect(batch)
    if outcome is not None and outcome.applied:
        messages.success(
            request,
            _("Applied: %(summary)s.") % {"summary": engine.summary_text(outcome.counts)},
        )
    elif outcome is not None:
        messages.error(request, outcome.message)
    return redirect(batch)


@login_required
def batch_rejects(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows and their reasons as an xlsx (row, column, value, message; and the rows to fix)."""
    batch = _batch(request, pk)
    sheet, header_index = None, 0
    try:
        sheet = services.batch_sheet(batch)
        header_index = (batch.header_row or 1) - 1
    except engine.FileProblem:
        sheet = None
    with translation.override(batch.language):
        content = rejects_workbook(batch.results or {}, sheet, header_index)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-rejected-{stamp}.xlsx"'
    return response
