import pytest


@pytest.fixture
def tree(db):
    """A board (with its supervisor) and two schools, the first with a team; and another
    board with a school named as the first board's."""
    from tests.organizations.factories import OrganizationFactory, supervisor_of

    board = OrganizationFactory(name="Conseil scolaire")
    north = OrganizationFactory(name="École du Nord", parent=board)
    south = OrganizationFactory(name="École du Sud", parent=board)
    team = OrganizationFactory(name="Équipe de nuit", parent=north)
    other = OrganizationFactory(name="Autre conseil")
    namesake = OrganizationFactory(name="École du Sud", parent=other)
    return {
        "board": board,
        "north": north,
        "south": south,
        "team": team,
        "other": other,
        "namesake": namesake,
        "supervisor": supervisor_of(board, full_name="Sam Superviseur"),
    }
