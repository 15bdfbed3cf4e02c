"""The feedback survey at completion: optional, once, anonymous to supervisors."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from privacy import erasure, export
from surveys import selectors, services
from surveys.models import SurveyResponse
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from tests.organizations.factories import OrganizationFactory, staff_of, supervisor_of

pytestmark = pytest.mark.django_db

COMMENT = "Le module trois m'a ouvert les yeux, merci Zoé."


@pytest.fixture
def course():
    return CourseFactory(lessons=1)


def _completed(learner, course):
    EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now())
    return learner


def _answers(course, people, *, relevance=4, confidence=3, comment=""):
    for person in people:
        _completed(person, course)
        services.survey_response_submit(
            learner=person,
            course=course,
            relevance=relevance,
            confidence=confidence,
            comment=comment,
        )


def _completion_url(course, language="en"):
    return f"/{language}/courses/{course.slug}/completed/"


def _survey_url(course, language="en"):
    return f"/{language}/courses/{course.slug}/survey/"


# --- the learner -----------------------------------------------------------------------------


def test_the_completion_page_offers_the_survey_then_thanks(client, learner, course):
    _completed(learner, course)
    client.force_login(learner)
    page = client.get(_completion_url(course)).content.decode()
    assert "This course is relevant to my work" in page
    response = client.post(_survey_url(course), {"relevance": "5", "comment": " Utile "})
    assert response.status_code == 302
    assert response["Location"] == _completion_url(course)
    saved = SurveyResponse.objects.get()
    assert (saved.learner, saved.relevance, saved.confidence, saved.comment) == (
        learner,
        5,
        None,
        "Utile",
    )
    page = client.get(_completion_url(course)).content.decode()
    assert "Thank you: your answers were recorded." in page
    assert 'name="relevance"' not in page


def test_skipping_or_sending_nothing_records_nothing(client, learner, course):
    _completed(learner, course)
    client.force_login(learner)
    assert client.post(_survey_url(course), {"skip": "1", "relevance": "5"}).status_code == 302
    assert client.post(_survey_url(course), {"relevance": "", "comment": "  "}).status_code == 302
    assert not SurveyResponse.objects.exists()
    # Still offered: skipping is not answering.
    assert 'name="relevance"' in client.get(_completion_url(course)).content.decode()


def test_a_second_submission_is_refused_and_the_first_stands(client, learner, course):
    _completed(learner, course)
    client.force_login(learner)
    client.post(_survey_url(course), {"relevance": "2"})
    response = client.post(_survey_url(course), {"relevance": "5"}, follow=True)
    assert "You have already answered this survey." in response.content.decode()
    assert SurveyResponse.objects.get().relevance == 2
    with pytest.raises(ValidationError, match="already answered"):
        services.survey_response_submit(
            learner=learner, course=course, relevance=1, confidence=None
        )


@pytest.mark.parametrize(
    "data", [{"relevance": "9"}, {"confidence": "zero"}, {"comment": "x" * 1001}]
)
def test_bad_answers_are_a_form_error_not_a_500(client, learner, course, data):
    _completed(learner, course)
    client.force_login(learner)
    response = client.post(_survey_url(course), data)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_no_survey_before_completion(client, learner, course):
    EnrollmentFactory(learner=learner, course=course)
    client.force_login(learner)
    response = client.post(_survey_url(course), {"relevance": "5"}, follow=True)
    assert "The survey opens once you have completed the course." in response.content.decode()
    assert not SurveyResponse.objects.exists()
    assert client.post("/en/courses/no-such-course/survey/", {}).status_code == 404


# --- supervisors: aggregates only ---------------------------------------------------------


@pytest.fixture
def org_and_client(client):
    org = OrganizationFactory()
    client.force_login(supervisor_of(org))
    return org, client


def _page(client, org, language="en"):
    response = client.get(f"/{language}/organizations/{org.pk}/survey/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_group_smaller_than_the_minimum_shows_no_figure(org_and_client, course, settings):
    org, client = org_and_client
    settings.REPERE_MIN_REPORT_GROUP = 5
    _answers(course, [staff_of(org) for _ in range(4)], relevance=2, confidence=4)
    page = _page(client, org)
    assert "Fewer than 5 people answered: no figure is shown." in page
    assert "Mean" not in page
    assert "<svg" not in page
    [aggregate] = selectors.organization_survey_aggregates(organization=org)
    assert [question.count for question in aggregate.questions] == [0, 0]
    assert [question.distribution for question in aggregate.questions] == [(), ()]


def test_five_members_give_the_mean_and_the_distribution(org_and_client, course):
    org, client = org_and_client
    people = [staff_of(org) for _ in range(5)]
    _answers(course, people[:3], relevance=5, comment=COMMENT)
    _answers(course, people[3:], relevance=2, comment=COMMENT)
    # Someone outside the organization is not counted.
    _answers(course, [UserFactory()], relevance=1)
    page = _page(client, org)
    assert "Mean 3.8 out of 5, 5 people answered." in page
    assert "<svg" in page
    [aggregate] = selectors.organization_survey_aggregates(organization=org)
    assert aggregate.questions[0].distribution == ((1, 0), (2, 2), (3, 0), (4, 0), (5, 3))


def test_figures_move_only_by_whole_groups_so_one_new_answer_cannot_be_singled_out(
    org_and_client, course, settings
):
    """A supervisor who reads the figures at 5 answers and again at 6 must not learn the
    sixth person's rating from the difference: the figures are over the earliest answers
    in whole groups of the minimum (5, then 10…), so they change only when a whole group
    of new answers has arrived."""
    org, client = org_and_client
    settings.REPERE_MIN_REPORT_GROUP = 5
    _answers(course, [staff_of(org) for _ in range(5)], relevance=4)
    before = _page(client, org)
    assert "Mean 4.0 out of 5, 5 people answered." in before

    _answers(course, [staff_of(org)], relevance=1)
    after_one = _page(client, org)
    [aggregate] = selectors.organization_survey_aggregates(organization=org)
    assert aggregate.questions[0].count == 5
    assert aggregate.questions[0].distribution == ((1, 0), (2, 0), (3, 0), (4, 5), (5, 0))
    assert "Mean 4.0 out of 5, 5 people answered." in after_one

    _answers(course, [staff_of(org) for _ in range(4)], relevance=1)
    [aggregate] = selectors.organization_survey_aggregates(organization=org)
    assert aggregate.questions[0].count == 10
    assert aggregate.questions[0].mean == 2.5
    assert "Mean 2.5 out of 5, 10 people answered." in _page(client, org)


def test_supervisors_never_see_a_comment_or_a_person(org_and_client, course):
    org, client = org_and_client
    people = [staff_of(org, full_name=f"Zoé Nommée{index}") for index in range(6)]
    _answers(course, people, comment=COMMENT)
    survey_pages = [_page(client, org), _page(client, org, "fr")]
    dashboard = client.get(f"/en/organizations/{org.pk}/").content.decode()
    for page in [*survey_pages, dashboard]:
        assert "ouvert les yeux" not in page
    for page in survey_pages:
        assert "Nommée" not in page


def test_another_organizations_survey_is_a_404(org_and_client, learner):
    org, client = org_and_client
    other = OrganizationFactory()
    assert client.get(f"/en/organizations/{other.pk}/survey/").status_code == 404
    client.force_login(learner)
    assert client.get(f"/en/organizations/{org.pk}/survey/").status_code == 404


def test_the_supervisor_page_runs_a_fixed_number_of_queries(course, django_assert_num_queries):
    org = OrganizationFactory()
    _answers(course, [staff_of(org) for _ in range(3)])
    with django_assert_num_queries(2):
        selectors.organization_survey_aggregates(organization=org)
    _answers(CourseFactory(), [staff_of(org) for _ in range(12)])
    with django_assert_num_queries(2):
        assert len(selectors.organization_survey_aggregates(organization=org)) == 2


# --- administrators ------------------------------------------------------------------------


def test_administrators_read_aggregates_and_comments_without_names(admin_client, course):
    people = [UserFactory(full_name=f"Zoé Nommée{index}") for index in range(2)]
    _answers(course, people, relevance=4, comment=COMMENT)
    url = f"/en/admin/surveys/surveyresponse/course/{course.pk}/"
    page = admin_client.get(url).content.decode()
    assert "ouvert les yeux" in page
    assert "Nommée" not in page
    assert "2 responses." in page
    assert "Mean 4.0 out of 5, 2 people answered." in page
    course_page = admin_client.get(f"/en/admin/courses/course/{course.pk}/change/")
    assert url in course_page.content.decode()
    assert url in admin_client.get("/en/admin/surveys/surveyresponse/").content.decode()


def test_the_admin_report_filters_by_date(admin_client, course):
    _answers(course, [UserFactory()], comment="Ancien commentaire")
    SurveyResponse.objects.update(submitted_at=timezone.now() - datetime.timedelta(days=60))
    _answers(course, [UserFactory()], comment="Nouveau commentaire")
    url = f"/en/admin/surveys/surveyresponse/course/{course.pk}/"
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    page = admin_client.get(url, {"since": since}).content.decode()
    assert "Nouveau commentaire" in page
    assert "Ancien commentaire" not in page
    response = admin_client.get(url, {"since": "nonsense"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_the_admin_never_shows_a_row_with_its_name(admin_client, course):
    _answers(course, [UserFactory(full_name="Zoé Nommée")])
    row = SurveyResponse.objects.get()
    response = admin_client.get(f"/en/admin/surveys/surveyresponse/{row.pk}/change/")
    assert response.status_code == 404
    listing = admin_client.get("/en/admin/surveys/surveyresponse/").content.decode()
    assert "Nommée" not in listing


# --- privacy -----------------------------------------------------------------------------


def test_the_data_export_holds_the_persons_own_answers(course, learner):
    _answers(course, [learner], relevance=5, comment=COMMENT)
    _answers(course, [UserFactory()], comment="Pas le mien")
    [record] = export.export_collect(user=learner)["survey_responses"]
    assert record["relevance"] == 5
    assert record["comment"] == COMMENT


def test_erasure_removes_the_comment_and_the_link_to_the_person(course, learner):
    _answers(course, [learner], relevance=5, comment=COMMENT)
    closure = erasure.closure_request(user=learner, certificates="keep")
    assert erasure.account_erase(closure=closure)
    response = SurveyResponse.objects.get()
    assert response.learner is None
    assert response.comment == ""
    assert response.relevance == 5  # the course's aggregates keep it, tied to no one
    assert export.export_collect(user=learner)["survey_responses"] == []


def test_the_supervisors_navigation_leads_to_the_survey_page(org_and_client):
    org, client = org_and_client
    dashboard = client.get(f"/en/organizations/{org.pk}/").content.decode()
    assert f"/en/organizations/{org.pk}/survey/" in dashboard


def test_a_boards_aggregates_roll_up_its_schools_in_whole_groups(course, settings):
    """Three answers in one school, two in the other: the board has the figures of five,
    each school none; another board's answers never count."""
    settings.REPERE_MIN_REPORT_GROUP = 5
    board = OrganizationFactory(name="Conseil")
    north = OrganizationFactory(name="Nord", parent=board)
    south = OrganizationFactory(name="Sud", parent=board)
    elsewhere = OrganizationFactory(name="Ailleurs", parent=OrganizationFactory())
    _answers(course, [staff_of(north) for _ in range(3)], relevance=5)
    _answers(course, [staff_of(south) for _ in range(2)], relevance=2)
    _answers(course, [staff_of(elsewhere) for _ in range(5)], relevance=1)
    [aggregate] = selectors.organization_survey_aggregates(organization=board)
    assert aggregate.questions[0].count == 5
    assert aggregate.questions[0].distribution == ((1, 0), (2, 2), (3, 0), (4, 0), (5, 3))
    [school] = selectors.organization_survey_aggregates(organization=north)
    assert school.questions[0].count == 0


