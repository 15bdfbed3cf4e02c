"""Writes of the lti app: a launch signing its person in, the scores queued for an LMS's
gradebook, the tool's signing keys."""

import datetime
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from lti_tool.models import Key, LtiUser

from accounts.emails import normalize_email
from accounts.models import User
from accounts.services import task_enqueue
from courses import services as course_services
from courses.models import Course, Enrollment
from lti.models import Binding, ScorePassback
from organizations import services as organization_services

AGS_SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
# People the LMS did not share an address of get one that can never receive mail
# (RFC 2606 reserves .invalid): their account is theirs through the LMS only.
NO_EMAIL_DOMAIN = "lti.invalid"
NAME_MAX_LENGTH = 150

ERROR_NOT_BOUND = _(
    "This LMS is registered in Repère but not for any organization yet. Ask your "
    "administrator to finish its registration."
)
ERROR_EMAIL_TAKEN = _(
    "A Repère account with the address %(email)s already exists, so your LMS cannot open "
    "one for you. Sign in to Repère with that account instead."
)
ERROR_INACTIVE = _("This account is closed: it cannot be signed in to.")


class LaunchRefused(Exception):
    """A launch that may not sign anyone in; its message is for the reader."""


def _clean_name(name) -> str:
    if not isinstance(name, str):
        return ""
    return "".join(c for c in name if c.isprintable()).strip()[:NAME_MAX_LENGTH]


def _address_for(*, lti_user: LtiUser) -> str:
    if lti_user.email:
        return normalize_email(lti_user.email)
    digest = hashlib.sha256(f"{lti_user.registration_id}:{lti_user.sub}".encode()).hexdigest()
    return f"lms-{digest[:32]}@{NO_EMAIL_DOMAIN}"


@transaction.atomic
def launch_sign_in(*, lti_user: LtiUser, course: Course, ags_claim: dict | None) -> User:
    """The account of the LMS's person `lti_user` (made at their first launch, as staff of
    the registration's organization and of no other), enrolled in `course`; and, when the
    LMS gave a line item it accepts scores on, the score it will be owed."""
    try:
        binding = Binding.objects.select_related("organization", "registration").get(
            registration_id=lti_user.registration_id
        )
    except Binding.DoesNotExist:
        raise LaunchRefused(ERROR_NOT_BOUND) from None
    user = lti_user.auth_user
    if user is None:
        user = _account_create(lti_user=lti_user, binding=binding)
    elif not user.is_active:
        raise LaunchRefused(ERROR_INACTIVE)
    enrollment = course_services.enrollment_create(learner=user, course=course)
    _passback_prepare(lti_user=lti_user, enrollment=enrollment, ags_claim=ags_claim)
    return user


def _account_create(*, lti_user: LtiUser, binding: Binding) -> User:
    email = _address_for(lti_user=lti_user)
    if User.objects.filter(email=email).exists():
        # Never linked on the LMS's word: the address's owner may be someone else.
        raise LaunchRefused(ERROR_EMAIL_TAKEN % {"email": email})
    name = lti_user.name or f"{lti_user.given_name} {lti_user.family_name}"
    user = User(
        email=email,
        full_name=_clean_name(name),
        preferred_language=translation.get_language() or settings.LANGUAGE_CODE,
        workplace=binding.organization.kind,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same first launch twice at once: the other one won
        raise LaunchRefused(ERROR_EMAIL_TAKEN % {"email": email}) from None
    LtiUser.objects.filter(pk=lti_user.pk).update(auth_user=user)
    lti_user.auth_user = user
    organization_services.lms_account_join(
        user=user, organization=binding.organization, lms_name=binding.registration.name
    )
    return user


def _passback_prepare(*, lti_user: LtiUser, enrollment: Enrollment, ags_claim) -> None:
    claim = ags_claim if isinstance(ags_claim, dict) else {}
    lineitem = claim.get("lineitem")
    scopes = claim.get("scope") or []
    if not isinstance(lineitem, str) or AGS_SCORE_SCOPE not in scopes:
        return
    passback, _created = ScorePassback.objects.update_or_create(
        lti_user=lti_user,
        lineitem_url=lineitem[:500],
        defaults={"course": enrollment.course, "scopes": [str(s) for s in scopes]},
    )
    if enrollment.completed_at is not None and passback.status == ScorePassback.Status.WAITING:
        # Completed before this LMS link was followed: the gradebook is owed it now.
        scores_queue(passback_ids=[passback.pk])


def scores_queue(*, passback_ids: list[int]) -> None:
    """Queue the scores named (those still waiting) and enqueue their sending, with the
    caller's transaction."""
    from lti.tasks import scores_send

    queued = list(
        ScorePassback.objects.filter(
            pk__in=passback_ids, status=ScorePassback.Status.WAITING
        ).values_list("pk", flat=True)
    )
    if not queued:
        return
    ScorePassback.objects.filter(pk__in=queued).update(
        status=ScorePassback.Status.QUEUED, next_attempt_at=timezone.now()
    )
    task_enqueue(scores_send, passback_ids=queued)


def scores_queue_for_enrollment(*, enrollment: Enrollment) -> None:
    """A completed enrollment: the scores its learner's LMS launches of that course owe."""
    ids = list(
        ScorePassback.objects.filter(
            lti_user__auth_user_id=enrollment.learner_id, course_id=enrollment.course_id
        ).values_list("pk", flat=True)
    )
    if ids:
        scores_queue(passback_ids=ids)


# --- keys -------------------------------------------------------------------------------


def key_current() -> Key:
    """The key Repère signs with (the newest active one), made if there is none yet."""
    key = Key.objects.active().order_by("-datetime_created", "-pk").first()
    if key is None:
        key = Key.objects.generate()
    return key


@transaction.atomic
def key_rotate(*, now: datetime.datetime | None = None) -> tuple[Key, int]:
    """Make a new signing key; the one it replaces stays published for
    REPERE_LTI_KEY_GRACE_DAYS (LMSs cache a tool's keys), and keys replaced longer ago
    than that are retired. Returns the new key and how many were retired."""
    now = now or timezone.now()
    new_key = Key.objects.create_from_jwk(_new_jwk())
    Key.objects.filter(pk=new_key.pk).update(datetime_created=now)
    retired = Key.objects.filter(pk__in=[key.pk for key in keys_expired(now=now)]).update(
        is_active=False
    )
    return new_key, retired


def grace_days() -> int:
    return settings.REPERE_LTI_KEY_GRACE_DAYS


def keys_expired(*, now: datetime.datetime) -> list[Key]:
    """Active keys whose successor was made more than the grace period before `now`."""
    grace = datetime.timedelta(days=grace_days())
    keys = list(Key.objects.active().order_by("datetime_created", "pk"))
    return [
        key
        for key, successor in zip(keys, keys[1:], strict=False)
        if successor.datetime_created <= now - grace
    ]


def _new_jwk():
    from jwcrypto.jwk import JWK

    return JWK.generate(kty="RSA", size=2048)
