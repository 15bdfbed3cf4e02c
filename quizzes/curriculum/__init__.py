"""The quizzes part of the curriculum loader (`courses.loader` calls these two hooks).

A module's `quiz:` entry in the curriculum file:

    quiz:
      pass_mark: 80            # optional, percent (default 80)
      max_attempts: null       # optional, null = no limit
      shuffle_choices: true    # optional (default true)
      scenarios:
        - id: m2-s1-shelter
          setting: shelter     # shelter | group_home | school | any
          title: {fr: ..., en: ...}
          situation: {fr: ..., en: ...}
          questions:           # 2 to 5
            - id: m2-s1-q1
              kind: single     # single | multiple ("select all that apply")
              lesson: m2-l1-relationships   # the lesson that teaches it (optional)
              text: {fr: ..., en: ...}
              choices:
                - id: m2-s1-q1-a
                  correct: true
                  text: {fr: ..., en: ...}
                  feedback: {fr: ..., en: ...}   # on every choice
                - id: m2-s1-q1-b
                  correct: false
                  level: harmful   # wrong choices only: partly | wrong | harmful
                  text: {fr: ..., en: ...}
                  feedback: {fr: ..., en: ...}

`validate_quiz` checks an entry without touching the database; `load_quiz` creates or updates
the quiz, its scenarios, questions and choices by id, keeping administrators' edits unless
`force`, exactly as the course loader does for lessons (the same fingerprints). Nothing is
deleted: what the file no longer has is reported as "left".
"""

from quizzes.curriculum.checking import validate_quiz
from quizzes.curriculum.writing import load_quiz

__all__ = ["load_quiz", "validate_quiz"]
