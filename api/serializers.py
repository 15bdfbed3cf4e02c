"""What the API shows of each object, and the filters and bodies it reads.

Rows come from the other apps' selectors (dicts of the dashboard's rows, memberships,
certificates); these only name and format their fields."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certificates.status import Status as CertificateStatus
from organizations.models import Membership
from supervision.forms import ERROR_DUE_IN_PAST
from supervision.selectors import Status

ERROR_DATES_ORDER = _("The start of the period must not be after its end.")


class OrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    kind = serializers.CharField()
    province = serializers.CharField()


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class MemberSerializer(serializers.Serializer):
    """A current member (never a pending invitation): the user's id is the member's.
    `unit`: the unit below the client's organization (a board's school) the person is a
    member of; null for a member of the organization itself."""

    id = serializers.IntegerField(source="user_id")
    name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    joined_at = serializers.DateTimeField(source="created_at")
    unit = serializers.SerializerMethodField()

    @extend_schema_field(UnitSerializer(allow_null=True))
    def get_unit(self, membership) -> dict | None:
        if membership.organization_id == self.context["view"].organization.pk:
            return None
        return UnitSerializer(membership.organization).data


class MemberFilter(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices, required=False)
    joined_after = serializers.DateField(required=False)
    joined_before = serializers.DateField(required=False)
    search = serializers.CharField(required=False, max_length=100)

    def validate(self, attrs):
        _check_order(attrs, "joined_after", "joined_before")
        return attrs


def _check_order(attrs, after: str, before: str) -> None:
    if attrs.get(after) and attrs.get(before) and attrs[after] > attrs[before]:
        raise serializers.ValidationError({after: ERROR_DATES_ORDER})


class AssignmentSerializer(serializers.Serializer):
    """An assignment as the dashboard's row tells it."""

    id = serializers.IntegerField(source="pk")
    member = serializers.IntegerField(source="learner_id")
    course = serializers.IntegerField(source="course_id")
    course_title = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)


class AssignmentCreateSerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    course = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_due_on(self, value):
        return _not_in_past(value)


class DueDateSerializer(serializers.Serializer):
    due_on = serializers.DateField(allow_null=True)

    def validate_due_on(self, value):
        return _not_in_past(value)


def _not_in_past(value):
    if value is not None and value < timezone.localdate():
        raise serializers.ValidationError(ERROR_DUE_IN_PAST, code="past")
    return value


class AssignmentFilter(serializers.Serializer):
    member = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    course = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    due_after = serializers.DateField(required=False)
    due_before = serializers.DateField(required=False)
    completed_after = serializers.DateField(required=False)
    completed_before = serializers.DateField(required=False)

    def validate(self, attrs):
        _check_order(attrs, "due_after", "due_before")
        _check_order(attrs, "completed_after", "completed_before")
        return attrs


class ProgressSerializer(serializers.Serializer):
    """Per assignment, from the dashboard's summary: since the person joined only."""

    assignment = serializers.IntegerField(source="pk")
    member = serializers.IntegerField(source="learner_id")
    course = serializers.IntegerField(source="course_id")
    status = serializers.SerializerMethodField()
    progress = serializers.IntegerField(min_value=0, max_value=100)
    due_on = serializers.DateField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    best_score = serializers.IntegerField(allow_null=True)
    last_activity_at = serializers.DateTimeField(allow_null=True)
    certificate_expires_on = serializers.DateField(allow_null=True)

    @extend_schema_field(serializers.ChoiceField(choices=Status.choices))
    def get_status(self, row) -> str:
        return Status.at(row["status_rank"])


class CertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    member = serializers.IntegerField(source="holder_id")
    course = serializers.IntegerField(source="course_id")
    holder_name = serializers.CharField()
    course_title = serializers.SerializerMethodField()
    code = serializers.CharField(source="display_code")
    issued_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField()
    expires_on = serializers.DateField()
    status = serializers.ChoiceField(source="status_now", choices=CertificateStatus.choices)
    verification_url = serializers.SerializerMethodField()

    def get_course_title(self, certificate) -> str:
        return certificate.course_title(self.context.get("language"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_verification_url(self, certificate) -> str:
        path = reverse("verify:detail", kwargs={"code": certificate.display_code})
        return settings.SITE_URL + path


class CertificateFilter(serializers.Serializer):
    member = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    status = serializers.ChoiceField(choices=CertificateStatus.choices, required=False)
    issued_after = serializers.DateField(required=False)
    issued_before = serializers.DateField(required=False)

    def validate(self, attrs):
        _check_order(attrs, "issued_after", "issued_before")
        return attrs


class ProblemErrorSerializer(serializers.Serializer):
    pointer = serializers.CharField(required=False)
    parameter = serializers.CharField(required=False)
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemErrorSerializer(many=True, required=False)
