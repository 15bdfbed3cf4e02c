"""The xAPI statements Repère sends, built and validated with ralph's xAPI models
(`ralph.models.xapi`, pydantic): a statement that does not validate raises
`pydantic.ValidationError` here, at the event, rather than being refused by the LRS.

Verbs and activity types (README, "xAPI"): registered in a course; completed a lesson or
a course; attempted a quiz, then passed or failed it with its score. Each statement's
actor is an account (`homePage` = the site, `name` = the learner's opaque identifier for
that organization, `models.LearnerAccount`), never an e-mail address or a name.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from ralph.models.xapi.base.agents import BaseXapiAgentWithAccount
from ralph.models.xapi.base.contexts import BaseXapiContext
from ralph.models.xapi.base.results import BaseXapiResult, BaseXapiResultScore
from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.base.unnested_objects import BaseXapiActivity, BaseXapiActivityDefinition
from ralph.models.xapi.base.verbs import BaseXapiVerb
from ralph.models.xapi.concepts.activity_types.scorm_profile import (
    CourseActivity,
    CourseActivityDefinition,
)
from ralph.models.xapi.concepts.verbs.adl_vocabulary import RegisteredVerb
from ralph.models.xapi.concepts.verbs.scorm_profile import CompletedVerb

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
LESSON_TYPE = ADL_ACTIVITIES + "lesson"
QUIZ_TYPE = ADL_ACTIVITIES + "assessment"
COURSE_TYPE = ADL_ACTIVITIES + "course"
PLATFORM = "Repère"
# Statement ids and registrations are UUIDs derived from what they describe (version 5),
# so the same event for the same LRS always has the same id.
NAMESPACE = uuid.UUID("7d0e58d6-3c55-4b8f-9c0e-2f1f4b0a6a51")

REGISTERED = RegisteredVerb(display={"en-US": "registered"})
COMPLETED = CompletedVerb(display={"en-US": "completed"})
ATTEMPTED = BaseXapiVerb(id=ADL_VERBS + "attempted", display={"en-US": "attempted"})
PASSED = BaseXapiVerb(id=ADL_VERBS + "passed", display={"en-US": "passed"})
FAILED = BaseXapiVerb(id=ADL_VERBS + "failed", display={"en-US": "failed"})


@dataclass(frozen=True)
class Activity:
    """What a statement is about: its IRI, its xAPI type and its name in each language."""

    iri: str
    type: str
    names: dict[str, str]  # {"fr-CA": …, "en-CA": …}, empty names left out


def activity_iri(*, site_url: str, kind: str, pk: int) -> str:
    """A stable IRI under the site: ids stay when a title or a slug changes."""
    return f"{site_url}/xapi/activities/{kind}/{pk}"


def derived_id(*parts) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts))


def _dump(model) -> dict:
    return model.model_dump(mode="json", exclude_none=True)


def _activity(activity: Activity) -> dict:
    names = {language: name for language, name in activity.names.items() if name}
    if activity.type == COURSE_TYPE:
        model = CourseActivity(
            id=activity.iri,
            objectType="Activity",
            definition=CourseActivityDefinition(name=names or None),
        )
    else:
        model = BaseXapiActivity(
            id=activity.iri,
            objectType="Activity",
            definition=BaseXapiActivityDefinition(type=activity.type, name=names or None),
        )
    return _dump(model)


def score_result(*, right: int, total: int, passed: bool) -> dict:
    """The result of a graded quiz: raw = questions right, of max = questions asked,
    scaled = raw / max (to 4 places), success = passed by the quiz's pass mark."""
    scaled = (Decimal(right) / Decimal(total)).quantize(Decimal("0.0001")) if total else 0
    result = BaseXapiResult(
        score=BaseXapiResultScore(scaled=scaled, raw=right, min=0, max=total),
        success=passed,
        completion=True,
    )
    return _dump(result)


def statement_build(
    *,
    statement_id: uuid.UUID,
    site_url: str,
    actor_name: str,
    verb: BaseXapiVerb,
    activity: Activity,
    timestamp: datetime.datetime,
    registration: uuid.UUID | None = None,
    parent: Activity | None = None,
    result: dict | None = None,
    language: str = "",
) -> dict:
    """The statement as the JSON an LRS receives, validated by ralph's base statement
    (pydantic.ValidationError if it is not a valid xAPI 1.0 statement)."""
    context = BaseXapiContext(
        registration=registration,
        platform=PLATFORM,
        language=language or None,
        contextActivities={"parent": [_activity(parent)]} if parent else None,
    )
    actor = BaseXapiAgentWithAccount(
        objectType="Agent", account={"homePage": site_url, "name": actor_name}
    )
    statement = BaseXapiStatement.model_validate(
        {
            "id": str(statement_id),
            "actor": _dump(actor),
            "verb": _dump(verb),
            "object": _activity(activity),
            **({"result": result} if result else {}),
            "context": _dump(context),
            "timestamp": timestamp.isoformat(),
        }
    )
    data = _dump(statement)
    # pydantic writes decimals as strings; xAPI scores are JSON numbers.
    score = data.get("result", {}).get("score")
    if score:
        data["result"]["score"] = {
            key: (float(value) if key == "scaled" else int(Decimal(value)))
            for key, value in score.items()
        }
    return data
