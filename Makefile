# Two commands: `make run` (set up and serve with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
# The test suite runs on PostgreSQL; pytest-django creates the test database itself.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint format bench loadtest assets install install-test chromium pango lock clean

$(STAMPS):
	mkdir -p $(STAMPS)

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMPS)/install: pyproject.toml constraints.txt | $(VENV)/bin/python $(STAMPS)
	$(PY) -m pip install -q -c constraints.txt $$($(PY) scripts/requirements.py)
	touch $@

$(STAMPS)/install-test: $(STAMPS)/install
	$(PY) -m pip install -q -c constraints.txt $$($(PY) scripts/requirements.py test)
	touch $@

install: $(STAMPS)/install
install-test: $(STAMPS)/install-test

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# scripts/build_assets.sh is the one asset build (the Dockerfile runs it too); rebuilt only when
# the packages, the Sass or the script change.
$(STAMPS)/assets: node_modules/.package-lock.json scripts/build_assets.sh $(wildcard static/scss/*.scss) | $(STAMPS)
	scripts/build_assets.sh
	touch $@

assets: $(STAMPS)/assets

run: install assets pango
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# WeasyPrint (board packs and minutes as PDF) draws its text with Debian's pango.
pango:
	@ldconfig -p | grep libpangoft2-1.0.so.0 >/dev/null || (apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install-test assets chromium pango lint
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_BROKER_URL=$(TEST_BROKER_URL) $(PY) manage.py makemigrations --check --dry-run -v 0
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_BROKER_URL=$(TEST_BROKER_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(PY) -m pytest $(PYTEST_ARGS)

# Each job is also timed against its floor (bench/README.md). The throwaway databases are named
# with BENCH_DATABASE_SUFFIX (default: the process id), so runs side by side never share one.
bench: install-test
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(PY) bench/run.py

# The pages under load (bench/README.md, "loadtest"): the national data set served by gunicorn in
# production settings, locust on 127.0.0.1. LOADTEST_ARGS="--keep" keeps its database,
# "--reuse" serves the kept one.
loadtest: install-test assets
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} \
		$(PY) bench/loadtest/run.py $(LOADTEST_ARGS)

# Back up the database named by DATABASE_URL and the uploaded files (README: Backups).
.PHONY: backup restore
backup: install
	$(PY) manage.py backup $(if $(BACKUP_FILE),--output "$(BACKUP_FILE)")

restore: install
	@test -n "$(BACKUP_FILE)" || (echo "Choose the backup: make restore BACKUP_FILE=backups/<name>.dump" >&2; exit 2)
	$(PY) manage.py restore "$(BACKUP_FILE)" $(if $(FORCE),--force)

lock:
	rm -rf /tmp/lockenv && python3 -m venv /tmp/lockenv
	/tmp/lockenv/bin/pip install -q $$($(PY) scripts/requirements.py) $$($(PY) scripts/requirements.py test)
	( echo "# Pinned versions of every Python package (pip freeze of a clean install of pyproject.toml [test])."; \
	  echo "# Regenerate: make lock"; /tmp/lockenv/bin/pip freeze ) > constraints.txt

clean:
	rm -rf $(VENV) $(STAMPS) node_modules static/build static/govuk staticfiles
