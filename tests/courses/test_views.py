import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from courses import hooks
from courses.models import Enrollment, Lesson, LessonProgress
from tests.certificates.factories import CertificateFactory
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    LessonProgressFactory,
    ModuleFactory,
    UserFactory,
)
from tests.quizzes.factories import quiz_with_questions

pytestmark = pytest.mark.django_db


def lesson_url(lesson, name="courses:lesson_detail", slug=None):
    return reverse(name, kwargs={"slug": slug or lesson.module.course.slug, "lesson_id": lesson.pk})


def first_lesson(course):
    return course.modules.order_by("position").first().lessons.order_by("position").first()


# --- the root and the language -------------------------------------------------------


def test_root_redirects_by_the_browsers_language(client):
    response = client.get("/", headers={"accept-language": "en-CA,en;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_root_defaults_to_french(client):
    response = client.get("/")
    assert response["Location"] == "/fr/"


def test_language_switcher_links_to_the_same_page_in_the_other_language(learner_client):
    course = CourseFactory(lessons=1)
    response = learner_client.get(f"/fr/courses/{course.slug}/")
    assert f'href="/en/courses/{course.slug}/"' in response.content.decode()
    response = learner_client.get(f"/en/courses/{course.slug}/")
    assert f'href="/fr/courses/{course.slug}/"' in response.content.decode()


def test_content_follows_the_page_language(client):
    course = CourseFactory(title_fr="Reconnaître", title_en="Recognising", lessons=1)
    assert "Reconnaître" in client.get(f"/fr/courses/{course.slug}/").content.decode()
    assert "Recognising" in client.get(f"/en/courses/{course.slug}/").content.decode()


def test_content_falls_back_to_french_when_english_is_empty(client):
    course = CourseFactory(title_fr="Seulement en français", title_en="", lessons=1)
    assert "Seulement en français" in client.get(f"/en/courses/{course.slug}/").content.decode()


def test_interface_strings_are_translated(client):
    assert "Connexion" in client.get("/fr/accounts/login/").content.decode() or (
        "Se connecter" in client.get("/fr/accounts/login/").content.decode()
    )
    assert "Log in" in client.get("/en/accounts/login/").content.decode()


def test_every_page_shows_the_hotline_and_the_quick_exit(client):
    for path in ["/fr/", "/en/", "/fr/courses/", "/en/accounts/login/"]:
        page = client.get(path).content.decode()
        assert "1-833-900-1010" in page, path
        assert "data-quick-exit" in page, path


# --- home and catalogue ----------------------------------------------------------------


def test_home_sends_a_signed_in_learner_to_my_learning(learner_client):
    response = learner_client.get("/fr/")
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:my_learning")


def test_admin_is_sent_to_my_learning_too(admin_client):
    assert admin_client.get("/fr/").status_code == 302


def test_catalogue_lists_published_courses_only(client, learner_client):
    published = CourseFactory(title_fr="Publié", lessons=1)
    CourseFactory(title_fr="Brouillon", is_published=False)
    page = client.get("/fr/courses/").content.decode()
    assert published.title_fr in page
    assert "Brouillon" not in page
    page = learner_client.get("/fr/courses/").content.decode()
    assert "Brouillon" not in page


def test_administrator_sees_drafts_in_the_catalogue(admin_client):
    CourseFactory(title_fr="Brouillon", is_published=False)
    assert "Brouillon" in admin_client.get("/fr/courses/").content.decode()


# --- course page -------------------------------------------------------------------------


def test_anonymous_visitor_sees_a_course_and_is_asked_to_log_in(client):
    course = CourseFactory(lessons=2)
    page = client.get(course.get_absolute_url()).content.decode()
    assert reverse("login") in page
    assert first_lesson(course).title_fr in page


def test_learner_not_enrolled_is_offered_to_enroll(learner_client):
    course = CourseFactory(lessons=2)
    page = learner_client.get(course.get_absolute_url()).content.decode()
    assert reverse("courses:course_enroll", kwargs={"slug": course.slug}) in page


def test_draft_course_is_404_for_learners_and_anonymous(client, learner_client):
    course = CourseFactory(is_published=False, lessons=1)
    assert client.get(course.get_absolute_url()).status_code == 404
    assert learner_client.get(course.get_absolute_url()).status_code == 404
    assert learner_client.post(
        reverse("courses:course_enroll", args=[course.slug])
    ).status_code == (404)


def test_administrator_previews_a_draft_as_a_learner_would(admin_client, admin_user):
    course = CourseFactory(is_published=False, lessons=2)
    page = admin_client.get(course.get_absolute_url()).content.decode()
    assert "Brouillon" in page or "preview" in page.lower() or "aperçu" in page.lower()
    admin_client.post(reverse("courses:course_enroll", args=[course.slug]))
    response = admin_client.get(lesson_url(first_lesson(course)))
    assert response.status_code == 200


def test_unknown_course_is_a_404_page_in_the_current_language(client):
    response = client.get("/en/courses/no-such-course/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    response = client.get("/fr/courses/no-such-course/")
    assert "Page introuvable" in response.content.decode()


def test_enrolling_creates_one_enrollment_and_returns_to_the_course(learner_client, learner):
    course = CourseFactory(lessons=1)
    url = reverse("courses:course_enroll", args=[course.slug])
    response = learner_client.post(url)
    learner_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()
    assert Enrollment.objects.filter(learner=learner, course=course).count() == 1


def test_enrolling_needs_a_login(client):
    course = CourseFactory(lessons=1)
    response = client.post(reverse("courses:course_enroll", args=[course.slug]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not Enrollment.objects.exists()


def test_enrolling_by_get_is_refused(learner_client):
    course = CourseFactory(lessons=1)
    assert learner_client.get(reverse("courses:course_enroll", args=[course.slug])).status_code == (
        405
    )


def test_start_button_opens_the_first_lesson_then_resume_the_first_not_done(
    learner_client, learner
):
    course = CourseFactory(lessons=3)
    EnrollmentFactory(learner=learner, course=course)
    lessons = list(course.modules.first().lessons.order_by("position"))
    page = learner_client.get(course.get_absolute_url()).content.decode()
    assert "Commencer" in page
    assert lessons[0].get_absolute_url() in page
    LessonProgressFactory(learner=learner, lesson=lessons[0])
    response = learner_client.get(course.get_absolute_url())
    assert "Reprendre" in response.content.decode()
    assert response.context["outline"].next_lesson == lessons[1]


def test_course_page_shows_the_progress_bar(learner_client, learner):
    course = CourseFactory(lessons=4)
    EnrollmentFactory(learner=learner, course=course)
    LessonProgressFactory(learner=learner, lesson=first_lesson(course))
    page = learner_client.get(course.get_absolute_url()).content.decode()
    assert '<progress max="100" value="25"' in page


def test_course_page_lists_each_modules_objectives_in_the_readers_language(client):
    course = CourseFactory()
    ModuleFactory(
        course=course,
        objectives_fr="- Reconnaître les signes.\n- Savoir qui appeler.",
        objectives_en="- Recognise the signs.\n- Know whom to call.",
    )
    ModuleFactory(course=course, objectives_fr="", objectives_en="")
    french = client.get(course.get_absolute_url()).content.decode()
    with translation.override("en"):
        english = client.get(course.get_absolute_url()).content.decode()
    assert "<li>Reconnaître les signes.</li>" in french
    assert "Objectifs d’apprentissage" in french
    assert "<li>Recognise the signs.</li>" in english
    assert "Learning objectives" in english
    assert english.count('class="module-objectives"') == 1  # none for a module without


# --- lesson page -------------------------------------------------------------------------


def test_lesson_page_shows_the_body_and_neighbours(learner_client, learner):
    course = CourseFactory(lessons=3)
    EnrollmentFactory(learner=learner, course=course)
    lessons = list(course.modules.first().lessons.order_by("position"))
    response = learner_client.get(lesson_url(lessons[1]))
    page = response.content.decode()
    assert "<strong>texte</strong>" in page
    assert lessons[0].get_absolute_url() in page
    assert lessons[2].get_absolute_url() in page


def test_lesson_of_a_course_not_enrolled_sends_to_the_course_page(learner_client):
    course = CourseFactory(lessons=1)
    response = learner_client.get(lesson_url(first_lesson(course)))
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()


def test_lesson_needs_a_login(client):
    course = CourseFactory(lessons=1)
    response = client.get(lesson_url(first_lesson(course)))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_lesson_under_another_courses_slug_is_404(learner_client, learner):
    course, other = CourseFactory(lessons=1), CourseFactory(lessons=1)
    EnrollmentFactory(learner=learner, course=course)
    response = learner_client.get(lesson_url(first_lesson(other), slug=course.slug))
    assert response.status_code == 404


def test_unknown_lesson_id_is_404(learner_client, learner):
    course = CourseFactory(lessons=1)
    EnrollmentFactory(learner=learner, course=course)
    url = reverse("courses:lesson_detail", kwargs={"slug": course.slug, "lesson_id": 999999})
    assert learner_client.get(url).status_code == 404


def test_marking_done_records_progress_and_moves_to_the_next_lesson(learner_client, learner):
    course = CourseFactory(lessons=2)
    EnrollmentFactory(learner=learner, course=course)
    lessons = list(course.modules.first().lessons.order_by("position"))
    response = learner_client.post(lesson_url(lessons[0], "courses:lesson_mark_done"))
    assert response.status_code == 302
    assert response["Location"] == lessons[1].get_absolute_url()
    assert LessonProgress.objects.filter(learner=learner, lesson=lessons[0]).exists()


def test_marking_the_last_lesson_done_completes_the_course(learner_client, learner):
    course = CourseFactory(lessons=1)
    enrollment = EnrollmentFactory(learner=learner, course=course)
    response = learner_client.post(lesson_url(first_lesson(course), "courses:lesson_mark_done"))
    # Finishing is signposted: the completion page, with the certificate.
    assert response["Location"] == reverse("courses:course_completed", kwargs={"slug": course.slug})
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None


def test_marking_done_a_lesson_of_another_course_is_404_and_saves_nothing(learner_client, learner):
    course, other = CourseFactory(lessons=1), CourseFactory(lessons=1)
    EnrollmentFactory(learner=learner, course=course)
    EnrollmentFactory(learner=learner, course=other)
    tampered = lesson_url(first_lesson(other), "courses:lesson_mark_done", slug=course.slug)
    assert learner_client.post(tampered).status_code == 404
    assert not LessonProgress.objects.exists()


def test_marking_done_without_enrollment_saves_nothing(learner_client):
    course = CourseFactory(lessons=1)
    response = learner_client.post(lesson_url(first_lesson(course), "courses:lesson_mark_done"))
    assert response.status_code == 302
    assert not LessonProgress.objects.exists()


def test_marking_done_by_get_is_refused(learner_client, learner):
    course = CourseFactory(lessons=1)
    EnrollmentFactory(learner=learner, course=course)
    assert (
        learner_client.get(lesson_url(first_lesson(course), "courses:lesson_mark_done")).status_code
        == 405
    )


def test_a_learners_progress_is_their_own(learner_client, learner):
    course = CourseFactory(lessons=2)
    EnrollmentFactory(learner=learner, course=course)
    someone_else = UserFactory()
    EnrollmentFactory(learner=someone_else, course=course)
    LessonProgressFactory(learner=someone_else, lesson=first_lesson(course))
    response = learner_client.get(course.get_absolute_url())
    assert response.context["outline"].done_count == 0


# --- my learning ---------------------------------------------------------------------------


def test_my_learning_lists_each_enrolled_course_with_its_progress(learner_client, learner):
    course = CourseFactory(title_fr="Mon cours", lessons=2)
    CourseFactory(title_fr="Pas inscrit", lessons=1)
    EnrollmentFactory(learner=learner, course=course)
    LessonProgressFactory(learner=learner, lesson=first_lesson(course))
    page = learner_client.get(reverse("courses:my_learning")).content.decode()
    assert "Mon cours" in page
    assert "Pas inscrit" not in page
    assert '<progress max="100" value="50"' in page


def test_my_learning_needs_a_login(client):
    response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 302


def test_my_learning_for_an_administrator(admin_client):
    assert admin_client.get(reverse("courses:my_learning")).status_code == 200


# --- query budgets -------------------------------------------------------------------------


def _course_with_progress(learner, lessons):
    course = CourseFactory(lessons=lessons)
    EnrollmentFactory(learner=learner, course=course)
    for lesson in list(course.modules.first().lessons.all())[:2]:
        LessonProgressFactory(learner=learner, lesson=lesson)
    return course


def _count_queries(django_assert_num_queries, client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["course", "lesson", "my_learning"])
def test_pages_run_the_same_number_of_queries_for_3_and_30_lessons(
    learner_client, learner, page, django_assert_num_queries
):
    counts = []
    for size in (3, 30):
        course = _course_with_progress(learner, size)
        url = {
            "course": course.get_absolute_url(),
            "lesson": lesson_url(first_lesson(course)),
            "my_learning": reverse("courses:my_learning"),
        }[page]
        counts.append(_count_queries(django_assert_num_queries, learner_client, url))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[1]):
        learner_client.get(url)


# The session, the user, the course's lessons (the one shown with its body) with their
# module, which are done and whether the learner is enrolled, and whether to show the
# supervisors' link.
LESSON_PAGE_QUERIES = 4


@pytest.mark.parametrize("lessons", [3, 30])
def test_the_lesson_page_runs_four_queries_whatever_the_number_of_lessons(
    learner_client, learner, lessons, django_assert_num_queries
):
    course = _course_with_progress(learner, lessons)
    lesson = list(course.modules.first().lessons.all())[1]
    with django_assert_num_queries(LESSON_PAGE_QUERIES):
        page = learner_client.get(lesson_url(lesson)).content.decode()
    assert lesson.title in page
    assert f"2 leçons sur {lessons}" in page


def test_the_lesson_page_shows_its_own_body_in_the_readers_language_with_french_as_fallback(
    learner_client, learner
):
    """The page reads one lesson's body among all of its course's lessons."""
    course = CourseFactory(lessons=3)
    EnrollmentFactory(learner=learner, course=course)
    first, second, third = course.modules.first().lessons.all()
    for lesson, fr, en in [
        (first, "Premier", "First"),
        (second, "Deuxième", ""),
        (third, "Troisième", "Third"),
    ]:
        lesson.body_fr, lesson.body_en = f"Corps **{fr}**", f"Body **{en}**" if en else ""
        lesson.save()
    page = learner_client.get(lesson_url(first)).content.decode()
    assert "Corps <strong>Premier</strong>" in page
    assert "Deuxième" not in page
    assert "Troisième" not in page
    with translation.override("en"):
        english, fallback = lesson_url(first), lesson_url(second)
    assert "Body <strong>First</strong>" in learner_client.get(english).content.decode()
    assert "Corps <strong>Deuxième</strong>" in learner_client.get(fallback).content.decode()


def test_lesson_page_in_english(learner_client, learner):
    course = CourseFactory(lessons=1)
    EnrollmentFactory(learner=learner, course=course)
    lesson = first_lesson(course)
    with translation.override("en"):
        url = lesson_url(lesson)
    page = learner_client.get(url).content.decode()
    assert lesson.title_en in page
    assert "Mark as done" in page


def test_no_url_answers_500_to_odd_input(learner_client, learner):
    course = CourseFactory(lessons=1)
    EnrollmentFactory(learner=learner, course=course)
    for path in [
        "/fr/courses/%00/",
        "/fr/courses/x/lessons/99999999999999999999/",
        "/fr/courses/" + "a" * 500 + "/",
        f"/fr/courses/{course.slug}/lessons/0/",
        "/xx/courses/",
    ]:
        assert learner_client.get(path).status_code in (301, 302, 400, 404), path
    lesson = LessonFactory()
    assert (
        learner_client.post(f"/fr/courses/{course.slug}/lessons/{lesson.pk}/done/").status_code
        == 404
    )


# --- safety on every page: quick exit, its note, the hotline ---------------------------------


def _assert_safety_on(page: str, language: str, where: str) -> None:
    from django.conf import settings

    assert f'href="{settings.QUICK_EXIT_URL}"' in page, where
    assert "data-quick-exit" in page, where
    assert f'href="/{language}/quick-exit/"' in page, where
    assert "1-833-900-1010" in page, where


@pytest.mark.parametrize("language", ["fr", "en"])
def test_quick_exit_its_note_and_the_hotline_are_on_every_page(
    client, learner, admin_user, language
):
    course = CourseFactory(lessons=2)
    EnrollmentFactory(learner=learner, course=course)
    lesson = first_lesson(course)
    pages = {
        "anonymous": [
            f"/{language}/",
            f"/{language}/courses/",
            f"/{language}{course.get_absolute_url()[3:]}",
            f"/{language}/accounts/login/",
            f"/{language}/quick-exit/",
            f"/{language}/admin/login/",
            f"/{language}/no-such-page/",
        ],
        learner: [
            f"/{language}/learning/",
            f"/{language}{course.get_absolute_url()[3:]}",
            f"/{language}{lesson.get_absolute_url()[3:]}",
            f"/{language}/accounts/profile/",
            f"/{language}/courses/no-such-course/",
        ],
        admin_user: [
            f"/{language}/admin/",
            f"/{language}/admin/courses/lesson/",
            f"/{language}/admin/courses/lesson/{lesson.pk}/change/",
            f"/{language}/admin/courses/course/{course.pk}/change/",
        ],
    }
    for who, paths in pages.items():
        client.logout()
        if who != "anonymous":
            client.force_login(who)
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 404), path
            _assert_safety_on(response.content.decode(), language, f"{who}: {path}")


def test_a_refused_form_page_carries_the_quick_exit_too():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/en/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    _assert_safety_on(page, "en", "CSRF failure")
    assert "The form could not be sent" in page


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Une erreur est survenue"), ("en", "Something went wrong")]
)
def test_the_500_page_carries_the_quick_exit_and_the_hotline_without_a_request(language, title):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        page = render_to_string("500.html")
    _assert_safety_on(page, language, "500")
    assert title in page


def test_quick_exit_is_a_plain_link_that_sends_no_referrer(client):
    from django.conf import settings

    page = client.get("/fr/courses/").content.decode()
    assert (
        f'<a class="quick-exit__button" href="{settings.QUICK_EXIT_URL}" rel="noreferrer"' in page
    )


@pytest.mark.parametrize(
    ("language", "title", "no_history", "back_once", "traces"),
    [
        (
            "fr",
            "Naviguer en sécurité",
            "n’efface pas l’historique de votre navigateur",
            "appuyer une seule fois sur Précédent",
            "les courriels de rappel",
        ),
        (
            "en",
            "Browsing safely",
            "does not erase your browser history",
            "pressing Back once",
            "the reminder e-mails",
        ),
    ],
)
def test_the_quick_exit_note_says_what_it_hides_and_what_it_does_not(
    client, language, title, no_history, back_once, traces
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/{language}/quick-exit/")
    assert response.status_code == 200
    assert [q["sql"] for q in queries if "SELECT" in q["sql"]] == []  # no database needed
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page
    assert no_history in page
    assert back_once in page
    assert "several times" not in page
    assert "plusieurs fois" not in page
    assert traces in page
    assert '<a class="nowrap" href="tel:+18339001010">' in page


# --- content notes ---------------------------------------------------------------------------


@pytest.fixture
def real_course(db):
    """The course loaded from the curriculum file."""
    from curriculum.services import curriculum_load

    curriculum_load()
    from courses.models import Course

    return Course.objects.get(slug="frontline-awareness")


def test_the_module_content_note_comes_before_the_first_lesson_of_modules_2_to_5_only(
    learner_client, learner, real_course
):
    from courses.selectors import course_outline

    EnrollmentFactory(learner=learner, course=real_course)
    noted = {}
    for lesson in course_outline(course=real_course, user=learner).lessons:
        page = learner_client.get(lesson_url(lesson)).content.decode()
        if 'id="module-note-title"' in page:
            noted[lesson.key] = page
    assert sorted(noted) == [
        "m2-l1-relationships",
        "m3-l1-what-traffickers-offer",
        "m4-l1-recognition-shame-fear",
        "m5-l1-notice-believe",
    ]
    page = noted["m3-l1-what-traffickers-offer"]
    note, body = page.index('id="module-note-title"'), page.index('class="lesson__body"')
    assert note < body  # above the lesson, which is still all there to read
    assert "Avant de lire ce module" in page
    assert "menaces de violence physique et sexuelle" in page
    assert "le cours reprendra là où vous l’avez laissé" in page
    assert "<form" in page  # nothing to dismiss: reading and marking done work as usual


def test_the_module_content_note_in_english(learner_client, learner, real_course):
    EnrollmentFactory(learner=learner, course=real_course)
    lesson = real_course.modules.get(key="m2-recruitment").lessons.order_by("position").first()
    with translation.override("en"):
        url = lesson_url(lesson)
    page = learner_client.get(url).content.decode()
    assert "Before you read this module" in page
    assert "shelters and group homes are places where recruitment happens" in page
    assert "the course will resume where you left off" in page


def test_the_course_content_note_shows_before_starting_and_not_once_started(
    learner_client, learner, real_course
):
    url = real_course.get_absolute_url()
    assert "Certains passages peuvent être difficiles" in learner_client.get(url).content.decode()
    EnrollmentFactory(learner=learner, course=real_course)
    page = learner_client.get(url).content.decode()
    assert "Certains passages peuvent être difficiles" in page
    LessonProgressFactory(learner=learner, lesson=first_lesson(real_course))
    page = learner_client.get(url).content.decode()
    assert "Certains passages peuvent être difficiles" not in page


# --- the course's address and page titles ---------------------------------------------------


def test_the_former_address_of_the_course_redirects_permanently_to_the_same_page(
    learner_client, learner, real_course
):
    EnrollmentFactory(learner=learner, course=real_course)
    lesson = first_lesson(real_course)
    old, new = "/courses/sex-trafficking/", f"/courses/{real_course.slug}/"
    response = learner_client.get(real_course.get_absolute_url().replace(new, old))
    assert response.status_code == 301
    assert response["Location"] == real_course.get_absolute_url()
    response = learner_client.get(lesson_url(lesson).replace(new, old) + "?from=reminder")
    assert response.status_code == 301
    assert response["Location"] == lesson_url(lesson) + "?from=reminder"
    assert learner_client.get("/fr/courses/no-such-course/").status_code == 404
    # A form posted to the old address is not replayed elsewhere.
    done = lesson_url(lesson, "courses:lesson_mark_done").replace(new, old)
    assert learner_client.post(done).status_code == 404


def test_the_course_address_and_page_titles_do_not_name_the_subject(
    learner_client, learner, real_course
):
    import re

    EnrollmentFactory(learner=learner, course=real_course)
    assert "traf" not in real_course.slug
    for url in (real_course.get_absolute_url(), lesson_url(first_lesson(real_course))):
        page = learner_client.get(url).content.decode()
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert "traite" not in title.lower(), title
        assert "exploitation" not in title.lower(), title


# --- what other apps add to the course page (courses.hooks) ----------------------------------


def test_course_page_shows_registered_intro_panels_above_the_modules(learner_client, learner):
    course = CourseFactory(lessons=1)

    def intro(outline, request):
        return mark_safe('<p id="added-intro">z</p>')

    def nothing(outline, request):
        return ""

    hooks.course_intro_panels.register(intro)
    hooks.course_intro_panels.register(nothing)
    try:
        page = learner_client.get(course.get_absolute_url()).content.decode()
    finally:
        hooks.course_intro_panels.unregister(intro)
        hooks.course_intro_panels.unregister(nothing)
    assert page.count('id="added-intro"') == 1
    assert page.index('id="added-intro"') < page.index('class="modules"')


def test_course_page_shows_what_registered_hooks_add(learner_client, learner):
    course = CourseFactory(lessons=1)
    module = course.modules.get()
    EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now())

    def section(outline, request):
        return {module.pk: mark_safe('<p id="added-section">x</p>')}

    def panel(outline, request):
        return mark_safe('<p id="added-panel">y</p>')

    hooks.module_sections.register(section)
    hooks.completion_panels.register(panel)
    try:
        page = learner_client.get(course.get_absolute_url()).content.decode()
    finally:
        hooks.module_sections.unregister(section)
        hooks.completion_panels.unregister(panel)
    assert page.count('id="added-section"') == 1
    assert page.count('id="added-panel"') == 1


def test_completed_course_page_with_quizzes_and_certificate_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    def completed_course_page(modules):
        learner = UserFactory()
        course = CourseFactory()
        for _ in range(modules):
            quiz_with_questions(1, module=ModuleFactory(course=course))
        enrollment = EnrollmentFactory(learner=learner, course=course)
        for lesson in Lesson.objects.filter(module__course=course):
            LessonProgressFactory(learner=learner, lesson=lesson)
        Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now())
        CertificateFactory(enrollment=Enrollment.objects.get(pk=enrollment.pk))
        client.force_login(learner)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(course.get_absolute_url()).content.decode()
        assert page.count('class="module-quiz"') == modules
        assert "Votre attestation" in page
        return len(queries)

    assert completed_course_page(1) == completed_course_page(6)


def test_the_catalogue_tells_administrators_what_a_draft_misses_in_fixed_queries(
    admin_client, django_assert_num_queries
):
    complete = CourseFactory(is_published=False, lessons=1, title_fr="Brouillon complet")
    missing = CourseFactory(is_published=False, lessons=3, title_fr="Brouillon à traduire")
    Lesson.objects.filter(module__course=missing).update(body_en="")
    url = reverse("courses:catalogue")
    admin_client.get(url)  # the session and the user, once
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(url).content.decode()
    assert "Anglais\u00a0: 3\u00a0champs manquants" in page
    assert "Français et anglais complets" in page
    assert complete.title_fr in page
    assert missing.title_fr in page
    CourseFactory.create_batch(3, is_published=False, lessons=2, summary_en="")
    with django_assert_num_queries(len(queries)):
        page = admin_client.get(url).content.decode()
    assert page.count("Anglais\u00a0: 1\u00a0champ manquant") == 3


def test_learners_see_no_translation_status_in_the_catalogue(learner_client):
    CourseFactory(is_published=True, lessons=1, summary_en="")
    page = learner_client.get(reverse("courses:catalogue")).content.decode()
    assert "manquant" not in page
