import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.workplaces import Workplace
from certificates.models import Certificate
from courses.models import LessonProgress
from courses.services import enrollment_restart
from organizations.models import Membership, Organization
from quizzes import services
from quizzes.models import Answer, Attempt, Choice, Question
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    LessonProgressFactory,
    ModuleFactory,
    UserFactory,
)
from tests.quizzes.factories import (
    QuestionFactory,
    QuizFactory,
    ScenarioFactory,
    answers_for,
    quiz_with_questions,
)

pytestmark = pytest.mark.django_db


def quiz_url(quiz, name="quizzes:quiz_detail"):
    return reverse(name, kwargs={"slug": quiz.module.course.slug, "module_id": quiz.module_id})


def attempt_url(attempt, name="quizzes:attempt_detail"):
    return reverse(name, kwargs={"attempt_id": attempt.pk})


def enroll(learner, quiz):
    return EnrollmentFactory(learner=learner, course=quiz.module.course)


def start(client, quiz):
    response = client.post(quiz_url(quiz, "quizzes:quiz_start"))
    assert response.status_code == 302
    return Attempt.objects.latest("pk")


def post_data(answers):
    return {f"question_{q}": choices for q, choices in answers.items()}


def submit(client, attempt, answers):
    return client.post(attempt_url(attempt, "quizzes:attempt_submit"), post_data(answers))


def french_quiz():
    """A quiz with one single-answer and one "select all that apply" question."""
    quiz = QuizFactory()
    scenario = ScenarioFactory(
        quiz=quiz,
        title_fr="Une nuit au refuge",
        title_en="A night at the shelter",
        situation_fr="Une résidente, **Léa**, reçoit des appels à toute heure.",
        situation_en="A resident, **Léa**, gets calls at all hours.",
    )
    single = QuestionFactory(
        scenario=scenario,
        position=0,
        text_fr="Que remarquez-vous ?",
        text_en="What do you notice?",
        choices=[],
    )
    multiple = QuestionFactory(
        scenario=scenario,
        position=1,
        kind=Question.Kind.MULTIPLE,
        text_fr="Que faites-vous ?",
        text_en="What do you do?",
        choices=[],
    )
    for question, marks in ((single, [True, False, False]), (multiple, [True, True, False])):
        for index, is_correct in enumerate(marks):
            Choice.objects.create(
                question=question,
                position=index,
                text_fr=f"Choix {question.position}-{index}",
                text_en=f"Choice {question.position}-{index}",
                is_correct=is_correct,
                feedback_fr=f"Explication secrète {question.position}-{index}.",
                feedback_en=f"Secret explanation {question.position}-{index}.",
            )
    return quiz


# --- start page -----------------------------------------------------------------------------


def test_quiz_page_explains_the_pass_mark_the_attempts_and_select_all(learner_client, learner):
    quiz = quiz_with_questions(3, max_attempts=3, pass_mark=75)
    enroll(learner, quiz)
    page = learner_client.get(quiz_url(quiz)).content.decode()
    assert "75\u202f%" in page
    assert "Il vous reste 3 tentatives sur 3" in page
    assert "Cochez toutes les réponses qui s’appliquent" in page
    assert "3 questions" in page
    assert reverse("quizzes:quiz_start", args=[quiz.module.course.slug, quiz.module_id]) in page


def test_quiz_page_opens_with_a_content_note_and_a_pause_that_asks_nothing(learner_client, learner):
    quiz = quiz_with_questions(1)
    enroll(learner, quiz)
    page = learner_client.get(quiz_url(quiz)).content.decode()
    note = page.split('id="quiz-note-title"')[1].split("</aside>")[0]
    assert "situations réalistes" in note
    assert "adolescent" in note
    assert "sans avoir à dire pourquoi" in note
    assert f'href="{reverse("courses:my_learning")}"' in note  # a plain link, no form
    assert "<form" not in note
    assert "9-8-8" in note
    assert page.index('id="quiz-note-title"') < page.index(
        reverse("quizzes:quiz_start", args=[quiz.module.course.slug, quiz.module_id])
    )
    title = page.split("<title>")[1].split("</title>")[0]
    assert title.startswith(f"Questionnaire du module {quiz.module.position}")


