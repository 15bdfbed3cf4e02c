"""Every operation of the API, fuzzed from its own OpenAPI schema (Schemathesis) against a
live server on 127.0.0.1, with a token of organization A and then one of B: no 5xx, every
response as the schema says, and nothing of the other organization in any answer.

Bounded: a few examples per operation and method, no deadline per example (the machine is
shared), so the whole test stays well under two minutes."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import _side
from tests.factories import CourseFactory

EXAMPLES_PER_OPERATION = 8


def _marks(side) -> dict:
    """What of an organization must never appear in the other's answers."""
    return {
        "member": {user.pk for user in side.members},
        "assignment": {assignment.pk for assignment in side.assignments},
        "certificate": {certificate.pk for certificate in side.certificates},
        "texts": [user.email for user in side.members]
        + [user.full_name for user in side.members]
        + [certificate.display_code for certificate in side.certificates],
    }


def _leaks(body, path: str, theirs: dict) -> list[str]:
    """Ids (by the field that holds them) and texts of the other organization."""
    found = [text for text in theirs["texts"] if text in json.dumps(body, ensure_ascii=False)]
    rows = body.get("results", [body]) if isinstance(body, dict) else []
    for row in rows:
        if not isinstance(row, dict):
            continue
        if row.get("member") in theirs["member"]:
            found.append(f"member {row['member']}")
        if row.get("assignment") in theirs["assignment"]:
            found.append(f"assignment {row['assignment']}")
        if "/assignments/" in path and row.get("id") in theirs["assignment"]:
            found.append(f"assignment {row['id']}")
        if "/members/" in path and row.get("id") in theirs["member"]:
            found.append(f"member {row['id']}")
        if "/certificates/" in path and row.get("id") in theirs["certificate"]:
            found.append(f"certificate {row['id']}")
    return found


@pytest.fixture
def sides(transactional_db):
    course, other_course = CourseFactory(lessons=2), CourseFactory(lessons=1)
    return _side("Refuge A", course, other_course), _side("Refuge B", course, other_course)


def _exercise(operation, base_url: str, headers: dict, other: dict, failures: list, seen: list):
    """A Hypothesis test of one operation, bounded."""

    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def exercise(case):
        response = case.call(base_url=base_url, headers=headers)
        seen.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        if response.content:
            leaks = _leaks(json.loads(response.content), operation.path, other)
            if leaks:
                failures.append(f"{case.method} {case.formatted_path}: {leaks}")

    return exercise


def test_every_operation_as_a_client_of_each_organization(sides, live_server, client):
    raw = client.get("/api/schema/", headers={"Accept": "application/json"}).json()
    schema = schemathesis.openapi.from_dict(raw)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    failures, seen = [], []
    for mine, theirs in (sides, tuple(reversed(sides))):
        headers = {"Authorization": f"Bearer {mine.token}"}
        other = _marks(theirs)
        for operation in operations:
            _exercise(operation, live_server.url, headers, other, failures, seen)()
    assert not failures, "\n".join(failures)
    # The token worked: the run read data, not only refusals.
    assert seen.count(200) >= 2 * 6, sorted(set(seen))


def test_the_leak_check_notices_the_other_organizations_ids_and_names():
    theirs = {"member": {7}, "assignment": {9}, "certificate": {4}, "texts": ["Bruno B"]}
    assert _leaks({"results": [{"member": 7}]}, "/api/v1/progress/", theirs)
    assert _leaks({"id": 9, "member": 1}, "/api/v1/assignments/{assignment_id}/", theirs)
    assert _leaks({"name": "Bruno B"}, "/api/v1/organization/", theirs)
    assert not _leaks({"results": [{"id": 9, "member": 1}]}, "/api/v1/members/", theirs)
