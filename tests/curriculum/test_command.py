"""`manage.py load_curriculum`: what it says it did, at each verbosity."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courses.models import Course, Lesson
from curriculum.reading import DEFAULT_PATH
from tests.curriculum.documents import SLUG, lesson_count, real_document, snapshot, write

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out = StringIO()
    call_command("load_curriculum", *args, stdout=out, **options)
    return out.getvalue()


def test_the_command_says_what_it_did(tmp_path):
    path = write(tmp_path, real_document())
    output = run(str(path))
    document = real_document()
    rows = 1 + len(document["modules"]) + lesson_count()  # the course, its modules and lessons
    former = len(document["course"].get("former_slugs", []))
    version = document["version"]
    created = f"{rows + former} created, 0 updated, 0 kept, 0 unchanged.\n"
    assert f"{path} (version {version}): {created}" in output
    assert "lesson m1-l1" not in output
    output = run(str(path), verbosity=2)
    assert f"0 created, 0 updated, 0 kept, {rows} unchanged." in output
    assert "unchanged lesson m3-l2-drugs-alcohol" in output


def test_the_command_loads_the_default_file_without_arguments():
    output = run()
    assert f"{DEFAULT_PATH} (version {real_document()['version']}): " in output
    assert Course.objects.get(slug=SLUG).is_published


def test_the_command_shows_kept_entries_and_how_to_replace_them():
    run()
    Lesson.objects.filter(key="m1-l1-what-it-is").update(title_en="Edited")
    output = run()
    assert "kept      lesson m1-l1-what-it-is" in output
    assert "--force" in output
    assert "updated   lesson m1-l1-what-it-is" in run("--force", verbosity=2)


def test_the_command_fails_on_a_malformed_file_and_changes_nothing(tmp_path, loaded):
    document = real_document()
    document["modules"][-1]["lessons"][-1]["sources"] = ["hotline", "rumour"]
    path = write(tmp_path, document)
    with pytest.raises(CommandError) as error:
        run(str(path))
    assert f"{path}, line " in str(error.value)
    assert "modules[4].lessons[3] (m5-l4-looking-after-yourself)" in str(error.value)
    assert snapshot() == loaded


def test_the_command_is_quiet_at_verbosity_0():
    assert run(verbosity=0) == ""
