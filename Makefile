# The portal's commands. `make run` and `make test` work on a fresh Debian machine with
# Python 3.11 and nothing else set: they create .venv, install the pinned packages and,
# when allowed, the few system packages WeasyPrint and gettext need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SYSTEM_PACKAGES := libharfbuzz-subset0 fonts-dejavu-core gettext libpango-1.0-0 libpangoft2-1.0-0
HOST ?= 127.0.0.1
PORT ?= 8000

# The settings are production's unless DJANGO_ENV=local is set: the developer's targets
# (and what they run first) set it, unless the environment names one itself.
run test seed worker beat bench bench-pdf bench-search bench-web: export DJANGO_ENV ?= local

.PHONY: backup restore bench bench-pdf bench-search bench-web run test setup venv system-packages messages migrate seed lint format check-deploy lock worker beat clean

run: setup seed
	@echo "Serving the portal at http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

setup: venv system-packages messages migrate

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv failed; installing python3-venv"; rm -rf $(VENV); \
	  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }
	$(PIP) install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# Installs what is missing when we may (root, or passwordless sudo); otherwise says what
# to install and goes on: the portal runs without them, only PDFs get slower or plainer.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "note: please install:$$missing"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	else echo "note: missing system packages (install them as root):$$missing"; exit 0; fi; \
	echo "Installing system packages:$$missing"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null \
	  || echo "note: could not install$$missing; continuing without them"

messages: venv
	$(PY) manage.py compilemessages --ignore=.venv -v 0

migrate: venv
	$(PY) manage.py migrate --no-input -v 0

seed: migrate
	$(PY) manage.py seed_demo

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The deployment checklist, with production settings and throwaway secrets.
check-deploy: venv
	DJANGO_ENV=production SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=ohjausneuvottelut.example.fi CACHE_URL=redis://127.0.0.1:6379/1 \
	  ACCESSIBILITY_FEEDBACK_EMAIL=saavutettavuus@ohjausneuvottelut.example.fi \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Re-pin requirements.lock from pyproject.toml (needs pip-tools in the venv).
lock: venv
	$(PIP) install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --no-emit-index-url --no-emit-find-links --extra dev \
	  --strip-extras --generate-hashes -o requirements.lock pyproject.toml

# Both benchmarks, their figures written to bench/RESULTS.md with the machine's description.
bench: setup
	$(PY) bench/results.py

# Figures, not pass/fail. Uses its own database (PostgreSQL when one answers on
# 127.0.0.1, else SQLite); the round of 23 goes through Redis and a real worker when they run.
bench-pdf: setup
	@if pg_isready -q -h 127.0.0.1 2>/dev/null; then \
	  dropdb -h 127.0.0.1 -U postgres --if-exists steering_bench && createdb -h 127.0.0.1 -U postgres steering_bench; \
	  db=postgres://postgres@127.0.0.1:5432/steering_bench; \
	else rm -f var/bench.sqlite3; db=sqlite:///$(CURDIR)/var/bench.sqlite3; fi; \
	broker=$${CELERY_BROKER_URL:-$$(redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && echo redis://127.0.0.1:6379/13)}; \
	DATABASE_URL=$$db $(PY) manage.py migrate --no-input -v 0 && \
	DATABASE_URL=$$db CELERY_BROKER_URL=$$broker $(PY) manage.py bench_pdf

# Public pages under load (wrk) beside a bare view; a database of its own with 10 years.
bench-web: setup
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; }
	@if pg_isready -q -h 127.0.0.1 2>/dev/null; then \
	  createdb -h 127.0.0.1 -U postgres steering_bench_web 2>/dev/null; \
	  db=postgres://postgres@127.0.0.1:5432/steering_bench_web; \
	else db=sqlite:///$(CURDIR)/var/bench-web.sqlite3; fi; \
	cache=$${CACHE_URL:-$$(redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && echo redis://127.0.0.1:6379/12)}; \
	export DATABASE_URL=$$db CACHE_URL=$$cache PUBLIC_CACHE_URL=$$cache MEDIA_ROOT=$(CURDIR)/var/bench-media; \
	$(PY) manage.py migrate --no-input -v 0 && $(PY) manage.py bench_seed_web && $(PY) bench/bench_web.py

# Search in process on each back end: SQLite always, PostgreSQL when one answers on
# 127.0.0.1; each a database of its own with the 230 protocols of bench-web.
bench-search: setup
	@dbs=sqlite:///$(CURDIR)/var/bench-search.sqlite3; \
	if pg_isready -q -h 127.0.0.1 2>/dev/null; then \
	  createdb -h 127.0.0.1 -U postgres steering_bench_search 2>/dev/null; \
	  dbs="$$dbs postgres://postgres@127.0.0.1:5432/steering_bench_search"; \
	fi; \
	mkdir -p var; \
	for db in $$dbs; do \
	  DATABASE_URL=$$db MEDIA_ROOT=$(CURDIR)/var/bench-media $(PY) manage.py migrate --no-input -v 0 && \
	  DATABASE_URL=$$db MEDIA_ROOT=$(CURDIR)/var/bench-media $(PY) manage.py bench_seed_web && \
	  DATABASE_URL=$$db $(PY) bench/bench_search.py || exit 1; \
	done

# Backup and restore (README "Backup and restore"): the database first, then the media, so
# every file a row in the dump names is in the archive. Local-disk media only.
BACKUP_STAMP := $(shell date +%Y%m%d-%H%M%S)
BACKUP_DIR ?= var/backup/$(BACKUP_STAMP)
MEDIA_DIR ?= $(or $(MEDIA_ROOT),var/media)
RESTORE_SERVER ?= postgres://postgres@127.0.0.1:5432

backup:
	@test -n "$$DATABASE_URL" || { echo "set DATABASE_URL to the portal's PostgreSQL database"; exit 2; }
	mkdir -p $(BACKUP_DIR)
	pg_dump -Fc --no-owner -d "$$DATABASE_URL" -f $(BACKUP_DIR)/steering.dump
	tar -C $(MEDIA_DIR) -czf $(BACKUP_DIR)/media.tar.gz .
	@echo "Backup in $(BACKUP_DIR)"

# Into a new database (createdb refuses an existing one) and an empty folder, then checked.
restore:
	@test -n "$(DUMP)" -a -n "$(RESTORE_DB)" -a -n "$(RESTORE_MEDIA)" || { \
	  echo "usage: make restore DUMP=var/backup/<date> RESTORE_DB=<new database> RESTORE_MEDIA=<empty folder>"; exit 2; }
	@test -z "$$(ls -A $(RESTORE_MEDIA) 2>/dev/null)" || { echo "$(RESTORE_MEDIA) is not empty"; exit 2; }
	createdb --maintenance-db $(RESTORE_SERVER)/postgres $(RESTORE_DB)
	pg_restore --no-owner --exit-on-error -d $(RESTORE_SERVER)/$(RESTORE_DB) $(DUMP)/steering.dump
	mkdir -p $(RESTORE_MEDIA) && tar -C $(RESTORE_MEDIA) -xzf $(DUMP)/media.tar.gz
	DATABASE_URL=$(RESTORE_SERVER)/$(RESTORE_DB) MEDIA_ROOT=$(abspath $(RESTORE_MEDIA)) \
	  $(PY) manage.py verify_records

worker: setup
	$(VENV)/bin/celery -A steering worker --loglevel INFO

beat: setup
	$(VENV)/bin/celery -A steering beat --loglevel INFO --schedule var/celerybeat-schedule

clean:
	rm -rf $(VENV) var db.sqlite3 locale/*/LC_MESSAGES/*.mo
