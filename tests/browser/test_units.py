"""A school board and its two schools in a real browser, in French and in English: a
principal (supervisor of school A) sees only school A's staff and cannot open a school B
teacher's page; the board's supervisor sees both schools, filters by school and exports
(the CSV has the Unit column; a filtered export only the school filtered); a teacher
signing in through the board's OpenID Connect provider lands as staff of their school."""

import csv
import io

import pytest

from accounts.models import User
from organizations.models import AuditEvent, Membership, SignInDomain
from tests.browser.conftest import LANGUAGES, log_in, t
from tests.browser.flows import heading
from tests.browser.test_sso import at_provider, authorize, start_sign_in
from tests.factories import CourseFactory
from tests.organizations.factories import (
    AssignmentFactory,
    OrganizationFactory,
    sign_in_provider,
    staff_of,
    supervisor_of,
)

pytestmark = pytest.mark.browser

TEACHER_A = ("Alice Arsenault", "alice@school-a.example")
TEACHER_B = ("Bruno Bélanger", "bruno@school-b.example")


@pytest.fixture
def board(transactional_db):
    board = OrganizationFactory(name="Centre de services scolaire des Rivières", kind="school")
    board.school_a = OrganizationFactory(name="École des Érables", kind="school", parent=board)
    board.school_b = OrganizationFactory(name="École des Bouleaux", kind="school", parent=board)
    course = CourseFactory(lessons=3, title_fr="Reconnaître", title_en="Recognising")
    for unit, (name, email) in ((board.school_a, TEACHER_A), (board.school_b, TEACHER_B)):
        teacher = staff_of(unit, full_name=name, email=email)
        AssignmentFactory(organization=unit, learner=teacher, course=course)
    board.principal = supervisor_of(board.school_a, email="principal@school-a.example")
    board.director = supervisor_of(board, email="director@board.example")
    return board


def dashboard_emails(page) -> set[str]:
    rows = page.locator("main table.data tbody tr")
    return {email for _, email in (TEACHER_A, TEACHER_B) if rows.filter(has_text=email).count()}


def export(page, language, tmp_path, name) -> list[dict]:
    link = page.locator("main").get_by_role("link", name=t(language, "Export as CSV"))
    with page.expect_download() as download_info:
        link.click()
    path = tmp_path / name
    download_info.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_principal_sees_only_their_school(new_page, board, language):
    page = new_page(language=language)
    log_in(page, language=language, email=board.principal.email)
    page.goto(f"/{language}/organizations/{board.school_a.pk}/")
    assert heading(page) == board.school_a.name
    assert dashboard_emails(page) == {TEACHER_A[1]}
    teacher_b = User.objects.get(email=TEACHER_B[1])
    for unit in (board.school_a, board.school_b):
        response = page.goto(f"/{language}/organizations/{unit.pk}/people/{teacher_b.pk}/")
        assert response.status == 404
    assert page.goto(f"/{language}/organizations/{board.pk}/").status == 404
    assert page.goto(f"/{language}/organizations/{board.school_b.pk}/export/").status == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_board_supervisor_sees_both_schools_filters_and_exports(
    new_page, board, language, tmp_path
):
    page = new_page(language=language)
    log_in(page, language=language, email=board.director.email)
    page.goto(f"/{language}/organizations/{board.pk}/")
    assert heading(page) == board.name
    assert dashboard_emails(page) == {TEACHER_A[1], TEACHER_B[1]}
    headers = page.locator("main table.data thead th").all_inner_texts()
    assert t(language, "Unit") in [header.strip() for header in headers]

    rows = export(page, language, tmp_path, "all.csv")
    unit_of = {row[t(language, "E-mail")]: row[t(language, "Unit")] for row in rows}
    assert unit_of == {TEACHER_A[1]: board.school_a.name, TEACHER_B[1]: board.school_b.name}

    main = page.locator("main")
    main.locator("select[name=unit]").select_option(str(board.school_b.pk))
    page.navigate(main.get_by_role("button", name=t(language, "Filter")).click)
    assert f"unit={board.school_b.pk}" in page.url
    assert dashboard_emails(page) == {TEACHER_B[1]}
    rows = export(page, language, tmp_path, "school-b.csv")
    assert [row[t(language, "E-mail")] for row in rows] == [TEACHER_B[1]]
    assert rows[0][t(language, "Unit")] == board.school_b.name

    # The school B teacher's page opens from the board's row.
    page.navigate(main.locator("table.data tbody tr a").first.click)
    assert heading(page) == TEACHER_B[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_teacher_signing_in_through_the_boards_provider_lands_in_their_school(
    new_page, board, oidc_provider, language
):
    provider = sign_in_provider(
        organization=board, server_url=oidc_provider.url, name="Rivières ID",
        domains=["board.example"],
    )  # fmt: skip
    SignInDomain.objects.create(provider=provider, domain="school-a.example", unit=board.school_a)
    email = f"chloe.{language}@school-a.example"
    oidc_provider.user(f"chloe-{language}", email=email, name="Chloé Cormier")
    page = new_page(language=language)
    at_provider(page, oidc_provider)

    start_sign_in(page, oidc_provider, language=language, email=email)
    authorize(page, f"chloe-{language}")
    assert heading(page) == t(language, "My learning")
    assert board.school_a.name in page.locator("div.messages").inner_text()
    membership = Membership.objects.get(user__email=email)
    assert (membership.organization, membership.role) == (board.school_a, "staff")
    event = AuditEvent.objects.get(kind="sso_member_created", subject=membership.user)
    assert event.organization == board.school_a
