"""The API's bodies go through the pages' own forms: the same validation, the same messages."""

from __future__ import annotations

from typing import Any


def form_data(body: Any, initial: dict[str, Any] | None = None) -> Any:
    """The request form's data from a JSON body or a form post, over the stored values when editing."""
    from django.http import QueryDict
    from django.utils.translation import gettext as _
    from rest_framework.exceptions import ValidationError

    if not hasattr(body, "items"):  # a JSON list or a bare value
        raise ValidationError({"non_field_errors": [_("Send the fields as one JSON object.")]})
    data = QueryDict(mutable=True)
    for name, value in (initial or {}).items():
        data.setlist(name, value if isinstance(value, list) else [value])
    items = body.lists() if hasattr(body, "lists") else body.items()
    for name, value in items:
        if isinstance(value, list):
            data.setlist(name, ["" if item is None else str(item) for item in value])
        elif isinstance(value, bool):
            data.setlist(name, ["on"] if value else [])
        else:
            data.setlist(name, ["" if value is None else str(value)])
    return data


def form_values(form: Any) -> dict[str, Any]:
    """What the request page's form shows (a stored request's values, or a new one's defaults), as form data."""
    import datetime as dt

    values: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == "":
            continue
        if value is True:
            values[name] = "on"
        elif isinstance(value, list | tuple):
            values[name] = [str(getattr(item, "pk", item)) for item in value]
        elif isinstance(value, dt.date):
            values[name] = value.isoformat()
        else:
            values[name] = str(getattr(value, "pk", value))
    return values


def form_errors(form: Any, prefix: str = "") -> dict[str, list[str]]:
    """A form's errors by field (``prefix`` names a row of a list, e.g. ``products.0.``)."""
    return {
        (prefix + name if name != "__all__" else prefix.rstrip(".") or "non_field_errors"): [
            str(m) for m in messages
        ]
        for name, messages in form.errors.items()
    }
