"""Signals categorisation sends for the apps above it (brokerage opens support cases)."""

from django.dispatch import Signal

# Sent inside the agreement's transaction with ``run`` (the agreed Run) and ``by`` (who agreed).
run_agreed = Signal()
