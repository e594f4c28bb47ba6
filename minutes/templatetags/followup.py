"""The ledger's word on the negotiations app's pages.

The negotiations app may not import this one, so its templates ask here: the agenda item
that follows up the previous negotiations lists what they left open. The page's own access
rule (officials, and the party's own staff) decides who gets that far; nothing here is
ever on a public page.
"""

from django import template

from ..services.outcomes import carried_items as _carried_items

register = template.Library()


@register.simple_tag
def carried_items(negotiation) -> list:
    """The open items of the party's previous negotiations of the same kind, with their
    latest status, oldest first."""
    return list(_carried_items(negotiation))
