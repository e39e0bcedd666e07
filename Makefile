# Peyvand — the two commands a new machine needs: `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
# pytest's processes (pytest-xdist): one per core by default; PYTEST_WORKERS=0 runs the tests in one process.
PYTEST_WORKERS ?= auto
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
SHARED ?= ../shared

# Find an interpreter >= 3.12 without relying on pyenv shims (DEPENDENCIES.md: the python3.12 shim fails).
PYTHON_CANDIDATES := python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) $(wildcard /usr/local/bin/python3.1[2-9]) python3
FIND_PYTHON := for p in $(PYTHON_CANDIDATES); do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then \
	    echo $$p; break; fi; done

.PHONY: run test lint fmt bench migrate vendor messages help

help:
	@echo "make run    — set up .venv, migrate, load demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   — ruff, mypy, manage.py check, makemigrations --check, pytest"
	@echo "make bench  — benchmarks under bench/ (matching quality and speed, import speed, every page at 100,000 units on PostgreSQL)"
	@echo "make lint / make fmt — ruff check / ruff format"

$(VENV)/.installed: pyproject.toml requirements.lock
	@py=$$($(FIND_PYTHON)); \
	if [ -z "$$py" ]; then \
	  echo "Peyvand needs Python >= 3.12. Install python3.12 (e.g. 'apt install python3.12' or pyenv install 3.12) and run make again." >&2; exit 1; fi; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$py ($$($$py --version))"; $$py -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[semantic,dev]'
	@touch $@

migrate: $(VENV)/.installed
	$(MANAGE) migrate --noinput

run: migrate
	@if [ -d "$(SHARED)/data" ]; then $(MANAGE) load_official_taxonomy "$(SHARED)/data" --if-needed; fi
	@if [ -d "$(SHARED)/data/gilan-geo" ]; then $(MANAGE) load_county_boundaries "$(SHARED)/data/gilan-geo"; fi
	$(MANAGE) sync_capabilities
	$(MANAGE) seed_demo --if-empty
	@echo
	@echo "  Peyvand is serving on http://127.0.0.1:$(PORT)   (demo data — not real figures)"
	@echo "  Demo accounts (password for all: peyvand-demo — demo only):"
	@echo "    manager   — estate-company manager"
	@echo "    officer   — linkage officer"
	@echo "    unit1, unit2 — representatives of two production units"
	@echo "    buyer     — procurement at a large buyer"
	@echo "    investor  — an investor"
	@echo "    admin     — superuser for /admin/"
	@echo
	@data=$${PEYVAND_DATA_DIR:-var}; mkdir -p "$$data"; \
	echo "  Background jobs: $$data/worker.log (worker), $$data/scheduler.log (periodic jobs)"; \
	trap 'kill 0' EXIT INT TERM; \
	$(MANAGE) db_worker --queue-name '*' --no-reload >"$$data/worker.log" 2>&1 & \
	$(MANAGE) crontask >"$$data/scheduler.log" 2>&1 & \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest -rs -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.installed
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

vendor:
	bash scripts/vendor_assets.sh

messages: $(VENV)/.installed
	$(MANAGE) makemessages -l fa --no-obsolete --no-location --ignore='.venv/*' --ignore='bench/*' --ignore='tests/*' --ignore='var/*'
	msgfmt -c -o peyvand/locale/fa/LC_MESSAGES/django.mo peyvand/locale/fa/LC_MESSAGES/django.po
