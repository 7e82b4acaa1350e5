#!/usr/bin/env bash
# Study 15 (docs/studies/15-own-data.md): which way of training on a user's small annotated corpus
# is best, measured on the two proxy corpora of scripts/proxy_corpora.py (brat, train/ + test/).
# Each system trains 3 seeds through `make sweep` (what `make train ARGS="data=brat data.path=…"`
# runs), is scored on the folder's test split, and is compared with `dateline compare`, which
# pairs seeds and bootstraps over the test articles. The default model is scored on the same test
# articles with `dateline eval … data=brat data.path=…`.
#   bash scripts/own_data_study.sh <proxy root, e.g. runs/proxy> <default model dir> [systems…]
# systems (default: alone init):
#   alone         the folder alone (data=brat, at least data.min_updates=500 updates)
#   init          the default tagger fine-tuned on it (model.init=default): experiment=own_data
#   also          the folder with ECB+'s training rows (data.also=[ecbplus]); init_also: both
#   epochs8       the folder alone, 8 epochs whatever the number of updates; init_epochs8: fine-tuned so
#   init_lr2e5    fine-tuned at a learning rate of 2e-5 instead of the recipe's 8e-5
#   mpnet         the folder alone on MPNet (experiment=mpnet_gold)
#   mpnet_init    an MPNet tagger of ECB+ (MPNET_INIT=<its model dir>, e.g. experiment=mpnet_gold's)
#                 fine-tuned on the folder with experiment=mpnet_gold's settings
# SEEDS (1,2,3) and CORPORA ("proxy_meantime proxy_wikievents") choose what runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(realpath "$1"); default=$(realpath "$2"); shift 2
systems=${*:-alone init}
seeds=${SEEDS:-1,2,3}
for corpus in ${CORPORA:-proxy_meantime proxy_wikievents}; do
  path="$root/$corpus"
  # the default model on the test articles (its score is the same for every seed), once
  [ -f "runs/study15/$corpus/default/results.json" ] || .venv/bin/dateline eval "ckpt='$default'" data=brat "data.path='$path'" 'tasks=[]' leaderboard_dir=null \
    "hydra.run.dir=runs/study15/$corpus/default"
  for system in $systems; do
    case $system in
      alone) extra="" ;;
      init) extra="model.init=default" ;;
      also) extra="data.also=[ecbplus]" ;;
      init_also) extra="model.init=default data.also=[ecbplus]" ;;
      epochs8) extra="data.min_updates=0 trainer.args.num_train_epochs=8" ;;
      init_epochs8) extra="model.init=default data.min_updates=0 trainer.args.num_train_epochs=8" ;;
      init_lr2e5) extra="model.init=default trainer.args.learning_rate=2e-5" ;;
      mpnet) extra="experiment=mpnet_gold" ;;
      mpnet_init) extra="experiment=mpnet_gold model.init=$(realpath "${MPNET_INIT:?MPNET_INIT=<an MPNet model dir>}")" ;;
      *) extra="$system" ;;
    esac
    make sweep SWEEP="study15_${corpus}_${system}" \
      ARGS="data=brat data.path='$path' seed=$seeds $extra \"evaluate.overrides=['leaderboard_dir=null','tasks=[]']\""
  done
done
