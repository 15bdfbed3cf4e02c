"""An administrator reads any lesson, draft or published, as a learner would, in either
language and without enrolling; nothing is recorded, and learners get a 404."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from courses.models import Enrollment, LessonProgress
from quizzes.models import Answer, Attempt
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    LessonProgressFactory,
    ModuleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PROGRESS_MODELS = (Enrollment, LessonProgress, Attempt, Answer)


def record_counts():
    return {model.__name__: model.objects.count() for model in PROGRESS_MODELS}


def draft_course(lessons=3):
    course = CourseFactory(is_published=False, lessons=lessons)
    return course, course.modules.get(position=0).lessons.order_by("position")


def preview_url(lesson, language="fr"):
    with translation.override(language):
        return lesson.get_preview_url()


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)  # without the cached permissions


@pytest.mark.parametrize(
    ("language", "title", "body", "banner"),
    [
        ("fr", "Les signes", "Corps **français**", "Aperçu — rien n’est enregistré"),
        ("en", "The signs", "English **body**", "Preview — nothing is recorded"),
    ],
)
def test_an_administrator_reads_a_draft_lesson_in_either_language_without_enrolling(
    admin_client, language, title, body, banner
):
    course, lessons = draft_course()
    lesson = lessons[1]
    lesson.title_fr, lesson.title_en = "Les signes", "The signs"
    lesson.body_fr, lesson.body_en = "Corps **français**", "English **body**"
    lesson.save()

    response = admin_client.get(preview_url(lesson, language))

    assert response.status_code == 200
    page = response.content.decode()
    assert banner in page
    assert f"<h1>{title}</h1>" in page
    assert body.replace("**", "<strong>", 1).replace("**", "</strong>") in page
    # The pager stays inside the preview; no form posts to the learner's "Mark as done".
    assert f'href="{preview_url(lessons[0], language)}"' in page
    assert f'href="{preview_url(lessons[2], language)}"' in page
    assert (
        reverse("courses:lesson_mark_done", kwargs={"slug": course.slug, "lesson_id": lesson.pk})
        not in page
    )
    assert 'method="post"' not in page.split('class="lesson"')[1]


def test_the_language_switcher_leads_to_the_same_preview_in_the_other_language(admin_client):
    _course, lessons = draft_course()
    page = admin_client.get(preview_url(lessons[0], "fr")).content.decode()
    assert f'href="{preview_url(lessons[0], "en")}"' in page


def test_the_preview_shows_a_new_learners_page_even_to_an_enrolled_administrator(
    admin_client, admin_user
):
    """The administrator's own progress does not show: the preview is a learner who has
    not started."""
    course, lessons = draft_course()
    enrollment = EnrollmentFactory(learner=admin_user, course=course)
    LessonProgressFactory(learner=admin_user, lesson=lessons[0])
    assert enrollment.pk
    page = admin_client.get(preview_url(lessons[0], "en")).content.decode()
    assert "You have marked this lesson as done." not in page
    assert 'aria-valuenow="0"' in page or "0 of 3" in page


def test_previewing_records_nothing(admin_client):
    course, lessons = draft_course()
    before = record_counts()
    for lesson in lessons:
        assert admin_client.get(preview_url(lesson)).status_code == 200
    assert record_counts() == before
    assert not Enrollment.objects.filter(course=course).exists()


def test_a_published_lesson_is_previewed_too(admin_client):
    course = CourseFactory(is_published=True, lessons=1)
    lesson = course.modules.get().lessons.get()
    assert admin_client.get(preview_url(lesson)).status_code == 200


@pytest.mark.parametrize("published", [True, False])
def test_learners_and_anonymous_visitors_get_a_404_on_a_preview(client, published):
    course = CourseFactory(is_published=published, lessons=1)
    url = preview_url(course.modules.get().lessons.get())
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_learner_still_cannot_see_a_draft_course_or_its_lessons(learner_client):
    course, lessons = draft_course()
    assert learner_client.get(course.get_absolute_url()).status_code == 404
    assert learner_client.get(lessons[0].get_absolute_url()).status_code == 404


def test_staff_without_the_lesson_view_or_change_permission_get_a_404(client):
    _course, lessons = draft_course()
    url = preview_url(lessons[0])
    client.force_login(staff_with("view_course"))
    assert client.get(url).status_code == 404
    client.force_login(staff_with("view_lesson"))
    assert client.get(url).status_code == 200
    client.force_login(staff_with("change_lesson"))
    assert client.get(url).status_code == 200


def test_a_lesson_of_another_course_or_an_unknown_one_is_a_404(admin_client):
    course, lessons = draft_course()
    other = LessonFactory(module=ModuleFactory(course=CourseFactory()))
    bad = reverse("courses:lesson_preview", kwargs={"slug": course.slug, "lesson_id": other.pk})
    assert admin_client.get(bad).status_code == 404
    unknown = reverse("courses:lesson_preview", kwargs={"slug": "nope", "lesson_id": lessons[0].pk})
    assert admin_client.get(unknown).status_code == 404


def test_a_post_to_a_lesson_preview_is_refused(admin_client):
    _course, lessons = draft_course()
    assert admin_client.post(preview_url(lessons[0])).status_code == 405


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The session, the user, and the course's lessons (the one shown with its body) with
# their module: a superuser needs no query for the permission or the supervisors' link.
LESSON_PREVIEW_QUERIES = 3


@pytest.mark.parametrize("lessons", [3, 30])
def test_the_lesson_preview_runs_a_fixed_number_of_queries(
    admin_client, lessons, django_assert_num_queries
):
    _course, module_lessons = draft_course(lessons)
    url = preview_url(module_lessons[1])
    admin_client.get(url)
    with django_assert_num_queries(LESSON_PREVIEW_QUERIES):
        admin_client.get(url)


def test_the_lesson_preview_of_staff_with_a_permission_runs_the_same_queries_for_3_and_30(client):
    client.force_login(staff_with("view_lesson"))
    counts = [_queries(client, preview_url(draft_course(size)[1][1])) for size in (3, 30)]
    assert counts[0] == counts[1]


# --- the admin: "View on site" and the body's Markdown preview ---------------------------


def test_view_on_site_of_a_lesson_opens_its_preview(admin_client):
    _course, lessons = draft_course()
    lesson = lessons[0]
    page = admin_client.get(reverse("admin:courses_lesson_change", args=[lesson.pk]))
    assert f'href="{lesson.get_preview_url()}"' in page.content.decode()


def test_the_lesson_form_shows_the_saved_body_rendered_under_the_field(admin_client):
    _course, lessons = draft_course()
    lesson = lessons[0]
    lesson.body_fr = "Un **signe** d’alerte"
    lesson.save()
    page = admin_client.get(reverse("admin:courses_lesson_change", args=[lesson.pk]))
    html = page.content.decode()
    assert "Un <strong>signe</strong> d’alerte" in html
    assert "js/markdown-preview.js" in html
    assert "<script>" not in html.split('class="markdown-field"')[1].split("</section>")[0]


def test_the_course_page_shows_each_lessons_body_rendered_under_its_field(admin_client):
    course, lessons = draft_course()
    lesson = lessons[0]
    lesson.body_fr = "Un **signe** d’alerte"
    lesson.save()
    html = admin_client.get(reverse("admin:courses_course_change", args=[course.pk])).content
    html = html.decode()
    assert "Un <strong>signe</strong> d’alerte" in html
    assert 'data-markdown-preview="' in html.split('name="modules-0-lessons-0-body_fr"')[0][-800:]
    assert "js/markdown-preview.js" in html


def markdown_preview(client, text):
    return client.post(reverse("admin:courses_lesson_markdown_preview"), {"text": text})


def test_the_markdown_preview_renders_as_the_lesson_page_does(admin_client):
    response = markdown_preview(admin_client, "## Les signes\n\n- un\n- *deux*")
    assert response.status_code == 200
    assert response.content.decode() == (
        "<h2>Les signes</h2>\n<ul>\n<li>un</li>\n<li><em>deux</em></li>\n</ul>\n"
    )


class _Markup(HTMLParser):
    """The tags and attributes of an HTML fragment (escaped text is neither)."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.attributes = set(), []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.extend(attrs)


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "<a href='https://example.org' onclick='alert(1)'>lien</a>",
        "<style>body { display: none }</style>",
    ],
)
def test_a_script_in_the_markdown_comes_back_sanitised(admin_client, text):
    markup = _Markup(markdown_preview(admin_client, text).content.decode())
    assert markup.tags <= {"p", "a"}
    for name, value in markup.attributes:
        assert not name.startswith("on")
        assert not (value or "").strip().lower().startswith("javascript:")


def test_the_markdown_preview_needs_a_csrf_token(admin_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert markdown_preview(client, "texte").status_code == 403


def test_the_markdown_preview_is_for_those_who_may_edit_lessons(client):
    client.force_login(staff_with("view_lesson"))
    assert markdown_preview(client, "texte").status_code == 403
    client.force_login(staff_with("change_lesson"))
    assert markdown_preview(client, "texte").status_code == 200
    client.force_login(UserFactory())
    assert markdown_preview(client, "texte").status_code == 302  # to the admin's login


def test_the_markdown_preview_answers_a_get_with_405(admin_client):
    assert admin_client.get(reverse("admin:courses_lesson_markdown_preview")).status_code == 405
