from django.dispatch import Signal

# Sent when what the public sees of the schedule (a round, a negotiation's time or party)
# may have changed; the public pages, in a later app, listen.
schedule_changed = Signal()
