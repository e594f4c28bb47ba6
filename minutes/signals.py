"""What this app tells the apps above it, which it does not import (public alerts).

Both are sent inside the transaction that made the change, so a receiver that queues its
work through the outbox (`steering.outbox.enqueue`) commits with it or not at all.
"""

from django.dispatch import Signal

# publication (the new Publication), corrected (bool: it replaces an earlier one).
protocol_published = Signal()
# publication (the Publication named when withdrawing; every one of its negotiation goes).
protocol_withdrawn = Signal()
