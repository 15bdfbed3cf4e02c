"""An administrator cannot publish a course while an English field is empty: the refusal
names the field and links to where it is filled; once filled, the course is published.
In the French and the English admin; axe on every admin page visited."""

import pytest

from courses.models import Course
from quizzes.models import Question
from tests.browser.admin_flows import assert_axe_clean as assert_accessible
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

REFUSED = {"fr": "est vide en anglais", "en": "is empty in English"}


def publish_from_the_course_page(admin, language, course):
    admin.goto(f"/{language}/admin/courses/course/{course.pk}/change/")
    admin.locator("#id_is_published").check()
    admin.navigate(admin.locator("input[name=_save]").click)


@pytest.mark.parametrize("admin_language", ["fr", "en"])
def test_publishing_is_refused_while_an_english_field_is_empty_then_works(
    new_page, course, administrator, admin_language
):
    Course.objects.filter(pk=course.pk).update(is_published=False)
    question = Question.objects.filter(scenario__quiz__module__course=course).first()
    english = question.text_en
    Question.objects.filter(pk=question.pk).update(text_en="")

    admin = new_page(language=admin_language)
    log_in(admin, language=admin_language, email=administrator.email)
    publish_from_the_course_page(admin, admin_language, course)
    refusal = admin.locator(".translations-missing-list li")
    assert refusal.count() == 1
    assert REFUSED[admin_language] in refusal.inner_text()
    assert question.text_fr[:30] in refusal.inner_text()
    assert_accessible(admin)
    assert not Course.objects.get(pk=course.pk).is_published

    admin.navigate(refusal.locator("a").click)
    assert admin.url.endswith(f"/admin/quizzes/question/{question.pk}/change/")
    summary = admin.locator(".translation-status")
    assert summary.locator("a[href='#id_text_en']").count() == 1
    assert_accessible(admin)
    # The summary's link opens the English tab and its empty field.
    summary.locator("a[href='#id_text_en']").click()
    field = admin.locator("#id_text_en")
    assert field.is_visible()
    field.fill(english)
    admin.navigate(admin.locator("input[name=_save]").click)
    assert admin.locator(".messagelist .success").count() == 1

    publish_from_the_course_page(admin, admin_language, course)
    assert admin.locator(".messagelist .success").count() == 1
    assert Course.objects.get(pk=course.pk).is_published
