"""How a household moved between two consecutive recognised lists: a pure function.

poor → not poor is an escape from poverty; not poor → poor is newly poor, or relapsed when the
household had escaped poverty before; and so on for the near-poor list.
"""

from __future__ import annotations

from households.campaign.choices import TransitionKind as T
from households.choices import Classification as C

ON_LIST = frozenset({C.POOR, C.NEAR_POOR})


def transition_kind(
    previous: str | None, current: str | None, *, escaped_before: bool
) -> str | None:
    """The kind of move from `previous` to `current` (None: not reviewed that year), or None."""
    previous = previous if previous in ON_LIST else None
    current = current if current in ON_LIST else None
    if previous == current:
        return None
    if current == C.POOR:
        if previous == C.NEAR_POOR:
            return T.NEAR_POOR_TO_POOR
        return T.RELAPSED if escaped_before else T.NEWLY_POOR
    if current == C.NEAR_POOR:
        return T.POOR_TO_NEAR_POOR if previous == C.POOR else T.NEWLY_NEAR_POOR
    return T.ESCAPED_POVERTY if previous == C.POOR else T.ESCAPED_NEAR_POVERTY
