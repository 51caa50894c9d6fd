"""Writes to the provider directory: entries, the shared list of expertise, and conflicts of
interest. Who may call each is decided by ``brokerage/rules.py`` in the page or endpoint; these
check what must hold whoever asks."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from schools.models import Phase, School, Trust

from .models import ConflictDeclaration, Expertise, Provider, ProviderKind

SCHOOL_NEEDED = "Choose the school this entry offers"
NAME_NEEDED = "Enter the provider's name"
UNKNOWN_PHASE = "'{}' is not a phase: choose from the list"
CAPACITY_TOO_BIG = "Capacity must be 65 days a term or fewer"
VAT_NOT_PAID = "A provider that cannot be paid cannot be VAT registered"
CONFLICT_REASON_NEEDED = "Enter the reason for the conflict of interest"
CONFLICT_ALREADY = "A conflict between {provider} and {school} is already declared"
EXPERTISE_NAME_NEEDED = "Enter the name of the area of expertise"
EXPERTISE_EXISTS = "There is already an area of expertise called {}"
MAX_CAPACITY = 65  # a full term of school days

EDITABLE = (
    "name",
    "kind",
    "person",
    "school",
    "trust",
    "phases",
    "capacity_days_per_term",
    "can_be_paid",
    "vat_registered",
    "description",
)


def _save(instance, by) -> None:
    instance._history_user = by
    instance.save()


def _check(provider: Provider) -> None:
    """What every entry must satisfy, with a message the person can act on."""
    provider.name = (provider.name or "").strip()
    if provider.kind == ProviderKind.SCHOOL and provider.school_id is None:
        raise ValidationError(SCHOOL_NEEDED)
    if not provider.name and provider.school_id:
        provider.name = School.objects.get(pk=provider.school_id).name
    if not provider.name:
        raise ValidationError(NAME_NEEDED)
    unknown = [p for p in provider.phases if p not in Phase.values]
    if unknown:
        raise ValidationError(UNKNOWN_PHASE.format(unknown[0]))
    if provider.capacity_days_per_term > MAX_CAPACITY:
        raise ValidationError(CAPACITY_TOO_BIG)
    if provider.vat_registered and not provider.can_be_paid:
        raise ValidationError(VAT_NOT_PAID)


def _trust_of(school: School | None, trust: Trust | None) -> Trust | None:
    """A school's entry is its trust's too, unless another trust is given."""
    if trust is None and school is not None and school.trust_id:
        return school.trust
    return trust


@transaction.atomic
def provider_create(*, by, expertise: Iterable[Expertise] = (), **fields) -> Provider:
    """Add an entry to the directory (``fields`` from ``EDITABLE``)."""
    fields = {name: value for name, value in fields.items() if name in EDITABLE}
    fields["phases"] = list(fields.get("phases") or [])
    fields["trust"] = _trust_of(fields.get("school"), fields.get("trust"))
    provider = Provider(**fields)
    _check(provider)
    _save(provider, by)
    provider.expertise.set(list(expertise))
    return provider


@transaction.atomic
def provider_update(*, provider: Provider, by, expertise=None, **fields) -> Provider:
    """Change an entry: only the fields given (from ``EDITABLE``), and its expertise if given."""
    locked = Provider.objects.select_for_update().get(pk=provider.pk)
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(locked, name, list(value or []) if name == "phases" else value)
    _check(locked)
    _save(locked, by)
    if expertise is not None:
        locked.expertise.set(list(expertise))
    return locked


@transaction.atomic
def provider_set_active(*, provider: Provider, active: bool, by) -> Provider:
    """Deactivate an entry (it is no longer proposed, and its history stays), or reactivate it."""
    locked = Provider.objects.select_for_update().get(pk=provider.pk)
    if locked.active != active:
        locked.active = active
        _save(locked, by)
    return locked


@transaction.atomic
def conflict_declare(*, provider: Provider, school: School, reason: str, by) -> ConflictDeclaration:
    """Declare that the provider must not support the school, and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(CONFLICT_REASON_NEEDED)
    conflict = ConflictDeclaration(provider=provider, school=school, reason=reason, declared_by=by)
    try:
        with transaction.atomic():
            _save(conflict, by)
    except IntegrityError:
        raise ValidationError(
            CONFLICT_ALREADY.format(provider=provider.name, school=school.name)
        ) from None
    return conflict


@transaction.atomic
def conflict_withdraw(*, conflict: ConflictDeclaration, by) -> None:
    """Withdraw a declared conflict (its history keeps who declared and withdrew it)."""
    conflict._history_user = by
    conflict.delete()


def _expertise_name(name: str, *, exclude_pk=None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(EXPERTISE_NAME_NEEDED)
    if Expertise.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ValidationError(EXPERTISE_EXISTS.format(name))
    return name


@transaction.atomic
def expertise_create(*, name: str, by) -> Expertise:
    """Add an area of expertise to the shared list."""
    return Expertise.objects.create(name=_expertise_name(name))


@transaction.atomic
def expertise_rename(*, expertise: Expertise, name: str, by) -> Expertise:
    """Rename an area of expertise (every entry offering it follows)."""
    expertise.name = _expertise_name(name, exclude_pk=expertise.pk)
    expertise.save(update_fields=["name"])
    return expertise
