"""Load a course from its curriculum file (YAML), checked whole before anything is written.

`curriculum_load(path=..., force=...)` reads and validates the entire file first (every
entry: required keys, both languages, unique ids, known sources with an optional `url` and
`checked` date, reading minutes), raising
`CurriculumError` naming the file, the entry and the problem. Only then does it write, in one
transaction, so a bad file changes nothing:

- the course is found by `slug` or, when the file renames it, by one of its `former_slugs`
  (each is kept as a FormerSlug, whose address redirects to the new one); its modules by `key`
  (the module id) and its lessons by `key` within the course (a lesson may move to another
  module); positions follow the file order and `content_version` the file's `version`
  (certificates keep the version they were issued for);
- a new course is published once its lessons exist. An existing course keeps its published
  state: if an administrator unpublished it, loading again does not undo that (`force` does);
- every course, module and lesson stores `curriculum_fingerprint`, a hash of its content as the
  loader last wrote it. When the content in the database no longer matches it, an
  administrator edited it in the admin: the edit is kept (reported "kept"), unless `force`.
  Structure (positions, which module holds a lesson) always follows the file;
- a module or lesson that is in the database but not in the file is reported ("left") and
  never deleted. Learners' progress, quiz attempts and the quizzes themselves hang on modules
  and lessons: deleting them from a command would erase people's records without anyone seeing
  what goes with them. The admin's delete page lists everything that would be deleted, so an
  administrator decides there;
- modules with a `quiz` key are handed to `quizzes.curriculum` (`validate_quiz` while checking,
  `load_quiz` while writing, inside the same transaction). If that module is not installed,
  quizzes are skipped with a line in the report.
"""

from courses.loader.reading import DEFAULT_PATH, curriculum_read
from courses.loader.report import CurriculumError, LoadReport, fingerprint
from courses.loader.writing import curriculum_load

__all__ = [
    "DEFAULT_PATH",
    "CurriculumError",
    "LoadReport",
    "curriculum_load",
    "curriculum_read",
    "fingerprint",
]
