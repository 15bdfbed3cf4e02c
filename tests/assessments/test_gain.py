"""The gain report's figures: people with both checks, means before and after, the mean
normalised gain, per course and per module, and no figure for a small group."""

import pytest

from assessments import selectors
from assessments.models import Attempt, Form, Phase
from organizations.models import Invitation
from tests.assessments.factories import checked, item_bank, scored
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import OrganizationFactory, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(lessons=6)  # two modules of three lessons


def _report(course, **scope):
    return selectors.course_gain_report(course=course, **scope)


def test_the_mean_normalised_gain_matches_the_hand_computed_one(course, settings):
    """Before/after 40/70, 50/100, 100/100: gains (70−40)/(100−40) = 0.5,
    (100−50)/(100−50) = 1.0, and none for someone at 100 % before; the mean gain is 0.75,
    over 2 people. Means: before (40+50+100)/3 = 63.33, after (70+100+100)/3 = 90."""
    settings.REPERE_MIN_REPORT_GROUP = 3
    for pre, post in [(4, 7), (5, 10), (10, 10)]:
        scored(learner=UserFactory(), course=course, pre=(pre, 10), post=(post, 10))
    figures = _report(course).figures
    assert figures.shown
    assert figures.people == 3
    assert figures.before == pytest.approx(190 / 3)
    assert figures.after == pytest.approx(90)
    assert figures.gain == pytest.approx(0.75)
    assert figures.gain_people == 2


def test_a_lower_score_after_is_a_negative_gain(course, settings):
    settings.REPERE_MIN_REPORT_GROUP = 1
    scored(learner=UserFactory(), course=course, pre=(5, 10), post=(4, 10))
    figures = _report(course).figures
    assert figures.gain == pytest.approx((40 - 50) / 50)


def test_nobody_below_100_before_gives_no_mean_gain(course, settings):
    settings.REPERE_MIN_REPORT_GROUP = 1
    scored(learner=UserFactory(), course=course, pre=(10, 10), post=(9, 10))
    figures = _report(course).figures
    assert (figures.people, figures.gain, figures.gain_people) == (1, None, 0)


def test_module_figures_match_the_hand_computed_ones(course, settings):
    """Two items per module in each form. Person 1 takes A before, B after; person 2 the
    other way round. Unanswered items count as not right.

                 module 1 before → after    module 2 before → after
    person 1     1/2 = 50 → 2/2 = 100       0/2 = 0 → 1/2 = 50
    person 2     2/2 = 100 → 2/2 = 100      1/2 = 50 → 2/2 = 100

    Module 1: before 75, after 100, gain 1.0 over 1 (person 2 was at 100 %).
    Module 2: before 25, after 75, gains 0.5 and 1.0, mean 0.75 over 2.
    Whole check: person 1 25 → 75 (gain 2/3), person 2 75 → 100 (gain 1): before 50,
    after 87.5, mean gain 5/6 over 2."""
    settings.REPERE_MIN_REPORT_GROUP = 2
    bank = item_bank(course=course, per_form=2)
    a1, a2 = bank[Form.A][:2], bank[Form.A][2:]  # form A: module 1's, module 2's
    b1, b2 = bank[Form.B][:2], bank[Form.B][2:]
    one, two = UserFactory(), UserFactory()
    checked(
        learner=one,
        course=course,
        phase=Phase.PRE,
        form=Form.A,
        items=bank[Form.A],
        right=a1[:1],
        wrong=[a1[1], *a2],
    )
    checked(
        learner=one,
        course=course,
        phase=Phase.POST,
        form=Form.B,
        items=bank[Form.B],
        right=[*b1, b2[0]],
    )
    checked(
        learner=two,
        course=course,
        phase=Phase.PRE,
        form=Form.B,
        items=bank[Form.B],
        right=[*b1, b2[0]],
        wrong=b2[1:],
    )
    checked(learner=two, course=course, phase=Phase.POST, form=Form.A, items=bank[Form.A],
            right=bank[Form.A])  # fmt: skip
    report = _report(course)
    assert report.figures.before == pytest.approx(50)
    assert report.figures.after == pytest.approx(87.5)
    assert report.figures.gain == pytest.approx(5 / 6)
    first, second = report.modules
    assert first.module == a1[0].lesson.module
    assert (first.figures.people, first.figures.before, first.figures.after) == (2, 75, 100)
    assert (first.figures.gain, first.figures.gain_people) == (pytest.approx(1.0), 1)
    assert (second.figures.before, second.figures.after) == (pytest.approx(25), 75)
    assert (second.figures.gain, second.figures.gain_people) == (pytest.approx(0.75), 2)


