"""Production settings are secure by default; development is opt-in."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

BASE_DIR = str(settings.BASE_DIR)


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "repere.example.org"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 60}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_a_required_variable(env, missing):
    result = manage("check", **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="a-very-long-random-production-secret-key-0123456789-abcdefghijkl",
        DJANGO_ALLOWED_HOSTS="repere.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr


def test_development_mode_needs_no_secret():
    result = manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
