import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses import services
from courses.models import Course, FormerSlug, Lesson
from tests.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


def course_form(course, **overrides):
    data = {
        "slug": course.slug,
        "title_fr": course.title_fr,
        "title_en": course.title_en,
        "summary_fr": "",
        "summary_en": "",
        "content_note_fr": "",
        "content_note_en": "",
        "estimated_minutes": 30,
        "validity_months": 12,
        "bilingual_certificate": "on",
        "content_version": 1,
        "modules-TOTAL_FORMS": 0,
        "modules-INITIAL_FORMS": 0,
        "modules-MIN_NUM_FORMS": 0,
        "modules-MAX_NUM_FORMS": 1000,
        "former_slugs-TOTAL_FORMS": 0,
        "former_slugs-INITIAL_FORMS": 0,
        "former_slugs-MIN_NUM_FORMS": 0,
        "former_slugs-MAX_NUM_FORMS": 1000,
    }
    data.update(overrides)
    return data


def test_admin_course_page_shows_both_languages_as_tabs(admin_client):
    course = CourseFactory(lessons=1)
    response = admin_client.get(reverse("admin:courses_course_change", args=[course.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="title_fr"' in page
    assert 'name="title_en"' in page
    assert "tabbed_translation_fields.js" in page
    assert "vendor/jquery-ui/jquery-ui.min.js" in page


def test_publishing_a_course_without_lessons_is_refused_with_a_message(admin_client):
    course = CourseFactory(is_published=False)
    response = admin_client.post(
        reverse("admin:courses_course_change", args=[course.pk]),
        course_form(course, is_published="on"),
    )
    assert response.status_code == 200
    assert "au moins une leçon" in response.content.decode()
    course.refresh_from_db()
    assert course.is_published is False


def test_publishing_a_course_with_lessons_in_the_admin_works(admin_client):
    course = CourseFactory(is_published=False, lessons=1)
    response = admin_client.post(
        reverse("admin:courses_course_change", args=[course.pk]),
        course_form(course, is_published="on"),
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.is_published is True


@pytest.mark.parametrize("lessons", [0, 1])
def test_the_admin_form_refuses_to_publish_exactly_what_the_service_refuses(admin_client, lessons):
    by_service, by_admin = (CourseFactory(is_published=False, lessons=lessons) for _ in range(2))
    try:
        services.course_set_published(course=by_service, published=True)
        service_refused = False
    except ValidationError:
        service_refused = True
    response = admin_client.post(
        reverse("admin:courses_course_change", args=[by_admin.pk]),
        course_form(by_admin, is_published="on"),
    )
    assert (response.status_code == 200) is service_refused
    by_admin.refresh_from_db()
    assert by_admin.is_published is not service_refused


def test_the_admin_form_publishes_and_unpublishes_through_the_service(admin_client, monkeypatch):
    course = CourseFactory(is_published=False, lessons=1)
    calls = []
    real = services.course_set_published

    def spy(*, course, published, by=None):
        calls.append(published)
        assert by is not None  # the version records who published it
        return real(course=course, published=published, by=by)

    monkeypatch.setattr(services, "course_set_published", spy)
    url = reverse("admin:courses_course_change", args=[course.pk])
    assert admin_client.post(url, course_form(course, is_published="on")).status_code == 302
    assert admin_client.post(url, course_form(course)).status_code == 302
    assert admin_client.post(url, course_form(course, estimated_minutes=40)).status_code == 302
    assert calls == [True, False]
    course.refresh_from_db()
    assert (course.is_published, course.estimated_minutes) == (False, 40)


def test_publish_action_refuses_empty_courses_and_publishes_the_others(admin_client):
    empty = CourseFactory(is_published=False)
    full = CourseFactory(is_published=False, lessons=1)
    admin_client.post(
        reverse("admin:courses_course_changelist"),
        {"action": "publish", "_selected_action": [empty.pk, full.pk]},
    )
    assert set(Course.objects.filter(is_published=True)) == {full}


def test_admin_edits_a_lesson_in_both_languages(admin_client):
    lesson = LessonFactory()
    response = admin_client.post(
        reverse("admin:courses_lesson_change", args=[lesson.pk]),
        {
            "module": lesson.module_id,
            "key": "",
            "position": 0,
            "title_fr": "Nouveau titre",
            "title_en": "New title",
            "body_fr": "Nouveau texte",
            "body_en": "New text",
            "minutes": 4,
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get(pk=lesson.pk)
    assert (lesson.title_fr, lesson.title_en, lesson.body_en) == (
        "Nouveau titre",
        "New title",
        "New text",
    )


@pytest.mark.parametrize(
    "name",
    ["courses_course", "courses_module", "courses_lesson", "courses_enrollment", "accounts_user"],
)
def test_admin_lists_and_search_work(admin_client, name):
    CourseFactory(lessons=3)
    response = admin_client.get(reverse(f"admin:{name}_changelist"), {"q": "x"})
    assert response.status_code == 200


def test_learners_cannot_open_the_admin(learner_client):
    response = learner_client.get(reverse("admin:courses_course_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_lesson_cannot_be_moved_to_another_courses_module(admin_client):
    """Progress records the lesson's course (the dashboard counts on it): the admin offers
    only the modules of the lesson's own course."""
    lesson = LessonFactory()
    own_module = lesson.module
    other_module = LessonFactory().module
    url = reverse("admin:courses_lesson_change", args=[lesson.pk])
    page = admin_client.get(url)
    assert f'value="{own_module.pk}"' in page.text
    assert f'value="{other_module.pk}"' not in page.text
    data = {
        "module": other_module.pk,
        "key": lesson.key,
        "position": lesson.position,
        "title_fr": lesson.title_fr,
        "title_en": lesson.title_en,
        "body_fr": lesson.body_fr,
        "body_en": lesson.body_en,
        "minutes": lesson.minutes,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "module" in response.context["adminform"].form.errors
    lesson.refresh_from_db()
    assert lesson.module == own_module


def test_a_modules_course_is_shown_not_editable_once_created(admin_client):
    module = LessonFactory().module
    page = admin_client.get(reverse("admin:courses_module_change", args=[module.pk]))
    assert 'name="course"' not in page.text
    assert module.course.title in page.text


def test_each_language_of_a_change_form_says_whether_it_is_complete_without_javascript(
    admin_client,
):
    lesson = LessonFactory(title_en="", body_en="")
    response = admin_client.get(reverse("admin:courses_lesson_change", args=[lesson.pk]))
    page = response.content.decode()
    assert "Français ✓" in page
    assert "Anglais — 2\u00a0champs vides" in page
    assert 'href="#id_title_en"' in page
    assert 'href="#id_body_en"' in page
    # Both languages' fields are in the page (the tabs only regroup them).
    assert 'name="title_en"' in page
    assert 'name="title_fr"' in page


def test_the_course_page_counts_the_empty_fields_of_its_module_rows(admin_client):
    course = CourseFactory(lessons=1)
    course.modules.update(title_en="")
    page = admin_client.get(reverse("admin:courses_course_change", args=[course.pk])).content
    assert "Anglais — 1\u00a0champ vide" in page.decode()
    assert 'href="#id_modules-0-title_en"' in page.decode()


def test_publishing_refuses_an_english_title_emptied_in_the_same_form(admin_client):
    course = CourseFactory(is_published=False, lessons=1)
    response = admin_client.post(
        reverse("admin:courses_course_change", args=[course.pk]),
        course_form(course, title_en="", is_published="on"),
    )
    assert response.status_code == 200
    assert "«\u00a0titre\u00a0» est vide en anglais" in response.content.decode()
    course.refresh_from_db()
    assert course.is_published is False


def test_a_course_page_with_an_untranslated_inline_shows_its_translation_summary(admin_client):
    """Former addresses have no translated field: they are left out of the summary."""
    course = CourseFactory(lessons=1)
    FormerSlug.objects.create(course=course, slug="ancien-cours")
    response = admin_client.get(reverse("admin:courses_course_change", args=[course.pk]))
    assert response.status_code == 200
    assert "Anglais ✓" in response.content.decode()


@pytest.mark.parametrize(
    ("model", "make", "titles"),
    [
        (
            "lesson",
            lambda: LessonFactory(),
            ("Modification de la leçon", "Ajouter une leçon", "Supprimer les leçons sélectionnées"),
        ),
        (
            "course",
            lambda: CourseFactory(),
            ("Modification du cours", "Ajouter un cours", "Supprimer les cours sélectionnés"),
        ),
    ],
)
def test_french_admin_titles_agree_with_the_nouns_gender(admin_client, model, make, titles):
    obj = make()
    change, add, delete_selected = titles
    pages = {
        change: reverse(f"admin:courses_{model}_change", args=[obj.pk]),
        add: reverse(f"admin:courses_{model}_add"),
        delete_selected: reverse(f"admin:courses_{model}_changelist"),
    }
    for title, url in pages.items():
        page = admin_client.get(url).content.decode()
        assert title in page, url
    assert "sélectionné(e)s" not in page
    assert "Modification de leçon" not in admin_client.get(pages[change]).content.decode()


@pytest.mark.parametrize(
    ("language", "header"), [("fr", "Administration de Repère"), ("en", "Repère administration")]
)
def test_every_admin_page_says_repere_administration(client, admin_client, language, header):
    lesson = LessonFactory()
    login = client.get(f"/{language}/admin/login/", follow=True).content.decode()
    change = admin_client.get(
        f"/{language}/admin/courses/lesson/{lesson.pk}/change/"
    ).content.decode()
    for page in (login, change):
        assert header in page
        assert "Django" not in page.split("<body", 1)[1].split("</header>", 1)[0]


def test_the_module_chooser_names_the_course(admin_client):
    first, second = LessonFactory(), LessonFactory()
    page = admin_client.get(reverse("admin:courses_lesson_add")).content.decode()
    for lesson in (first, second):
        assert f"{lesson.module.course.title_fr} — {lesson.module.title_fr}" in page


def test_the_course_page_holds_its_modules_and_their_lessons(admin_client):
    lesson = LessonFactory()
    course = lesson.module.course
    page = admin_client.get(
        reverse("admin:courses_course_change", args=[course.pk])
    ).content.decode()
    assert 'name="modules-0-lessons-0-title_en"' in page
    assert 'name="modules-0-lessons-0-body_fr"' in page
    assert 'name="modules-empty-lessons-TOTAL_FORMS"' in page


def test_the_module_page_holds_its_quiz(admin_client):
    from tests.quizzes.factories import QuizFactory

    quiz = QuizFactory()
    page = admin_client.get(
        reverse("admin:courses_module_change", args=[quiz.module_id])
    ).content.decode()
    assert 'name="quiz-0-pass_mark"' in page
    assert reverse("admin:quizzes_quiz_change", args=[quiz.pk]) in page


def test_a_quiz_added_on_the_module_page_with_its_defaults_is_created(admin_client):
    """An administrator clicks "Add another quiz" and saves without changing the pass
    mark: the quiz exists (Django would skip an inline item left as it was drawn)."""
    from quizzes.models import Quiz
    from tests.admin_forms import form_data

    lesson = LessonFactory()
    module = lesson.module
    url = reverse("admin:courses_module_change", args=[module.pk])
    data = form_data(admin_client.get(url).content.decode(), form_id="module_form")
    data |= {"quiz-TOTAL_FORMS": "1", "quiz-0-pass_mark": "80", "quiz-0-max_attempts": ""}
    data["quiz-0-shuffle_choices"] = "on"
    data["quiz-0-module"] = str(module.pk)

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert Quiz.objects.filter(module=module).count() == 1


def test_the_module_page_saved_untouched_adds_no_quiz(admin_client):
    from quizzes.models import Quiz
    from tests.admin_forms import form_data

    module = LessonFactory().module
    url = reverse("admin:courses_module_change", args=[module.pk])
    data = form_data(admin_client.get(url).content.decode(), form_id="module_form")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert not Quiz.objects.filter(module=module).exists()
