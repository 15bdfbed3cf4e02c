"""Random and malformed input thrown at what a visitor can send: never a 500, nothing
half-saved, nothing an attacker could use (open redirects, fields the form does not offer).

Here: the login form, marking lessons done, the profile, the CSV import of staff.
Elsewhere, next to their app: quiz submission (tests/quizzes/test_properties.py) and the
certificate verification code (tests/certificates/test_views.py and test_codes.py).

For a new form, reuse `post_safely` (a 500 fails the test) and `rows(Model, ...)` (compare
the tables before and after): a refused request leaves them equal; an accepted one saved
all of it.
"""

import re
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.apps import apps
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from accounts.names import name_sort_key
from courses.models import Enrollment, Lesson, LessonProgress
from courses.services import enrollment_create
from tests.factories import PASSWORD, CourseFactory

pytestmark = pytest.mark.django_db

PROPERTIES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text an attacker or a clumsy paste would send: control characters, NUL, huge strings,
# right-to-left marks, emoji, SQL and HTML fragments.
nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\u202eevil",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "é" * 300,
            "x" * 5000,
            "%00",
            "../../etc/passwd",
        ]
    ),
)


def rows(*models) -> dict[str, list[tuple]]:
    """Every row of the models, as tuples: compare before and after a request."""
    return {
        model._meta.label: sorted(model._default_manager.values_list(), key=repr)
        for model in models
    }


def post_safely(client, path, data, **extra):
    """POST and return the response; a crash (a 500 in production) fails the test."""
    response = client.post(path, data, **extra)
    assert response.status_code < 500, f"{path} {data!r}: {response.status_code}"
    return response


# --- login --------------------------------------------------------------------------------

form_value = st.one_of(nasty_text, st.lists(nasty_text, max_size=3))


@PROPERTIES
@given(
    data=st.dictionaries(
        st.sampled_from(["username", "password", "next", "csrfmiddlewaretoken", "x"]),
        form_value,
        max_size=5,
    ),
    language=st.sampled_from(["fr", "en"]),
)
def test_any_login_form_input_is_answered_without_crash_or_login(learner, data, language):
    client = Client()
    response = post_safely(client, f"/{language}/accounts/login/", data, REMOTE_ADDR="192.0.2.1")
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


unsafe_next = st.one_of(
    st.sampled_from(
        [
            "//evil.example/",
            "https://evil.example/",
            "http://evil.example/fr/learning/",
            "/\\evil.example",
            "\\\\evil.example",
            " https://evil.example",
            "https:evil.example",
            "javascript:alert(1)",
            "data:text/html,hi",
            "///evil.example",
            "// ",  # Django strips it to "//" to check it, then redirects to "//%20"
            "http://testserver@evil.example/",
            "/fr/learning/",
            "/en/courses/",
        ]
    ),
    st.text(max_size=60),
    st.builds(lambda a, b: a + b, st.sampled_from(["//", "/\\", "http://", "\t//"]), st.text()),
)


@PROPERTIES
@given(next_url=unsafe_next)
def test_login_never_redirects_off_the_site_whatever_next_says(learner, next_url):
    client = Client()
    response = post_safely(
        client,
        "/fr/accounts/login/",
        {"username": learner.email, "password": PASSWORD, "next": next_url},
        REMOTE_ADDR="192.0.2.2",
    )
    assert response.status_code == 302
    assert where_a_browser_goes(response["Location"]) == "testserver", response["Location"]


C0_AND_SPACE = "".join(map(chr, range(0x21)))


def where_a_browser_goes(location: str) -> str | None:
    """The host a browser on http://testserver/fr/accounts/login/ would go to: browsers drop
    tabs and newlines, strip spaces, read \\ as /, and take "https:host" as "https://host"."""
    location = re.sub(r"[\t\n\r]", "", location).strip(C0_AND_SPACE).replace("\\", "/")
    parts = urlsplit(location)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return f"{parts.scheme}:"
    if parts.scheme and not parts.netloc:
        return urlsplit("//" + parts.path.lstrip("/")).hostname
    return urlsplit(urljoin("http://testserver/fr/accounts/login/", location)).hostname


@pytest.mark.parametrize(
    ("location", "host"),
    [
        ("/fr/learning/", "testserver"),
        ("//evil.example/", "evil.example"),
        ("/\\evil.example", "evil.example"),
        ("https:evil.example", "evil.example"),
        ("\t//evil.example", "evil.example"),
        ("javascript:alert(1)", "javascript:"),
    ],
)
def test_the_redirect_check_reads_locations_as_a_browser_does(location, host):
    assert where_a_browser_goes(location) == host


# --- lesson done --------------------------------------------------------------------------

slugs = st.one_of(st.from_regex(r"\A[-a-zA-Z0-9_]{1,30}\Z"), st.just("course"))
ids = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=2**31 - 2, max_value=2**31 + 2),
    st.integers(min_value=2**63 - 2, max_value=2**63 + 2),
    st.integers(min_value=0, max_value=10**40),
)


