"""What the catalogue tells other apps, without knowing them."""

from django.dispatch import Signal

# A SAMHSA import of whole directories no longer lists these published programs.
# Sent with `programs` (a list of Program) and `directories` (the directories read).
programs_not_listed = Signal()
