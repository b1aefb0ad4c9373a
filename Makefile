# Two commands on a fresh machine:
#   make serve   set up, build and serve the site on http://127.0.0.1:8000
#   make test    set up, build and run every test
# Set-up steps re-run only when pyproject.toml or package-lock.json change.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# mkdocs-material prints a banner about its future on every build; keep logs readable.
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup build serve test bench clean source-compare

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# npm ci installs exactly what package-lock.json pins (Pyodide, axe-core).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed

build: setup
	$(BIN)/mkdocs build --strict

serve: build
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

test: setup
	$(BIN)/python -m pytest -n 2 --dist worksteal --durations=10

bench: build
	$(BIN)/python bench/run_all.py

# Compare a revised Main Guidance with the text the site was built from:
#   make source-compare NEW=path/to/revised.txt [OUT=report.md]
# Prints every sentence added, removed or changed, with the pages and bank items that carry it.
source-compare: $(VENV)/.installed
	@test -n "$(NEW)" || { echo "Give the revised text: make source-compare NEW=path/to/revised.txt" >&2; exit 2; }
	@$(BIN)/python build/source_compare.py "$(NEW)" $(if $(OUT),--out "$(OUT)")

clean:
	rm -rf site $(VENV) node_modules .pytest_cache .hypothesis