# --- a board's supervisors: the unit filter ---------------------------------------------------


@pytest.fixture
def board(course, settings):
    """A board of two schools (North five answers at 5, South five at 2), and a school of
    another board (five at 1)."""
    settings.REPERE_MIN_REPORT_GROUP = 5
    board = OrganizationFactory(name="Conseil")
    north = OrganizationFactory(name="Nord", parent=board)
    south = OrganizationFactory(name="Sud", parent=board)
    elsewhere = OrganizationFactory(name="Ailleurs", parent=OrganizationFactory())
    _answers(course, [staff_of(north) for _ in range(5)], relevance=5)
    _answers(course, [staff_of(south) for _ in range(5)], relevance=2)
    _answers(course, [staff_of(elsewhere) for _ in range(5)], relevance=1)
    return board, north, south, elsewhere


def _survey_page(client, org, language="en", **query):
    response = client.get(f"/{language}/organizations/{org.pk}/survey/", query)
    assert response.status_code == 200
    return response


def test_a_boards_supervisor_filters_the_survey_by_school(client, board):
    board, north, south, elsewhere = board
    client.force_login(supervisor_of(board))
    whole = _survey_page(client, board)
    assert "Mean 3.5 out of 5, 10 people answered." in whole.content.decode()
    assert f'<option value="{south.pk}">Sud</option>' in whole.content.decode()
    assert f'value="{elsewhere.pk}"' not in whole.content.decode()
    page = _survey_page(client, board, unit=south.pk).content.decode()
    assert "Mean 2.0 out of 5, 5 people answered." in page
    assert "The figures are those of the people of Sud" in page


