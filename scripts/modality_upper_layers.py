"""Study 16 (docs/studies/16-records-speed.md): the modality classifier on the tagger's own lower
layers. The default event tagger's first K layers are frozen (what tagging computes anyway);
copies of its upper layers are fine-tuned with an event-mark vector added at layer K, every
event of a sentence read in one pass; MEANTIME cross-validated by topic.

    .venv/bin/python scripts/modality_upper_layers.py <event tagger model dir> <K> <seeds> <epochs>

As run (from /tmp, the library at fe44c67), then formatted with ruff.
"""
# kept as run: the thread count is set before the imports, and the study's own style
# ruff: noqa: E402, UP031, B007, E741

import copy
import sys
import time

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(2)
from transformers import AutoModelForTokenClassification, AutoTokenizer

from dateline.eval.records import mode_scores
from dateline.paths import default_corpora_dir
from dateline.training.encoding import is_capitalised, subwords
from dateline.training.modality import MODES, meantime_examples, mode_weights, training_examples
from dateline.training.position_head import partial_label_loss

tag, K, seeds, epochs = sys.argv[1], int(sys.argv[2]), [int(s) for s in sys.argv[3].split(",")], int(sys.argv[4])
LR = float(sys.argv[5]) if len(sys.argv) > 5 else 5e-5
tok = AutoTokenizer.from_pretrained(tag)
base = AutoModelForTokenClassification.from_pretrained(tag).eval()
corpora = str(default_corpora_dir())
src = {"ecb_limit": 3000, "tbaq": True, "tbaq_limit": 1000}
sets = {}
for held in ("corpus_airbus", "corpus_apple"):
    other = [t for t in ("corpus_airbus", "corpus_apple") if t != held]
    sets[f"train_{held}"] = training_examples(corpora, other, src, 0)
    sets[f"test_{held}"] = meantime_examples(corpora, [held])
sents = sorted({x.words for v in sets.values() for x in v})
sid = {s: i for i, s in enumerate(sents)}
# frozen lower layers, once per sentence (cached): hidden state after layer K, subword level
t0 = time.time()
enc = subwords(tok, [list(s) for s in sents])
cache = []
order = sorted(range(len(sents)), key=lambda i: len(enc[i][0]))
cache = [None] * len(sents)
for b in range(0, len(order), 64):
    chunk = order[b : b + 64]
    seqs = []
    for i in chunk:
        ids, wof = enc[i]
        ids, wof = ids[:254], wof[:254]
        types = [0] + [int(is_capitalised(sents[i][w])) for w in wof] + [0]
        seqs.append(([tok.cls_token_id] + ids + [tok.sep_token_id], types, [-1] + wof + [-1]))
    T = max(len(s[0]) for s in seqs)
    ids = torch.zeros(len(seqs), T, dtype=torch.long)
    typ = torch.zeros_like(ids)
    m = torch.zeros_like(ids)
    for r, (a, t, _) in enumerate(seqs):
        ids[r, : len(a)] = torch.tensor(a)
        typ[r, : len(a)] = torch.tensor(t)
        m[r, : len(a)] = 1
    with torch.inference_mode():
        hs = base(input_ids=ids, attention_mask=m, token_type_ids=typ, output_hidden_states=True).hidden_states[K]
    for r, i in enumerate(chunk):
        cache[i] = (hs[r, : len(seqs[r][0])].clone(), seqs[r][2])
print("cached layer", K, round(time.time() - t0, 1), "s", flush=True)


class Upper(nn.Module):
    def __init__(s):
        super().__init__()
        s.layers = nn.ModuleList(copy.deepcopy(base.bert.encoder.layer[K:]))
        s.mark = nn.Parameter(torch.randn(384) * 0.02)
        s.out = nn.Linear(384, 4)
        s.drop = nn.Dropout(0.1)

    def forward(s, h, mask, marks, read_rows, read_pos):
        h = h + marks.unsqueeze(-1) * s.mark
        ext = (1.0 - mask[:, None, None, :].float()) * -1e9
        for layer in s.layers:
            o = layer(h, attention_mask=ext)
            h = o[0] if isinstance(o, tuple) else o
        return s.out(s.drop(h[read_rows, read_pos]))


def groups(exs):
    g = {}
    for i, x in enumerate(exs):
        g.setdefault((x.source.rsplit("@", 1)[0], x.words), []).append(i)
    return list(g.values())


def batch(exs, grp):
    items = [(exs[i]) for gr in grp for i in gr]
    T = max(len(cache[sid[exs[gr[0]].words]][0]) for gr in grp)
    h = torch.zeros(len(grp), T, 384)
    mask = torch.zeros(len(grp), T)
    marks = torch.zeros(len(grp), T)
    rows, pos = [], []
    for r, gr in enumerate(grp):
        hs, wof = cache[sid[exs[gr[0]].words]]
        h[r, : len(hs)] = hs
        mask[r, : len(hs)] = 1
        wof = np.array(wof)
        for i in gr:
            x = exs[i]
            sel = np.nonzero((wof >= x.start) & (wof < x.end))[0]
            marks[r, sel] = 1
            first = np.nonzero(wof == x.start)[0]
            rows.append(r)
            pos.append(int(first[0]) if len(first) else 0)
    return (h, mask, marks, torch.tensor(rows), torch.tensor(pos)), items


def fit(train, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Upper()
    w = mode_weights(train)
    gs = groups(train)
    opt = torch.optim.AdamW(
        [
            {"params": model.layers.parameters(), "lr": LR},
            {"params": [model.mark] + list(model.out.parameters()), "lr": 1e-3},
        ],
        weight_decay=0.01,
    )
    nb = (len(gs) + 15) // 16
    steps = epochs * nb
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps)
    )
    model.train()
    for e in range(epochs):
        perm = rng.permutation(len(gs))
        for b in range(0, len(gs), 16):
            grp = [gs[i] for i in perm[b : b + 16]]
            inp, items = batch(train, grp)
            allowed = torch.tensor([[float(m in x.allowed) for m in MODES] for x in items])
            wt = torch.tensor([w.get(x.allowed[0], 1.0) if len(x.allowed) == 1 else 1.0 for x in items])
            loss = partial_label_loss(model(*inp), allowed, wt)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    return model.eval()


for seed in seeds:
    gold, pred = [], []
    t1 = time.time()
    for held in ("corpus_airbus", "corpus_apple"):
        m = fit(sets[f"train_{held}"], seed)
        test = sets[f"test_{held}"]
        gs = groups(test)
        with torch.no_grad():
            for b in range(0, len(gs), 32):
                inp, items = batch(test, gs[b : b + 32])
                p = m(*inp).argmax(-1).tolist()
                gold += [x.allowed[0] for x in items]
                pred += [MODES[k] for k in p]
    s = mode_scores(gold, pred)
    print(
        "K",
        K,
        "seed",
        seed,
        "epochs",
        epochs,
        "macroF1 %.4f acc %.4f" % (s["macro_f1"], s["accuracy"]),
        {m: round(s["per_mode"][m]["f1"], 3) for m in MODES},
        round(time.time() - t1),
        "s",
        flush=True,
    )