def test_quiz_page_without_enrollment_sends_to_the_course(learner_client):
    quiz = quiz_with_questions(1)
    response = learner_client.get(quiz_url(quiz))
    assert response.status_code == 302
    assert response["Location"] == quiz.module.course.get_absolute_url()


def test_quiz_pages_need_a_login(client):
    quiz = quiz_with_questions(1)
    for url in (quiz_url(quiz),):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    response = client.post(quiz_url(quiz, "quizzes:quiz_start"))
    assert reverse("login") in response["Location"]
    assert not Attempt.objects.exists()


def test_a_module_without_a_quiz_or_of_another_course_is_404(learner_client, learner):
    quiz = quiz_with_questions(1)
    enroll(learner, quiz)
    other = CourseFactory()
    bare = ModuleFactory(course=quiz.module.course)
    for slug, module_id in ((other.slug, quiz.module_id), (quiz.module.course.slug, bare.pk)):
        url = reverse("quizzes:quiz_detail", kwargs={"slug": slug, "module_id": module_id})
        assert learner_client.get(url).status_code == 404


def test_the_quiz_of_a_draft_course_is_404_for_learners(learner_client, learner):
    quiz = quiz_with_questions(1, module=ModuleFactory(course=CourseFactory(is_published=False)))
    enroll(learner, quiz)
    assert learner_client.get(quiz_url(quiz)).status_code == 404
    assert learner_client.post(quiz_url(quiz, "quizzes:quiz_start")).status_code == 404
    assert not Attempt.objects.exists()


def test_starting_by_get_is_refused(learner_client, learner):
    quiz = quiz_with_questions(1)
    enroll(learner, quiz)
    assert learner_client.get(quiz_url(quiz, "quizzes:quiz_start")).status_code == 405


def test_starting_opens_the_attempt_page(learner_client, learner):
    quiz = quiz_with_questions(2)
    enroll(learner, quiz)
    response = learner_client.post(quiz_url(quiz, "quizzes:quiz_start"))
    attempt = Attempt.objects.get(learner=learner)
    assert response["Location"] == attempt_url(attempt)


def test_starting_without_attempts_left_says_so(learner_client, learner):
    quiz = quiz_with_questions(1, max_attempts=1)
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    submit(learner_client, attempt, answers_for(attempt, right=False))
    page = learner_client.get(quiz_url(quiz)).content.decode()
    assert reverse("quizzes:quiz_start", args=[quiz.module.course.slug, quiz.module_id]) not in (
        page
    )
    response = learner_client.post(quiz_url(quiz, "quizzes:quiz_start"), follow=True)
    assert "Vous avez utilisé toutes les tentatives permises" in response.content.decode()
    assert Attempt.objects.count() == 1


# --- attempt page ---------------------------------------------------------------------------


def test_attempt_page_shows_the_situation_then_its_questions_in_fieldsets(learner_client, learner):
    quiz = french_quiz()
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    page = learner_client.get(attempt_url(attempt)).content.decode()
    assert page.index("Une nuit au refuge") < page.index("<strong>Léa</strong>")
    assert page.index("<strong>Léa</strong>") < page.index("Que remarquez-vous ?")
    assert page.count("<fieldset") == 2
    assert "<legend>1. Que remarquez-vous ?</legend>" in page
    assert "<legend>2. Que faites-vous ?</legend>" in page
    assert page.count('type="radio"') == 3
    assert page.count('type="checkbox"') == 3
    # "Select all that apply" is said on the multiple question, and only there.
    assert page.count("Cochez toutes les réponses qui s’appliquent") == 1
    assert page.index("Que faites-vous ?") < page.index("Cochez toutes les réponses")


