"""The REST API's operations under /api/v1/, for the organization of the token's client.

Thin: each reads through the organizations, supervision and certificates selectors (the
rules of the supervisors' pages: current members only, nothing from before a person
joined, nothing of a pending invitation) and writes through the organizations services
(the same e-mails and audit history)."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.models import User
from api import serializers as s
from api.base import ApiView
from certificates.status import status_annotation
from courses.selectors import courses_visible_to
from organizations import selectors as organization_selectors
from organizations import services as organization_services
from supervision import selectors as supervision_selectors
from supervision.selectors import people

PROBLEM = OpenApiResponse(s.ProblemSerializer, description="RFC 9457 problem details.")
READ_ERRORS = {401: PROBLEM, 403: PROBLEM, 404: PROBLEM}
LIST_ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM}
WRITE_ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM}


@extend_schema(tags=["organization"], responses={200: s.OrganizationSerializer, **READ_ERRORS})
class OrganizationView(ApiView, generics.RetrieveAPIView):
    """The client's organization."""

    scopes = {"GET": "organizations:read"}
    serializer_class = s.OrganizationSerializer

    def get_object(self):
        return self.organization


@extend_schema(tags=["members"], parameters=[s.MemberFilter], responses=LIST_ERRORS)
class MemberList(ApiView, generics.ListAPIView):
    """The current members of the organization and of its units (a board's schools), by
    name, each once. A person invited who has not accepted yet is no member: the API
    shows nothing of them."""

    scopes = {"GET": "members:read"}
    serializer_class = s.MemberSerializer

    def get_queryset(self):
        query = self.query(s.MemberFilter)
        members = organization_selectors.members_in_units_of(
            organization=self.organization, search=query.get("search", "")
        )
        if "role" in query:
            members = members.filter(role=query["role"])
        if "joined_after" in query:
            members = members.filter(created_at__date__gte=query["joined_after"])
        if "joined_before" in query:
            members = members.filter(created_at__date__lte=query["joined_before"])
        return members


@extend_schema(tags=["members"], responses={200: s.MemberSerializer, **READ_ERRORS})
class MemberDetail(ApiView, generics.RetrieveAPIView):
    scopes = {"GET": "members:read"}
    serializer_class = s.MemberSerializer

    def get_object(self):
        return people.person_get(organization=self.organization, user_id=self.kwargs["member_id"])


class _AssignmentRows:
    """The dashboard's rows of the organization (current members, since they joined),
    by id, under the query's filters."""

    def rows(self, query=None):
        query = query or {}
        rows = supervision_selectors.dashboard_rows(
            organization=self.organization, status=query.get("status", "")
        ).order_by("pk")
        lookups = {
            "member": "learner_id",
            "course": "course_id",
            "due_after": "due_on__gte",
            "due_before": "due_on__lte",
            "completed_after": "completed_at__date__gte",
            "completed_before": "completed_at__date__lte",
        }
        return rows.filter(
            **{lookups[key]: value for key, value in query.items() if key != "status"}
        )

    def row(self, assignment_id: int) -> dict:
        row = self.rows().filter(pk=assignment_id).first()
        if row is None:
            raise Http404
        return row

    def assignment(self, assignment_id: int):
        """The Assignment itself, for the services; 404 as `row`."""
        row = self.row(assignment_id)
        membership = people.person_get(organization=self.organization, user_id=row["learner_id"])
        return people.person_assignment_get(membership=membership, assignment_id=assignment_id)


def _service_errors(error: DjangoValidationError) -> ValidationError:
    return ValidationError({"non_field_errors": error.messages})


