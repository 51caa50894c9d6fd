"""People, roles, the strategic board and its area alliances."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

EMAIL_TAKEN = "An account with this email address already exists"


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """The whole address in lower case: people type their address in any case, and one
        address is one account (the User constraint ignores case too)."""
        return super().normalize_email(email).strip().lower()

    def get_by_natural_key(self, username: str):
        # Sign-in (the page, the API token, the admin) finds the account whatever the case typed.
        return self.get(email__iexact=(username or "").strip())

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Enter an email address")
        user = self.model(email=self.normalize_email(email), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with their email address."""

    username = None
    email = models.EmailField("email address", unique=True)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message=EMAIL_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Partnership(models.Model):
    """The strategic board (level 3): one per installation, possibly spanning several LAs."""

    name = models.CharField(max_length=200)
    la_codes = models.JSONField(
        default=list, blank=True, help_text="LA codes the partnership covers"
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


def _own_alliance(roles) -> Q | None:
    return Q(pk__in=roles.alliance_ids) if roles.alliance_ids else None


class AllianceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(closed_on__isnull=True)

    def visible_to(self, user):
        """The partnership-wide roles see every alliance; an alliance chair their own (the
        ``clusters`` app adds the alliance of a cluster lead's or a head's cluster)."""
        from .permissions import scope_filter

        return scope_filter(self, user, own=_own_alliance, distinct=True)


class Alliance(models.Model):
    """An area alliance (level 2) that co-ordinates several family clusters."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="alliances")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    history = HistoricalRecords()

    objects = AllianceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                condition=Q(closed_on__isnull=True),
                name="alliance_open_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Role(models.TextChoices):
    OFFICER = "officer", "LA officer"
    BOARD_CHAIR = "board_chair", "Board chair"
    BOARD_MEMBER = "board_member", "Board member"
    ALLIANCE_CHAIR = "alliance_chair", "Alliance chair"
    CLUSTER_LEAD = "cluster_lead", "Cluster lead"
    HEADTEACHER = "headteacher", "Headteacher"
    PROVIDER = "provider", "Support provider"


# What each role is scoped to: one of these foreign keys is set, the others are empty.
ROLE_SCOPE = {
    Role.OFFICER: None,
    Role.BOARD_CHAIR: None,
    Role.BOARD_MEMBER: None,
    Role.ALLIANCE_CHAIR: "alliance",
    Role.CLUSTER_LEAD: "cluster",
    Role.HEADTEACHER: "school",
    Role.PROVIDER: None,
}


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gt=on))


class RoleAssignment(models.Model):
    """A person holds a role, within a scope, from a date until it is ended."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    alliance = models.ForeignKey(
        Alliance, null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    substitute_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substitutes",
        help_text="For a board member's substitute: the member they stand in for",
    )
    nominated_by = models.CharField(
        max_length=200, blank=True, help_text="The group that nominated a board member"
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_assignment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        role="alliance_chair",
                        alliance__isnull=False,
                        cluster__isnull=True,
                        school__isnull=True,
                    )
                    | Q(
                        role="cluster_lead",
                        cluster__isnull=False,
                        alliance__isnull=True,
                        school__isnull=True,
                    )
                    | Q(
                        role="headteacher",
                        school__isnull=False,
                        alliance__isnull=True,
                        cluster__isnull=True,
                    )
                    | Q(
                        role__in=["officer", "board_chair", "board_member", "provider"],
                        alliance__isnull=True,
                        cluster__isnull=True,
                        school__isnull=True,
                    )
                ),
                name="role_assignment_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.alliance or self.cluster or self.school
        label = self.get_role_display()
        return f"{label}, {scope}" if scope else label

    @property
    def scope(self):
        return self.alliance or self.cluster or self.school

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on > today)
