"""A course built in the admin gets its sources in the admin (the page "Sources cited"),
and can then be exported as a file the loader reads and loaded elsewhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses.models import Course, Lesson
from curriculum.admin import _checked_files
from curriculum.models import CourseSources
from curriculum.reading import curriculum_parse
from curriculum.services import curriculum_import, curriculum_load
from tests.curriculum.documents import SLUG
from tests.factories import CourseFactory, LessonFactory, ModuleFactory, UserFactory

pytestmark = pytest.mark.django_db


def sources_url(course, language="fr"):
    with translation.override(language):
        return reverse("admin:curriculum_coursefile_sources", args=[course.pk])


def admin_built_course(lessons=2):
    """A course made in the admin: entries without ids, no sources."""
    both = {"summary_fr": "Résumé", "summary_en": "Summary"}
    course = CourseFactory(
        slug="cours-admin",
        title_fr="Cours bâti",
        title_en="Built course",
        content_note_fr="Note",
        content_note_en="Note",
        **both,
    )
    module = ModuleFactory(
        course=course,
        key="",
        title_fr="Module A",
        title_en="Module A",
        objectives_fr="Repérer",
        objectives_en="Recognise",
        **both,
    )
    made = [
        LessonFactory(
            module=module,
            key="",
            position=i,
            title_fr=f"Leçon {i}",
            title_en=f"Lesson {i}",
            body_fr="Texte",
            body_en="Text",
        )
        for i in range(lessons)
    ]
    return course, made


def form_for(lessons, **cited):
    data = {
        "sources": "guide | Guide de repérage | https://example.org/guide | 2026-11-30\n"
        "loi | Code criminel, art. 279.01",
    }
    for lesson in lessons:
        data[f"lesson_lesson-{lesson.pk}"] = cited.get(str(lesson.pk), "guide, loi")
    return data


def test_a_course_built_in_the_admin_is_exported_once_its_sources_are_given(admin_client):
    course, lessons = admin_built_course()
    export = reverse("admin:curriculum_coursefile_export", args=[course.pk])
    refused = admin_client.get(export)
    assert refused.status_code == 302  # back to the course page, saying why
    assert not _is_yaml(refused)

    response = admin_client.post(sources_url(course), form_for(lessons))

    assert response.status_code == 302
    stored = CourseSources.objects.get(course=course)
    assert [source["id"] for source in stored.sources] == ["guide", "loi"]
    assert stored.sources[0] == {
        "id": "guide",
        "description": "Guide de repérage",
        "url": "https://example.org/guide",
        "checked": "2026-11-30",
    }
    assert stored.citations["lessons"] == {
        f"lesson-{lesson.pk}": ["guide", "loi"] for lesson in lessons
    }
    exported = admin_client.get(export)
    assert _is_yaml(exported)
    text = exported.content.decode()
    spec = curriculum_parse(text=text, path="export.yaml")
    assert [source["id"] for source in spec.sources] == ["guide", "loi"]


def test_the_file_of_a_course_built_in_the_admin_loads_into_an_empty_installation(admin_client):
    course, lessons = admin_built_course()
    admin_client.post(sources_url(course), form_for(lessons))
    [(_name, text)] = _checked_files([course.pk])
    titles = list(Lesson.objects.filter(module__course=course).values_list("title_en", flat=True))
    Course.objects.all().delete()

    curriculum_import(text=text, name="export.yaml", force=False, dry_run=False)

    loaded = Course.objects.get(slug="cours-admin")
    assert (
        list(Lesson.objects.filter(module__course=loaded).values_list("title_en", flat=True))
        == titles
    )
    assert CourseSources.objects.get(course=loaded).citations["lessons"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sources": "guide"}, "Ligne 1"),
        ({"sources": "Guide Majuscule | texte"}, "n’est pas un identifiant valide"),
        ({"sources": "a | un\na | deux"}, "déjà utilisé"),
        ({"sources": "a | un | pas-une-adresse"}, "n’est pas une adresse Web"),
        ({"sources": "a | un | https://example.org | 30/11/2026"}, "AAAA-MM-JJ"),
        ({"sources": "  \n "}, "Indiquez au moins une source."),
    ],
)
def test_a_wrong_list_of_sources_is_refused_in_french_and_nothing_is_saved(
    admin_client, change, message
):
    course, lessons = admin_built_course()
    data = form_for(lessons) | change
    response = admin_client.post(sources_url(course), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CourseSources.objects.filter(course=course).exists()


def test_each_lesson_must_cite_a_known_source(admin_client):
    course, lessons = admin_built_course()
    data = form_for(lessons, **{str(lessons[0].pk): "", str(lessons[1].pk): "guide, inconnue"})
    response = admin_client.post(sources_url(course), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Citez au moins une source pour cette leçon." in page
    assert "Source inconnue\u00a0: inconnue" in page
    assert not CourseSources.objects.filter(course=course).exists()


def test_the_real_course_saved_unchanged_exports_the_same_file(admin_client):
    curriculum_load()
    course = Course.objects.get(slug=SLUG)
    [(_name, before)] = _checked_files([course.pk])
    page = admin_client.get(sources_url(course))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}

    response = admin_client.post(sources_url(course), data)

    assert response.status_code == 302, response.context["form"].errors
    [(_name, after)] = _checked_files([course.pk])
    assert after == before


def test_the_sources_page_runs_the_same_queries_for_two_or_twelve_lessons(admin_client):
    counts = []
    for size in (2, 12):
        course, _lessons = admin_built_course(size)
        course.slug = f"cours-{size}"
        course.save()
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(sources_url(course)).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_the_sources_page_is_for_course_editors_only(client):
    course, _lessons = admin_built_course()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(sources_url(course)).status_code == 403
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    missing = reverse("admin:curriculum_coursefile_sources", args=[course.pk + 1000])
    assert client.get(missing).status_code == 404


def test_the_course_page_links_to_its_sources(admin_client):
    course, _lessons = admin_built_course()
    page = admin_client.get(reverse("admin:courses_course_change", args=[course.pk]))
    assert sources_url(course) in page.content.decode()


def _is_yaml(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("application/yaml")
