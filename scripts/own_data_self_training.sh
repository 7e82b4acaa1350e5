#!/usr/bin/env bash
# Study 15 (docs/studies/15-own-data.md), self-training: each seed's `experiment=own_data` model
# (the default fine-tuned on the proxy's train/, trained by scripts/own_data_study.sh ... init)
# tags LIMIT unlabeled news sentences (ECB+'s unannotated training sentences, `make pseudo`), and
# the default is fine-tuned again on the folder plus those rows (data.pseudo), same seed; scored
# on the folder's test/ like every other system.
#   bash scripts/own_data_self_training.sh <proxy root, e.g. /work/proxy>
# LIMIT (1000), SEEDS ("1 2 3"), CORPORA ("proxy_meantime proxy_wikievents"), TAG (self) choose what runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(realpath "$1")
limit=${LIMIT:-1000}
tag=${TAG:-self}
for corpus in ${CORPORA:-proxy_meantime proxy_wikievents}; do
  for seed in ${SEEDS:-1 2 3}; do
    teacher=$(ls -d runs/sweeps/study15_${corpus}_init/*seed=$seed/model)
    rows=runs/pseudo/study15_${corpus}_${tag}_seed$seed.jsonl
    [ -f "$rows" ] || .venv/bin/dateline pseudo "teacher='$teacher'" "out='$rows'" limit=$limit seed=$seed
    make sweep SWEEP="study15_${corpus}_init_${tag}" \
      ARGS="data=brat data.path='$root/$corpus' seed=$seed model.init=default data.pseudo='$(realpath "$rows")' \"evaluate.overrides=['leaderboard_dir=null','tasks=[]']\""
  done
done
