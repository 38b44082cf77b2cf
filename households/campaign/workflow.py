"""The review's steps under Decision 24/2021/QĐ-TTg art. 4-5, as a small state machine.

Pure data and checks: which move goes from which state to which, and which role makes it.
Every service moves a review through `households.campaign.services._common.apply_move`, which
asks `refusal` here and records the step; the rules that need the database (meetings, posting
periods, objections, locks) stay in the services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from households.choices import ReviewStatus as S
from registry.choices import Role

# The state of a review that does not exist yet (it is created by "list" or by "survey").
NEW = ""


@dataclass(frozen=True)
class Move:
    """One allowed move of a review."""

    name: str
    source: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str


def _move(name, source, target, roles, label) -> Move:
    return Move(name, frozenset(source), target, frozenset(roles), label)


OFFICER = {Role.COMMUNE_OFFICER}
CHAIR = {Role.COMMUNE_CHAIR}

MOVES: dict[str, Move] = {
    m.name: m
    for m in (
        # Step 1: list the households to review (lập danh sách), or a monthly request listed.
        _move("list", {NEW}, S.LISTED, OFFICER, _("List for review")),
        # Step 2: survey and scoring (thu thập thông tin, tính điểm) by a reviewer; a household
        # registered with its survey starts here.
        _move("survey", {NEW, S.LISTED}, S.SURVEYED, OFFICER, _("Record the survey")),
        # Step 3: village meeting (họp dân); 50% or more agreeing moves it on.
        _move("discuss", {S.SURVEYED}, S.DISCUSSED, OFFICER, _("Record the village meeting")),
        # Under 50% agreeing sends the household back to the survey.
        _move("resurvey", {S.SURVEYED}, S.LISTED, OFFICER, _("Send back to the survey")),
        # Step 4: public posting (niêm yết công khai).
        _move("post", {S.DISCUSSED}, S.POSTED, OFFICER, _("Post publicly")),
        # An objection upheld at the re-check (phúc tra) sends a posted result back to the survey.
        _move("uphold", {S.POSTED}, S.LISTED, OFFICER, _("Uphold an objection")),
        # Step 5-6: the commune chair's decision (công nhận).
        _move("recognise", {S.POSTED}, S.RECOGNISED, CHAIR, _("Recognise")),
        # Monthly review: a request refused in writing with reasons (Decision 24 art. 5).
        _move("refuse", {S.POSTED}, S.REFUSED, CHAIR, _("Refuse with reasons")),
        # A step done wrongly is sent back one step, with a comment.
        _move("return", {S.SURVEYED, S.DISCUSSED, S.POSTED}, "", OFFICER | CHAIR, _("Send back")),
    )
}
# The step before each state, for "return".
PREVIOUS: dict[str, str] = {
    S.SURVEYED: S.LISTED,
    S.DISCUSSED: S.SURVEYED,
    S.POSTED: S.DISCUSSED,
}
# Share of meeting attendees who must agree (Decision 24/2021/QĐ-TTg art. 4.3): at least 50%.
MEETING_AGREEMENT_PERCENT = 50


@dataclass(frozen=True)
class Refusal:
    """Why a move may not be made: `field` is "status" (wrong step) or "role" (wrong person)."""

    field: str
    message: str


def target_of(move: Move, state: str) -> str:
    return PREVIOUS[state] if move.name == "return" else move.target


def state_label(state: str) -> str:
    return S(state).label if state else _("not listed yet")


def _or(items: Iterable[str]) -> str:
    return " / ".join(str(i) for i in items)


def role_refusal(move_name: str, roles: Iterable[str] | None, *, unit: str = "") -> Refusal | None:
    """Why someone holding `roles` at the review's commune may not make `move_name` (None: a
    system administrator, who may make any move); None when the role allows it."""
    move = MOVES[move_name]
    if roles is None or move.roles & set(roles):
        return None
    names = _or(sorted(str(Role(r).label) for r in move.roles))
    return Refusal(
        "role",
        _("Only a %(roles)s of %(unit)s may do this (“%(move)s”).")
        % {"roles": names, "unit": unit, "move": move.label},
    )


def refusal(
    move_name: str, state: str, roles: Iterable[str] | None, *, unit: str = ""
) -> Refusal | None:
    """Why `move_name` may not be made on a review at `state` by someone holding `roles` at the
    review's commune: the role first, then the step; None when the move is allowed."""
    problem = role_refusal(move_name, roles, unit=unit)
    if problem is not None:
        return problem
    move = MOVES[move_name]
    if state not in move.source:
        allowed = _or(f"“{state_label(s)}”" for s in sorted(move.source))
        return Refusal(
            "status",
            _("“%(move)s” needs a review at the step %(allowed)s; this one is at “%(status)s”.")
            % {"move": move.label, "allowed": allowed, "status": state_label(state)},
        )
    return None


def can_move(move_name: str, state: str) -> bool:
    move = MOVES.get(move_name)
    return move is not None and state in move.source


def moves_from(state: str) -> list[Move]:
    return [m for m in MOVES.values() if state in m.source]
