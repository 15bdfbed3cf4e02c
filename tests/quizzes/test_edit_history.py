"""Every edit of quiz content, in the admin or by the curriculum loader, is recorded with who
made it, when, and the previous text, and shown on the object's History page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import ContentEdit
from tests.quizzes.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def edit_form(question, **choice_overrides):
    """The Question admin's POST, with its existing choices (first one: `choice_overrides`)."""
    choices = list(question.choices.order_by("position"))
    data = {
        "scenario": question.scenario_id,
        "key": question.key,
        "position": question.position,
        "kind": question.kind,
        "text_fr": question.text_fr,
        "text_en": question.text_en,
        "lesson": question.lesson_id or "",
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for index, choice in enumerate(choices):
        prefix = f"choices-{index}-"
        data |= {
            f"{prefix}id": choice.pk,
            f"{prefix}question": question.pk,
            f"{prefix}position": choice.position,
            f"{prefix}key": choice.key,
            f"{prefix}text_fr": choice.text_fr,
            f"{prefix}text_en": choice.text_en,
            f"{prefix}level": choice.level,
            f"{prefix}feedback_fr": choice.feedback_fr,
            f"{prefix}feedback_en": choice.feedback_en,
        }
        if choice.is_correct:
            data[f"{prefix}is_correct"] = "on"
    data |= {f"choices-0-{name}": value for name, value in choice_overrides.items()}
    return data


def test_an_edit_in_the_admin_records_the_user_the_time_and_the_previous_text(
    admin_client, admin_user
):
    question = QuestionFactory()
    choice = question.choices.order_by("position").first()
    before = timezone.now()
    response = admin_client.post(
        reverse("admin:quizzes_question_change", args=[question.pk]),
        edit_form(question, text_en="Stay with her and call the hotline"),
    )
    assert response.status_code == 302
    edit = ContentEdit.objects.get(object_id=choice.pk, action="changed")
    assert edit.edited_by == admin_user
    assert edit.edited_at >= before
    assert edit.changes == {"text_en": [choice.text_en, "Stay with her and call the hotline"]}


def test_the_questions_history_page_shows_its_choices_edits_with_the_previous_text(
    admin_client, admin_user
):
    question = QuestionFactory()
    old_text = question.choices.order_by("position").first().text_en
    admin_client.post(
        reverse("admin:quizzes_question_change", args=[question.pk]),
        edit_form(question, text_en="Stay with her"),
    )
    response = admin_client.get(reverse("admin:quizzes_question_history", args=[question.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert admin_user.full_name in page
    assert f"<del>{old_text}</del> → <ins>Stay with her</ins>" in page
    assert "texte [en]" in page


def test_the_history_page_runs_the_same_number_of_queries_for_1_and_5_edits(admin_client):
    question = QuestionFactory()
    url = reverse("admin:quizzes_question_history", args=[question.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured)

    choice = question.choices.first()
    choice.text_fr = "Première modification"
    choice.save()
    one = queries()
    for index in range(4):
        choice.text_fr = f"Modification {index}"
        choice.save()
    assert queries() == one


def test_an_edit_by_a_service_outside_a_request_is_recorded_without_a_user():
    question = QuestionFactory()
    old = question.text_fr
    question.text_fr = "Que faites-vous d’abord ?"
    question.save()
    edit = ContentEdit.objects.get(object_id=question.pk, action="changed")
    assert edit.edited_by is None
    assert edit.changes["text_fr"] == [old, "Que faites-vous d’abord ?"]
