# archive_site — `make run` to try it, `make test` to check it.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run serve test lint format fixtures clean

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

## fixtures: rebuild archive/fixtures/demo.json from seeds/
fixtures: $(VENV)/.installed-runtime
	$(BIN)/python manage.py demo_fixture

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var
