"""Responses and the write mixin shared by the campaign API views."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.response import Response

from households.api.views import (
    VALIDATION_ERROR,
    valid_data,
)

FORBIDDEN = OpenApiResponse(
    description=gettext_lazy("You may see this unit, but your role there does not allow this.")
)
NOT_FOUND = OpenApiResponse(description=gettext_lazy("Not in your area, or no such row."))
WRITE_ERRORS = {400: VALIDATION_ERROR, 403: FORBIDDEN}


class ServiceWriteMixin:
    """Answer a write with the row as the list shows it, read again through the scoped queryset."""

    def _respond(self, instance, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(
            self.serializer_class(fresh, context=self.get_serializer_context()).data,
            status=status_code,
        )

    def _input(self, serializer_class) -> dict[str, Any]:
        return valid_data(
            serializer_class(data=self.request.data, context=self.get_serializer_context())
        )
