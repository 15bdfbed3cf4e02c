"""The knowledge check's items in the course file (`assessment:`): how the loader checks
them, writes them into assessments.Item / ItemChoice by id, keeps administrators' edits,
and how the export writes them back."""

import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessments.models import Form, Item, ItemChoice
from courses.models import Course
from curriculum.exporting import course_file_text
from curriculum.reading import curriculum_parse
from curriculum.report import CurriculumError
from curriculum.selectors import courses_for_export
from curriculum.services import curriculum_import, curriculum_load
from tests.curriculum.documents import SLUG, content, dump, small_document, with_assessment, write


@pytest.fixture(scope="module")
def base():
    """Two modules of the real course, with one item in each form for each module."""
    return with_assessment(small_document(modules=2, quizzes=False))


def document_from(base):
    return copy.deepcopy(base)


def refusal(document) -> CurriculumError:
    with pytest.raises(CurriculumError) as error:
        curriculum_parse(text=dump(document), path="course.yaml")
    return error.value


def load(tmp_path, document, **kwargs):
    return curriculum_load(path=write(tmp_path, document), **kwargs)


def exported() -> str:
    course = Course.objects.get(slug=SLUG)
    return course_file_text(courses_for_export(course_ids=[course.pk]).get())


# --- the check ------------------------------------------------------------------------------


def test_a_well_formed_section_gives_the_items_in_the_files_order(base):
    spec = curriculum_parse(text=dump(base), path="course.yaml")
    keys = [item.key for item in spec.assessment_items]
    assert keys == [item["id"] for item in base["assessment"]["items"]]
    first = spec.assessment_items[0]
    assert first.values["form"] == "A"
    assert first.values["text_en"].startswith("Statement")
    assert first.lesson_key == base["modules"][0]["lessons"][0]["id"]
    assert [choice.values["is_correct"] for choice in first.choices] == [True, False, False]


def test_the_section_is_optional(base):
    document = document_from(base)
    del document["assessment"]
    assert curriculum_parse(text=dump(document), path="course.yaml").assessment_items == []


def _item(document, index=0):
    return document["assessment"]["items"][index]


def _set_form(document):
    _item(document)["form"] = "C"


def _unknown_lesson(document):
    _item(document)["lesson"] = "no-such-lesson"


def _one_choice(document):
    del _item(document)["choices"][1:]


def _no_right_choice(document):
    _item(document)["choices"][0]["correct"] = False


def _two_right_choices(document):
    _item(document)["choices"][1]["correct"] = True


def _duplicate_item_id(document):
    _item(document, 1)["id"] = _item(document)["id"]


def _duplicate_choice_id(document):
    _item(document, 1)["choices"][0]["id"] = _item(document)["choices"][0]["id"]


def _empty_english(document):
    _item(document)["text"]["en"] = "  "


def _missing_french_choice(document):
    del _item(document)["choices"][2]["text"]["fr"]


def _unknown_key(document):
    _item(document)["feedback"] = {"fr": "x", "en": "x"}


def _not_parallel(document):
    # The second item is module 1's form B item: module 1 then has one A and no B.
    del document["assessment"]["items"][1]


def _empty_items(document):
    document["assessment"]["items"] = []


@pytest.mark.parametrize(
    ("change", "entry", "problem"),
    [
        (_set_form, "assessment.items[0] (ka-", "form: 'C' is not one of A, B"),
        (_unknown_lesson, "assessment.items[0] (ka-", "lesson: unknown lesson id 'no-such-lesson'"),
        (_one_choice, "assessment.items[0] (ka-", "An item needs at least two choices."),
        (_no_right_choice, "assessment.items[0] (ka-", "exactly one right choice, not 0."),
        (_two_right_choices, "assessment.items[0] (ka-", "exactly one right choice, not 2."),
        (_duplicate_item_id, "assessment.items[1]", "duplicate id (also assessment.items[0])"),
        (
            _duplicate_choice_id,
            "assessment.items[1] (ka-",
            "duplicate id (also assessment.items[0]",
        ),
        (_empty_english, "assessment.items[0] (ka-", "text.en: the English text is empty"),
        (_missing_french_choice, "choices[2]", "text: the French text (fr) is missing"),
        (_unknown_key, "assessment.items[0]", "unknown key `feedback`"),
        (_not_parallel, "assessment.items (", "same number of items in each module"),
        (_empty_items, "assessment", "items: must be a non-empty list"),
    ],
)
def test_a_broken_section_is_refused_naming_the_entry_and_the_problem(base, change, entry, problem):
    document = document_from(base)
    change(document)
    error = refusal(document)
    assert error.path == "course.yaml"
    assert entry in error.entry
    assert problem in error.problem
    assert error.line is not None


