import pytest
from django.http import Http404

from certificates import selectors
from tests.certificates.factories import CertificateFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_earlier_cycles_certificate_is_marked_superseded():
    first = CertificateFactory()
    enrollment = first.enrollment
    enrollment.cycle = 2
    enrollment.save()
    second = CertificateFactory(enrollment=enrollment)
    listed = {c.pk: c.superseded for c in selectors.certificates_of(holder=first.holder)}
    assert listed == {first.pk: True, second.pk: False}


def test_the_current_certificate_is_that_of_the_current_cycle_once_complete():
    certificate = CertificateFactory()
    enrollment = certificate.enrollment
    assert selectors.certificate_current(enrollment=enrollment) == certificate
    enrollment.cycle, enrollment.completed_at = 2, None
    assert selectors.certificate_current(enrollment=enrollment) is None


def test_a_certificate_is_found_by_its_stored_code_only():
    certificate = CertificateFactory()
    assert selectors.certificate_for_code(code=certificate.code) == certificate
    assert selectors.certificate_for_code(code=certificate.display_code) is None


def test_only_the_holder_gets_their_certificate_for_renewal():
    certificate = CertificateFactory()
    assert selectors.certificate_get_held(user=certificate.holder, pk=certificate.pk) == certificate
    with pytest.raises(Http404):
        selectors.certificate_get_held(user=UserFactory(), pk=certificate.pk)