def test_a_right_answer_to_an_item_of_the_other_form_does_not_count(course, settings):
    settings.REPERE_MIN_REPORT_GROUP = 1
    bank = item_bank(course=course, per_form=1)
    person = UserFactory()
    checked(
        learner=person,
        course=course,
        phase=Phase.PRE,
        form=Form.A,
        items=bank[Form.A],
        right=bank[Form.B][:1],
    )
    checked(learner=person, course=course, phase=Phase.POST, form=Form.B, items=bank[Form.B],
            right=bank[Form.B])  # fmt: skip
    first, _second = _report(course).modules
    assert (first.figures.before, first.figures.after) == (0, 100)


@pytest.mark.parametrize(("people", "shown"), [(4, False), (5, True)])
def test_a_group_below_the_minimum_gets_no_figure(course, people, shown):
    item_bank(course=course, per_form=1)
    for _ in range(people):
        scored(learner=UserFactory(), course=course, pre=(1, 2), post=(2, 2))
    report = _report(course)
    assert report.figures.shown is shown
    if not shown:
        assert report.figures == selectors.GainFigures(shown=False)
        assert report.modules == []


def test_the_minimum_is_the_setting(course, settings):
    settings.REPERE_MIN_REPORT_GROUP = 2
    scored(learner=UserFactory(), course=course, pre=(1, 2), post=(2, 2))
    assert not _report(course).figures.shown
    scored(learner=UserFactory(), course=course, pre=(1, 2), post=(2, 2))
    assert _report(course).figures.people == 2


def test_a_module_below_the_minimum_is_hidden_while_the_course_is_shown(course, settings):
    """Module 2's items came after one person's checks: they have no form item in it... so
    only the people whose forms both have module-2 items count there."""
    settings.REPERE_MIN_REPORT_GROUP = 2
    bank = item_bank(course=course, per_form=1)
    people = [UserFactory() for _ in range(2)]
    for person in people:
        checked(learner=person, course=course, phase=Phase.PRE, form=Form.A, items=bank[Form.A])
        checked(learner=person, course=course, phase=Phase.POST, form=Form.B, items=bank[Form.B])
    # Module 2 loses its form B item: nobody has a module-2 score after any more.
    bank[Form.B][1].delete()
    report = _report(course)
    assert report.figures.shown
    assert [row.module for row in report.modules] == [bank[Form.A][0].lesson.module]


def test_people_with_only_one_of_the_checks_do_not_count(course, settings):
    settings.REPERE_MIN_REPORT_GROUP = 1
    scored(learner=UserFactory(), course=course, pre=(2, 10), post=(8, 10))
    only_before, only_after = UserFactory(), UserFactory()
    Attempt.objects.create(
        learner=only_before,
        course=course,
        phase=Phase.PRE,
        form=Form.A,
        item_count=10,
        correct_count=0,
    )
    Attempt.objects.create(
        learner=only_after, course=course, phase=Phase.POST, form=Form.B, item_count=10,
        correct_count=10,
    )  # fmt: skip
    figures = _report(course).figures
    assert (figures.people, figures.before, figures.after) == (1, 20, 80)


def test_an_organization_counts_its_members_only(course, settings):
    """Another organization's people and a pending invitation count for nothing."""
    settings.REPERE_MIN_REPORT_GROUP = 2
    home, other = OrganizationFactory(), OrganizationFactory()
    for _ in range(2):
        scored(learner=staff_of(home), course=course, pre=(2, 10), post=(6, 10))
    for _ in range(3):
        scored(learner=staff_of(other), course=course, pre=(9, 10), post=(9, 10))
    invited = UserFactory()
    Invitation.objects.create(organization=home, email=invited.email, full_name="Invitée")
    scored(learner=invited, course=course, pre=(0, 10), post=(0, 10))
    [report] = selectors.organization_gain_report(organization=home)
    assert (report.figures.people, report.figures.before, report.figures.after) == (2, 20, 60)
    assert _report(course, organization=home).figures.people == 2
    assert _report(course).figures.people == 6


