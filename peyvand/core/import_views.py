"""The import pages: upload → sheet → map columns → dry run → apply → summary, and the batch list.

Every step asks the one gate: seeing a batch is ``view`` on ``import_batch`` (the company's staff),
working on one is ``add`` on ``import_batch`` plus ``import`` on the kind's model. Large files run as a
background job (``core/jobs.py``) and the batch page follows its progress with htmx.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from peyvand.accounts.acting import acting_company

from . import exports, imports, jobs, permissions
from .models import ImportBatch, ImportMapping, ImportMode, ImportState
from .uploads import validate_upload

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
        importer_class = imports.importers().get(batch.kind)
        if importer_class is None or not permissions.can(
            request.user, permissions.IMPORT, importer_class.model
        ):
            raise PermissionDenied
    return batch


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What does the file hold?"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("An Excel file (.xlsx) or a CSV file (.csv)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(item.kind, item.label) for item in imports.kinds_for(user)]
        self.fields["file"].help_text = _(
            "An Excel file (.xlsx) or a CSV file (.csv), at most %(limit)d MB. Title rows above the header, "
            "merged cells, Persian or Arabic letters and digits, and Jalali dates are all fine."
        ) % {"limit": settings.PEYVAND_IMPORT_MAX_MB}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            imports.check_size(upload.size)
            upload.seek(0)
            data = upload.read()
            upload.seek(0)
            imports.file_format(upload.name, data)
            validate_upload(upload, allowed=imports.EXTENSIONS, max_mb=settings.PEYVAND_IMPORT_MAX_MB)
            self.sheets = imports.sheet_names(data, upload.name)
        except imports.FileProblem as problem:
            raise ValidationError(str(problem)) from None
        return upload


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    """Every import of the user's company, newest first: come back here to follow a long one."""
    if not permissions.can(request.user, permissions.VIEW, ImportBatch):
        raise PermissionDenied
    batches = permissions.restrict(
        ImportBatch.objects.select_related("created_by").defer("results"), request.user, permissions.VIEW
    )
    page = Paginator(batches, settings.PEYVAND_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {kind: item.label for kind, item in imports.importers().items()}
    return render(
        request,
        "core/imports/list.html",
        {"page": page, "kind_labels": labels, "can_import": bool(imports.kinds_for(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponse:
    """Step 1: choose what the file holds and upload it."""
    if not imports.kinds_for(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = ImportBatch(
            kind=form.cleaned_data["kind"],
            company=acting_company(request.user),
            original_name=upload.name[:255],
            size=upload.size,
            language=translation.get_language() or "fa",
            created_by=request.user,
        )
        if len(form.sheets) == 1 and upload.name.lower().endswith(".xlsx"):
            batch.sheet = form.sheets[0]
        batch.file.save(upload.name, upload, save=False)
        batch.save()
        if upload.name.lower().endswith(".xlsx") and len(form.sheets) > 1:
            return redirect("imports:sheet", pk=batch.pk)
        return redirect("imports:mapping", pk=batch.pk)
    return render(
        request,
        "core/imports/new.html",
        {"form": form, "steps": _steps("upload"), "kinds": imports.kinds_for(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: which sheet of the workbook holds the data."""
    batch = _batch(request, pk, permissions.ADD)
    sheets: list[str] = []
    problem = ""
    try:
        sheets = imports.sheet_names(imports.batch_data(batch), batch.original_name)
    except imports.FileProblem as error:
        problem = str(error)
    if request.method == "POST" and request.POST.get("sheet") in sheets:
        batch.sheet = request.POST["sheet"]
        batch.header_row = None
        batch.mapping = {}
        batch.save(update_fields=["sheet", "header_row", "mapping"])
        return redirect("imports:mapping", pk=batch.pk)
    return render(
        request,
        "core/imports/sheet.html",
        {"batch": batch, "sheets": sheets, "problem": problem, "steps": _steps("sheet")},
    )


def _column_choices(importer_class: type[imports.Importer]) -> list[tuple[str, str]]:
    return [("", _("— not imported —"))] + [(item.name, str(item.label)) for item in importer_class.fields]


@login_required
@require_http_methods(["GET", "POST"])
def batch_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 3: the header row and which column is which field (guessed, adjustable, saveable)."""
    batch = _batch(request, pk, permissions.ADD)
    importer_class = imports.get_importer(batch.kind)
    context: dict[str, Any] = {"batch": batch, "steps": _steps("mapping"), "importer": importer_class}
    try:
        sheet = imports.batch_sheet(batch)
    except imports.FileProblem as problem:
        context["problem"] = str(problem)
        return render(request, "core/imports/mapping.html", context)
    data = request.POST if request.method == "POST" else request.GET
    header_index = _header_index(data.get("header_row"), batch, importer_class, sheet)
    templates = permissions.restrict(
        ImportMapping.objects.filter(kind=batch.kind), request.user, permissions.VIEW
    )
    template = templates.filter(pk=data.get("template") or 0).first() if data.get("template") else None
    headers = sheet.rows[header_index] if header_index is not None and header_index < len(sheet.rows) else []
    if template is not None:
        mapping = imports.mapping_from_template(template, headers)
        if template.header_row and not data.get("header_row"):
            header_index = template.header_row - 1
    elif request.method == "POST":
        mapping = {
            index: request.POST[f"column_{index}"]
            for index in range(len(headers))
            if request.POST.get(f"column_{index}") in importer_class.field_labels()
        }
    elif batch.mapping and batch.header_row and header_index == batch.header_row - 1:
        mapping = imports.batch_mapping(batch)
    else:
        mapping = imports.guess_mapping(importer_class, headers)
    errors: list[str] = []
    if request.method == "POST" and "check" in request.POST:
        chosen = list(mapping.values())
        duplicates = {name for name in chosen if chosen.count(name) > 1}
        if header_index is None:
            errors.append(imports.no_header_message(batch.kind))
        if duplicates:
            labels = importer_class.field_labels()
            errors.append(
                _("Each field can come from one column only: %(fields)s.")
                % {"fields": imports.join_list(labels[name] for name in duplicates)}
            )
        missing = importer_class.missing_columns(mapping)
        if missing:
            errors.append(_("Map a column to: %(fields)s.") % {"fields": imports.join_list(missing)})
        if not errors:
            return _start_check(request, batch, sheet, header_index, mapping, headers)
    context.update(
        {
            "header_row": (header_index + 1) if header_index is not None else "",
            "no_header": header_index is None,
            "columns": _columns(sheet, header_index, headers, mapping, importer_class),
            "templates": templates,
            "template": template,
            "errors": errors,
            "row_count": imports.count_rows(sheet, header_index) if header_index is not None else 0,
            "background_rows": imports.BACKGROUND_ROWS,
            "save_as": request.POST.get("save_as", ""),
        }
    )
    return render(request, "core/imports/mapping.html", context)


def _header_index(
    value: str | None, batch: ImportBatch, importer_class: Any, sheet: imports.Sheet
) -> int | None:
    if value:
        try:
            number = int(imports.parsing.integer(value) or 0)
        except imports.parsing.CellError:
            number = 0
        if 1 <= number <= len(sheet.rows):
            return number - 1
    if batch.header_row and batch.header_row <= len(sheet.rows):
        return batch.header_row - 1
    return imports.find_header_row(importer_class, sheet)


def _columns(
    sheet: imports.Sheet,
    header_index: int | None,
    headers: list[Any],
    mapping: dict[int, str],
    importer_class: type[imports.Importer],
) -> list[dict[str, Any]]:
    if header_index is None:
        return []
    samples: list[list[Any]] = [
        values
        for _number, values in zip(
            range(SAMPLE_ROWS), (row for _n, row in imports.data_rows(sheet, header_index)), strict=False
        )
    ]
    width = max([len(headers)] + [len(values) for values in samples])
    choices = _column_choices(importer_class)
    columns = []
    for index in range(width):
        values = [imports.parsing.display(row[index]) if index < len(row) else "" for row in samples]
        if not imports.header_text(headers[index] if index < len(headers) else None) and not any(values):
            continue  # an empty column
        columns.append(
            {
                "index": index,
                "label": imports.column_label(headers, index),
                "samples": [value for value in values if value],
                "chosen": mapping.get(index, ""),
                "choices": choices,
            }
        )
    return columns


def _start_check(
    request: HttpRequest,
    batch: ImportBatch,
    sheet: imports.Sheet,
    header_index: int,
    mapping: dict[int, str],
    headers: list[Any],
) -> HttpResponse:
    batch.header_row = header_index + 1
    batch.mapping = {str(index): name for index, name in mapping.items()}
    batch.language = translation.get_language() or "fa"
    batch.total_rows = imports.count_rows(sheet, header_index)
    name = request.POST.get("save_as", "").strip()[:100]
    if name:
        template, _created = ImportMapping.objects.update_or_create(
            company=batch.company,
            kind=batch.kind,
            name=name,
            defaults={
                "columns": imports.template_columns(headers, mapping),
                "header_row": header_index + 1,
                "created_by": request.user,
            },
        )
        batch.mapping_template = template
        messages.success(request, _("The column mapping was saved as “%(name)s”.") % {"name": name})
    batch.save()
    if imports.needs_background(batch):
        jobs.start(batch, jobs.CHECK, request.user)
    else:
        imports.check_batch(batch, request.user)
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
    can_work = permissions.can(request.user, permissions.ADD, batch) and batch.kind in imports.importers()
    counts = batch.counts or {}
    return render(
        request,
        "core/imports/detail.html",
        {
            "batch": batch,
            "steps": _steps(step),
            "page": page,
            "rows": listed,
            "show": show,
            "counts": counts,
            "kind_label": imports.importers()[batch.kind].label
            if batch.kind in imports.importers()
            else batch.kind,
            "can_work": can_work,
            "valid_count": counts.get("created", 0) + counts.get("updated", 0),
            "tried_all": results.get("mode") == ImportMode.ALL_OR_NOTHING and not results.get("applied"),
            "action_labels": imports.ACTION_LABELS,
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
    return render(request, "core/imports/progress.html", {"batch": batch})


@login_required
@require_POST
def batch_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 5: write all rows (or nothing), or only the valid rows."""
    batch = _batch(request, pk, permissions.ADD)
    mode = request.POST.get("mode")
    # The state moves in one conditional UPDATE: a second submit finds the batch no longer "checked".
    if mode not in ImportMode.values or not imports.claim_for_apply(batch):
        messages.error(
            request, _("This import cannot be applied now: it is already applied or being applied.")
        )
        return redirect(batch)
    if imports.needs_background(batch):
        jobs.start(batch, jobs.APPLY, request.user, mode)
        return redirect(batch)
    try:
        outcome = imports.apply_batch(batch, request.user, mode)
    except Exception:
        jobs.mark_failed(batch)
        raise
    if outcome is not None and outcome.applied:
        messages.success(
            request,
            _("Applied: %(summary)s.") % {"summary": imports.summary_text(outcome.counts)},
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
        sheet = imports.batch_sheet(batch)
        header_index = (batch.header_row or 1) - 1
    except imports.FileProblem:
        sheet = None
    with translation.override(batch.language):
        content = exports.rejects_workbook(batch.results or {}, sheet, header_index)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-rejected-{stamp}.xlsx"'
    return response
