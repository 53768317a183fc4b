# Two commands: `make run` (set up and serve on 127.0.0.1:8000; `make run PORT=8100`
# for another port) and `make test`.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test lint worker beat migrate seed messages benchmark screenshots axe clean

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
	$(PY) manage.py seed_demo --base-url http://127.0.0.1:$(PORT)

run: seed
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# ruff, then the apps' layers (import-linter contracts in pyproject.toml).
lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo

# axe-core for the accessibility browser tests, pinned in package-lock.json; installed
# when missing (without npm the accessibility tests skip, except in CI).
axe:
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then \
	  if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	  else echo "npm not found: the accessibility tests will be skipped"; fi; \
	fi

test: lint axe
	$(VENV)/bin/pytest -n 2

# PNG screenshots of the main pages at 390 and 1366 px into screenshots/ (a dev server
# with the demo data is started on SCREENSHOT_PORT and stopped again).
SCREENSHOT_PORT ?= 8765
screenshots: seed
	$(PY) tools/screenshots.py --port $(SCREENSHOT_PORT) --out screenshots

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A config worker --loglevel=info --concurrency=2

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A config beat --loglevel=info --scheduler django_celery_beat.schedulers:DatabaseScheduler

messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages -l en -l de --ignore=.venv

benchmark: $(VENV)/.dev-installed
	$(PY) benchmarks/payment_run.py

clean:
	rm -rf $(VENV) var/*.sqlite3 staticfiles
