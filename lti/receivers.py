"""What the lti app does when something happens below it."""

from lti import services


def queue_scores_on_completion(sender, enrollment, **kwargs):
    """courses.hooks.course_completed: the LMS gradebooks that launched the course are owed
    its completion (queued in the completion's transaction, sent by a task)."""
    services.scores_queue_for_enrollment(enrollment=enrollment)
