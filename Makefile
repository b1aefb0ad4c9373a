# Two commands on a fresh machine:
#   make serve   set up, build and serve the site on http://127.0.0.1:8000
#   make test    set up, build and run every test
# Set-up steps re-run only when pyproject.toml or package-lock.json change.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# mkdocs-material prints a banner about its future on every build; keep logs readable.
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup check-versions build serve test bench clean release source-compare

# The oldest versions everything `make setup` installs works with (README, "Requirements"):
# pymdown-extensions, which writes the pages, requires Python 3.11.5; Node runs Pyodide
# (which declares 18) and the build's scripts, tested with 20. npm warns that nanoid 6
# declares Node 22: docx carries its own copy inside its single file, and nothing runs the
# installed one.
MIN_PYTHON := 3.11.5
MIN_NODE := 20

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# npm ci installs exactly what package-lock.json pins (Pyodide, axe-core).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Stops with a plain message on an older Python or Node, before installing anything.
check-versions:
	@found=$$($(PYTHON) -c 'import platform; print(platform.python_version())' 2>/dev/null) || \
	  { echo "Python $(MIN_PYTHON) or newer is needed, and '$(PYTHON)' does not run. Install it, or give its path: make PYTHON=/path/to/python3 ..."; exit 1; }; \
	printf '%s\n%s\n' "$(MIN_PYTHON)" "$$found" | sort -V -C || \
	  { echo "Python $(MIN_PYTHON) or newer is needed; '$(PYTHON)' is $$found. Install a newer one, or give its path: make PYTHON=/path/to/python3 ..."; exit 1; }
	@found=$$(node --version 2>/dev/null) || \
	  { echo "Node.js $(MIN_NODE) or newer, with npm, is needed to build the site, and 'node' was not found."; exit 1; }; \
	major=$${found#v}; major=$${major%%.*}; \
	[ "$$major" -ge $(MIN_NODE) ] 2>/dev/null || \
	  { echo "Node.js $(MIN_NODE) or newer is needed to build the site; 'node' is $$found."; exit 1; }

# The two installs side by side: pip's is mostly compiling Python on one core, npm's mostly
# unpacking (on a clean clone, 31 s and 8 s one after the other).
setup: check-versions
	@$(MAKE) --no-print-directory -j2 $(VENV)/.installed node_modules/.installed

build: setup
	$(BIN)/mkdocs build --strict

serve: build
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Two processes on two cores: the suite now computes more than it waits, and a third process
# only made them take turns (measured on clean clones, one after the other: README). `load`
# hands tests out in collection order, in
# which tests/conftest.py puts the tests that need the built site last, so the others run
# while it builds.
test: setup
	$(BIN)/python -m pytest -n 2 --dist load --durations=10

# dist/<name>-<version>.zip of the built site, its SHA-256, the SBOM and release notes;
# refuses a working tree with uncommitted changes (build/release.py, the hosting guide).
release: setup
	$(BIN)/python build/release.py

bench: build
	$(BIN)/python bench/run_all.py

# Compare a revised Main Guidance with the text the site was built from:
#   make source-compare NEW=path/to/revised.txt [OUT=report.md]
# Prints every sentence added, removed or changed, with the pages and bank items that carry it.
source-compare: $(VENV)/.installed
	@test -n "$(NEW)" || { echo "Give the revised text: make source-compare NEW=path/to/revised.txt" >&2; exit 2; }
	@$(BIN)/python build/source_compare.py "$(NEW)" $(if $(OUT),--out "$(OUT)")

clean:
	rm -rf site dist $(VENV) node_modules .pytest_cache .hypothesis
