"""The pages of the lti app run a fixed number of queries, whatever there is to list."""

import pytest

from lti import selectors
from lti.forms import DeepLinkForm
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("courses", [1, 6])
def test_the_deep_linking_choices_take_two_queries_however_many_courses(
    courses, django_assert_num_queries
):
    for _ in range(courses):
        CourseFactory(lessons=4)
    with django_assert_num_queries(2):
        form = DeepLinkForm(courses=selectors.courses_linkable())
        assert len(form.fields["target"].choices) == courses * 3  # each course, its 2 modules


def test_a_refused_launch_is_a_page_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    # One: the state looked up in the cache (a database table by default).
    with django_assert_num_queries(1):
        response = client.post("/lti/launch/", {"id_token": "x", "state": "y"})
    assert response.status_code == 400
    assert "n’a pas pu être vérifié" in response.content.decode()
