# archive_site — `make run` to try it, `make test` to check it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run serve test lint format fixtures backup restore loadtest clean bench

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-runtime

## run: install, migrate SQLite, load the demo content once, create an admin, serve on :8000
run: $(VENV)/.installed-runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py bootstrap
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## serve: the production server (gunicorn) on 127.0.0.1:8000; set SECRET_KEY, ALLOWED_HOSTS
serve: $(VENV)/.installed-runtime
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput
	DEBUG=0 $(BIN)/gunicorn -c archive_site/gunicorn.conf.py

## test: the whole suite, in parallel (DATABASE_URL picks the database, SQLite by default)
test: $(VENV)/.installed-dev
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

## bench: the benchmark harness (about 16 minutes; installs wrk and nginx when missing); writes docs/performance.md
bench: $(VENV)/.installed-runtime
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## fixtures: rebuild archive/fixtures/demo.json from seeds/
fixtures: $(VENV)/.installed-runtime
	$(BIN)/python manage.py demo_fixture

## loadtest: 60 s of 50 readers and 20 commenters on SQLite and on PostgreSQL, then a check
loadtest: $(VENV)/.installed-runtime
	$(BIN)/python bench/loadtest.py --database sqlite --database postgres

## backup: database, WordPress export and media into var/backups/ (BACKUP_TO=… to change)
backup: $(VENV)/.installed-runtime
	$(BIN)/python manage.py backup $(if $(BACKUP_TO),--to $(BACKUP_TO))

## restore: BACKUP=var/backups/backup-… into an empty database
restore: $(VENV)/.installed-runtime
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/backup-YYYYmmdd-HHMMSS"; exit 2; }
	$(BIN)/python manage.py restore $(BACKUP)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var
