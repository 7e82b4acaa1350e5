"""Study 16 (docs/studies/16-records-speed.md): modality heads on the frozen tagger features of
scripts/modality_frozen_features.py, MEANTIME cross-validated by topic (pooled macro-F1).
`mlp`: an MLP on the event's first word and its words' mean, from the layers named; `attn`: a
one-layer transformer (width 128) over the words 24 either side, the event's words marked by a
learnt embedding, read at its first word.

    .venv/bin/python scripts/modality_frozen_heads.py mlp|attn <layers, e.g. 3,6> <seeds> [epochs]

As run (from /tmp, the library at fe44c67), then formatted with ruff.
"""
# kept as run: the thread count is set before the imports, and the study's own style
# ruff: noqa: E402, UP031, B007, E741

import pickle
import sys
import time

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(2)
from dateline.eval.records import mode_scores
from dateline.training.modality import MODES, mode_weights
from dateline.training.position_head import partial_label_loss

D = pickle.load(open("/tmp/th/feats.pkl", "rb"))
sid = {s: i for i, s in enumerate(D["sents"])}
F = D["feats"]
LAYERS = D["layers"]
kind, layers, seeds = (
    sys.argv[1],
    [LAYERS.index(int(x)) for x in sys.argv[2].split(",")],
    [int(s) for s in sys.argv[3].split(",")],
)
epochs = int(sys.argv[4]) if len(sys.argv) > 4 else 20


def rowfeat(x):
    f = torch.tensor(F[sid[x.words]][:, layers].astype(np.float32)).reshape(len(x.words), -1)
    return f


class MLP(nn.Module):
    def __init__(s, d):
        super().__init__()
        s.net = nn.Sequential(nn.Dropout(0.1), nn.Linear(2 * d, 256), nn.GELU(), nn.Dropout(0.1), nn.Linear(256, 4))

    def forward(s, f, a, b, mask):
        ev = torch.cat([f[:, 0], (f * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)], -1)
        return s.net(ev)


class Attn(nn.Module):
    def __init__(s, d, h=128, n=1):
        super().__init__()
        s.proj = nn.Linear(d, h)
        s.mark = nn.Embedding(2, h)
        s.pos = nn.Embedding(512, h)
        s.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(h, 4, 2 * h, 0.1, batch_first=True), n)
        s.out = nn.Linear(h, 4)
        s.drop = nn.Dropout(0.1)

    def forward(s, seq, first, pad, mark):
        x = s.proj(s.drop(seq)) + s.mark(mark) + s.pos(torch.arange(seq.shape[1]))[None]
        x = s.enc(x, src_key_padding_mask=pad)
        return s.out(x[torch.arange(len(first)), first])


def batches(exs, bs, shuffle, rng):
    idx = list(range(len(exs)))
    if shuffle:
        rng.shuffle(idx)
    for b in range(0, len(idx), bs):
        yield [exs[i] for i in idx[b : b + bs]]


def tensors(chunk):
    if kind == "mlp":
        fs = [rowfeat(x) for x in chunk]
        L = max(x.end - x.start for x in chunk)
        f = torch.zeros(len(chunk), L, fs[0].shape[1])
        m = torch.zeros(len(chunk), L)
        for r, (x, ff) in enumerate(zip(chunk, fs)):
            f[r, : x.end - x.start] = ff[x.start : x.end]
            m[r, : x.end - x.start] = 1
        return (f, None, None, m)
    # attn: window of 24 words each side
    rows = []
    for x in chunk:
        a, b = max(0, x.start - 24), min(len(x.words), x.end + 24)
        rows.append((rowfeat(x)[a:b], x.start - a, x.end - a))
    T = max(len(r[0]) for r in rows)
    seq = torch.zeros(len(rows), T, rows[0][0].shape[1])
    pad = torch.ones(len(rows), T, dtype=torch.bool)
    mark = torch.zeros(len(rows), T, dtype=torch.long)
    for r, (f, a, b) in enumerate(rows):
        seq[r, : len(f)] = f
        pad[r, : len(f)] = False
        mark[r, a:b] = 1
    return (seq, torch.tensor([a for _, a, _ in rows]), pad, mark)


def fit(train, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    d = rowfeat(train[0]).shape[1]
    model = MLP(d) if kind == "mlp" else Attn(d)
    w = mode_weights(train)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3 if kind == "mlp" else 5e-4, weight_decay=0.01)
    pre = [tensors(c) for c in batches(train, 32, False, rng)]  # fixed batches, shuffled order
    allowed = [
        torch.tensor([[float(m in x.allowed) for m in MODES] for x in c]) for c in batches(train, 32, False, rng)
    ]
    wt = [
        torch.tensor([w.get(x.allowed[0], 1.0) if len(x.allowed) == 1 else 1.0 for x in c])
        for c in batches(train, 32, False, rng)
    ]
    steps = epochs * len(pre)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, opt.param_groups[0]["lr"], total_steps=steps, pct_start=0.1)
    model.train()
    for e in range(epochs):
        for i in rng.permutation(len(pre)):
            loss = partial_label_loss(model(*pre[i]), allowed[i], wt[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    return model.eval()


def predict(model, test):
    with torch.no_grad():
        return np.concatenate([torch.softmax(model(*tensors(c)), -1).numpy() for c in batches(test, 64, False, None)])


res = {}
t0 = time.time()
for seed in seeds:
    gold, probs = [], []
    for held in ("corpus_airbus", "corpus_apple"):
        m = fit(D["sets"][f"train_without_{held}"], seed)
        test = D["sets"][f"test_{held}"]
        probs.append(predict(m, test))
        gold += [x.allowed[0] for x in test]
    P = np.concatenate(probs)
    s = mode_scores(gold, [MODES[i] for i in P.argmax(1)])
    res[seed] = s
    print(
        kind,
        sys.argv[2],
        "seed",
        seed,
        "macroF1 %.4f acc %.4f" % (s["macro_f1"], s["accuracy"]),
        {m: round(s["per_mode"][m]["f1"], 3) for m in MODES},
        flush=True,
    )
print("mean macro", np.mean([r["macro_f1"] for r in res.values()]), "secs", round(time.time() - t0))
