# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := EXCHANGE_ENV=development $(BIN)/flask --app app
STAMP := $(VENV)/.installed

# The lock files pin every package with its hashes, pip, setuptools and Babel (the build's own
# needs) included, so tests, CI and production run exactly the same versions.
LOCK := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

.PHONY: run test install lock translations migrate seed lint browser extract-messages update-translations bench clean

$(STAMP): pyproject.toml requirements/test.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.txt
	@# The project alone. --no-build-isolation: build it with the locked, hash-checked setuptools
	@# and Babel just installed, instead of unpinned ones fetched into an isolated environment.
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@# --no-deps installs nothing the lock lacks: a dependency added to pyproject.toml without
	@# `make lock` would be missing. pip check names it.
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; \
	  echo "requirements/test.txt lacks what pyproject.toml asks for: run make lock"; exit 1; }
	touch $(STAMP)

install: $(STAMP)

# Regenerate the lock files after changing dependencies in pyproject.toml; keeps the other
# pins. `make lock LOCK_ARGS=--upgrade` moves everything to the newest allowed versions.
# No dependency on install: a stale lock is what makes install fail.
lock:
	test -x $(BIN)/pip-compile || { $(PYTHON) -m venv $(VENV) && \
	  $(BIN)/pip install --quiet --require-hashes -r requirements/test.txt; }
	$(LOCK) --build-deps-for wheel --extra production -o requirements/production.txt pyproject.toml
	$(LOCK) --build-deps-for editable --extra test --extra production -o requirements/test.txt pyproject.toml

translations: $(STAMP)
	$(BIN)/pybabel compile -d translations >/dev/null

migrate: install translations
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) exchange seed-demo

run: seed
	$(FLASK) run --host 127.0.0.1 --port 5000

# Chromium for the browser tests: Debian's package (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: sudo apt-get install -y chromium"; exit 1; fi; }

test: install translations browser
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

extract-messages: install
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -k lazy_gettext --ignore-dirs=".* __pycache__ instance" -o translations/messages.pot --no-location --sort-output --project=Nachbarschaftsboerse .

update-translations: extract-messages
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(MAKE) translations

bench: install
	$(BIN)/python -m benchmarks.matching
	$(BIN)/python -m benchmarks.throughput --postings 100000
	$(BIN)/python -m benchmarks.mail_drain
	$(BIN)/python -m benchmarks.races

clean:
	rm -rf $(VENV) instance
