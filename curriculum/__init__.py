"""The curriculum: the course's content file (`content/`, YAML, both languages side by side),
read, checked whole, and written into the courses and quizzes models. It sits above `quizzes`
and below `certificates`; `courses` and `quizzes` know nothing of it.

`curriculum_load(path=..., force=...)` (`services.py`) reads and validates the entire file
first (every entry: required keys, both languages, unique ids, known sources with an optional
`url` and `checked` date, reading minutes, the quizzes), raising `CurriculumError` naming the
file, the entry and the problem. Only then does it write, in one
transaction, so a bad file changes nothing:

- the course is found by `slug` or, when the file renames it, by one of its `former_slugs`
  (each is kept as a FormerSlug, whose address redirects to the new one); its modules by `key`
  (the module id) and its lessons by `key` within the course (a lesson may move to another
  module); positions follow the file order. A published course whose content changed is
  recorded as a new version (`courses.services.course_version_record`): the file's `version`,
  or the next number if the admin published versions since (certificates keep the version
  they were issued for);
- a new course is published once its lessons exist. An existing course keeps its published
  state: if an administrator unpublished it, loading again does not undo that (`force` does);
- every row the file writes (course, modules, lessons, quizzes, scenarios, questions, choices)
  stores `curriculum_fingerprint`, a hash of its content as the loader last wrote it
  (`courses.entries`). When the content in the database no longer matches it, an
  administrator edited it in the admin: the edit is kept (reported "kept"), unless `force`.
  Structure (positions, which module holds a lesson) always follows the file;
- a module or lesson that is in the database but not in the file is reported ("left") and
  never deleted. Learners' progress, quiz attempts and the quizzes themselves hang on modules
  and lessons: deleting them from a command would erase people's records without anyone seeing
  what goes with them. The admin's delete page lists everything that would be deleted, so an
  administrator decides there;
- a module's `quiz` (its scenarios, questions and choices) is checked with the rest of the file
  (`checking/quiz.py`) and written by the same rule, in the same transaction
  (`writing/quiz.py`);
- the optional `assessment:` section, the knowledge check's items in forms A and B (each on
  a lesson, exactly one right choice, as many items in each form per module), is checked
  (`checking/assessment.py`) and written into `assessments.Item` / `ItemChoice` by the same
  rule (`writing/assessment.py`); an item no longer in the file is reported "left".

`reading.py` reads the YAML and `checking/` checks it into specs (`specs.py`); `services.py`
runs the load, `writing/` writes, `report.py` tells what was done.

The file's sources and which entries cite them are kept with the course (`models.py`,
`CourseSources`), so that `exporting.py` gives back the file that loads the course: export
then import reproduces every field, position, id and fingerprint. `admin.py` offers both in
the admin (the import tried whole and rolled back before it is applied).
"""
