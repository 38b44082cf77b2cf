"""One mapping of a service's ValidationError: beside the fields on the pages, the same keys in the
API's 400."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import RequestFactory
from django.utils import translation

from registry.api.exceptions import exception_handler
from registry.errors import RowForms, apply_service_errors, flash_service_errors, service_errors


class PlaceForm(forms.Form):
    commune = forms.CharField(required=False)


class ReviewForm(forms.Form):
    income = forms.IntegerField(required=False)


class MemberForm(forms.Form):
    full_name = forms.CharField(required=False)


MemberFormSet = forms.formset_factory(MemberForm, extra=0)


def bound(form_class, data=None, **kwargs):
    form = form_class(data or {}, **kwargs)
    form.is_valid()
    return form


def members(n: int):
    data = {"m-TOTAL_FORMS": str(n), "m-INITIAL_FORMS": "0"}
    formset = MemberFormSet(data, prefix="m")
    formset.is_valid()
    return RowForms(forms=formset.forms, formset=formset)


def test_service_errors_keep_the_keys_and_put_loose_messages_under_non_field():
    assert service_errors(ValidationError({"members.0.full_name": ["x"]})) == {
        "members.0.full_name": ["x"]
    }
    assert service_errors(ValidationError("loose")) == {NON_FIELD_ERRORS: ["loose"]}


def test_each_key_goes_beside_its_field_on_whichever_form_has_it():
    place, review = bound(PlaceForm), bound(ReviewForm)
    apply_service_errors(
        ValidationError({"income": ["too low"], "commune": ["closed"]}), place, review
    )
    assert (place.errors["commune"], review.errors["income"]) == (["closed"], ["too low"])


def test_a_key_no_form_has_is_not_lost_but_shown_on_the_first_form():
    place = bound(PlaceForm)
    apply_service_errors(ValidationError({"parent": ["no parent"]}), place)
    apply_service_errors(ValidationError("loose"), place)
    assert place.non_field_errors() == ["no parent", "loose"]


def test_row_keys_go_to_the_row_form_and_the_rest_to_the_formset():
    place, rows = bound(PlaceForm), members(2)
    error = ValidationError(
        {
            "members.1.full_name": ["name"],
            "members.0.unknown": ["row"],
            "members.7.full_name": ["no such row"],
            "members": ["no head"],
        }
    )
    apply_service_errors(error, place, rows={"members": rows})
    assert rows.forms[1].errors["full_name"] == ["name"]
    assert rows.forms[0].non_field_errors() == ["row"]
    assert rows.formset.non_form_errors() == ["no such row", "no head"]


def test_rows_the_page_shows_are_returned_and_others_go_to_the_form():
    form = bound(PlaceForm)
    error = ValidationError({"reviews.3": ["objection open"], "reviews.4": ["not yours"]})
    shown = apply_service_errors(error, form, row_ids={"reviews": {3}})
    assert shown == {"reviews": {3: ["objection open"]}}
    assert form.non_field_errors() == ["not yours"]


def test_a_form_may_rename_keys_to_its_fields():
    class VoteForm(forms.Form):
        vote_12 = forms.IntegerField(required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.error_fields = {"votes.12": "vote_12"}

    form = bound(VoteForm)
    apply_service_errors(ValidationError({"votes.12": ["more than attending"]}), form)
    assert form.errors["vote_12"] == ["more than attending"]


def test_a_field_the_form_refused_keeps_only_the_forms_message():
    with translation.override("en"):
        review = bound(ReviewForm, {"income": "abc"})
        apply_service_errors(ValidationError({"income": ["Enter the income."]}), review)
        assert review.errors["income"] == ["Enter a whole number."]


def test_flash_messages_carry_every_message():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    flash_service_errors(request, ValidationError({"unit": ["a"], "reason": ["b", "c"]}))
    assert [m.message for m in get_messages(request)] == ["a", "b", "c"]


def test_the_api_answers_the_same_keys():
    error = ValidationError({"members.0.ethnicity": ["choose"], "income": ["low"]})
    response = exception_handler(error, {})
    assert response.status_code == 400
    assert response.data == service_errors(error)


def test_the_api_names_loose_messages_non_field_errors():
    response = exception_handler(ValidationError("closed"), {})
    assert response.data == {"non_field_errors": ["closed"]}
