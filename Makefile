# Accord: the README's two commands (`make demo`, `make test`) and the developer tasks.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
# French (and any other) message catalogues: compiled from the committed .po files by Babel,
# a locked Python dependency, so no system gettext is needed.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard accord/locale/*/LC_MESSAGES/django.po))
# axe-core, pinned, from the npm registry: the browser tests inject it into every page.
AXE_VERSION := 4.14.1
AXE := $(VENV)/node_modules/axe-core/axe.min.js

.PHONY: install pdf-libs demo test fuzz browser-tools messages lint format lock bench clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs exactly the locked versions; the stamp is renewed when they change.
$(VENV)/.installed: $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[test]'
	@touch $@

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --domain=django --input-file=$< --output-file=$@

install: $(VENV)/.installed $(CATALOGUES) pdf-libs

# WeasyPrint renders PDFs through Pango; Debian's packages bring it when it is missing.
pdf-libs:
	@if ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's Pango for PDF documents"; \
	  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; } >/dev/null \
	    || echo "Could not install Pango: PDF documents will fail"; \
	else echo "Pango is missing and we are not root: install libpango-1.0-0 and libpangoft2-1.0-0 for PDF documents"; fi

demo: install
	$(BIN)/accord demo

# The browser tests need Debian's chromium and axe-core; without them they are skipped,
# except under CI (CI=true), where they fail.
test: install browser-tools
	$(BIN)/pytest -n auto --dist loadscope

# The README's screenshots (docs/screenshots/, 1280x800 PNG), taken by the demo's browser
# journeys against a fresh `accord demo`.
screenshots: install browser-tools
	ACCORD_SCREENSHOTS=docs/screenshots $(BIN)/pytest accord/core/tests/browser/test_demo_story.py -q

# schemathesis over the whole OpenAPI document, against `accord serve` on a free loopback
# port with a data directory (and, on PostgreSQL, a database) of its own; fails on any 5xx
# and on any answer its operation does not document. Bounded by ACCORD_FUZZ_EXAMPLES per
# operation and ACCORD_FUZZ_SECONDS per run.
fuzz: install
	$(BIN)/python -m accord.api.tests.fuzz

browser-tools:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } >/dev/null \
	    || echo "Could not install chromium: the browser tests will be skipped"; \
	else echo "No chromium and not root to install it (apt-get install chromium): the browser tests will be skipped"; fi
	@$(MAKE) --no-print-directory $(AXE)

$(AXE):
	@if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's npm to fetch axe-core"; \
	  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm; } >/dev/null || true; \
	fi
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix $(VENV) --no-save --no-audit --no-fund --silent axe-core@$(AXE_VERSION) \
	    || echo "Could not install axe-core: the browser tests will be skipped"; \
	else echo "No npm to install axe-core: the browser tests will be skipped"; fi

# Re-extract the messages to translate from templates and code into the .po files.
messages: $(VENV)/.installed
	cd accord && ../$(BIN)/accord makemessages --all --no-obsolete --add-location file -e html,txt,py,jinja

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed
	$(BIN)/accord bench --scale small

# Re-resolve the lock file from pyproject.toml (needs the registry).
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --quiet -o $(LOCK)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts $(CATALOGUES)
