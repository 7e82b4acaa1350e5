# dateline — `make help` lists the targets. ARGS passes Hydra overrides, e.g.
#   make train ARGS="model=tiny seed=3"   make eval CKPT=runs/train/<run>/model
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
ARGS ?=
RESUME ?=
EXP ?=
NPROC ?= 1
TRAIN_OVERRIDES = $(if $(EXP),experiment=$(EXP)) $(ARGS) $(if $(RESUME),resume=true hydra.run.dir=$(abspath $(RESUME)))
CKPT ?=
comma := ,
WITH_ARTICLES := 'tasks=[ecbplus_test$(comma)meantime_en$(comma)heldout$(comma)articles]'
FILE ?=
FORMAT ?= text
ARTICLES ?=
OUT ?= runs/predict
RUNS ?= runs/sweeps/*
BASELINE ?=
BY_COMMIT ?=
SWEEP ?=
COMPARE_OUT ?= results/compare
MODELS ?=
ENSEMBLE ?= runs/ensembles/ensemble
TEACHER ?=
PSEUDO ?= runs/pseudo/pseudo.jsonl
LIMIT ?=
ROLES ?=
MODALITY ?=
LINKING ?= position
PHRASE_ACTORS ?= 1

.PHONY: help venv train eval predict modality modality-cv eval-records ensemble pseudo sweep compare bench bench-micro test test-fast lint format data clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## Create the virtualenv and install the project (done by every target)

train: $(STAMP) ## Train (ARGS=overrides, EXP=<experiment>, RESUME=<run dir>, NPROC=<n> for DDP), then evaluate
ifeq ($(NPROC),1)
	$(PY) -m training.train $(TRAIN_OVERRIDES)
else
	$(VENV)/bin/torchrun --standalone --nproc_per_node=$(NPROC) -m training.train $(TRAIN_OVERRIDES) \
		$(if $(RESUME),,hydra.run.dir=$(abspath .)/runs/train/$$(date +%Y-%m-%d_%H-%M-%S)_ddp$$$$)
endif

eval: $(STAMP) ## Evaluate CKPT=<model dir> (default: latest run) on all tasks; ARTICLES=<folder> adds yours
	$(PY) -m eval.evaluate $(if $(CKPT),ckpt=$(CKPT)) $(if $(ARTICLES),$(WITH_ARTICLES) articles=$(abspath $(ARTICLES))) $(ARGS)

predict: $(STAMP) ## Tag FILE=<article.txt|.jsonl> (or stdin) with CKPT=<model dir>; FORMAT=json prints JSON, FORMAT=records event records (ROLES=, MODALITY=)
	$(PY) -m eval.predict $(if $(CKPT),--ckpt $(CKPT)) $(if $(FILE),--file $(FILE)) --out $(OUT) --format $(FORMAT) $(if $(ROLES),--roles $(ROLES)) $(if $(MODALITY),--modality $(MODALITY)) $(if $(filter records,$(FORMAT)),--linking $(LINKING) $(if $(filter 0,$(PHRASE_ACTORS)),--no-phrase-actors))

modality: $(STAMP) ## Train the event-modality classifier (MEANTIME + ECB+) -> runs/modality/<time>
	$(PY) -m training.modality --out runs/modality/$$(date +%Y-%m-%d_%H-%M-%S) $(ARGS)

modality-cv: $(STAMP) ## Modality on MEANTIME cross-validated by topic -> results/modality_cv (+ leaderboard row)
	$(PY) -m eval.modality_cv --out results/modality_cv $(ARGS)

eval-records: $(STAMP) ## Event records on the user's article vs its gold records: CKPT=, ROLES=, MODALITY=, LINKING=nearest|position|hybrid|phrase|sentence, PHRASE_ACTORS=0|1
	$(PY) -m eval.records $(if $(CKPT),--ckpt $(CKPT)) $(if $(ROLES),--roles $(ROLES)) $(if $(MODALITY),--modality $(MODALITY)) --linking $(LINKING) $(if $(filter 0,$(PHRASE_ACTORS)),--no-phrase-actors) --out $(OUT)/records_eval $(ARGS)

ensemble: $(STAMP) ## One model directory ENSEMBLE=<dir> averaging MODELS="<model dir> <model dir> ..." (then make eval CKPT=<dir>)
	$(PY) -m training.ensemble --out $(ENSEMBLE) $(MODELS)

pseudo: $(STAMP) ## TEACHER=<model|ensemble dir> tags the unlabeled training sentences -> PSEUDO=<rows.jsonl> (LIMIT=<n> samples); then EXP=distilled
	$(if $(TEACHER),,$(error make pseudo needs TEACHER=<trained model or ensemble directory>))
	$(PY) -m training.pseudo --teacher $(TEACHER) --out $(PSEUDO) $(if $(LIMIT),--limit $(LIMIT))

sweep: $(STAMP) ## Multirun: train+evaluate every combination (ARGS="seed=1,2,3 model=minilm,tiny"); SWEEP=<id> resumes one
	$(PY) -m training.train --multirun $(if $(EXP),experiment=$(EXP)) skip_if_done=true resume=true \
		$(if $(SWEEP),hydra.sweep.dir=$(abspath runs/sweeps/$(SWEEP))) $(ARGS)

compare: $(STAMP) ## Table over RUNS=<run dirs|globs|sweep id> (mean ± std over seeds); BASELINE=<system> adds significance; BY_COMMIT=1 splits one config by git commit
	$(PY) -m eval.compare $(RUNS) $(if $(BASELINE),--baseline "$(BASELINE)") $(if $(BY_COMMIT),--by-commit) --out $(COMPARE_OUT)

bench: $(STAMP) ## Harness vs the plain HF recipe, side by side: speed, memory, F1, % of matmul peak -> bench/
	$(PY) -m bench.run $(ARGS)

bench-micro: $(STAMP) ## What each speed switch gives on its own (training step, tagger) -> bench/micro.md
	$(PY) -m bench.micro $(ARGS)

test: $(STAMP) ## Run the test suite
	$(PY) -m pytest -q $(PYTEST_ARGS)

test-fast: $(STAMP) ## Run the tests that do not train a model
	$(PY) -m pytest -q -m "not slow" $(PYTEST_ARGS)

lint: $(STAMP) ## Lint and check formatting (ruff)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(STAMP) ## Format the code (ruff)
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

data: $(STAMP) ## Download the public ECB+ release into data/corpora/ unless a copy is found
	$(PY) -m data.download $(ARGS)

clean: ## Remove caches (keeps runs/ and the virtualenv)
	rm -rf .cache .pytest_cache .ruff_cache
