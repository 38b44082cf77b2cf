"""The review's steps under Decision 24/2021/QĐ-TTg art. 4-5, as a small state machine.

Pure data and checks: which move goes from which state to which, and which role makes it.
Services (households.campaign.services) apply a move, record who made it and when, and enforce
the rules that need the database (meetings, objections, locks).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from households.choices import ReviewStatus as S
from registry.choices import Role


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
        # Step 2: survey and scoring (thu thập thông tin, tính điểm) by a reviewer.
        _move("survey", {S.LISTED}, S.SURVEYED, OFFICER, _("Record the survey")),
        # Step 3: village meeting (họp dân); 50% or more agreeing moves it on.
        _move("discuss", {S.SURVEYED}, S.DISCUSSED, OFFICER, _("Record the village meeting")),
        # Under 50% agreeing sends the household back to the survey.
        _move("resurvey", {S.SURVEYED}, S.LISTED, OFFICER, _("Send back to the survey")),
        # Step 4: public posting (niêm yết công khai).
        _move("post", {S.DISCUSSED}, S.POSTED, OFFICER, _("Post publicly")),
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


def target_of(move: Move, state: str) -> str:
    return PREVIOUS[state] if move.name == "return" else move.target


def can_move(move_name: str, state: str) -> bool:
    move = MOVES.get(move_name)
    return move is not None and state in move.source


def moves_from(state: str) -> list[Move]:
    return [m for m in MOVES.values() if state in m.source]