def test_the_parallel_forms_error_names_the_module_and_both_counts(base):
    document = document_from(base)
    _not_parallel(document)
    module = document["modules"][0]["id"]
    error = refusal(document)
    assert error.entry == f"assessment.items ({module})"
    assert f"module {module} has 1 in form A and 0 in form B" in error.problem


@pytest.mark.django_db
def test_a_refused_section_writes_nothing(tmp_path, base):
    document = document_from(base)
    _two_right_choices(document)
    with pytest.raises(CurriculumError):
        load(tmp_path, document)
    assert Course.objects.count() == Item.objects.count() == 0


# --- the writing ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_creates_every_item_and_choice_on_its_lesson_in_the_files_order(tmp_path, base):
    report = load(tmp_path, base)
    items = list(Item.objects.select_related("lesson", "course").order_by("position"))
    assert [item.key for item in items] == [item["id"] for item in base["assessment"]["items"]]
    first = items[0]
    assert (first.course.slug, first.form, first.lesson.key) == (
        SLUG,
        Form.A,
        base["modules"][0]["lessons"][0]["id"],
    )
    assert (first.text_fr, first.text_en) == (f"Énoncé {first.key} ?", f"Statement {first.key}?")
    assert list(first.choices.order_by("position").values_list("key", "is_correct")) == [
        (f"{first.key}-a", True),
        (f"{first.key}-b", False),
        (f"{first.key}-c", False),
    ]
    assert ItemChoice.objects.count() == 3 * len(items)
    counts = report.counts_by_kind()
    assert counts["knowledge check item"]["created"] == len(items)
    assert counts["knowledge check choice"]["created"] == 3 * len(items)
    for row in [*Item.objects.all(), *ItemChoice.objects.all()]:
        assert row.curriculum_fingerprint == row.content_fingerprint()


@pytest.mark.django_db
def test_loading_twice_changes_nothing(tmp_path, base):
    load(tmp_path, base)
    before = content()
    report = load(tmp_path, base)
    assert content() == before
    lines = [line for line in report.lines if line[1].startswith("knowledge check")]
    assert lines
    assert {action for action, _label in lines} == {"unchanged"}


@pytest.mark.django_db
def test_an_administrators_edit_is_kept_unless_forced(tmp_path, base):
    load(tmp_path, base)
    key = _item(base)["id"]
    item = Item.objects.get(key=key)
    item.text_en = "Edited in the admin"
    item.save()

    report = load(tmp_path, base)
    assert ("kept", f"knowledge check item {key}") in report.lines
    assert Item.objects.get(key=key).text_en == "Edited in the admin"

    report = load(tmp_path, base, force=True)
    assert ("updated", f"knowledge check item {key}") in report.lines
    assert Item.objects.get(key=key).text_en == f"Statement {key}?"


@pytest.mark.django_db
def test_a_changed_file_updates_an_unedited_item(tmp_path, base):
    load(tmp_path, base)
    document = document_from(base)
    key = _item(document)["id"]
    _item(document)["text"]["en"] = "A new wording?"
    _item(document)["lesson"] = document["modules"][0]["lessons"][1]["id"]
    report = load(tmp_path, document)
    assert ("updated", f"knowledge check item {key}") in report.lines
    item = Item.objects.select_related("lesson").get(key=key)
    assert (item.text_en, item.lesson.key) == (
        "A new wording?",
        document["modules"][0]["lessons"][1]["id"],
    )


