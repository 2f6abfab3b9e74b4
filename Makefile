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

.PHONY: run test install system-libs lock translations migrate seed lint browser extract-messages update-translations bench bench-tools bench-scale clean fonts static css

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

install: $(STAMP) static system-libs

# Pango and HarfBuzz for WeasyPrint, which makes the letters' PDFs: Debian's packages, like
# Chromium below. The app starts without them; printing a letter as PDF needs them.
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
system-libs:
	@$(PYTHON) -c "import ctypes.util as u, sys; sys.exit(not all(u.find_library(n) \
	  for n in ('pango-1.0', 'pangoft2-1.0', 'harfbuzz-subset')))" || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq $(PANGO_PACKAGES) >/dev/null; \
	  else echo "Pango is missing (letters as PDF): sudo apt-get install -y $(PANGO_PACKAGES)"; exit 1; fi; }

# Fingerprinted, gzip- and brotli-compressed copies of exchange/static/ in exchange/static_build/
# (not committed), which the app serves with a one-year immutable cache. The wheel build does
# the same (setup.py).
static: $(STAMP)
	$(BIN)/python -m exchange.static_build

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

test: install translations browser lint
	$(BIN)/pytest

# ruff (the version pinned in the lock) and the layer order (import-linter, pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

extract-messages: install
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -k lazy_gettext --ignore-dirs=".* __pycache__ instance" -o translations/messages.pot --no-location --sort-output --project=Nachbarschaftsboerse .

update-translations: extract-messages
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(MAKE) translations

# Fira Sans cut down to what the Latin-script languages (de, en, fr) show: Basic Latin and Latin-1
# (U+0000-00FF: umlauts, ß, French accents, « » „ “ ‚ ‘ are Latin-1 or punctuation), Latin
# Extended-A (U+0100-017F: names such as Łukasz or Şahin), General Punctuation (U+2000-206F: – — ‘ ’
# “ ” „ ‹ › … and the narrow no-break space of French), € (U+20AC), ™ (U+2122) and the minus sign
# (U+2212). Unhinted, default OpenType features: about 14 KB a weight instead of 130 KB.
# The output is committed; run this only when the sources in assets/ change.
FIRA_UNICODES := U+0000-00FF,U+0100-017F,U+2000-206F,U+20AC,U+2122,U+2212
fonts: install
	@for weight in Regular SemiBold Bold; do \
	  $(BIN)/pyftsubset assets/fira-sans/FiraSans-$$weight.woff2 --unicodes="$(FIRA_UNICODES)" \
	    --no-hinting --flavor=woff2 \
	    --output-file=exchange/static/vendor/kern/fonts/FiraSans-$$weight-latin.woff2 2>/dev/null \
	  || exit 1; done
	cp assets/fira-sans/OFL.txt exchange/static/vendor/kern/fonts/OFL.txt

# KERN's stylesheet cut down to the selectors the templates and code use (assets/kern/ holds the
# original and the PurgeCSS configuration). Needs Node's npx; the output is committed, so run
# this only after using a KERN class that no template used before.
css:
	npx --yes purgecss@8.0.0 --config assets/kern/purgecss.config.cjs

# wrk loads the servers in benchmarks/throughput.py: a Python client would spend
# the cores on itself and flatter every ratio to bare Flask.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: sudo apt-get install -y wrk"; exit 1; fi; }

bench: install translations bench-tools
	$(BIN)/python -m benchmarks.matching
	$(BIN)/python -m benchmarks.throughput --postings 100000
	$(BIN)/python -m benchmarks.mail_drain
	$(BIN)/python -m benchmarks.races
	$(BIN)/python -m benchmarks.page_weight

# Opt-in, not part of `make test` or `make bench`: the board's and matching's queries at 100,000
# and 1,000,000 postings on PostgreSQL (DATABASE_URL, default postgres@127.0.0.1:5432), each size
# in a database of its own (bench_scale_<postings>) built with the migrations and COPY, dropped
# afterwards. BENCH_SCALE_ARGS="--keep" keeps them, "--keep --reuse" measures kept ones again.
bench-scale: install
	$(BIN)/python -m benchmarks.scale $(BENCH_SCALE_ARGS)

clean:
	rm -rf $(VENV) instance
