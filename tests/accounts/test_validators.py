import pytest
from django.core.exceptions import ValidationError

from accounts.validators import CONTROL_CHARACTERS_REFUSED, validate_no_control_characters

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["Camille\x00", "Camille\r\nBcc: x", "Cam\tille", "A\x85B", "\x1b[31m"]
)
def test_control_characters_are_refused(name):
    with pytest.raises(ValidationError) as error:
        validate_no_control_characters(name)
    assert error.value.messages == [str(CONTROL_CHARACTERS_REFUSED)]


@pytest.mark.parametrize(
    "name", ["Camille Tremblay", "Élise O’Brien-Côté", "李小龍", "Ana\u00a0Lía"]
)
def test_names_of_people_pass(name):
    validate_no_control_characters(name)


def test_the_model_refuses_a_full_name_with_a_line_break(learner):
    learner.full_name = "Camille\nhttps://evil.example"
    with pytest.raises(ValidationError) as error:
        learner.full_clean(exclude=["password"])
    assert "full_name" in error.value.message_dict


@pytest.mark.parametrize(
    "name", ["Camille\r\nVisit https://evil.example", "Cam\x00ille", "Cam\tille"]
)
def test_the_profile_form_refuses_control_characters_and_saves_nothing(
    learner_client, learner, name
):
    before = learner.full_name
    response = learner_client.post(
        "/en/accounts/profile/",
        {"full_name": name, "preferred_language": "en", "workplace": "other"},
    )
    assert response.status_code == 200
    assert "invisible control character" in response.content.decode()
    learner.refresh_from_db()
    assert learner.full_name == before
