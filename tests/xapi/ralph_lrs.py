"""Runs ralph's LRS (`ralph.api:app`) under uvicorn: `python -m tests.xapi.ralph_lrs PORT`.

ralph 5.1's filesystem LRS backend writes each batch of statements with its data
backend's default operation, CREATE, which refuses an existing file: the LRS stores its
first POST and answers 500 to every later one. Appending (its APPEND operation, for the
same file) is what an LRS on files needs, so the class default is set to it before the app
loads; the API, its validation, authentication and queries are ralph's own, unchanged.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
