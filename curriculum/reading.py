"""Reading a curriculum file: its YAML, with the line of every entry for error messages, then
the check of all of it (`curriculum.checking`). Touches no database."""

from pathlib import Path

import yaml
from django.conf import settings
from django.utils.translation import gettext_noop

from curriculum.checking import check_document
from curriculum.report import CurriculumError, Problem
from curriculum.specs import CurriculumSpec

DEFAULT_PATH = "curriculum/content/sex-trafficking.yaml"


class _Mapping(dict):
    """A YAML mapping that remembers its line and the line of each key, for error messages."""

    line: int = 0
    key_lines: dict


# LibYAML's parser when PyYAML was built with it: eight times faster on the course file.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_mapping(loader, node):
    mapping = _Mapping()
    mapping.line, mapping.key_lines = node.start_mark.line + 1, {}
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool | None):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def shown_path(path: Path) -> str:
    """The path as error messages and the report give it: relative to the project if inside."""
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def curriculum_read(*, path) -> CurriculumSpec:
    """Read and check the whole file; raises CurriculumError. Touches no database."""
    path = Path(path)
    shown = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CurriculumError(shown, "file", "not found") from error
    except UnicodeDecodeError as error:
        raise CurriculumError(shown, "file", Problem(gettext_noop("is not UTF-8 text"))) from error
    except OSError as error:
        raise CurriculumError(shown, "file", error.strerror or str(error)) from error
    return curriculum_parse(text=text, path=shown)


def curriculum_parse(*, text: str, path: str) -> CurriculumSpec:
    """Check a file's text (`path` names it in messages); raises CurriculumError."""
    shown = path
    try:
        document = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = ": ".join(part for part in (error.context, error.problem) if part)
        line = mark.line + 1 if mark else None
        raise CurriculumError(shown, "YAML syntax", problem, line=line) from error
    except yaml.YAMLError as error:
        raise CurriculumError(shown, "YAML syntax", str(error)) from error
    return check_document(document, path=shown)
