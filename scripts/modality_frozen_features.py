"""Study 16 (docs/studies/16-records-speed.md), step 1 of the frozen-feature heads: the default
event tagger's hidden states (layers 2-6, each word's first owned subword, fp16) for every
sentence of the modality examples (the default sources without each MEANTIME topic, and each
topic), cached in /tmp/th/feats.pkl for scripts/modality_frozen_heads.py.

    .venv/bin/python scripts/modality_frozen_features.py <event tagger model dir>

As run (from /tmp, the library at fe44c67), then formatted with ruff; the token type ids (the
tagger's casing) were not passed, so the features are those of the lower-cased words.
"""
# kept as run: the thread count is set before the imports, and the study's own style
# ruff: noqa: E402, UP031, B007, E741

import pickle
import sys
import time

import numpy as np
import torch

torch.set_num_threads(2)
import json

from transformers import AutoModelForTokenClassification, AutoTokenizer

from dateline.paths import default_corpora_dir
from dateline.training.encoding import encode_many
from dateline.training.modality import meantime_examples, training_examples

tag = sys.argv[1]
meta = json.load(open(f"{tag}/dateline.json")) if False else {}
tok = AutoTokenizer.from_pretrained(tag)
model = AutoModelForTokenClassification.from_pretrained(tag).eval()
corpora = str(default_corpora_dir())
src = {"ecb_limit": 3000, "tbaq": True, "tbaq_limit": 1000}
sets = {}
for held in ("corpus_airbus", "corpus_apple"):
    other = [t for t in ("corpus_airbus", "corpus_apple") if t != held]
    sets[f"train_without_{held}"] = training_examples(corpora, other, src, 0)
    sets[f"test_{held}"] = meantime_examples(corpora, [held])
sents = sorted({x.words for v in sets.values() for x in v})
print(len(sents), "sentences", {k: len(v) for k, v in sets.items()})
LAYERS = (2, 3, 4, 5, 6)
feats = {}
t0 = time.time()
enc = encode_many(tok, [list(s) for s in sents], 256, 64, False)
batch = []


def run(batch):
    width = max(len(w.input_ids) for _, w in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    for r, (_, w) in enumerate(batch):
        ids[r, : len(w.input_ids)] = torch.tensor(w.input_ids)
        mask[r, : len(w.input_ids)] = 1
    with torch.inference_mode():
        hs = model(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states
    H = torch.stack([hs[l] for l in LAYERS], 2).numpy().astype(np.float16)  # B, T, L, D
    for r, (k, w) in enumerate(batch):
        idx = np.array(w.word_index)
        pos = np.nonzero(idx >= 0)[0]
        arr = feats.setdefault(k, np.zeros((len(sents[k]), len(LAYERS), H.shape[-1]), np.float16))
        arr[idx[pos]] = H[r, pos]


windows = [(k, w) for k, ws in enumerate(enc) for w in ws]
order = sorted(range(len(windows)), key=lambda i: len(windows[i][1].input_ids))
for b in range(0, len(order), 64):
    run([windows[i] for i in order[b : b + 64]])
print("features", time.time() - t0)
pickle.dump(
    {"sents": sents, "feats": [feats[k] for k in range(len(sents))], "sets": sets, "layers": LAYERS},
    open("/tmp/th/feats.pkl", "wb"),
)