@pytest.mark.django_db
def test_items_no_longer_in_the_file_are_left_in_place_and_reported(tmp_path, base):
    load(tmp_path, base)
    document = document_from(base)
    gone = document["assessment"]["items"][:2]  # module 1's A and B: still parallel
    document["assessment"]["items"] = document["assessment"]["items"][2:]
    report = load(tmp_path, document)
    for item in gone:
        assert (
            "left",
            f"knowledge check item {item['id']} (not in the file: delete it in the admin if it "
            "should go)",
        ) in report.lines
        assert Item.objects.filter(key=item["id"]).exists()


@pytest.mark.django_db
def test_kept_edits_that_would_leave_an_item_without_one_right_choice_stop_the_load(tmp_path, base):
    load(tmp_path, base)
    key = _item(base)["id"]
    # The admin made choice b the right one; the file now makes choice c right instead of
    # a: b's edit is kept, c follows the file, and the item would have two right choices.
    ItemChoice.objects.filter(key=f"{key}-a").update(is_correct=False)
    ItemChoice.objects.filter(key=f"{key}-b").update(is_correct=True)
    document = document_from(base)
    choices = _item(document)["choices"]
    choices[0]["correct"], choices[2]["correct"] = False, True
    before = content()
    with pytest.raises(CurriculumError) as error:
        load(tmp_path, document)
    assert error.value.entry == f"knowledge check item {key}"
    assert "exactly one right choice, not 2." in error.value.problem
    assert content() == before


# --- the export -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_writes_the_section_back_as_the_file_gave_it(tmp_path, base):
    load(tmp_path, base)
    spec = curriculum_parse(text=exported(), path="export.yaml")
    again = curriculum_parse(text=dump(base), path="course.yaml")
    assert spec.assessment_items == again.assessment_items


@pytest.mark.django_db
def test_load_export_load_into_an_empty_database_gives_the_same_content(tmp_path, base):
    load(tmp_path, base)
    before, text = content(), exported()
    Course.objects.all().delete()
    assert Item.objects.count() == 0

    report = curriculum_import(text=text, name="export.yaml", force=False, dry_run=False)

    assert content() == before
    assert {action for action, _label in report.lines} == {"created"}
    assert exported() == text


@pytest.mark.django_db
def test_loading_the_export_over_its_own_course_changes_nothing(tmp_path, base):
    load(tmp_path, base)
    report = curriculum_import(text=exported(), name="export.yaml", force=False, dry_run=False)
    assert {action for action, _label in report.lines} == {"unchanged"}


@pytest.mark.django_db
def test_an_item_added_in_the_admin_exports_with_an_id_made_from_its_row(tmp_path, base):
    load(tmp_path, base)
    lesson_item = Item.objects.first()
    added = Item.objects.create(
        course=lesson_item.course, form=Form.A, key="", lesson=lesson_item.lesson, text="Ajouté"
    )
    assert f"id: item-{added.pk}" in exported()


@pytest.mark.django_db
def test_the_admins_import_tells_what_applying_would_do_to_the_items(admin_client, base):
    with translation.override("en"):
        address = reverse("admin:curriculum_coursefile_changelist")
    upload = SimpleUploadedFile("course.yaml", dump(base).encode(), "application/yaml")
    page = admin_client.post(address, {"file": upload}).content.decode()
    items = len(base["assessment"]["items"])
    for label, count in (("Knowledge check items", items), ("Knowledge check choices", 3 * items)):
        row = page.split(f'<th scope="row">{label}</th>')[1].split("</tr>")[0]
        cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
        assert cells == [str(count), "0", "0", "0", "0"]
    assert not Item.objects.exists()


@pytest.mark.django_db
def test_a_published_courses_version_keeps_the_items_the_file_loaded(tmp_path, base):
    load(tmp_path, base)
    course = Course.objects.get(slug=SLUG)
    assert course.is_published
    entries = course.versions.order_by("-number").first().content["entries"]
    kept = {entry["fields"]["text_en"] for entry in entries if entry["kind"] == "check item"}
    assert kept == {item["text"]["en"] for item in base["assessment"]["items"]}

    document = document_from(base)
    _item(document)["text"]["en"] = "A new wording?"
    load(tmp_path, document)
    latest = course.versions.order_by("-number").first()
    assert "A new wording?" in {
        entry["fields"]["text_en"]
        for entry in latest.content["entries"]
        if entry["kind"] == "check item"
    }
