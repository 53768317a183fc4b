# Two commands: `make run` (set up and serve on 127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test lint worker beat migrate seed messages benchmark clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e ".[dev]"
	touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

test: lint
	$(VENV)/bin/pytest -n 2

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A config worker --loglevel=info --concurrency=2

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A config beat --loglevel=info --scheduler django_celery_beat.schedulers:DatabaseScheduler

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages -l en --ignore=.venv

benchmark: $(VENV)/.dev-installed
	$(PY) benchmarks/payment_run.py

clean:
	rm -rf $(VENV) var/*.sqlite3 staticfiles