@pytest.fixture
def courses_world(learner):
    """A course the learner follows, one they do not, and an unpublished one."""
    followed = CourseFactory(slug="course", lessons=3)
    CourseFactory(slug="other", lessons=3)
    CourseFactory(slug="draft", lessons=2, is_published=False)
    enrollment_create(learner=learner, course=followed)
    return followed


@PROPERTIES
@given(data=st.data())
def test_marking_any_lesson_id_done_saves_only_a_lesson_of_a_followed_course(
    learner, courses_world, data
):
    # Real ids of every course's lessons (sequences differ between databases) and others.
    lesson_ids = sorted(Lesson.objects.values_list("pk", flat=True))
    slug = data.draw(st.one_of(slugs, st.sampled_from(["course", "other", "draft"])))
    lesson_id = data.draw(st.one_of(ids, st.sampled_from(lesson_ids)))
    client = Client()
    client.force_login(learner)
    before = set(LessonProgress.objects.values_list("learner_id", "lesson_id"))

    response = post_safely(client, f"/fr/courses/{quote(slug)}/lessons/{lesson_id}/done/", {})

    after = set(LessonProgress.objects.values_list("learner_id", "lesson_id"))
    added = after - before
    assert response.status_code in (302, 404)
    assert len(added) <= 1
    for learner_id, added_lesson in added:
        assert learner_id == learner.pk
        assert added_lesson == lesson_id
        assert courses_world.modules.filter(lessons__pk=lesson_id).exists()
    if response.status_code == 404:
        assert not added
    assert set(Enrollment.objects.values_list("learner_id", "course__slug")) == {
        (learner.pk, "course")
    }


# --- profile ------------------------------------------------------------------------------

PROFILE_FIELDS = ("full_name", "preferred_language", "workplace")
# Derived from the name on every save (the order names sort in: accounts.names).
DERIVED_FIELDS = ("name_key",)
# What the profile form does not offer, but a forged POST could add.
FORGED = {
    "email": "attacker@example.org",
    "is_staff": "on",
    "is_superuser": "on",
    "is_active": "",
    "password": "x",
    "date_joined": "2000-01-01",
}


@PROPERTIES
@given(
    full_name=nasty_text,
    preferred_language=st.one_of(st.sampled_from(["fr", "en"]), nasty_text),
    workplace=st.one_of(st.sampled_from(["shelter", "group_home", "school", "other"]), nasty_text),
    forged=st.dictionaries(st.sampled_from(sorted(FORGED)), st.just(True), max_size=6),
)
def test_any_profile_input_saves_all_or_nothing_and_only_the_offered_fields(
    learner, full_name, preferred_language, workplace, forged
):
    User = apps.get_model("accounts", "User")
    client = Client()
    client.force_login(learner)
    before = User.objects.values().get(pk=learner.pk)
    data = {
        "full_name": full_name,
        "preferred_language": preferred_language,
        "workplace": workplace,
        **{name: FORGED[name] for name in forged},
    }

    response = post_safely(client, "/fr/accounts/profile/", data)

    after = User.objects.values().get(pk=learner.pk)
    changeable = PROFILE_FIELDS + DERIVED_FIELDS
    untouched = {k: v for k, v in before.items() if k not in changeable}
    assert {k: v for k, v in after.items() if k not in changeable} == untouched
    assert after["name_key"] == name_sort_key(after["full_name"])
    if response.status_code == 200:  # the form, with its errors: nothing saved
        assert after == before
        assert 'class="errorlist"' in response.content.decode()
    else:
        assert response.status_code == 302
        assert after["full_name"] == full_name.strip()
        assert after["preferred_language"] == preferred_language
        assert after["workplace"] == workplace


# --- CSV import of staff (organizations) ------------------------------------------------------

HEADERS = [
    ["name", "email"],
    ["nom", "courriel", "rôle", "langue"],
    ["email", "name", "role"],
    ["nom", "courriel", ""],
    ["name"],
    ["name", "email", "name"],
    ["nom", "adresse"],
]
# What each header cell holds, in the rows generated below.
COLUMN = {"name": 0, "nom": 0, "email": 1, "courriel": 1, "adresse": 1, "role": 2, "rôle": 2}
COLUMN |= {"langue": 3}
long_but_valid_email = st.builds(
    lambda local, labels: f"{local}@{'.'.join(labels)}.org",
    st.text(alphabet="abcdefghij", min_size=1, max_size=64),
    st.lists(st.text(alphabet="klmnop", min_size=1, max_size=63), min_size=1, max_size=5),
)
staff_rows = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(["Éloïse Gagné", "Sam O’Neil"]), nasty_text),
        st.one_of(st.emails(), long_but_valid_email, nasty_text),
        st.sampled_from(["", "staff", "supervisor", "personnel", "superviseure", "boss"]),
        st.sampled_from(["", "fr", "en", "anglais", "de"]),
    ),
    max_size=8,
)