def test_the_surveys_minimum_group_applies_to_the_school_filtered(client, board, course):
    board, north, south, elsewhere = board
    small = OrganizationFactory(name="Petite", parent=board)
    _answers(course, [staff_of(small) for _ in range(3)], relevance=4)
    client.force_login(supervisor_of(board))
    # Thirteen answers on the board: its figures are over the first whole groups, ten.
    assert "10 people answered" in _survey_page(client, board).content.decode()
    page = _survey_page(client, board, unit=small.pk).content.decode()
    assert "Fewer than 5 people answered: no figure is shown." in page
    assert "people answered." not in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_unit_of_another_tree_is_a_form_error_on_the_survey(client, board, language):
    board, north, south, elsewhere = board
    client.force_login(supervisor_of(board))
    for unit in (elsewhere.pk, "x", "-1"):
        response = _survey_page(client, board, language, unit=unit)
        error = "Select a valid choice" if language == "en" else "Sélectionnez un choix valide"
        assert error in response.content.decode()
        [aggregate] = response.context["aggregates"]
        assert aggregate.questions[0].count == 10  # the board's, never the other board's


def test_an_organization_without_units_has_no_unit_filter(org_and_client, course):
    org, client = org_and_client
    assert 'name="unit"' not in _page(client, org)


def test_the_filtered_survey_runs_the_same_queries_whatever_the_schools(
    client, board, course, django_assert_num_queries
):
    board, north, south, elsewhere = board
    client.force_login(supervisor_of(board))
    _survey_page(client, board, unit=north.pk)
    with CaptureQueriesContext(connection) as few:
        _survey_page(client, board, unit=north.pk)
    for index in range(3):
        school = OrganizationFactory(name=f"École {index}", parent=board)
        _answers(course, [staff_of(school) for _ in range(5)])
    _answers(course, [staff_of(north) for _ in range(5)], relevance=3)
    with django_assert_num_queries(len(few)):
        _survey_page(client, board, unit=north.pk)
