import pytest

from courses.models import LessonProgress
from curriculum.services import curriculum_load
from tests.curriculum.documents import lesson, real_document, snapshot, write
from tests.factories import UserFactory


@pytest.fixture
def loaded(tmp_path):
    """The real course, loaded, with a learner's progress: what a bad file must not touch."""
    curriculum_load(path=write(tmp_path, real_document(), "loaded.yaml"))
    LessonProgress.objects.create(learner=UserFactory(), lesson=lesson("m1-l1-what-it-is"))
    return snapshot()
