# The project's interface: make run, make test (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
ASSETS := oae/common/static/vendor/.installed
DJANGO := $(PY) manage.py
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint worker demo bench mutation setup assets browser messages clean

run: setup ## set up, migrate, load demo data, serve 127.0.0.1:8000 with a job worker and scheduler
	$(DJANGO) migrate --noinput
	$(DJANGO) load_demo_data
	$(DJANGO) serve

test: setup browser ## set up and run the whole suite
	$(VENV)/bin/pytest

lint: setup ## ruff, and the domains' import contracts (pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

worker: setup ## a Celery worker: on REDIS_URL, else on the embedded broker in var/ (make run starts one)
	$(VENV)/bin/celery -A config worker --loglevel=info --concurrency=2

bench: setup ## benchmarks on PostgreSQL (BENCH_SCALE=small|reference; DATABASE_URL = a server)
	$(DJANGO) bench --scale $${BENCH_SCALE:-small}

mutation: setup ## mutation testing of the rule modules (config/mutation.toml), a score each
	$(DJANGO) mutation $(MODULES)

demo: setup
	$(DJANGO) migrate --noinput
	$(DJANGO) load_demo_data

setup: $(INSTALLED) $(ASSETS)

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	mkdir -p var
	touch $@

# Front-end assets come from the npm registry and are served by Django itself (no CDN).
# Chart.js comes with its source map: collectstatic's manifest storage follows the file's
# sourceMappingURL and fails when the map is missing.
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p oae/common/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js oae/common/static/vendor/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map oae/common/static/vendor/
	touch $@

# Browser tests drive Debian's Chromium, never a downloaded build.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

messages: setup ## refresh and compile translations (needs gettext)
	cd oae && ../$(DJANGO) makemessages -l ca -l es --no-obsolete
	cd oae && ../$(DJANGO) compilemessages

clean:
	rm -rf $(VENV) node_modules oae/common/static/vendor
