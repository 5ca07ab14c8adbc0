# Sociala medier – Örebro kommun. `make run` and `make test` are all a newcomer needs.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
SIZE ?= large

.PHONY: run test test-browser lint fmt typecheck migrate seed demo check-deploy schema messages bench clean

$(STAMP): pyproject.toml
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(MANAGE) migrate --no-input

seed: migrate
	$(MANAGE) seed

demo: seed
	$(MANAGE) demo_accounts
	$(MANAGE) demo_posts

# Web, worker and beat together (config/run.py); Ctrl-C or SIGTERM stops all three. Links in
# e-mails and feeds follow HOST and PORT unless SITE_URL names another address.
run: demo
	$(MANAGE) collectstatic --no-input -v0
	@echo
	@echo "Sociala medier: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@echo
	@exec $(PYTHON) -m config.run --host $(HOST) --port $(PORT)

# In parallel (pytest-xdist, one worker per core, each with its own test database); the tests
# marked `services` share the Redis broker and run one after another in one worker.
test: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n auto --dist loadgroup

# One Chromium at a time, serially: the live servers and the browser would share the two cores.
test-browser: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	$(BIN)/mypy .

schema: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) spectacular --validate --fail-on-warn --file var/schema.yaml

# Production settings with throwaway values: proves the deployment checks pass.
check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=sociala-medier.orebro.se \
	DATABASE_URL=sqlite:///var/check.sqlite3 CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
	CACHE_URL=redis://127.0.0.1:6379/1 \
	META_APP_SECRET=check-only META_VERIFY_TOKEN=check-only \
	CHANNEL_CREDENTIALS_KEY=$$($(PYTHON) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	$(MANAGE) check --deploy --fail-level WARNING

messages: $(STAMP)
	for app in accounts channels_app records moderation podcasts; do \
	  (cd $$app && ../$(MANAGE) makemessages -l sv --no-obsolete) ; done
	$(MANAGE) makemessages -l sv --no-obsolete --ignore='.venv/*' --ignore='*/migrations/*' \
	  --ignore='accounts/*' --ignore='channels_app/*' --ignore='records/*' \
	  --ignore='moderation/*' --ignore='podcasts/*'
	$(MANAGE) compilemessages --ignore='.venv/*'

# Benchmarks on PostgreSQL (DATABASE_URL names the server; it builds its own bench_* databases):
# SIZE=large (1,000,000 items and entries) or SIZE=small. Results in bench/results/.
# The detectors' evaluation set is a section of every run; SECTION=detectors runs only it (no
# database, under a minute; results in bench/results/detectors.md).
bench: $(STAMP)
ifeq ($(SECTION),detectors)
	$(PYTHON) -m bench.detectors
else
	$(PYTHON) -m bench.run --size $(SIZE)
endif

clean:
	rm -rf var/db.sqlite3* var/broker var/static
