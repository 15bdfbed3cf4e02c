"""The rule that decides when an enrollment is complete, in one place.

Lessons are the courses app's own requirement. Other apps add theirs with
`register_requirement` from their AppConfig.ready(): a requirement is a function
`(enrollment) -> bool`. When an enrollment becomes complete, `course_completed` is sent
once, inside the transaction that completed it.
"""

from collections.abc import Callable

from django.dispatch import Signal

course_completed = Signal()  # sender=Enrollment, enrollment=<Enrollment>

_requirements: list[Callable] = []


def register_requirement(requirement: Callable) -> None:
    if requirement not in _requirements:
        _requirements.append(requirement)


def requirements() -> tuple[Callable, ...]:
    return tuple(_requirements)