def test_attempt_page_in_english(client, learner):
    client.force_login(learner)
    quiz = french_quiz()
    enroll(learner, quiz)
    attempt = start(client, quiz)
    page = client.get(f"/en{attempt_url(attempt)[3:]}").content.decode()
    assert "What do you do?" in page
    assert "Select all that apply" in page


def test_attempt_page_never_reveals_right_answers_or_feedback(learner_client, learner):
    quiz = french_quiz()
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    page = learner_client.get(attempt_url(attempt)).content.decode()
    assert "Explication" not in page
    assert "Secret" not in page
    main = page.split('<main id="main"')[1]
    assert "correct" not in main.lower()
    assert "bonne réponse" not in main.lower()
    # The inputs carry only their name, the choice id and an id: nothing tells them apart.
    inputs = re.findall(r"<input [^>]*type=\"(?:radio|checkbox)\"[^>]*>", main)
    assert len(inputs) == 6
    for tag in inputs:
        attributes = set(re.findall(r"(\w[\w-]*)=", tag))
        assert attributes <= {"type", "name", "value", "id", "required"}, tag


def test_choices_keep_their_shuffled_order_on_reload(learner_client, learner):
    quiz = quiz_with_questions(0, shuffle_choices=True)
    scenario = ScenarioFactory(quiz=quiz)
    for _ in range(6):
        QuestionFactory(scenario=scenario, choices=[True, False, False, False, False])
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)

    def order():
        page = learner_client.get(attempt_url(attempt)).content.decode()
        return re.findall(r'value="(\d+)"', page)

    authored = [
        str(pk)
        for pk in Choice.objects.order_by("question__position", "position").values_list(
            "pk", flat=True
        )
    ]
    assert order() == order()
    assert order() != authored
    assert sorted(order()) == sorted(authored)


