"""API representations of households, members and reviews, and the input each write takes.

Output serializers read rows the selectors fetched; input serializers only check types and
choices, and hand plain dicts to the services, which hold every rule.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_description_list
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from households.choices import (
    Classification,
    Employment,
    HouseholdStatus,
    Qualification,
    Relationship,
    ReviewKind,
    ReviewStatus,
    SchoolStatus,
    Sex,
    StatusEnd,
)
from households.ethnicity import ETHNIC_GROUPS
from households.evaluation import review_explanations
from households.models import Household, HouseholdYear, Member, Review
from households.privacy import id_number_for
from households.selectors import TIMELINE_KINDS, household_list, latest_review, status_in_force
from households.services import MAX_MEMBERS_PER_REQUEST, registered_elsewhere_message
from policies.standards import MAX_B1_SCORE
from registry.api.fields import AmountField, DateField, IdField, YearField
from registry.api.schema import empty_values
from registry.choices import AreaType, Level
from registry.models import AdminUnit
from registry.selectors import unit_list

# --- choices named once in the schema ---------------------------------------------------------


class EnumField(serializers.ChoiceField):
    """A choice of `choices` (a TextChoices class), shown in the schema as one named enum.

    Without it the schema names a choice set after each field holding it ("classification",
    "computed_classification", ...) and drf-spectacular warns about the duplicates.
    """

    def __init__(self, choices: type[models.TextChoices], **kwargs) -> None:
        self.choices_class = choices
        super().__init__(choices=choices.choices, **kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def map_serializer_field(self, auto_schema, direction):
        choices = self.target.choices_class
        component = ResolvedComponent(
            name=f"{choices.__name__}Enum",
            type=ResolvedComponent.SCHEMA,
            object=choices,
            schema={
                "enum": list(choices.values),
                "type": "string",
                "description": build_choice_description_list(choices.choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        blank, null = empty_values(self.target)
        # What a blank or null column answers besides the choices (registry.api.schema).
        if not blank and not null:
            return component.ref
        if not blank:
            return {"allOf": [component.ref], "nullable": True}
        schema = {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
        return {**schema, "nullable": True} if null else schema


# --- references to rows the user may see -------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class UnitField(serializers.PrimaryKeyRelatedField):
    """The id of a unit of `level` in the user's area; any other id is "not found"."""

    def __init__(self, *, level: str, **kwargs) -> None:
        self.level = level
        super().__init__(queryset=AdminUnit.objects.none(), **kwargs)

    def get_queryset(self):
        return unit_list(user=self.context["request"].user).filter(level=self.level)


@extend_schema_field(OpenApiTypes.INT)
class HouseholdField(serializers.PrimaryKeyRelatedField):
    """The id of a household the user may see; any other id is "not found"."""

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=Household.objects.none(), **kwargs)

    def get_queryset(self):
        return household_list(user=self.context["request"].user)


COMMUNE_NOT_FOUND = _("Choose a commune in your area (there is none with id {pk_value}).")
VILLAGE_NOT_FOUND = _("Choose a village in your area (there is none with id {pk_value}).")
HOUSEHOLD_NOT_FOUND = _("There is no household with id {pk_value} in your area.")
TOO_MANY_MEMBERS = {"max_length": _("Send at most {max_length} members at a time.")}
ETHNICITY_REQUIRED = _("Give the member's ethnicity (code 01 to 54): there is no default.")


# --- output ------------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    """A member of a household, current or former."""

    class Meta:
        model = Member
        fields = [
            "id",
            "household",
            "full_name",
            "relationship",
            "sex",
            "birth_year",
            "birth_date",
            "ethnicity",
            "is_ethnic_minority",
            "id_number",
            "has_health_insurance",
            "health_insurance_valid_to",
            "school_status",
            "school_level_matches_age",
            "qualification",
            "employment",
            "has_disability",
            "receives_social_allowance",
            "malnourished",
            "joined_on",
            "left_on",
            "leave_reason",
        ]
        read_only_fields = fields

    def to_representation(self, member: Member) -> dict:
        data = super().to_representation(member)
        # In full only to the officers and chair of the household's commune (households.privacy).
        request = self.context.get("request")
        data["id_number"] = id_number_for(getattr(request, "user", None), member) or None
        return data


