"""The admin shows which version of the course's content each certificate was issued for."""

import pytest
from django.urls import reverse

from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_the_certificate_list_shows_and_filters_the_content_version(admin_client):
    old = CertificateFactory(content_version=1, holder_name="Awa Diallo")
    new = CertificateFactory(content_version=2, holder_name="Jeanne Roy")
    url = reverse("admin:certificates_certificate_changelist")
    page = admin_client.get(url).content.decode()
    assert "column-content_version" in page
    filtered = admin_client.get(url, {"content_version": 2}).content.decode()
    assert new.holder_name in filtered
    assert old.holder_name not in filtered


def test_the_certificate_page_shows_the_version_it_was_issued_for(admin_client):
    certificate = CertificateFactory(content_version=3)
    page = admin_client.get(
        reverse("admin:certificates_certificate_change", args=[certificate.pk])
    ).content.decode()
    assert "Version du contenu" in page
    assert '<div class="readonly">3</div>' in page


def test_a_certificate_is_issued_for_the_version_published_when_it_was_completed(learner):
    from certificates.models import Certificate
    from courses import services
    from tests.certificates.factories import complete_course
    from tests.factories import CourseFactory, LessonFactory

    course = CourseFactory(is_published=False, lessons=1)
    services.course_set_published(course=course, published=True)
    LessonFactory(module=course.modules.first(), title_fr="Une leçon de plus")
    services.course_set_published(course=course, published=True)
    complete_course(learner=learner, course=course)
    assert Certificate.objects.get(holder=learner, course=course).content_version == 2
