"""Small shapes every resource reuses: a reference to a named row, a code from a classification."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from rest_framework import serializers


class NamedRef(serializers.Serializer):
    """A related named row: its id and both names."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)


class CodedRef(NamedRef):
    """A classification or taxonomy entry: id, code and both names."""

    code = serializers.CharField(read_only=True)


class ChoiceField(serializers.ChoiceField):
    """A choice written and read as its stable code (VOCABULARY.md); the label is in the schema."""

    def to_representation(self, value: Any) -> Any:
        return value


class ReadModelSerializer(serializers.ModelSerializer):
    """A read-only model serializer whose schema says what blank text fields really hold ("" allowed)."""

    def include_extra_kwargs(
        self, kwargs: MutableMapping[str, Any], extra_kwargs: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        allow_blank = kwargs.get("allow_blank")
        merged = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank:
            merged["allow_blank"] = True  # DRF drops it from read-only fields; the schema needs it
        return merged
