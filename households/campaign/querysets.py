"""Querysets of the campaign's rows, restricted by the one scoping function."""

from registry.querysets import ScopedQuerySet


class UnitPathQuerySet(ScopedQuerySet):
    """Rows that carry the path of the unit they belong to."""

    scope_path_field = "unit_path"


class HouseholdRelatedQuerySet(ScopedQuerySet):
    scope_path_field = "household__unit_path"


class ReviewRelatedQuerySet(ScopedQuerySet):
    scope_path_field = "review__household__unit_path"


class CampaignQuerySet(ScopedQuerySet):
    """A province's campaign is seen by everyone working in that province, and changed by none
    of them but province staff (checked in the services)."""

    scope_path_field = "unit_path"

    def visible_to(self, user):
        from django.db.models import Q

        from registry.scoping import province_path, scope_for

        scope = scope_for(user)
        if scope.everything:
            return self.all()
        provinces = {province_path(path) for path in scope.view_paths}
        return self.filter(Q(unit_path__in=provinces) | scope.view_q("unit_path"))


class CampaignRelatedQuerySet(ScopedQuerySet):
    """Rows of a campaign (its extensions), seen by whoever sees the campaign."""

    scope_path_field = "campaign__unit_path"

    def visible_to(self, user):
        from households.campaign.models import Campaign

        return self.filter(campaign__in=Campaign.objects.visible_to(user))
