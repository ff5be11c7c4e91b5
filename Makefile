# Atlas: the few commands everyone runs. `make run` and `make test` are all a newcomer needs.

SHELL := bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --quiet --disable-pip-version-check
# Some machines' pip configuration names local index folders that do not exist; that noise is dropped.
PIP_FILTER := { grep -v "is ignored: it is neither a file nor a directory" || true; }
MANAGE := $(BIN)/python manage.py
ADDRPORT ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test bench lint migrate clean

help:
	@echo "make run      install, migrate, create the admin, load the demo, serve on http://$(ADDRPORT)"
	@echo "make test     install the dev requirements and run the tests (PYTEST_ARGS=... to narrow)"
	@echo "make bench    run the benchmarks under bench/"
	@echo "make lint     ruff"
	@echo "make migrate  apply migrations"
	@echo "make clean    remove the virtualenv, caches and collected static files (keeps var/pg and var/media)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps: pip runs again only when a requirements file changed.
$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(PIP) install -r requirements.txt 2>&1 | $(PIP_FILTER)
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP) install -r requirements-dev.txt 2>&1 | $(PIP_FILTER)
	@touch $@ $(VENV)/.installed-run

run: export ATLAS_DEBUG ?= 1
run: $(VENV)/.installed-run
	$(MANAGE) migrate --noinput
	$(MANAGE) atlas_bootstrap --url http://$(ADDRPORT)/
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) atlas_serve $(ADDRPORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every script under bench/ (a file with a __main__ block: helpers are skipped), and each
# bench/<area>/evaluate.py, accuracy.py and speed.py. Missing folders are fine.
bench: $(VENV)/.installed-dev
	@set -e; ran=0; \
	for script in bench/*.py bench/*/evaluate.py bench/*/accuracy.py bench/*/speed.py; do \
		[ -f "$$script" ] && grep -q "__main__" "$$script" || continue; \
		echo "== $$script"; \
		PYTHONPATH=. $(BIN)/python "$$script"; \
		ran=$$((ran + 1)); \
	done; \
	echo "== $$ran benchmark script(s) run"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

migrate: $(VENV)/.installed-run
	$(MANAGE) migrate --noinput

clean:
	-@[ -x $(BIN)/python ] && [ -z "$$DATABASE_URL" ] && $(MANAGE) atlas_db stop || true
	rm -rf $(VENV) .pytest_cache .ruff_cache var/static var/broker var/run
	find . -name __pycache__ -type d -not -path './.git/*' -prune -exec rm -rf {} +
