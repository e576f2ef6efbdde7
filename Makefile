# The two commands a newcomer needs: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-pgbouncer test-replica install chromium scale-deps lint schemathesis bench bench-pipeline bench-scale-out clean

$(STAMP): pyproject.toml
	@# PyICU (names that look alike) builds against the system's ICU: libicu-dev and pkg-config.
	@pkg-config --exists icu-i18n 2>/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  apt-get install -y -qq libicu-dev pkg-config >/dev/null; } || \
	  echo "libicu-dev and pkg-config are needed to build PyICU (apt-get install libicu-dev pkg-config)"
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# axe-core, which the browser tests run on the pages, pinned in package.json/package-lock.json.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq npm >/dev/null; } || \
	  echo "npm is needed for the accessibility test's axe-core (apt-get install npm)"
	npm ci --no-audit --no-fund --silent
	touch node_modules/.installed

install: $(STAMP) node_modules/.installed

chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	    echo "Chromium not installed: browser tests will be skipped (apt-get install chromium)"; }

# What tests/scale/ starts as processes of their own (PgBouncer, RabbitMQ, PostgreSQL's initdb and
# pg_basebackup, redis-server for the Sentinels), installed as chromium is: as root, when missing.
scale-deps:
	@for need in pgbouncer:pgbouncer rabbitmqctl:rabbitmq-server pg_basebackup:postgresql-client \
	    redis-server:redis-server; do \
	  bin=$${need%%:*}; pkg=$${need#*:}; \
	  command -v $$bin >/dev/null || [ -x /usr/sbin/$$bin ] || \
	  { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq $$pkg >/dev/null) || \
	    echo "$$pkg not installed: its tests in tests/scale/ will be skipped (apt-get install $$pkg)"; }; \
	done
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) || \
	    echo "postgresql not installed: tests/scale/ will be skipped (apt-get install postgresql)"; }

run: install
	bin/run

test: install chromium scale-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The integration tests again through PgBouncer in transaction pooling, and with anonymous reads
# from a streaming replica: each on a PostgreSQL cluster of its own (bin/test-topology).
test-pgbouncer: install scale-deps
	$(PY) bin/test-topology pgbouncer $(PYTEST_ARGS)

test-replica: install scale-deps
	$(PY) bin/test-topology replica $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

schemathesis: install
	bin/schemathesis

# Delivery against a minimal Django project and Isso (bench/delivery.py), then the site's own
# figures: posting's INSERT baseline, the page under load, scale (bench/run.py).
bench: install
	$(PY) bench/delivery.py
	$(PY) bench/run.py

bench-pipeline: install
	$(PY) bench/pipeline.py

bench-scale-out: install scale-deps
	$(PY) bench/scale_out.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