@st.composite
def staff_files(draw):
    """(bytes of a CSV file, the e-mail address of each person it lists)."""
    import csv
    import io

    header = draw(st.sampled_from(HEADERS))
    people = draw(staff_rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";"])))
    writer.writerow(header)
    lines = [[person[COLUMN[c]] if c in COLUMN else "" for c in header] for person in people]
    writer.writerows(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    listed = [line for line in lines if any(cell.strip() for cell in line)]
    pairs = zip(people, lines, strict=True)
    emails = {person[1].strip().lower() for person, line in pairs if line in listed}
    return buffer.getvalue().encode(encoding, errors="replace"), emails


@PROPERTIES
@given(
    upload=st.one_of(staff_files(), st.tuples(st.binary(max_size=300), st.none())),
    dry_run=st.booleans(),
)
def test_any_staff_file_imports_every_person_or_nobody_and_never_crashes(
    org, supervisor, upload, dry_run
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from organizations.models import Membership

    User = apps.get_model("accounts", "User")
    organization = org
    content, emails = upload
    client = Client()
    client.force_login(supervisor)
    before = rows(User, Membership)
    data = {"file": SimpleUploadedFile("staff.csv", content, content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"

    response = post_safely(
        client,
        reverse("organizations:staff_import", kwargs={"organization_id": organization.pk}),
        data,
    )

    assert response.status_code == 200
    imported = "organizations/staff_import_result.html" in [t.name for t in response.templates]
    event("imported" if imported else "refused")
    if dry_run or not imported:
        assert rows(User, Membership) == before
    elif emails is not None:
        members = Membership.objects.filter(organization=organization)
        assert emails <= set(members.values_list("user__email", flat=True))


# --- the supervisors' forms ----------------------------------------------------------------

# Ids as an attacker types them: huge, negative, non-ASCII digits, not numbers at all.
nasty_id = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["²", "１２", "٣", "0", "-1", "1e3", "0x10", " 1", "1 ", "", "\x00"]),
    nasty_text,
)


@PROPERTIES
@given(
    full_name=nasty_text,
    email=st.one_of(nasty_text, st.emails().map(str)),
    role=st.one_of(nasty_text, st.sampled_from(["staff", "supervisor"])),
    language=st.one_of(nasty_text, st.sampled_from(["fr", "en"])),
)
def test_any_person_added_is_a_member_or_an_invitation_or_nothing(
    org, supervisor, full_name, email, role, language
):
    from django.urls import reverse

    from organizations.models import AuditEvent, Invitation, Membership

    User = apps.get_model("accounts", "User")
    organization = org
    client = Client()
    client.force_login(supervisor)
    before = rows(User, Membership, Invitation, AuditEvent)
    data = {"full_name": full_name, "email": email, "role": role, "language": language}
    path = reverse("organizations:member_add", kwargs={"organization_id": organization.pk})

    response = post_safely(client, path, data)

    after = rows(User, Membership, Invitation, AuditEvent)
    if response.status_code == 200:  # the form again, with its errors
        assert after == before
    else:
        # Saved whole: one audit event tells what changed, if anything did.
        assert response.status_code == 302
        changed = after != before
        assert len(after["organizations.AuditEvent"]) == len(before["organizations.AuditEvent"]) + (
            1 if changed else 0
        )


@PROPERTIES
@given(
    learners=st.lists(nasty_id, max_size=4),
    course=nasty_id,
    scope=st.one_of(nasty_text, st.sampled_from(["selected", "everyone"])),
    due_on=st.one_of(nasty_text, st.dates().map(str)),
)
def test_any_assignment_posted_assigns_all_or_nothing(
    org, supervisor, learners, course, scope, due_on
):
    from django.urls import reverse

    from organizations.models import Assignment

    organization = org
    client = Client()
    client.force_login(supervisor)
    path = reverse("organizations:assign", kwargs={"organization_id": organization.pk})
    before = rows(Assignment, Enrollment)
    query = "&".join(f"learner={quote(value)}" for value in learners)
    assert client.get(f"{path}?{query}").status_code == 200
    response = post_safely(
        client, path, {"learners": learners, "course": course, "scope": scope, "due_on": due_on}
    )
    if response.status_code == 200:
        assert rows(Assignment, Enrollment) == before


@PROPERTIES
@given(membership_id=nasty_id, role=nasty_text)
def test_any_role_change_posted_is_refused_or_recorded(org, supervisor, membership_id, role):
    from django.urls import NoReverseMatch, reverse

    from organizations.models import AuditEvent, Membership

    organization = org
    client = Client()
    client.force_login(supervisor)
    base = reverse("organizations:member_list", kwargs={"organization_id": organization.pk})
    try:
        path = reverse(
            "organizations:member_role",
            kwargs={"organization_id": organization.pk, "membership_id": membership_id},
        )
    except NoReverseMatch:
        path = f"{base}{quote(membership_id, safe='')}/role/"
    before = rows(Membership, AuditEvent)
    response = post_safely(client, path, {"role": role})
    assert response.status_code in (302, 404)
    after = rows(Membership, AuditEvent)
    assert (after["organizations.Membership"] == before["organizations.Membership"]) == (
        after["organizations.AuditEvent"] == before["organizations.AuditEvent"]
    )