class DisagreementSerializer(serializers.Serializer):
    """An indicator where member data says one thing and the officer ticked another."""

    indicator = serializers.CharField()
    derived = serializers.BooleanField()
    ticked = serializers.BooleanField()


class ExplanationField(serializers.CharField):
    """A review's explanation in one language: the prose stored with its reasons, else rendered
    from its facts (a review the bulk import classified is stored without it), as
    `households.evaluation.review_explanations` gives it; "" for a review without a result."""

    def __init__(self, lang: str, **kwargs: Any) -> None:
        self.lang_index = ("vi", "en").index(lang)
        super().__init__(source="*", read_only=True, default="", **kwargs)

    def to_representation(self, review: Review) -> str:
        # One cache for the response (listed and nested serializers share the context): the
        # overrides are read once per standard and province for the reviews rendered.
        cache = self.context.setdefault("review_explanations_cache", {})
        return review_explanations(review, cache=cache)[self.lang_index]


class ReviewSerializer(serializers.ModelSerializer):
    """A review with what the standard computed and why (stored when the review was saved)."""

    household_code = serializers.CharField(source="household.code", read_only=True)
    kind = EnumField(ReviewKind, read_only=True)
    computed_classification = EnumField(Classification, read_only=True)
    recognised_classification = EnumField(Classification, read_only=True)
    line_key = serializers.CharField(source="computed_reasons.line_key", read_only=True, default="")
    deprived = serializers.ListField(
        child=serializers.CharField(),
        source="computed_reasons.deprived",
        read_only=True,
        default=list,
    )
    deprivation_count = serializers.IntegerField(
        source="computed_reasons.deprivation_count", read_only=True, default=0
    )
    explanation_vi = ExplanationField("vi")
    explanation_en = ExplanationField("en")
    derived = serializers.DictField(
        child=serializers.BooleanField(),
        source="computed_reasons.derived",
        read_only=True,
        default=dict,
    )
    disagreements = DisagreementSerializer(
        many=True, source="computed_reasons.disagreements", read_only=True, default=list
    )

    status = EnumField(ReviewStatus, read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "household",
            "household_code",
            "list_year",
            "kind",
            "status",
            "survey_date",
            "standard_code",
            "area_type",
            "income_per_capita",
            "b1_score",
            "deprivations",
            "housing_area_m2",
            "computed_classification",
            "computed_line",
            "line_key",
            "recognised_classification",
            "is_overridden",
            "override_reason",
            "deprived",
            "deprivation_count",
            "explanation_vi",
            "explanation_en",
            "derived",
            "disagreements",
            "reviewer",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class HouseholdYearSerializer(serializers.ModelSerializer):
    """The status of a household for a list year: the class recognised and in force, the review
    and decision it came from, the persons counted, ethnic minority (by the head), the period."""

    classification = EnumField(Classification, read_only=True)
    review_kind = EnumField(ReviewKind, read_only=True)
    end_reason = EnumField(StatusEnd, read_only=True, allow_blank=True)
    decision_number = serializers.CharField(
        source="decision.number", read_only=True, default=None, allow_null=True
    )
    decision_signed_on = DateField(
        source="decision.signed_on", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = HouseholdYear
        fields = [
            "list_year",
            "classification",
            "review",
            "review_kind",
            "decision",
            "decision_number",
            "decision_signed_on",
            "considered_review",
            "persons",
            "is_ethnic_minority",
            "head_ethnicity",
            "area_type",
            "standard_code",
            "valid_from",
            "valid_to",
            "end_reason",
        ]
        read_only_fields = fields


class HouseholdSerializer(serializers.ModelSerializer):
    """A household with its current members, its status in force and its reviews.

    `status_in_force` is the household's status on this year's list while it holds (null when
    the household is on no list now); `current_review` the review that status came from;
    `latest_review` the newest review whatever its step (the one being worked on).
    Send `version` back unchanged when you update the household: it detects concurrent edits.
    """

    commune_name = serializers.CharField(source="commune.name", read_only=True)
    village_name = serializers.CharField(
        source="village.name", read_only=True, default=None, allow_null=True
    )
    members = serializers.SerializerMethodField()
    status_in_force = serializers.SerializerMethodField(method_name="get_status")
    current_review = serializers.SerializerMethodField()
    latest_review = serializers.SerializerMethodField()

    status = EnumField(HouseholdStatus, read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "code",
            "commune",
            "commune_name",
            "village",
            "village_name",
            "address",
            "phone",
            "area_type",
            "status",
            "head_name",
            "version",
            "members",
            "status_in_force",
            "current_review",
            "latest_review",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, household: Household) -> list[dict]:
        # The selectors prefetch the members; filter in Python to keep the query count fixed.
        current = [m for m in household.members.all() if m.left_on is None]
        return MemberSerializer(current, many=True, context=self.context).data

    @extend_schema_field(HouseholdYearSerializer(allow_null=True))
    def get_status(self, household: Household) -> dict | None:
        status = status_in_force(household)
        return HouseholdYearSerializer(status).data if status is not None else None

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_current_review(self, household: Household) -> dict | None:
        status = status_in_force(household)
        # The prefetched reviews know their household: no query per row.
        review = next(
            (r for r in household.reviews.all() if status and r.pk == status.review_id), None
        )
        return ReviewSerializer(review, context=self.context).data if review else None

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_latest_review(self, household: Household) -> dict | None:
        latest = latest_review(household)
        return ReviewSerializer(latest, context=self.context).data if latest else None


class HistoryChangeSerializer(serializers.Serializer):
    """One field's change: the values as stored, and as the household page shows them."""

    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)
    old_display = serializers.CharField()
    new_display = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    """One recorded write to a household or to what concerns it: its members, reviews and their
    steps, status rows and periods, requests, objections, priority-list places, entitlements,
    disbursements, certificates (households.selectors.household_timeline, the timeline of the
    household page). `import_batch` names the file an import wrote it from."""

    when = serializers.DateTimeField()
    who = serializers.CharField(source="who_username", allow_null=True)
    kind = serializers.ChoiceField(choices=list(TIMELINE_KINDS))
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    object = serializers.CharField()
    model_name = serializers.CharField()
    import_batch = serializers.CharField(allow_null=True)
    changes = HistoryChangeSerializer(many=True)


class DuplicateSerializer(serializers.Serializer):
    """A member being entered who may already be registered.

    `kind` is "id_number" (the same ID number: certain) or "name_birth_year" (the same name,
    diacritics ignored, and birth year in the same commune: possible). `row` is the index of
    the member in the request. An ID number registered outside your area comes with
    `elsewhere` true, a `message`, and no member, household or name.
    """

    row = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["id_number", "name_birth_year"])
    elsewhere = serializers.BooleanField()
    member_id = serializers.IntegerField(allow_null=True)
    household_id = serializers.IntegerField(allow_null=True)
    household_code = serializers.CharField(allow_blank=True)
    full_name = serializers.CharField(allow_blank=True)
    message = serializers.SerializerMethodField()

    def get_message(self, duplicate) -> str:
        if duplicate.elsewhere:
            return registered_elsewhere_message()
        if duplicate.kind == "id_number":
            return gettext(
                "This ID number is already registered for %(name)s in household %(code)s."
            ) % {"name": duplicate.full_name, "code": duplicate.household_code}
        return gettext(
            "A member of household %(code)s has the same name and year of birth: %(name)s."
        ) % {"name": duplicate.full_name, "code": duplicate.household_code}


