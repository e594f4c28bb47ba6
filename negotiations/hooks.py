"""What later apps tell this one's pages, without this app importing them.

The round dashboard shows whether each region has reported on last year's follow-up,
which only the minutes app knows. It registers a provider here when Django starts
(`MinutesConfig.ready`); with no provider the dashboard simply has no such stage.
"""

from collections.abc import Callable

# round -> {party pk: (reported, total)}: one call per dashboard, so the page's query
# count stays fixed whatever the number of parties.
FollowUpReporting = Callable[[object], dict[int, tuple[int, int]]]

_follow_up_reporting: FollowUpReporting | None = None


def register_follow_up_reporting(provider: FollowUpReporting) -> None:
    global _follow_up_reporting
    _follow_up_reporting = provider


def follow_up_reporting(round) -> dict[int, tuple[int, int]] | None:
    if _follow_up_reporting is None:
        return None
    return _follow_up_reporting(round)
