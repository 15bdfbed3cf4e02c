from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    """The course's content file: read, checked whole, then written. No models of its own."""

    name = "curriculum"