class ClassificationSerializer(serializers.Serializer):
    """What the standard that applies (the commune's campaign's, else the list year's) says about
    the facts sent, and why: the result the save would compute."""

    classification = EnumField(Classification)
    standard_code = serializers.CharField()
    line = serializers.IntegerField(help_text=_("The line that decided (VND, or B1 points)."))
    line_key = serializers.CharField()
    deprived = serializers.ListField(child=serializers.CharField())
    deprivation_count = serializers.IntegerField()
    b2_score = serializers.IntegerField()
    unconfirmed = serializers.ListField(child=serializers.CharField())
    unconfirmed_indicators = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "Deprived indicators the result counted whose definition is not confirmed against "
            "the legal text."
        ),
    )
    overridden = serializers.ListField(child=serializers.CharField())
    explanation_vi = serializers.CharField()
    explanation_en = serializers.CharField()
    derived = serializers.DictField(child=serializers.BooleanField())
    disagreements = DisagreementSerializer(many=True)


class ConflictSerializer(serializers.Serializer):
    """The household was saved by someone else since the client read it; nothing was saved."""

    detail = serializers.CharField()
    current_version = serializers.IntegerField()


# --- input -------------------------------------------------------------------------------------


class MemberFactsSerializer(serializers.Serializer):
    """What the standards read about one member (to derive indicators such as health insurance)."""

    birth_year = serializers.IntegerField(required=False, allow_null=True)
    birth_date = DateField(required=False, allow_null=True)
    has_health_insurance = serializers.BooleanField(required=False)
    health_insurance_valid_to = DateField(required=False, allow_null=True)
    school_status = serializers.ChoiceField(choices=SchoolStatus.choices, required=False)
    school_level_matches_age = serializers.BooleanField(required=False, allow_null=True)
    qualification = serializers.ChoiceField(choices=Qualification.choices, required=False)
    employment = serializers.ChoiceField(choices=Employment.choices, required=False)
    receives_social_allowance = serializers.BooleanField(required=False)
    malnourished = serializers.BooleanField(required=False)


