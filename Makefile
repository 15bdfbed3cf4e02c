# Repère — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DJANGO_DEBUG=1
# The development signing key of credentials (gitignored; `make run` writes it once).
CREDENTIAL_ENV := .credential-key.env

.DEFAULT_GOAL := help

.PHONY: help run test bench load lint format messages check-deploy clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@

run: $(VENV)/.installed ## Install, migrate, load the course, create demo accounts, serve on :8000 with a task worker
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_curriculum
	$(DEV_ENV) $(PY) manage.py seed_demo
	@test -f $(CREDENTIAL_ENV) || $(DEV_ENV) $(PY) manage.py credential_key --env > $(CREDENTIAL_ENV)
	@echo "Repère: http://127.0.0.1:8000/ (and a task worker that sends the e-mails)"
	@# The worker runs beside the server; when the server stops (Ctrl-C), the trap stops it.
	{ set -a && . ./$(CREDENTIAL_ENV) && set +a && export $(DEV_ENV); } || exit 1; \
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-test ## Install test needs and run the whole suite
	$(DEV_ENV) $(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test ## Benchmarks against same-run baselines; writes docs/performance.md
	$(PY) benchmarks/run.py

load: $(VENV)/.installed-test ## 50 learners, 5 supervisors, 60 s: 2 gunicorn servers, a worker, PostgreSQL, Redis, SMTP
	$(PY) benchmarks/load.py

lint: $(VENV)/.installed-test ## Check style with ruff, and the import contracts (pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-test ## Format and fix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(VENV)/.installed-test ## Extract strings into locale/*.po and compile .mo (tools/i18n.py; needs gettext)
	$(PY) tools/i18n.py

check-deploy: $(VENV)/.installed ## Run Django's deployment checks with production settings
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	REPERE_CREDENTIAL_SIGNING_KEY=$$($(DEV_ENV) $(PY) manage.py credential_key) \
	DJANGO_ALLOWED_HOSTS=repere.example.org REPERE_EMAIL_CONSOLE_OK=1 \
	$(PY) manage.py check --deploy --fail-level WARNING

clean: ## Remove the virtualenv and caches (keeps the database)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .import_linter_cache staticfiles artifacts
