"""The API's bodies go through the pages' own forms: the same validation, the same messages."""

from __future__ import annotations

from typing import Any, cast


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


def _body_field(field: Any) -> Any:
    """The OpenAPI shape of one form field (the form itself validates the value)."""
    from django import forms
    from drf_spectacular.utils import extend_schema_field
    from rest_framework import serializers

    options: dict[str, Any] = {"required": field.required, "help_text": field.label or ""}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **options)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not field.required, **options)
    if isinstance(field, forms.MultipleChoiceField):
        return serializers.ListField(child=serializers.CharField(), **options)
    if isinstance(field, forms.ChoiceField):
        # The page's choices with their labels: a set the models also use is the models' named enum in the
        # schema (ENUM_NAME_OVERRIDES), not a second, unnamed copy of it.
        offered: Any = field.choices
        choices = [(value, label) for value, label in offered if value not in ("", None)]
        return serializers.ChoiceField(choices=choices, **options)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**{**options, "required": False})
    if isinstance(field, forms.DateField):
        date = cast(Any, extend_schema_field({"type": "string", "example": "1405/02/10"}))
        return date(serializers.CharField(**options))
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(allow_null=not field.required, **options)
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return serializers.FloatField(allow_null=not field.required, **options)
    if isinstance(field, forms.FileField):
        return serializers.FileField(allow_null=not field.required, **options)
    return serializers.CharField(allow_blank=not field.required, **options)


def form_body(name: str, make_form: Any, **extra: Any) -> Any:
    """The OpenAPI body of a page's form: a serializer named ``<name>Body`` with the fields of ``make_form`` — a
    form class (its declared fields), or a callable that builds the form when the schema is built (for the
    fields and choices a form sets up for itself) — plus ``extra`` serializer fields. For the schema only: the page's form validates the body.
    Dates are text (Jalali ``1405/02/10`` or ``YYYY-MM-DD``), a chosen row is its id."""
    import copy

    from django import forms
    from rest_framework import serializers

    class Body(serializers.Serializer):
        def get_fields(self) -> dict[str, Any]:
            is_class = isinstance(make_form, type) and issubclass(make_form, forms.BaseForm)
            form_fields = make_form.base_fields if is_class else make_form().fields
            fields = {field_name: _body_field(field) for field_name, field in form_fields.items()}
            return {**fields, **copy.deepcopy(extra)}

    Body.__name__ = Body.__qualname__ = name + "Body"
    return Body
