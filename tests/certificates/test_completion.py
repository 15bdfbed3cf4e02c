"""Finishing is signposted: the completion e-mail (queued with the completion, sent once),
the completion page with the certificate, and what every quiz result says comes next."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import OutgoingEmail
from certificates import services
from certificates.models import Certificate
from courses.models import Enrollment, Lesson
from courses.services import enrollment_restart, enrollment_update_completion, lesson_mark_done
from quizzes import services as quiz_services
from quizzes.models import Attempt
from tests.certificates.factories import complete_course
from tests.factories import CourseFactory, EnrollmentFactory, LessonFactory, ModuleFactory
from tests.quizzes.factories import answers_for, quiz_with_questions

pytestmark = pytest.mark.django_db


def two_module_course():
    """Two modules, each a lesson then a one-question quiz (quiz_with_questions adds the
    module's lesson)."""
    course = CourseFactory()
    for position in range(2):
        quiz_with_questions(1, module=ModuleFactory(course=course, position=position))
    return course


def take(learner, quiz, *, right=True, practice=False):
    attempt = quiz_services.attempt_start(learner=learner, quiz=quiz, practice=practice)
    return quiz_services.attempt_submit(attempt=attempt, answers=answers_for(attempt, right=right))


def read(learner, module):
    for lesson in module.lessons.order_by("position"):
        lesson_mark_done(learner=learner, lesson=lesson)


# --- the e-mail -----------------------------------------------------------------------------


def test_completing_a_course_queues_one_e_mail_with_the_certificate_in_the_learners_language(
    learner,
):
    learner.preferred_language = "en"
    learner.save()
    course = CourseFactory(lessons=2, title_en="Recognising trafficking")
    complete_course(learner=learner, course=course)
    certificate = Certificate.objects.get()
    email = OutgoingEmail.objects.get()
    assert (email.recipient, email.language, email.user) == (learner.email, "en", learner)
    assert email.idempotency_key == f"course-completed:{certificate.pk}"
    assert email.subject == "Repère: course completed, your certificate is ready"
    with translation.override("en"):
        paths = [
            reverse("courses:course_completed", kwargs={"slug": course.slug}),
            reverse("certificates:pdf", args=[certificate.pk]),
            reverse("certificates:png", args=[certificate.pk]),
            certificate.get_absolute_url(),
        ]
    for path in paths:
        assert settings.SITE_URL + path in email.body
    assert "Recognising trafficking" in email.body
    assert certificate.display_code in email.body
    # The immediate task backend of the tests has sent it.
    assert [message.to for message in mail.outbox] == [[learner.email]]


def test_the_completion_e_mail_is_sent_once_however_often_completion_is_announced(learner):
    enrollment = complete_course(learner=learner, course=CourseFactory(lessons=1))
    services.certificate_issue_on_completion(enrollment=enrollment)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=None)
    enrollment.refresh_from_db()
    enrollment_update_completion(enrollment=enrollment)
    assert OutgoingEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_completion_rolled_back_queues_no_e_mail(learner, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    course = CourseFactory(lessons=1)
    EnrollmentFactory(learner=learner, course=course)
    queued_inside = []

    def complete_then_fail():
        with transaction.atomic():
            lesson_mark_done(learner=learner, lesson=Lesson.objects.get(module__course=course))
            queued_inside.append(OutgoingEmail.objects.count())
            raise RuntimeError("the request fails after")

    with pytest.raises(RuntimeError):
        complete_then_fail()
    assert queued_inside == [1]  # queued with the completion…
    assert not OutgoingEmail.objects.exists()  # …and gone with it
    assert not Certificate.objects.exists()


def test_a_renewed_course_completed_again_e_mails_its_new_certificate(learner):
    course = CourseFactory(lessons=1)
    enrollment = complete_course(learner=learner, course=course)
    enrollment_restart(enrollment=enrollment)
    lesson_mark_done(learner=learner, lesson=Lesson.objects.get(module__course=course))
    assert Certificate.objects.count() == 2
    assert OutgoingEmail.objects.count() == 2


def test_a_practice_pass_after_completion_sends_nothing_more(learner):
    course = two_module_course()
    EnrollmentFactory(learner=learner, course=course)
    for module in course.modules.order_by("position"):
        read(learner, module)
        take(learner, module.quiz)
    assert OutgoingEmail.objects.count() == 1
    take(learner, course.modules.first().quiz, practice=True)
    assert OutgoingEmail.objects.count() == 1
    assert Certificate.objects.count() == 1


# --- the completion page ---------------------------------------------------------------------


def completion_url(course):
    return reverse("courses:course_completed", kwargs={"slug": course.slug})


def test_the_completion_page_shows_what_was_achieved_and_the_certificate(learner_client, learner):
    course = two_module_course()
    EnrollmentFactory(learner=learner, course=course)
    for module in course.modules.order_by("position"):
        read(learner, module)
        take(learner, module.quiz)
    certificate = Certificate.objects.get()
    with translation.override("en"):
        html = learner_client.get(completion_url(course)).content.decode()
        pdf = reverse("certificates:pdf", args=[certificate.pk])
        png = reverse("certificates:png", args=[certificate.pk])
        verify = certificate.get_absolute_url()
    assert "You have completed the course" in html
    assert "2 lessons read" in html
    assert "2 quizzes passed" in html
    for module in course.modules.all():
        assert module.title_en in html
    assert certificate.display_code in html
    assert f'href="{pdf}"' in html
    assert f'href="{png}"' in html
    assert f"{settings.SITE_URL}{verify}</a>" in html
    assert "1-833-900-1010" in html


def test_the_completion_page_in_french_uses_singular_and_plural(learner_client, learner):
    course = CourseFactory()
    quiz_with_questions(1, module=ModuleFactory(course=course))
    LessonFactory(module=course.modules.get())
    EnrollmentFactory(learner=learner, course=course)
    read(learner, course.modules.get())
    take(learner, course.modules.get().quiz)
    html = learner_client.get(completion_url(course)).content.decode()
    assert "2 leçons lues" in html
    assert "1 quiz réussi" in html
    assert "Vous avez terminé le cours" in html


def test_the_completion_page_leads_to_the_course_until_it_is_complete(learner_client, learner):
    course = two_module_course()
    EnrollmentFactory(learner=learner, course=course)
    response = learner_client.get(completion_url(course))
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()


def test_the_completion_page_of_an_unpublished_course_is_a_404(learner_client):
    course = CourseFactory(lessons=1, is_published=False)
    assert learner_client.get(completion_url(course)).status_code == 404


def test_the_completion_page_asks_to_log_in(client):
    course = CourseFactory(lessons=1)
    response = client.get(completion_url(course))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- what every quiz result says comes next --------------------------------------------------


def result_of(client, attempt):
    with translation.override("en"):
        return client.get(
            reverse("quizzes:attempt_result", kwargs={"attempt_id": attempt.pk})
        ).content.decode()


def test_a_passed_quiz_leads_to_the_next_modules_first_lesson(learner_client, learner):
    course = two_module_course()
    EnrollmentFactory(learner=learner, course=course)
    first, second = course.modules.order_by("position")
    read(learner, first)
    html = result_of(learner_client, take(learner, first.quiz))
    lesson = second.lessons.get()
    with translation.override("en"):
        url = lesson.get_absolute_url()
    assert "What comes next" in html
    assert f"Next: {lesson.title_en}" in html
    assert f'class="button" href="{url}"' in html


def test_a_passed_quiz_leads_to_the_next_quiz_when_its_lessons_are_read(learner_client, learner):
    course = two_module_course()
    EnrollmentFactory(learner=learner, course=course)
    first, second = course.modules.order_by("position")
    read(learner, first)
    read(learner, second)
    html = result_of(learner_client, take(learner, first.quiz))
    with translation.override("en"):
        url = second.quiz.get_absolute_url()
    assert f"Next: Quiz: {second.title_en}" in html
    assert f'class="button" href="{url}"' in html


def test_the_last_quiz_says_the_course_is_complete_and_links_to_the_completion_page(
    learner_client, learner
):
    course = two_module_course()
    EnrollmentFactory(learner=learner, course=course)
    first, second = course.modules.order_by("position")
    read(learner, first)
    take(learner, first.quiz)
    read(learner, second)
    html = result_of(learner_client, take(learner, second.quiz))
    with translation.override("en"):
        url = completion_url(course)
    assert "The course is complete: your certificate is ready." in html
    assert f'href="{url}"' in html
    assert "Practise this quiz again" in html


def test_a_failed_result_still_offers_to_try_again_and_no_next_step(learner_client, learner):
    course = two_module_course()
    EnrollmentFactory(learner=learner, course=course)
    first = course.modules.order_by("position").first()
    html = result_of(learner_client, take(learner, first.quiz, right=False))
    assert "Try again" in html
    assert "What comes next" not in html
    assert Attempt.objects.get().passed is False