def test_another_persons_attempt_is_404_and_cannot_be_submitted(learner_client, learner):
    quiz = quiz_with_questions(2)
    someone = UserFactory()
    enroll(someone, quiz)
    enroll(learner, quiz)
    theirs = services.attempt_start(learner=someone, quiz=quiz)
    assert learner_client.get(attempt_url(theirs)).status_code == 404
    assert submit(learner_client, theirs, answers_for(theirs)).status_code == 404
    assert learner_client.get(attempt_url(theirs, "quizzes:attempt_result")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.submitted_at is None
    assert not Answer.objects.exists()


def test_unknown_attempt_is_404(learner_client):
    assert learner_client.get(reverse("quizzes:attempt_detail", args=[999999])).status_code == 404


# --- submitting -----------------------------------------------------------------------------


def test_submitting_right_answers_shows_a_passed_result(learner_client, learner):
    quiz = french_quiz()
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    response = submit(learner_client, attempt, answers_for(attempt))
    assert response.status_code == 302
    assert response["Location"] == attempt_url(attempt, "quizzes:attempt_result")
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (100, True)
    page = learner_client.get(response["Location"]).content.decode()
    assert "Vous avez réussi" in page
    assert "100\u202f%" in page


def test_a_missing_answer_is_a_form_error_in_the_users_language_and_saves_nothing(client, learner):
    client.force_login(learner)
    quiz = french_quiz()
    enroll(learner, quiz)
    attempt = start(client, quiz)
    answers = answers_for(attempt)
    first, second = list(answers)
    response = submit(client, attempt, {first: answers[first]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Répondez à cette question." in page
    assert 'role="alert"' in page
    # What was answered stays checked.
    assert f'value="{answers[first][0]}" id="id_question_{first}_0" required checked' in page
    en = client.post(
        f"/en{attempt_url(attempt, 'quizzes:attempt_submit')[3:]}", post_data({first: []})
    )
    assert "Answer this question." in en.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not Answer.objects.exists()


def test_the_language_switcher_of_a_refused_submission_leads_to_the_attempt(client, learner):
    client.force_login(learner)
    quiz = french_quiz()
    enroll(learner, quiz)
    attempt = start(client, quiz)
    refused = submit(client, attempt, {})
    english = {link["code"]: link["url"] for link in refused.context["language_links"]}["en"]

    response = client.get(english, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/en{attempt_url(attempt)[3:]}"
    assert 'lang="en"' in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_a_tampered_choice_is_a_form_error_and_saves_nothing(learner_client, learner):
    quiz = french_quiz()
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    answers = answers_for(attempt)
    first, second = list(answers)
    answers[first] = answers[second][:1]
    response = submit(learner_client, attempt, answers)
    assert response.status_code == 200
    assert "Ce choix ne fait pas partie des choix de cette question." in response.content.decode()
    response = submit(learner_client, attempt, answers | {first: ["not-a-number"]})
    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert not Answer.objects.exists()


def test_submitting_twice_shows_the_same_result_without_regrading(learner_client, learner):
    quiz = french_quiz()
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    submit(learner_client, attempt, answers_for(attempt, right=False))
    attempt.refresh_from_db()
    graded_at = attempt.submitted_at
    response = submit(learner_client, attempt, answers_for(attempt))
    assert response.status_code == 302
    assert response["Location"] == attempt_url(attempt, "quizzes:attempt_result")
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score, attempt.passed) == (graded_at, 0, False)
    page = learner_client.get(response["Location"]).content.decode()
    assert "déjà été soumise" in page


def test_a_submitted_attempts_page_leads_to_its_result(learner_client, learner):
    quiz = quiz_with_questions(1)
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    assert learner_client.get(attempt_url(attempt, "quizzes:attempt_result"))["Location"] == (
        attempt_url(attempt)
    )
    submit(learner_client, attempt, answers_for(attempt))
    assert learner_client.get(attempt_url(attempt))["Location"] == attempt_url(
        attempt, "quizzes:attempt_result"
    )


def test_submitting_an_attempt_of_an_earlier_cycle_says_so(learner_client, learner):
    quiz = quiz_with_questions(1)
    enrollment = enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    enrollment_restart(enrollment=enrollment)
    response = submit(learner_client, attempt, answers_for(attempt))
    assert response["Location"] == quiz_url(quiz)
    page = learner_client.get(response["Location"]).content.decode()
    assert "un cycle précédent du cours" in page
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


# --- result page ----------------------------------------------------------------------------


def test_result_page_shows_choices_right_answers_every_feedback_and_the_lesson(
    learner_client, learner
):
    quiz = french_quiz()
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    submit(learner_client, attempt, answers_for(attempt, right=False))
    page = learner_client.get(attempt_url(attempt, "quizzes:attempt_result")).content.decode()
    for question in range(2):
        for choice in range(3):
            assert f"Explication secrète {question}-{choice}." in page
    assert page.count("Votre réponse") == 2
    assert page.count("Bonne réponse") == 3
    assert "Pas encore réussi" in page
    assert "0\u202f%" in page
    for question in Question.objects.select_related("lesson"):
        assert question.lesson.get_absolute_url() in page


def test_result_page_names_how_wrong_each_wrong_choice_is(learner_client, learner):
    quiz = french_quiz()
    wrong = list(Choice.objects.filter(is_correct=False).order_by("pk"))
    levels = [Choice.Level.PARTLY, Choice.Level.HARMFUL, Choice.Level.WRONG]
    for choice, level in zip(wrong, levels, strict=False):
        Choice.objects.filter(pk=choice.pk).update(level=level)
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    assert "À éviter" not in learner_client.get(attempt_url(attempt)).content.decode()
    submit(learner_client, attempt, answers_for(attempt, right=False))
    page = learner_client.get(attempt_url(attempt, "quizzes:attempt_result")).content.decode()
    assert page.count("En partie juste") == 1
    assert page.count("Nuisible\u00a0: à éviter") == 1
    assert page.count("Pas une bonne réponse") == len(wrong) - 2


def test_a_failed_result_says_what_to_review_and_offers_a_new_attempt(learner_client, learner):
    module = ModuleFactory()
    taught_right, taught_wrong = LessonFactory(module=module), LessonFactory(module=module)
    quiz = quiz_with_questions(2, module=module, max_attempts=2)
    right_q, wrong_q = Question.objects.order_by("position")
    Question.objects.filter(pk=right_q.pk).update(lesson=taught_right)
    Question.objects.filter(pk=wrong_q.pk).update(lesson=taught_wrong)
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    answers = answers_for(attempt)
    answers[wrong_q.pk] = answers_for(attempt, right=False)[wrong_q.pk]
    submit(learner_client, attempt, answers)
    response = learner_client.get(attempt_url(attempt, "quizzes:attempt_result"))
    result = response.context["result"]
    assert result.lessons_to_review == [taught_wrong]
    page = response.content.decode()
    review = page.split('id="review-title"')[1].split("</section>")[0]
    assert taught_wrong.get_absolute_url() in review
    assert taught_right.get_absolute_url() not in review
    assert "Réessayer" in review
    assert "Il vous reste 1 tentative." in review
    # The last attempt used: no more "Try again".
    attempt = start(learner_client, quiz)
    submit(learner_client, attempt, answers_for(attempt, right=False))
    page = learner_client.get(attempt_url(attempt, "quizzes:attempt_result")).content.decode()
    assert "Réessayer" not in page
    assert "Vous avez utilisé toutes les tentatives permises" in page


def test_a_passed_result_offers_no_new_attempt(learner_client, learner):
    quiz = quiz_with_questions(1)
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    submit(learner_client, attempt, answers_for(attempt))
    page = learner_client.get(attempt_url(attempt, "quizzes:attempt_result")).content.decode()
    assert "Réessayer" not in page
    assert "À revoir" not in page


# --- the course page and the lessons ----------------------------------------------------------


def test_course_page_shows_each_modules_quiz_state(learner_client, learner):
    course = CourseFactory()
    quizzes = [quiz_with_questions(1, module=ModuleFactory(course=course)) for _ in range(4)]
    enroll(learner, quizzes[0])
    in_progress = start(learner_client, quizzes[1])
    passed = start(learner_client, quizzes[2])
    submit(learner_client, passed, answers_for(passed))
    failed = start(learner_client, quizzes[3])
    submit(learner_client, failed, answers_for(failed, right=False))
    response = learner_client.get(course.get_absolute_url())
    page = response.content.decode()
    # One quiz block per module, in the modules' order, each with its state's badge.
    blocks = re.findall(r'<p class="module-quiz">(.*?)</p>', page, flags=re.S)
    badges = [re.search(r'<span class="badge[^"]*">([^<]+)</span>', b).group(1) for b in blocks]
    assert badges == ["Pas commencé", "En cours", "Réussi", "Pas encore réussi"]
    for quiz in quizzes:
        assert quiz_url(quiz) in page
    for label in ("Pas commencé", "En cours", "Réussi", "Pas encore réussi"):
        assert label in page
    assert in_progress.submitted_at is None


def test_course_page_for_a_visitor_names_the_quiz_without_a_link(client):
    quiz = quiz_with_questions(1)
    page = client.get(quiz.module.course.get_absolute_url()).content.decode()
    assert "Quiz du module" in page
    assert quiz_url(quiz) not in page


def test_finishing_a_modules_lessons_leads_to_its_quiz(learner_client, learner):
    course = CourseFactory(lessons=6)
    first, second = course.modules.order_by("position")
    quiz = quiz_with_questions(1, module=first)
    quiz.module.lessons.exclude(quiz_questions__isnull=True).delete()
    enroll(learner, quiz)
    lessons = list(first.lessons.order_by("position"))
    mark = "courses:lesson_mark_done"

    def mark_done(lesson):
        return learner_client.post(
            reverse(mark, kwargs={"slug": course.slug, "lesson_id": lesson.pk})
        )

    assert mark_done(lessons[0])["Location"] == lessons[1].get_absolute_url()
    assert mark_done(lessons[1])["Location"] == lessons[2].get_absolute_url()
    assert mark_done(lessons[2])["Location"] == quiz_url(quiz)
    # Once the quiz is passed, the last lesson leads on to the next module.
    LessonProgress.objects.filter(lesson=lessons[2]).delete()
    attempt = start(learner_client, quiz)
    submit(learner_client, attempt, answers_for(attempt))
    next_lesson = second.lessons.order_by("position").first()
    assert mark_done(lessons[2])["Location"] == next_lesson.get_absolute_url()


def test_a_module_without_a_quiz_leads_to_the_next_lesson(learner_client, learner):
    course = CourseFactory(lessons=4)
    EnrollmentFactory(learner=learner, course=course)
    first, second = course.modules.order_by("position")
    lessons = list(first.lessons.order_by("position"))
    for lesson in lessons[:-1]:
        LessonProgressFactory(learner=learner, lesson=lesson)
    response = learner_client.post(
        reverse(
            "courses:lesson_mark_done", kwargs={"slug": course.slug, "lesson_id": lessons[-1].pk}
        )
    )
    assert response["Location"] == second.lessons.first().get_absolute_url()


def test_passing_the_last_quiz_completes_the_course_and_issues_the_certificate(
    learner_client, learner
):
    quiz = quiz_with_questions(1)
    enrollment = enroll(learner, quiz)
    for lesson in quiz.module.lessons.all():
        LessonProgressFactory(learner=learner, lesson=lesson)
    attempt = start(learner_client, quiz)
    submit(learner_client, attempt, answers_for(attempt, right=False))
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None
    assert not Certificate.objects.exists()
    attempt = start(learner_client, quiz)
    submit(learner_client, attempt, answers_for(attempt))
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert Certificate.objects.get().enrollment == enrollment
    page = learner_client.get(quiz.module.course.get_absolute_url()).content.decode()
    assert "Terminé le" in page


# --- the profile ----------------------------------------------------------------------------


def test_profile_says_the_workplace_comes_from_the_organization(learner_client, learner):
    organization = Organization.objects.create(name="Foyer", kind="group_home", province="QC")
    Membership.objects.create(user=learner, organization=organization, role="staff")
    page = learner_client.get(reverse("accounts:profile")).content.decode()
    assert 'name="workplace"' not in page
    assert "vient de votre organisation\u00a0: Foyer de groupe" in page
    response = learner_client.post(
        reverse("accounts:profile"),
        {"full_name": "Sam", "preferred_language": "en", "workplace": "school"},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.full_name, learner.workplace) == ("Sam", Workplace.OTHER)


def test_profile_offers_the_workplace_without_an_organization(learner_client):
    page = learner_client.get(reverse("accounts:profile")).content.decode()
    assert 'name="workplace"' in page


# --- budget ---------------------------------------------------------------------------------


def query_count(client, url, method="get", data=None):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


def attempt_for(client, learner, count):
    quiz = quiz_with_questions(count, kind=Question.Kind.MULTIPLE, shuffle_choices=True)
    enroll(learner, quiz)
    return start(client, quiz)


def test_attempt_page_runs_a_fixed_number_of_queries(
    learner_client, learner, django_assert_num_queries
):
    small, large = attempt_for(learner_client, learner, 3), attempt_for(learner_client, learner, 30)
    counts = [query_count(learner_client, attempt_url(a)) for a in (small, large)]
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        learner_client.get(attempt_url(large))


def test_submitting_runs_a_fixed_number_of_queries(
    learner_client, learner, django_assert_num_queries
):
    small, large = attempt_for(learner_client, learner, 3), attempt_for(learner_client, learner, 30)
    counts = [
        query_count(
            learner_client,
            attempt_url(a, "quizzes:attempt_submit"),
            "post",
            post_data(answers_for(a)),
        )
        for a in (small, large)
    ]
    assert counts[0] == counts[1]
    assert Attempt.objects.filter(passed=True).count() == 2
    third = attempt_for(learner_client, learner, 30)
    answers = answers_for(third)
    with django_assert_num_queries(counts[0]):
        submit(learner_client, third, answers)


def test_result_page_runs_a_fixed_number_of_queries(
    learner_client, learner, django_assert_num_queries
):
    small, large = attempt_for(learner_client, learner, 3), attempt_for(learner_client, learner, 30)
    for attempt in (small, large):
        submit(learner_client, attempt, answers_for(attempt, right=False))
    urls = [attempt_url(a, "quizzes:attempt_result") for a in (small, large)]
    counts = [query_count(learner_client, url) for url in urls]
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        learner_client.get(urls[1])


def test_quiz_page_runs_a_fixed_number_of_queries(
    learner_client, learner, django_assert_num_queries
):
    def quiz_after(attempts):
        quiz = quiz_with_questions(5)
        enroll(learner, quiz)
        for _ in range(attempts):
            attempt = start(learner_client, quiz)
            submit(learner_client, attempt, answers_for(attempt, right=False))
        return quiz

    small, large = quiz_after(1), quiz_after(8)
    counts = [query_count(learner_client, quiz_url(q)) for q in (small, large)]
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        learner_client.get(quiz_url(large))


def test_course_page_with_quiz_states_runs_a_fixed_number_of_queries(
    learner_client, learner, django_assert_num_queries
):
    def course_with(modules):
        course = CourseFactory()
        EnrollmentFactory(learner=learner, course=course)
        for _ in range(modules):
            quiz = quiz_with_questions(2, module=ModuleFactory(course=course))
            attempt = start(learner_client, quiz)
            submit(learner_client, attempt, answers_for(attempt, right=False))
        return course

    small, large = course_with(1), course_with(6)
    counts = [query_count(learner_client, c.get_absolute_url()) for c in (small, large)]
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        learner_client.get(large.get_absolute_url())


def test_a_quiz_attempt_left_open_is_resumed(learner_client, learner):
    quiz = quiz_with_questions(1)
    enroll(learner, quiz)
    attempt = start(learner_client, quiz)
    page = learner_client.get(quiz_url(quiz)).content.decode()
    assert attempt_url(attempt) in page
    assert start(learner_client, quiz) == attempt
    assert Attempt.objects.count() == 1


# The session, the user, the attempt with its quiz, module and course, its questions and
# their choices (read once, for the form and the grading); then, in the transaction (a
# savepoint here, inside the test's): the enrollment, the grading UPDATE, the answers and
# the chosen choices, whether the learner's organizations have an active LRS (xapi: one
# query, nothing more when none has); then the dashboard summary's refresh (one
# statement, whatever the number of questions; REPERE_DASHBOARD_SUMMARY is on by default).
SUBMISSION_QUERIES = 5 + 1 + 4 + 1 + 1 + 1


@pytest.mark.parametrize("count", [3, 30])
def test_submitting_a_failed_attempt_runs_the_same_queries_for_3_or_30_questions(
    learner_client, learner, count, django_assert_num_queries
):
    attempt = attempt_for(learner_client, learner, count)
    answers = answers_for(attempt, right=False)
    with django_assert_num_queries(SUBMISSION_QUERIES):
        response = submit(learner_client, attempt, answers)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.passed, attempt.score) == (False, 0)
    assert attempt.answers.count() == count
