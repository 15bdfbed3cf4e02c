"""What assessments adds to courses' pages (courses.hooks), registered in ready()."""


def register() -> None:
    """Nothing yet: the knowledge check's panels come with its pages."""
