# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := EXCHANGE_ENV=development $(BIN)/flask --app app
STAMP := $(VENV)/.installed

.PHONY: run test install translations migrate seed lint browser extract-messages update-translations bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

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
	$(BIN)/python -m benchmarks.throughput
	$(BIN)/python -m benchmarks.races

clean:
	rm -rf $(VENV) instance
