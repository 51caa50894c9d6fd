"""Services for people and their roles: invite, assign a role, end it, close an account.

Every write records who made it (``_history_user``) so the audit trail can name them, and drops
the cached roles of the person whose roles changed.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode

from .models import ROLE_SCOPE, Role, RoleAssignment, User
from .permissions import forget_roles

ALREADY_HAS_ACCOUNT = (
    "{email} already has an account. To send their invitation again, use the button on their page"
)
SCOPE_REQUIRED = {
    "alliance": "Choose the alliance this alliance chair leads",
    "cluster": "Choose the cluster this cluster lead leads",
    "school": "Choose the school this headteacher leads",
}
SCOPE_NOT_OPEN = {
    "alliance": "{scope} has closed: choose an open alliance",
    "cluster": "{scope} has closed: choose an open cluster",
    "school": "{scope} has closed: choose an open school",
}
SCOPE_NOT_ALLOWED = "A {role} is not linked to a {field}: leave it empty"
DUPLICATE_ROLE = "{person} is already {assignment}"
SUBSTITUTE_ONLY_FOR_MEMBERS = "Only a board member can be a substitute"
SUBSTITUTE_NEEDS_CURRENT_MEMBER = "Choose a current board member for the substitute to stand in for"
SUBSTITUTE_FOR_SELF = "A board member cannot be their own substitute"
ACCOUNT_CLOSED = "{person}'s account has been closed"
ALREADY_ENDED = "This role has already ended"
END_BEFORE_START = "The end date must be the same as or after the start date ({starts_on})"
OWN_LAST_OFFICER_ROLE = "You cannot end your own LA officer role. Ask another LA officer to end it"
LAST_OFFICER = (
    "The partnership must always have an LA officer. Give someone else the LA officer role "
    "before ending this one"
)
CLOSE_OWN_ACCOUNT = "You cannot close your own account"


def _site(request) -> tuple[str, str]:
    """The protocol and domain for links in emails: the request's, or SITE_URL's."""
    if request is not None:
        return request.scheme, request.get_host()
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme or "https", parts.netloc


def _send_invitation(*, user: User, by, request=None) -> None:
    protocol, domain = _site(request)
    # The password-reset token changes once a password is set, so the link works once.
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "invited_by": by,
        "site_name": settings.SERVICE_NAME,
        "link": f"{protocol}://{domain}{path}",
        "login_link": f"{protocol}://{domain}{reverse('login')}",
        "timeout_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
    }
    subject = " ".join(render_to_string("registration/invitation_subject.txt", context).split())
    body = render_to_string("registration/invitation_email.txt", context)
    # Only once the account exists: a rolled-back invitation must not send a working link.
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )


def invitation_is_pending(user: User) -> bool:
    """The person has not yet chosen a password from their invitation."""
    return user.is_active and not user.has_usable_password() and user.last_login is None


@transaction.atomic
def user_invite(
    *,
    email: str,
    first_name: str,
    last_name: str,
    job_title: str = "",
    organisation: str = "",
    by,
    request=None,
) -> User:
    """Create an active account with no password and email its "choose a password" link.

    An email address that already has an account is refused: ``user_invitation_resend`` sends
    a pending invitation again.
    """
    email = User.objects.normalize_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ALREADY_HAS_ACCOUNT.format(email=email)})
    user = User.objects.create_user(
        email=email,
        password=None,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        job_title=job_title.strip(),
        organisation=organisation.strip(),
    )
    _send_invitation(user=user, by=by, request=request)
    return user


def user_invitation_resend(*, user: User, by, request=None) -> User:
    """Email a new "choose a password" link to someone who has not used their invitation."""
    if not invitation_is_pending(user):
        raise ValidationError(f"{user} has already chosen a password or their account is closed")
    _send_invitation(user=user, by=by, request=request)
    return user


def _check_scope(*, role: str, scope: dict) -> None:
    needed = ROLE_SCOPE[Role(role)]
    errors = {}
    for field, value in scope.items():
        if field == needed:
            if value is None:
                errors[field] = SCOPE_REQUIRED[field]
            elif getattr(value, "closed_on", None) or (field == "school" and not value.is_open):
                errors[field] = SCOPE_NOT_OPEN[field].format(scope=value)
        elif value is not None:
            errors[field] = SCOPE_NOT_ALLOWED.format(role=Role(role).label.lower(), field=field)
    if errors:
        raise ValidationError(errors)


def _check_substitute(*, user: User, role: str, substitute_for: RoleAssignment | None) -> None:
    if substitute_for is None:
        return
    if role != Role.BOARD_MEMBER:
        raise ValidationError({"substitute_for": SUBSTITUTE_ONLY_FOR_MEMBERS})
    member = RoleAssignment.objects.filter(pk=substitute_for.pk).current().first()
    if member is None or member.role != Role.BOARD_MEMBER or member.substitute_for_id:
        raise ValidationError({"substitute_for": SUBSTITUTE_NEEDS_CURRENT_MEMBER})
    if member.user_id == user.pk:
        raise ValidationError({"substitute_for": SUBSTITUTE_FOR_SELF})


def _check_not_duplicate(*, user: User, role: str, scope: dict, substitute_for, starts_on) -> None:
    # Same person, role and scope, not ended by the new start date: a second would mean nothing.
    existing = (
        RoleAssignment.objects.filter(user=user, role=role, substitute_for=substitute_for, **scope)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on))
        .select_related("alliance", "cluster", "school")
        .first()
    )
    if existing is not None:
        raise ValidationError(DUPLICATE_ROLE.format(person=user, assignment=existing))


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: str,
    alliance=None,
    cluster=None,
    school=None,
    substitute_for: RoleAssignment | None = None,
    nominated_by: str = "",
    starts_on: date | None = None,
    by,
) -> RoleAssignment:
    """Give a person a role within its scope (an alliance, a cluster or a school) from a date."""
    # Lock the person so two officers cannot give them the same role at once.
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_active:
        raise ValidationError(ACCOUNT_CLOSED.format(person=user))
    scope = {"alliance": alliance, "cluster": cluster, "school": school}
    _check_scope(role=role, scope=scope)
    _check_substitute(user=user, role=role, substitute_for=substitute_for)
    starts_on = starts_on or timezone.localdate()
    _check_not_duplicate(
        user=user, role=role, scope=scope, substitute_for=substitute_for, starts_on=starts_on
    )
    nominated_by = nominated_by.strip()
    if substitute_for is not None and not nominated_by:
        nominated_by = substitute_for.nominated_by  # a substitute stands for the same group
    assignment = RoleAssignment(
        user=user,
        role=role,
        **scope,
        substitute_for=substitute_for,
        nominated_by=nominated_by if role == Role.BOARD_MEMBER else "",
        starts_on=starts_on,
        granted_by=by,
    )
    assignment._history_user = by
    assignment.save()
    forget_roles(user)
    return assignment


def _check_officers_remain(*, assignment: RoleAssignment, on: date, by) -> None:
    # Lock every officer assignment so two officers cannot end each other's roles at once.
    officers = list(
        RoleAssignment.objects.select_for_update()
        .filter(role=Role.OFFICER, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .exclude(pk=assignment.pk)
        .values_list("user_id", flat=True)
    )
    if by is not None and by.pk == assignment.user_id and by.pk not in officers:
        raise ValidationError(OWN_LAST_OFFICER_ROLE)
    if not officers:
        raise ValidationError(LAST_OFFICER)


@transaction.atomic
def role_end(*, assignment: RoleAssignment, on: date | None = None, by) -> RoleAssignment:
    """End a role on a date (today by default), with its substitutes' roles.

    The last LA officer role cannot end, and an officer cannot end their own last one.
    """
    locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.starts_on, assignment.ends_on = locked.starts_on, locked.ends_on
    on = on or timezone.localdate()
    if assignment.ends_on is not None and assignment.ends_on <= timezone.localdate():
        raise ValidationError(ALREADY_ENDED)
    if on < assignment.starts_on:
        raise ValidationError(
            {"ends_on": END_BEFORE_START.format(starts_on=date_format(assignment.starts_on))}
        )
    if assignment.role == Role.OFFICER:
        _check_officers_remain(assignment=assignment, on=on, by=by)
    # A substitute stands in for one member: without the member the substitute role ends too.
    substitutes = assignment.substitutes.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
    for substitute in substitutes.select_for_update():
        substitute.ends_on = max(on, substitute.starts_on)
        substitute._history_user = by
        substitute.save(update_fields=["ends_on"])
    assignment.ends_on = on
    assignment._history_user = by
    assignment.save(update_fields=["ends_on"])
    forget_roles(assignment.user)
    return assignment


@transaction.atomic
def user_deactivate(*, user: User, by) -> User:
    """Close an account: end every role the person still holds today and stop them signing in."""
    if by is not None and by.pk == user.pk:
        raise ValidationError(CLOSE_OWN_ACCOUNT)
    # Lock the person's row: an officer giving them a role at the same moment waits for us.
    User.objects.select_for_update().values_list("pk", flat=True).get(pk=user.pk)
    today = timezone.localdate()
    open_roles = RoleAssignment.objects.filter(user=user).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    )
    for assignment in open_roles.order_by("pk"):
        role_end(assignment=assignment, on=max(today, assignment.starts_on), by=by)
    user.is_active = False
    user.save(update_fields=["is_active"])
    forget_roles(user)
    return user
