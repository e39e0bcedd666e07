"""The upload form of the import pages (step 1: what the file holds, and the file)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peyvand.core.uploads import validate_upload

from . import engine


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What does the file hold?"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("An Excel file (.xlsx) or a CSV file (.csv)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(item.kind, item.label) for item in engine.kinds_for(user)]
        self.fields["file"].help_text = _(
            "An Excel file (.xlsx) or a CSV file (.csv), at most %(limit)d MB. Title rows above the header, "
            "merged cells, Persian or Arabic letters and digits, and Jalali dates are all fine."
        ) % {"limit": settings.PEYVAND_IMPORT_MAX_MB}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            engine.check_size(upload.size)
            upload.seek(0)
            data = upload.read()
            upload.seek(0)
            engine.file_format(upload.name, data)
            validate_upload(upload, allowed=engine.EXTENSIONS, max_mb=settings.PEYVAND_IMPORT_MAX_MB)
            self.sheets = engine.sheet_names(data, upload.name)
        except engine.FileProblem as problem:
            raise ValidationError(str(problem)) from None
        return upload
