"""The error answers every operation may give, written once into the OpenAPI schema.

drf-spectacular documents the answers a view declares; the ones the framework gives on its own
(a refused body or filter, no credentials, no permission, a row outside the user's area, a page
past the last, too many requests) are added here, in the one shape the exception handler
(`registry.api.exceptions`) gives them, so that a client reading the schema meets no status code
it was not told of.
"""

from __future__ import annotations

import copy

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from rest_framework import serializers

UNSAFE = {"post", "put", "patch", "delete"}
METHODS = UNSAFE | {"get", "head", "options", "trace"}

ERROR_COMPONENT = "Error"
# {"detail": "..."} for a refusal as a whole; {"<field>": ["...", ...]} for refused fields, where
# a nested object's or a list's errors nest the same way ("members": [{"name": [...]}, {}]).
ERROR_SCHEMA = {
    "type": "object",
    "description": "A refusal: `detail` for the request as a whole, or messages per field.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array"}, {"type": "object"}]},
}
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}

DESCRIPTIONS = {
    "400": _("Refused input: messages per field (`detail` for a body that is not JSON)."),
    "401": _("No credentials, or credentials that are not valid."),
    "403": _("You may not do this (your role, or the step the record is at)."),
    "404": _("No such record in your area, or a page past the last."),
    "429": _("Too many requests: try again later."),
}


def _error(code: str) -> dict:
    return {
        "description": str(DESCRIPTIONS[code]),
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS entry: the framework's own error answers on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            parameters = operation.get("parameters", [])
            codes = ["403", "429"]
            if parameters or "requestBody" in operation:
                codes.append("400")
            if {} not in operation.get("security", [{}]):
                codes.append("401")
            if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
                codes.append("404")
            responses = operation.setdefault("responses", {})
            for code in codes:
                documented = responses.get(code)
                if documented is None:
                    responses[code] = _error(code)
                elif "content" not in documented:
                    documented["content"] = {"application/json": {"schema": ERROR_REF}}
    return result


# --- what a choice may be besides its choices ------------------------------------------------


def model_field_of(field: serializers.Field):
    """The model field a serializer field reads (through `source`, across relations), if any."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    attrs = getattr(field, "source_attrs", None) or [field.field_name]
    try:
        for attr in attrs[:-1]:
            model = model._meta.get_field(attr).related_model
        return model._meta.get_field(attrs[-1]) if model is not None else None
    except (AttributeError, FieldDoesNotExist):
        return None


def empty_values(field: serializers.Field) -> tuple[bool, bool]:
    """Whether a choice field may be answered blank ("") and null: what the field allows, or the
    model column it reads holds (a read-only field drops allow_blank, the column keeps it)."""
    blank = bool(getattr(field, "allow_blank", False))
    null = bool(getattr(field, "allow_null", False))
    model_field = model_field_of(field)
    if field.read_only and model_field is not None:
        blank = blank or (model_field.blank and not model_field.null)
        null = null or model_field.null
    return blank, null


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, with the blank and null a read-only choice column may answer."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if (
            type(field) is serializers.ChoiceField
            and field.read_only
            and empty_values(field) != (field.allow_blank, field.allow_null)
        ):
            field = copy.copy(field)
            field.allow_blank, field.allow_null = empty_values(field)
        return super()._map_serializer_field(field, direction, bypass_extensions)
