"""What ``accounts`` announces to the apps above it, which it must not import (arrows point one way)."""

from django.dispatch import Signal

# A membership that would join a staff role and a client role waits for a manager of the approving
# company: sent with ``pending`` (the PendingMembership) and ``managers`` (the users who may decide).
membership_awaits_approval = Signal()
