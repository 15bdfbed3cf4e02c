"""Publishing keeps each changed version of a course's content (quizzes included), and the
admin's course history says what changed between two versions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import Course, CourseVersion
from quizzes.models import Choice
from tests.factories import CourseFactory, LessonFactory, ModuleFactory
from tests.quizzes.factories import quiz_with_questions

pytestmark = pytest.mark.django_db


def course_with_a_quiz(modules=1):
    course = CourseFactory(is_published=False, lessons=0)
    for _index in range(modules):
        module = ModuleFactory(course=course)
        LessonFactory(module=module)
        quiz_with_questions(3, module=module)
    return course


def test_first_publication_keeps_the_content_as_the_courses_version():
    course = course_with_a_quiz()
    services.course_set_published(course=course, published=True)
    version = CourseVersion.objects.get(course=course)
    assert version.number == 1 == Course.objects.get(pk=course.pk).content_version
    kinds = {entry["kind"] for entry in version.content["entries"]}
    assert kinds == {"course", "module", "lesson", "quiz", "scenario", "question", "choice"}


def test_publishing_an_unchanged_course_does_not_bump_its_version(admin_user):
    course = course_with_a_quiz()
    services.course_set_published(course=course, published=True)
    services.course_set_published(course=course, published=False)
    services.course_set_published(course=course, published=True, by=admin_user)
    assert CourseVersion.objects.filter(course=course).count() == 1
    assert Course.objects.get(pk=course.pk).content_version == 1


def test_changing_a_choices_english_text_then_publishing_bumps_the_version(admin_user):
    course = course_with_a_quiz()
    services.course_set_published(course=course, published=True)
    choice = Choice.objects.filter(question__scenario__quiz__module__course=course).first()
    old_text = choice.text_en
    choice.text_en = "Call the hotline with her"
    choice.save()
    services.course_set_published(course=course, published=True, by=admin_user)
    course.refresh_from_db()
    assert course.content_version == 2
    latest = CourseVersion.objects.get(course=course, number=2)
    assert latest.published_by == admin_user
    assert latest.fingerprint != CourseVersion.objects.get(course=course, number=1).fingerprint
    assert (old_text, "Call the hotline with her") in [
        (change.old, change.new)
        for entry in _diff(course).changed
        for change in entry.fields
        if entry.kind == "choice" and change.name == "text_en"
    ]


def _diff(course):
    from courses.versions import diff

    first, second = CourseVersion.objects.filter(course=course).order_by("number")[:2]
    return diff(first.content, second.content)


def test_the_course_history_lists_the_choice_changed_with_old_and_new_text(admin_client):
    course = course_with_a_quiz()
    services.course_set_published(course=course, published=True)
    choice = Choice.objects.filter(question__scenario__quiz__module__course=course).first()
    old_text = choice.text_en
    choice.text_en = "Stay with her and call the hotline"
    choice.save()
    LessonFactory(module=course.modules.first(), title_fr="Leçon ajoutée")
    services.course_set_published(course=course, published=True)
    response = admin_client.get(reverse("admin:courses_course_versions", args=[course.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Version 2" in page
    assert "Version 1" in page
    latest = page.split("Version 1")[0]
    added = latest.split("Éléments ajoutés")[1].split("</ul>")[0]
    changed = latest.split("Éléments modifiés")[1].split("</ul>")[0]
    assert "«\u00a0Leçon ajoutée\u00a0»" in added
    assert "Choix" in changed
    assert "text_en" in changed
    assert f"<del>{old_text}</del> → <ins>Stay with her and call the hotline</ins>" in changed


def test_the_course_history_runs_the_same_number_of_queries_for_1_and_4_versions(admin_client):
    course = course_with_a_quiz()

    def history_queries():
        with CaptureQueriesContext(connection) as queries:
            url = reverse("admin:courses_course_versions", args=[course.pk])
            assert admin_client.get(url).status_code == 200
        return len(queries)

    services.course_set_published(course=course, published=True)
    one = history_queries()
    for index in range(3):
        LessonFactory(module=course.modules.first(), title_fr=f"Nouvelle {index}")
        services.course_set_published(course=course, published=True)
    assert CourseVersion.objects.filter(course=course).count() == 4
    assert history_queries() == one


def test_another_staff_member_without_the_permission_cannot_read_the_history(client):
    from tests.factories import UserFactory

    course = course_with_a_quiz()
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("admin:courses_course_versions", args=[course.pk]))
    assert response.status_code == 403


def test_the_history_of_an_unknown_course_is_a_404(admin_client):
    response = admin_client.get(reverse("admin:courses_course_versions", args=[999999]))
    assert response.status_code == 404
