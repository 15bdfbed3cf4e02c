"""Course files in the admin: the export (course list action, course page button), and the
import: upload → the loader's check, its errors with their line → what applying would do,
nothing written → apply, in one transaction, of the very file checked."""

import io
import zipfile

import pytest
import yaml
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses import services
from courses.models import Course, Lesson
from curriculum.admin import SESSION_KEY
from curriculum.forms import COURSE_FILE_MAX_BYTES, text_digest
from curriculum.services import curriculum_load
from quizzes.models import Choice
from tests.curriculum.documents import YAML_LOADER, dump, small_document, write
from tests.factories import AdminFactory, CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args, language="en"):
    """The admin's address in `language` (English unless said: the tests read its words)."""
    with translation.override(language):
        return reverse(name, args=args)


IMPORT = url("admin:curriculum_coursefile_changelist")
APPLY = url("admin:curriculum_coursefile_apply")
SMALL_SLUG = "frontline-awareness"


def upload(client, text, *, name="course.yaml", force=False, language="en"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    post = {"file": SimpleUploadedFile(name, data, content_type="application/yaml")}
    if force:
        post["force"] = "on"
    return client.post(url("admin:curriculum_coursefile_changelist", language=language), post)


@pytest.fixture
def small_text():
    return dump(small_document(modules=2))


@pytest.fixture
def editor(client):
    """Staff allowed to change courses, and nothing else."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_course"))
    client.force_login(user)
    return client


# --- import --------------------------------------------------------------------------------


def test_a_good_file_shows_what_applying_it_would_create_and_writes_nothing(
    admin_client, small_text
):
    response = upload(admin_client, small_text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "What applying course.yaml (version 2) would do" in page
    assert Course.objects.count() == Lesson.objects.count() == Choice.objects.count() == 0
    lessons = sum(len(m["lessons"]) for m in small_document(modules=2)["modules"])
    row = page.split('<th scope="row">Lessons</th>')[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
    assert cells == [str(lessons), "0", "0", "0", "0"]  # all to create, nothing else
    assert admin_client.session[SESSION_KEY]["digest"] == text_digest(small_text)


def test_applying_loads_the_file_checked_and_forgets_it(admin_client, small_text):
    upload(admin_client, small_text)
    response = admin_client.post(APPLY, {"digest": text_digest(small_text)})
    assert response.status_code == 200
    assert "The course file course.yaml (version 2) is loaded." in response.content.decode()
    course = Course.objects.get(slug=SMALL_SLUG)
    assert course.modules.count() == 2
    assert SESSION_KEY not in admin_client.session
    again = admin_client.post(APPLY, {"digest": text_digest(small_text)})
    assert again.status_code == 400  # nothing waits any more: a second click writes nothing


def test_a_file_applied_over_its_course_reports_edits_kept(admin_client, small_text, tmp_path):
    curriculum_load(path=write(tmp_path, small_text))
    lesson = Lesson.objects.order_by("pk").first()
    lesson.title_en = "Edited in the admin"
    lesson.save()
    page = upload(admin_client, small_text).content.decode()
    assert f"lesson {lesson.key}" in page
    admin_client.post(APPLY, {"digest": text_digest(small_text)})
    lesson.refresh_from_db()
    assert lesson.title_en == "Edited in the admin"


def test_force_replaces_the_edits_made_in_the_admin(admin_client, small_text, tmp_path):
    curriculum_load(path=write(tmp_path, small_text))
    lesson = Lesson.objects.order_by("pk").first()
    lesson.title_en = "Edited in the admin"
    lesson.save()
    upload(admin_client, small_text, force=True)
    admin_client.post(APPLY, {"digest": text_digest(small_text)})
    lesson.refresh_from_db()
    assert lesson.title_en != "Edited in the admin"


def test_applying_with_another_files_digest_writes_nothing(admin_client, small_text):
    upload(admin_client, small_text)
    response = admin_client.post(APPLY, {"digest": text_digest(small_text + "\n# other")})
    assert response.status_code == 400
    assert "Upload it again" in response.content.decode()
    assert Course.objects.count() == 0


def test_a_second_file_checked_replaces_the_first_one_waiting(admin_client, small_text):
    first = small_text
    second = dump(small_document(modules=1, quizzes=False))
    upload(admin_client, first)
    upload(admin_client, second)
    assert admin_client.post(APPLY, {"digest": text_digest(first)}).status_code == 400
    assert Course.objects.count() == 0


def test_an_error_of_the_check_is_shown_with_its_line_in_english_and_french(admin_client):
    document = small_document(modules=1, quizzes=False)
    del document["modules"][0]["lessons"][0]["minutes"]
    text = dump(document)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "id: m1-l1-what-it-is" in t)
    response = upload(admin_client, text)
    page = response.content.decode()
    assert response.status_code == 400
    assert f"The course file cannot be loaded: line {line}, modules[0].lessons[0]" in page
    assert "the required key `minutes` is missing" in page
    french = upload(admin_client, text, language="fr").content.decode()
    assert f"Le fichier de cours ne peut pas être chargé\u00a0: ligne {line}" in french
    assert "la clé obligatoire `minutes` manque" in french
    assert Course.objects.count() == 0


def test_a_yaml_syntax_error_is_shown_with_its_line(admin_client):
    response = upload(admin_client, "version: 2\nsources: [\n  - oops: : :\n")
    assert response.status_code == 400
    assert "line 3" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("version: 2\n".encode("utf-16"), "This file is not UTF-8 text."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This file is not UTF-8 text."),
        (b"just some words", "must be a mapping of"),
        (b"- a list\n- not a course\n", "must be a mapping of"),
    ],
)
def test_a_file_that_is_not_a_course_file_gets_a_clear_page(admin_client, content, message):
    response = upload(admin_client, content)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_file_over_the_limit_is_refused_before_it_is_read(admin_client):
    response = upload(admin_client, b"#" * (COURSE_FILE_MAX_BYTES + 1))
    assert response.status_code == 400
    assert "larger than 2 MiB" in response.content.decode()


def test_uploading_nothing_is_a_form_error(admin_client):
    response = admin_client.post(IMPORT, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_import_page_runs_the_same_queries_whatever_the_courses(
    admin_client, django_assert_num_queries
):
    admin_client.get(IMPORT)
    with django_assert_num_queries(2) as captured:  # the session, the user
        assert admin_client.get(IMPORT).status_code == 200
    CourseFactory.create_batch(3, lessons=4)
    with django_assert_num_queries(len(captured)):
        admin_client.get(IMPORT)


# --- export --------------------------------------------------------------------------------


@pytest.fixture
def loaded(small_text, tmp_path):
    curriculum_load(path=write(tmp_path, small_text))
    return Course.objects.get(slug=SMALL_SLUG)


def test_the_course_page_offers_the_export_and_it_downloads_the_file(admin_client, loaded):
    page = admin_client.get(url("admin:courses_course_change", loaded.pk)).content.decode()
    address = url("admin:curriculum_coursefile_export", loaded.pk)
    assert f'<a href="{address}">Export as a course file</a>' in page
    response = admin_client.get(address)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{SMALL_SLUG}.yaml"'
    document = yaml.load(response.content.decode(), Loader=YAML_LOADER)
    assert [m["id"] for m in document["modules"]] == ["m1-definition", "m2-recruitment"]


def test_the_export_runs_the_same_queries_for_a_larger_course(admin_client, tmp_path):
    def count(modules, slug):
        document = small_document(modules=modules)
        document["course"].update(slug=slug, former_slugs=[f"{slug}-old"])
        curriculum_load(path=write(tmp_path, document, f"{slug}.yaml"))
        course = Course.objects.get(slug=slug)
        address = url("admin:curriculum_coursefile_export", course.pk)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(address).status_code == 200
        return len(captured)

    assert count(2, "two-modules") == count(3, "three-modules")


def test_the_list_action_exports_one_course_as_a_file_and_several_as_a_zip(
    admin_client, loaded, tmp_path
):
    other = small_document(modules=2)
    other["course"].update(slug="partner-course", former_slugs=["partner-course-old"])
    curriculum_load(path=write(tmp_path, other, "other.yaml"))
    ids = list(Course.objects.order_by("slug").values_list("pk", flat=True))
    changelist = url("admin:courses_course_changelist")
    one = admin_client.post(
        changelist, {"action": "export_as_course_file", "_selected_action": ids[:1]}
    )
    assert one["Content-Type"].startswith("application/yaml")
    both = admin_client.post(
        changelist, {"action": "export_as_course_file", "_selected_action": ids}
    )
    names = zipfile.ZipFile(io.BytesIO(both.content)).namelist()
    assert sorted(names) == [f"{SMALL_SLUG}.yaml", "partner-course.yaml"]


def test_a_course_the_loader_would_refuse_is_not_exported_and_the_page_says_why(admin_client):
    course = CourseFactory(lessons=1)
    response = admin_client.get(url("admin:curriculum_coursefile_export", course.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("admin:courses_course_change", course.pk)
    assert (
        "This course cannot be exported as a file the loader reads: sources: sources: must be "
        "a non-empty list"
    ) in response.content.decode()


def test_exporting_an_unknown_course_is_a_404(admin_client):
    address = url("admin:curriculum_coursefile_export", 999_999)
    assert admin_client.get(address).status_code == 404


# --- who may -------------------------------------------------------------------------------


def test_staff_allowed_to_change_courses_may_import_and_export(editor, loaded, small_text):
    assert editor.get(IMPORT).status_code == 200
    address = url("admin:curriculum_coursefile_export", loaded.pk)
    assert editor.get(address).status_code == 200


def test_staff_not_allowed_to_change_courses_may_neither_import_nor_export(
    client, loaded, small_text
):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_lesson"))
    client.force_login(user)
    address = url("admin:curriculum_coursefile_export", loaded.pk)
    assert client.get(IMPORT).status_code == 403
    assert upload(client, small_text).status_code == 403
    assert client.post(APPLY, {"digest": text_digest(small_text)}).status_code == 403
    assert client.get(address).status_code == 403
    assert IMPORT not in client.get(url("admin:index")).content.decode()


def test_people_who_are_not_staff_are_sent_to_the_admin_login(client, small_text):
    client.force_login(UserFactory())
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert url("admin:login") in response["Location"]
    client.logout()
    assert upload(client, small_text).status_code == 302
    assert Course.objects.count() == 0


def test_the_admin_index_lists_the_import_for_administrators(client):
    client.force_login(AdminFactory())
    assert IMPORT in client.get(url("admin:index")).content.decode()


def test_a_course_rule_that_refuses_the_file_is_a_clear_page_and_writes_nothing(
    admin_client, small_text, monkeypatch
):
    """Should publishing the new course be refused (courses' own rule), the page says so."""

    def refuse(*, course):
        raise ValidationError("The English summary is empty.")

    monkeypatch.setattr(services, "course_check_publishable", refuse)
    response = upload(admin_client, small_text)
    assert response.status_code == 400
    assert "course: The English summary is empty." in response.content.decode()
    assert Course.objects.count() == 0