class ClassifyMemberSerializer(MemberFactsSerializer):
    def validate(self, attrs):
        if attrs.get("birth_year") is None and attrs.get("birth_date") is None:
            raise serializers.ValidationError(
                {"birth_year": [_("Enter the year of birth (the exact date may stay empty).")]}
            )
        if attrs.get("birth_year") is None:
            attrs["birth_year"] = attrs["birth_date"].year
        return attrs


class MemberCreateSerializer(MemberFactsSerializer):
    """A member of a household being registered."""

    full_name = serializers.CharField(max_length=120)
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    sex = serializers.ChoiceField(choices=Sex.choices)
    # Asked of every member: no default (Kinh or any other), so a client must send it.
    ethnicity = serializers.ChoiceField(
        choices=ETHNIC_GROUPS,
        error_messages={"required": ETHNICITY_REQUIRED},
    )
    # Longer than 12: people type spaces and dots between groups of digits.
    id_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, allow_null=True
    )
    has_disability = serializers.BooleanField(required=False)
    joined_on = DateField(required=False, allow_null=True)


class MemberUpdateSerializer(MemberCreateSerializer):
    """A member row of an update: with `id` it changes that current member (fields left out keep
    their value); without `id` it adds a member. Current members not sent leave the household."""

    id = IdField(required=False)
    full_name = serializers.CharField(max_length=120, required=False)
    relationship = serializers.ChoiceField(choices=Relationship.choices, required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    ethnicity = serializers.ChoiceField(
        choices=ETHNIC_GROUPS,
        required=False,
        error_messages={"required": ETHNICITY_REQUIRED},
    )

    def validate(self, attrs):
        if attrs.get("id") is None:
            required = ("full_name", "relationship", "sex", "ethnicity")
            missing = [name for name in required if name not in attrs]
            if missing:
                raise serializers.ValidationError(
                    {name: [self.fields[name].error_messages["required"]] for name in missing}
                )
        return attrs


class ReviewInputSerializer(serializers.Serializer):
    """The facts of a review, classified when it is saved under the standard the province's
    campaign for `list_year` names, else the one in force for the year.

    Give `income_per_capita` (VND per person per month) or `b1_score`, not both.
    `deprivations` are indicator codes of that standard (e.g. "D22_WATER_SOURCE").
    """

    list_year = YearField()
    kind = EnumField(ReviewKind, required=False)
    survey_date = DateField()
    income_per_capita = AmountField(required=False, allow_null=True)
    b1_score = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_B1_SCORE
    )
    deprivations = serializers.ListField(child=serializers.CharField(), required=False)
    housing_area_m2 = serializers.DecimalField(
        max_digits=7, decimal_places=1, required=False, allow_null=True
    )
    recognised_classification = EnumField(
        Classification,
        required=False,
        help_text=_("Give it only where it differs from the computed one, with the reason."),
    )
    override_reason = serializers.CharField(required=False, allow_blank=True)


