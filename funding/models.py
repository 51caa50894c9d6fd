"""The improvement fund: one per financial year, its tariff, its allocations to alliances and
its append-only ledger, from which every balance is derived."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from kernel.money import MoneyField, pence
from partnership.permissions import roles_of

APPEND_ONLY = "Ledger entries cannot be changed or deleted: post a reversal instead"


def financial_year_of(day: datetime.date) -> int:
    """The year a financial year (April to March) starts in: 7 December 2026 is in 2026-27."""
    return day.year if day.month >= 4 else day.year - 1


class FundQuerySet(models.QuerySet):
    def for_day(self, day: datetime.date | None = None):
        """The fund whose financial year holds ``day`` (today), or none."""
        return self.filter(year=financial_year_of(day or timezone.localdate()))


class Fund(models.Model):
    """The partnership's improvement fund for one financial year (April to March)."""

    class Rule(models.TextChoices):
        PRO_RATA = "pro_rata", "Pro rata: every alliance gets the same share of its need"
        PRIORITY = "priority", "By priority: High band schools first, then Medium, then Low"

    partnership = models.ForeignKey(
        "partnership.Partnership", on_delete=models.PROTECT, related_name="funds"
    )
    year = models.PositiveSmallIntegerField(help_text="The year the financial year starts in")
    allocation_rule = models.CharField(max_length=20, choices=Rule.choices, blank=True)
    allocation_run = models.ForeignKey(
        "categorisation.Run", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allocation_agreed_at = models.DateTimeField(null=True, blank=True)
    allocation_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    allocation_decision = models.CharField("board decision reference", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="one_fund_per_year")
        ]

    def __str__(self) -> str:
        return f"Improvement fund {self.name}"

    @property
    def name(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, 4, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.year + 1, 3, 31)


class Band(models.TextChoices):
    """The categorisation's support bands (``Result.support_band``), highest need first."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class TariffBand(models.Model):
    """What the fund gives an alliance for each focused-support school in a band."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="tariff")
    band = models.CharField(max_length=20, choices=Band.choices)
    amount = MoneyField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "band"], name="one_tariff_per_band"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="tariff_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_band_display()} band in {self.fund.name}"


class Allocation(models.Model):
    """An alliance's share of a fund: what its need came to when the board agreed the
    allocation, and the amount agreed (kept in step with its allocation entries, which
    ``fund_check`` proves). Commitments lock this row, so they are made one at a time."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="allocations")
    alliance = models.ForeignKey("partnership.Alliance", on_delete=models.PROTECT, related_name="+")
    need = MoneyField(default=0)
    schools = models.JSONField(default=dict, help_text="Focused-support schools by band")
    amount = MoneyField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance__name"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "alliance"], name="one_allocation_per_alliance")
        ]

    def __str__(self) -> str:
        return f"{self.alliance} in {self.fund.name}"


class OverdrawApproval(models.Model):
    """A recorded board decision that lets a commitment take an alliance past its allocation."""

    engagement = models.ForeignKey(
        "brokerage.Engagement", on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField("board decision reference", max_length=200)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Overdraw approved for engagement {self.engagement_id}: {self.reference}"


class Kind(models.TextChoices):
    INCOME = "income", "Income"
    FIXED_COST = "fixed_cost", "Fixed cost"
    ALLOCATION = "allocation", "Allocation"
    COMMITMENT = "commitment", "Commitment"
    PAYMENT = "payment", "Payment"
    RELEASE = "release", "Release"
    ADJUSTMENT = "adjustment", "Adjustment"


class Source(models.TextChoices):
    """Where income comes from (Dorset, Liverpool, Tower Hamlets, Wigan in DOMAIN.md)."""

    LA_GRANT = "la_grant", "Local authority grant"
    DE_DELEGATION = "de_delegation", "De-delegated money"
    SCHOOLS_FLAT = "schools_flat", "School contributions (flat rate)"
    SCHOOLS_PER_PUPIL = "schools_per_pupil", "School contributions (per pupil)"
    EXTERNAL_BID = "external_bid", "External bid"
    OTHER = "other", "Other"


HAND_REVERSIBLE = frozenset({Kind.INCOME, Kind.FIXED_COST, Kind.PAYMENT, Kind.ADJUSTMENT})


class LedgerEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The ledger is the officers' books: nobody else reads it line by line."""
        return self if roles_of(user).is_officer else self.none()


class LedgerEntry(models.Model):
    """One posting to a fund, never changed: a correction is a reversal (same kind, the amount
    negated, ``reverses`` pointing at the entry), and each entry can be reversed once.

    Signs: income, fixed costs, allocations, commitments, payments and releases are positive
    amounts of their own kind (a reversal negative); an adjustment to the budget is signed.
    A payment's ``amount`` is what the fund pays (gross); ``vat`` is the VAT within it.
    """

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=20, choices=Source.choices, blank=True)
    amount = MoneyField()
    vat = MoneyField(default=0)
    alliance = models.ForeignKey(
        "partnership.Alliance", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    engagement = models.ForeignKey(
        "brokerage.Engagement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    idempotency_key = models.CharField(max_length=100, unique=True)
    digest = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["fund", "kind", "alliance"]),
            models.Index(fields=["fund", "school"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="adjustment") | ~Q(reason=""), name="adjustment_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reason=""), name="reversal_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["allocation", "commitment", "release"])
                | Q(alliance__isnull=False),
                name="alliance_entry_has_alliance",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["commitment", "payment", "release"])
                | Q(engagement__isnull=False),
                name="engagement_entry_has_engagement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.fund.name})"

    def save(self, *args, **kwargs):
        # Append-only: a row is written once (the services post; nothing edits).
        if self.pk is not None:
            raise ValidationError(APPEND_ONLY)
        self.digest = self.compute_digest()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(APPEND_ONLY)

    def compute_digest(self) -> str:
        """A fingerprint of what the entry says: ``fund_check`` notices a row changed since."""
        parts = (
            self.fund_id,
            self.kind,
            self.source,
            pence(self.amount),
            pence(self.vat),
            self.alliance_id,
            self.engagement_id,
            self.school_id,
            self.reverses_id,
            self.idempotency_key,
        )
        return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()

    @property
    def reversible_by_hand(self) -> bool:
        """Income, fixed costs, payments and adjustments; the rest follow the support and the
        board's allocation."""
        return self.reverses_id is None and self.kind in HAND_REVERSIBLE
