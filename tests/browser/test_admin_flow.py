"""An administrator edits a lesson in both languages in the admin; a learner sees the change."""

import pytest

from courses.models import Lesson
from courses.services import enrollment_create
from tests.browser.conftest import lessons_in_order, log_in

pytestmark = pytest.mark.browser

NEW = {
    "fr": ("Repérer les signes", "Un **nouveau** texte, modifié dans l’administration."),
    "en": ("Spotting the signs", "A **new** text, edited in the administration."),
}


def fill_language_tab(page, language, title, body):
    """modeltranslation shows each translated field with one tab per language (jQuery UI):
    open the field's tab for the language, then type."""
    for field, value in (("title", title), ("body", body)):
        tab = page.locator(f"[role=tab][aria-controls='tab_id_{field}_{language}']")
        tab.click()
        assert tab.get_attribute("aria-selected") == "true"
        page.locator(f"#id_{field}_{language}").fill(value)


@pytest.mark.parametrize("admin_language", ["fr", "en"])
def test_administrator_edits_a_lesson_in_both_languages_and_a_learner_sees_it(
    new_page, course, administrator, staff_member, admin_language
):
    lesson = lessons_in_order(course)[0]
    admin = new_page(language=admin_language)
    log_in(admin, language=admin_language, email=administrator.email)
    admin.goto(f"/{admin_language}/admin/courses/lesson/{lesson.pk}/change/")
    for language, (title, body) in NEW.items():
        fill_language_tab(admin, language, title, body)
    admin.navigate(admin.locator("input[name=_save]").click)
    assert admin.locator(".messagelist .success").count() == 1

    lesson.refresh_from_db()
    assert (lesson.title_fr, lesson.title_en) == (NEW["fr"][0], NEW["en"][0])

    enrollment_create(learner=staff_member, course=course)
    learner = new_page(language="fr")
    log_in(learner, language="fr", email=staff_member.email)
    for language, (title, _body) in NEW.items():
        learner.goto(f"/{language}/courses/{course.slug}/lessons/{lesson.pk}/")
        assert learner.locator("main h1").inner_text() == title
        strong = learner.locator(".lesson__body strong").first.inner_text()
        assert strong in {"nouveau", "new"}
        assert ("nouveau" if language == "fr" else "new") == strong
    assert Lesson.objects.filter(title_fr=NEW["fr"][0]).count() == 1