def test_erased_people_are_not_paired(course, settings):
    settings.REPERE_MIN_REPORT_GROUP = 1
    scored(learner=UserFactory(), course=course, pre=(2, 10), post=(6, 10))
    scored(learner=UserFactory(), course=course, pre=(2, 10), post=(6, 10))
    Attempt.objects.filter(pk__in=Attempt.objects.values("pk")[:2]).update(learner=None)
    assert _report(course).figures.people == 1


@pytest.mark.parametrize("people", [5, 500])
def test_the_report_runs_four_queries_whatever_the_number_of_attempts(
    course, people, django_assert_num_queries
):
    """10 attempts, then 1,000: the same queries (courses, modules, their titles)."""
    bank = item_bank(course=course, per_form=2)
    org = OrganizationFactory()
    learners = _bulk_staff(org, people)
    attempts = Attempt.objects.bulk_create(
        Attempt(learner=learner, course=course, phase=phase, form=form, item_count=4,
                correct_count=index % 5)
        for index, learner in enumerate(learners)
        for phase, form in ((Phase.PRE, Form.A), (Phase.POST, Form.B))
    )  # fmt: skip
    assert len(attempts) == 2 * people
    from assessments.models import Answer

    Answer.objects.bulk_create(
        Answer(attempt=attempt, item=item, choice=item.choices.all()[0], is_correct=True)
        for attempt in attempts[:20]
        for item in bank[attempt.form]
    )
    with django_assert_num_queries(4):
        [report] = selectors.organization_gain_report(organization=org)
    assert report.figures.people == people
    assert len(report.modules) == 2
    with django_assert_num_queries(4):
        assert selectors.course_gain_report(course=course).figures.people == people


def _bulk_staff(org, count):
    """`count` members of the organization, written in bulk (no password to hash)."""
    from accounts.models import User
    from organizations.models import Membership

    users = User.objects.bulk_create(
        User(email=f"gain{index}@example.org", full_name=f"Gain {index}") for index in range(count)
    )
    Membership.objects.bulk_create(Membership(user=user, organization=org) for user in users)
    return users


def test_a_supervisors_figures_move_only_by_whole_groups(course, settings):
    """A supervisor who reads the figures with 5 people and again with 6 must not learn the
    sixth person's scores from the difference: their figures are over the earliest pairs
    in whole groups of the minimum (5, then 10), so one more person changes nothing."""
    settings.REPERE_MIN_REPORT_GROUP = 5
    org = OrganizationFactory()
    for _ in range(5):
        scored(learner=staff_of(org), course=course, pre=(4, 10), post=(8, 10))
    [first] = selectors.organization_gain_report(organization=org)
    assert (first.figures.people, first.figures.before, first.figures.after) == (5, 40, 80)

    scored(learner=staff_of(org), course=course, pre=(0, 10), post=(10, 10))
    [second] = selectors.organization_gain_report(organization=org)
    assert second.figures == first.figures

    # Someone with only the check before is no pair and releases nothing.
    Attempt.objects.create(
        learner=staff_of(org), course=course, phase=Phase.PRE, form=Form.A,
        item_count=10, correct_count=1,
    )  # fmt: skip
    for _ in range(4):
        scored(learner=staff_of(org), course=course, pre=(0, 10), post=(10, 10))
    [third] = selectors.organization_gain_report(organization=org)
    assert third.figures.people == 10
    assert third.figures.before == pytest.approx(20)
    assert third.figures.after == pytest.approx(90)
    # The administrators' report counts every pair as it comes.
    assert selectors.course_gain_report(course=course, organization=org).figures.people == 10


def test_a_boards_report_rolls_up_its_schools_in_whole_groups(course, settings):
    """Three people in one school and two in the other: no figure for either school (under
    the minimum of 5), the board's over the five; another board's people never count."""
    settings.REPERE_MIN_REPORT_GROUP = 5
    board = OrganizationFactory(name="Conseil")
    north = OrganizationFactory(name="Nord", parent=board)
    south = OrganizationFactory(name="Sud", parent=board)
    elsewhere = OrganizationFactory(name="Ailleurs", parent=OrganizationFactory())
    for school, count in ((north, 3), (south, 2), (elsewhere, 4)):
        for _ in range(count):
            scored(learner=staff_of(school), course=course, pre=(2, 10), post=(6, 10))
    [report] = selectors.organization_gain_report(organization=board)
    assert report.figures.shown
    assert (report.figures.people, report.figures.before, report.figures.after) == (5, 20, 60)
    [school_report] = selectors.organization_gain_report(organization=north)
    assert not school_report.figures.shown
