"""The apps' layers (pyproject.toml, checked by import-linter in `make lint`) cannot be
seen through hidden imports: these would make an arrow that the linter does not see."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "courses", "organizations", "quizzes", "surveys", "curriculum"]
APPS += ["certificates"]
APPS += ["supervision", "privacy", "api", "xapi"]


def _app_sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _hidden_imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            if name in {"get_model", "import_module", "__import__", "is_installed"}:
                found.append(f"line {node.lineno}: {name}()")
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            for name in names:
                if getattr(name, "id", "") in {"ImportError", "ModuleNotFoundError"}:
                    found.append(f"line {node.lineno}: except {name.id}")
    return found


@pytest.mark.parametrize("path", list(_app_sources()), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_app_reaches_another_through_a_hidden_import(path):
    assert _hidden_imports(ast.parse(path.read_text())) == []


def test_the_check_finds_each_kind_of_hidden_import():
    planted = """
from django.apps import apps
import importlib
apps.get_model("organizations", "Membership")
importlib.import_module("quizzes.curriculum")
if apps.is_installed("organizations"):
    pass
try:
    import certificates
except ImportError:
    pass
"""
    assert len(_hidden_imports(ast.parse(planted))) == 4