class HouseholdCreateSerializer(serializers.Serializer):
    """A household to register, with its members and, optionally, its review."""

    commune = UnitField(level=Level.COMMUNE, error_messages={"does_not_exist": COMMUNE_NOT_FOUND})
    village = UnitField(
        level=Level.VILLAGE,
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": VILLAGE_NOT_FOUND},
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    members = MemberCreateSerializer(
        many=True, max_length=MAX_MEMBERS_PER_REQUEST, error_messages=TOO_MANY_MEMBERS
    )
    review = ReviewInputSerializer(required=False, allow_null=True)


class HouseholdUpdateSerializer(serializers.Serializer):
    """Changes to a household. `version` is the one you read and is required, also with PATCH.

    With PATCH, fields left out keep their value (leaving out `members` keeps every member).
    """

    version = serializers.IntegerField(min_value=1)
    village = UnitField(
        level=Level.VILLAGE,
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": VILLAGE_NOT_FOUND},
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    members = MemberUpdateSerializer(
        many=True, max_length=MAX_MEMBERS_PER_REQUEST, error_messages=TOO_MANY_MEMBERS
    )
    review = ReviewInputSerializer(required=False, allow_null=True)
    leave_reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Why the current members not sent leave the household."),
    )

    def validate(self, attrs):
        if "version" not in attrs:  # PATCH makes every field optional, but not this one
            raise serializers.ValidationError(
                {"version": [self.fields["version"].error_messages["required"]]}
            )
        return attrs


class DuplicateQueryMemberSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    id_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, allow_null=True
    )


class DuplicateCheckSerializer(serializers.Serializer):
    """Members being entered in a commune; `household` is the one being edited, if any."""

    commune = UnitField(level=Level.COMMUNE, error_messages={"does_not_exist": COMMUNE_NOT_FOUND})
    household = HouseholdField(
        required=False, allow_null=True, error_messages={"does_not_exist": HOUSEHOLD_NOT_FOUND}
    )
    members = DuplicateQueryMemberSerializer(
        many=True, max_length=MAX_MEMBERS_PER_REQUEST, error_messages=TOO_MANY_MEMBERS
    )


class ClassifySerializer(serializers.Serializer):
    """Facts to classify without saving anything. Give `commune` or `area_type`.

    Give `income_per_capita` or `b1_score`, not both; `members` let the standard derive
    indicators and report where they disagree with the ticked `deprivations`.
    """

    list_year = YearField()
    commune = UnitField(
        level=Level.COMMUNE,
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": COMMUNE_NOT_FOUND},
    )
    area_type = serializers.ChoiceField(choices=AreaType.choices, required=False)
    income_per_capita = AmountField(required=False, allow_null=True)
    b1_score = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_B1_SCORE
    )
    deprivations = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    members = ClassifyMemberSerializer(many=True, required=False, default=list)
    survey_date = DateField(
        required=False, help_text=_("The day ages are counted on; today if left out.")
    )
    housing_area_m2 = serializers.DecimalField(
        max_digits=7, decimal_places=1, required=False, allow_null=True
    )

    def validate(self, attrs):
        commune = attrs.get("commune")
        if commune is not None:
            attrs["area_type"] = commune.area_type
        elif not attrs.get("area_type"):
            raise serializers.ValidationError(
                {"area_type": [_("Give the area type or the commune.")]}
            )
        return attrs


class MoveInSerializer(serializers.Serializer):
    """The date a household moved into the commune."""

    on = DateField()


class MoveOutSerializer(MoveInSerializer):
    """The date a household moved out, and where or why."""

    reason = serializers.CharField(max_length=200)