@extend_schema(tags=["assignments"])
class AssignmentList(_AssignmentRows, ApiView, generics.ListCreateAPIView):
    """The organization's assignments; POST assigns a course to a member (again: changes
    the due date), who gets the same e-mail as from the supervisors' pages."""

    scopes = {"GET": "assignments:read", "POST": "assignments:write"}
    serializer_class = s.AssignmentSerializer

    @extend_schema(parameters=[s.AssignmentFilter], responses=LIST_ERRORS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.rows(self.query(s.AssignmentFilter))

    @extend_schema(
        request=s.AssignmentCreateSerializer,
        responses={201: s.AssignmentSerializer, 200: s.AssignmentSerializer, **WRITE_ERRORS},
    )
    def post(self, request, *args, **kwargs):
        body = s.AssignmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            people.person_get(organization=self.organization, user_id=data["member"])
        except Http404:
            raise ValidationError({"member": organization_services.ERROR_NOT_MEMBERS}) from None
        course = courses_visible_to(AnonymousUser()).filter(pk=data["course"]).first()
        if course is None:
            raise ValidationError({"course": organization_services.ERROR_COURSE_NOT_PUBLISHED})
        try:
            report = organization_services.assignments_create(
                organization=self.organization,
                course=course,
                learners=User.objects.filter(pk=data["member"]),
                due_on=data["due_on"],
                assigned_by=None,
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        row = self.rows({"member": data["member"], "course": course.pk}).get()
        code = status.HTTP_201_CREATED if report.created else status.HTTP_200_OK
        return Response(s.AssignmentSerializer(row).data, status=code)


@extend_schema(tags=["assignments"])
class AssignmentDetail(_AssignmentRows, ApiView, generics.GenericAPIView):
    scopes = {
        "GET": "assignments:read",
        "PATCH": "assignments:write",
        "DELETE": "assignments:write",
    }
    serializer_class = s.AssignmentSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    @extend_schema(responses={200: s.AssignmentSerializer, **READ_ERRORS})
    def get(self, request, assignment_id):
        return Response(s.AssignmentSerializer(self.row(assignment_id)).data)

    @extend_schema(
        request=s.DueDateSerializer, responses={200: s.AssignmentSerializer, **WRITE_ERRORS}
    )
    def patch(self, request, assignment_id):
        """Change (or clear, with null) the due date; the person is e-mailed the new date."""
        assignment = self.assignment(assignment_id)
        body = s.DueDateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            organization_services.assignment_change_due_date(
                assignment=assignment, due_on=body.validated_data["due_on"], by=None
            )
        except DjangoValidationError as error:
            raise _service_errors(error) from None
        return Response(s.AssignmentSerializer(self.row(assignment_id)).data)

    @extend_schema(responses={204: None, **READ_ERRORS})
    def delete(self, request, assignment_id):
        """Unassign the course: the organization stops seeing the person's progress on it
        (the audit history says so, under the client's name)."""
        assignment = self.assignment(assignment_id)
        try:
            organization_services.assignment_remove(
                assignment=assignment, by=None, actor_label=self.client.audit_label
            )
        except DjangoValidationError:
            raise Http404 from None
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["progress"], parameters=[s.AssignmentFilter], responses=LIST_ERRORS)
class ProgressList(_AssignmentRows, ApiView, generics.ListAPIView):
    """Per assignment, what the supervisors' dashboard shows: status, progress (%), the
    completion, since the person joined."""

    scopes = {"GET": "progress:read"}
    serializer_class = s.ProgressSerializer

    def get_queryset(self):
        return self.rows(self.query(s.AssignmentFilter))


@extend_schema(tags=["progress"], responses={200: s.ProgressSerializer, **READ_ERRORS})
class ProgressDetail(_AssignmentRows, ApiView, generics.RetrieveAPIView):
    scopes = {"GET": "progress:read"}
    serializer_class = s.ProgressSerializer

    def get_object(self):
        return self.row(self.kwargs["assignment_id"])


@extend_schema(tags=["certificates"], parameters=[s.CertificateFilter], responses=LIST_ERRORS)
class CertificateList(ApiView, generics.ListAPIView):
    """The certificates the dashboard shows (of current members, for the courses the
    organization assigned, issued since they joined), with their status today and the
    public page that verifies them."""

    scopes = {"GET": "certificates:read"}
    serializer_class = s.CertificateSerializer

    def get_queryset(self):
        query = self.query(s.CertificateFilter)
        certificates = supervision_selectors.dashboard_certificates(
            organization=self.organization
        ).annotate(status_now=status_annotation(today=timezone.localdate()))
        lookups = {
            "member": "holder_id",
            "status": "status_now",
            "issued_after": "issued_at__date__gte",
            "issued_before": "issued_at__date__lte",
        }
        return certificates.filter(**{lookups[key]: value for key, value in query.items()})

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "language": get_language()}
