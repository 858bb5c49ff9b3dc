# Tandem: `make run` starts the local stack, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup browser run test lint typecheck unit simulate bench synth deploy clean train eval
STAGE ?= dev

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@echo "==> setup: $(VENV) and the pinned dependencies (a few minutes on a fresh clone)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip<26.3"  # chalice 1.34 requires pip<26.3
	$(PY) -m pip install --progress-bar on -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	$(PY) -m dev.stack

lint: setup
	@echo "==> lint: ruff check and ruff format --check"
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: setup
	@echo "==> typecheck: mypy (about 90 s without .mypy_cache, seconds with it; silent until done)"
	$(PY) -m mypy

# Debian's chromium for the widget's browser tests (skipped with a reason where it cannot be installed).
browser:
	bash dev/install_browser.sh

# Both cores: units of work, mostly test files (tests/work_units.py), are spread over two workers
# (each has its own moto server and stack).
unit: setup browser
	@echo "==> tests: pytest on 2 workers (each starts its own moto and local stack; dots follow)"
	$(PY) -m pytest -v -n 2 --dist loadfile --durations=10  # -v cancels addopts -q: workers and item count show at once

# Synthesize the CDK app offline into infra/cdk.out (TANDEM_STAGE=prod for prod).
synth: setup
	cd infra && ../$(PY) app.py

# make deploy STAGE=prod EMAIL_RECIPIENTS=support.example.com ALARM_EMAIL=ops@example.com
#   [CUSTOM_DOMAIN_URL=https://support-api.example.com]   (docs/deploy.md; Node.js 22 or 24)
deploy: setup
	cd infra && npx aws-cdk@2.1148.1 deploy -c stage=$(STAGE) \
	  $(if $(EMAIL_RECIPIENTS),-c email_recipients=$(EMAIL_RECIPIENTS)) \
	  $(if $(ALARM_EMAIL),-c alarm_email=$(ALARM_EMAIL)) \
	  $(if $(CUSTOM_DOMAIN_URL),-c public_base_url=$(CUSTOM_DOMAIN_URL))

# Cold start, AWS calls per message, throughput, cost, and the LLM's rounds and input tokens of the
# three-turn SMS conversation (bench/results/*.json); not part of `make test`.
bench: setup
	$(PY) -m bench.run
	$(PY) -m bench.prompt_tokens

test: lint typecheck unit

# Every scenario of simulations/ through the real pipeline (AGENT_BACKEND picks the backend).
simulate: setup
	$(PY) -m chalicelib.simulation simulations/ $(if $(REPORT),--report $(REPORT))

# The intent classifier: train (rewrites chalicelib/agent/intent_model.bin) and evaluate on the
# held-out split (trains nothing; JSON in artifacts/eval/). numpy is needed to train only.
train: setup
	$(PY) -m training.train

eval: setup
	$(PY) -m training.eval $(if $(JSON),--json $(JSON))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache chalice.out cdk.out
