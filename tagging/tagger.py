"""The tagger: a trained model directory -> IOB2 tags and spans on any word sequences.

Long inputs go through the same windows as training (`encoding.encode_many`); each word's
scores come from the window that owns it; Viterbi decoding keeps the tags valid IOB2. Windows
of many segments are batched by length; memory is bounded by the batch, not the article.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForTokenClassification, AutoTokenizer

from dateline.data.document import Document, Span
from dateline.data.labels import bio_to_spans
from dateline.errors import DatelineError
from dateline.runs import META_FILE, is_model_dir
from dateline.training.bf16 import default_device
from dateline.training.bf16 import resolve as resolve_precision
from dateline.training.decoding import allowed_start, allowed_transitions, crf_arrays, log_softmax, viterbi_many
from dateline.training.encoding import encode_many
from dateline.workers import run_batches


@dataclass
class Prediction:
    tags: list[str]
    confidence: list[float]  # probability of the chosen tag, per word

    def spans(self) -> list[tuple[Span, float]]:
        """Spans with their confidence (mean over their words)."""
        return [(s, float(np.mean(self.confidence[s.start : s.end]))) for s in bio_to_spans(self.tags)]


def refuse_dropped_options(meta: dict, model_dir: Path) -> None:
    """Models trained with options this version dropped (auxiliary types, whole-document context)
    cannot be read as they were trained: one clear line saying so, rather than wrong spans."""
    if meta.get("auxiliary"):
        raise DatelineError(
            f"trained with auxiliary types ({', '.join(meta['auxiliary'])}), an option dropped in this version "
            "(docs/studies/05-more-ideas.md): retrain it with `dateline train`, or tag it with dateline <= 0.1",
            model_dir,
        )
    if meta.get("context", "sentence") != "sentence":
        raise DatelineError(
            "trained on whole documents (data.context=document), an option dropped in this version: retrain it "
            "with `dateline train`, or tag it with dateline <= 0.1",
            model_dir,
        )


class Tagger:
    def __init__(
        self,
        model_dir: str | Path,
        batch_size: int = 64,
        device: str | None = None,
        decoding: str = "viterbi",
        precision: str = "auto",
        workers: int = 1,
    ):
        """`workers` > 1: that many batches at once, each forward pass on one core (torch's
        intra-op threads set to 1 for the process), so a batch's arithmetic — and the output —
        is that of one worker on one core, whatever the number of workers or processes (bf16 and
        fp32 matmuls on several threads sum in a thread-dependent order: docs/tagging.md)."""
        model_dir = Path(model_dir)
        if not model_dir.is_dir():
            raise DatelineError("model directory does not exist", model_dir)
        self.model_dir = model_dir
        self.meta = json.loads((model_dir / META_FILE).read_text()) if (model_dir / META_FILE).is_file() else {}
        self.device = torch.device(device or default_device())
        # the fast path: a bf16 copy of the model where bf16 is native (agrees with fp32 on
        # >= 99% of tokens: tests/test_precision.py)
        self.precision = resolve_precision(precision, self.device.type)
        # an ensemble (training/ensemble.py): member taggers whose probabilities are averaged
        members = [model_dir / m for m in self.meta.get("ensemble", [])]
        self.members = [Tagger(m, batch_size, device, decoding, precision, workers) for m in members]
        self.workers = max(1, int(workers))
        if self.workers > 1:
            torch.set_num_threads(1)
        if self.members:
            self.labels = self.members[0].labels
        else:
            if not is_model_dir(model_dir):
                raise DatelineError("no model here (expected config.json and model.safetensors)", model_dir)
            self.tokenizer = AutoTokenizer.from_pretrained(model_dir)
            self.model = AutoModelForTokenClassification.from_pretrained(model_dir).eval()
            self.model.to(self.device, dtype=torch.bfloat16 if self.precision == "bf16" else torch.float32)
            self.labels = [self.model.config.id2label[i] for i in range(self.model.config.num_labels)]
        refuse_dropped_options(self.meta, model_dir)
        self.entity_types = sorted({label[2:] for label in self.labels if label != "O"})
        self.max_length = int(self.meta.get("max_length", 256))
        self.stride = int(self.meta.get("stride", 64))
        self.casing = bool(self.meta.get("casing", False))
        self.batch_size = batch_size
        if decoding not in ("viterbi", "argmax"):
            raise DatelineError(f"decoding must be 'viterbi' or 'argmax', not {decoding!r}")
        self.decoding = decoding
        self.o_bias = float(self.meta.get("o_bias", 0.0))
        self.i_bias = float(self.meta.get("i_bias", 0.0))
        self._o = self.labels.index("O")
        self._inside = [i for i, label in enumerate(self.labels) if label.startswith("I-")]
        self._allowed = allowed_transitions(self.labels)
        self._start = allowed_start(self.labels)
        self.crf = crf_arrays(self.meta.get("crf"))  # learned scores of a CRF-trained model (training/crf.py)

    @torch.inference_mode()
    def predict(self, segments: list[list[str]]) -> list[Prediction]:
        """Tags for each word sequence; no word is ever dropped."""
        return self.decode(self.scores(segments))

    @torch.inference_mode()
    def scores(self, segments: list[list[str]]) -> list[np.ndarray]:
        """Per-word label log-probabilities (words x labels), each from the window that owns it;
        an ensemble's are the log of its members' mean probabilities."""
        if self.members:
            runs = [m.scores(segments) for m in self.members]
            return [np.log(np.mean([np.exp(r[k]) for r in runs], axis=0)) for k in range(len(segments))]
        scores = [np.zeros((len(words), len(self.labels)), dtype=np.float32) for words in segments]
        encoded = encode_many(self.tokenizer, segments, self.max_length, self.stride, self.casing)
        windows = [(k, w) for k, wins in enumerate(encoded) for w in wins]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i][1].input_ids))
        batches = [[windows[i] for i in order[b : b + self.batch_size]] for b in range(0, len(order), self.batch_size)]
        run_batches(partial(self._score_batch, scores=scores), batches, self.workers)  # disjoint words each
        return scores

    def _score_batch(self, batch: list, scores: list[np.ndarray]) -> None:
        """One padded batch of windows through the model; each owned word's log-probabilities
        into its segment's row of `scores`."""
        pad = self.tokenizer.pad_token_id or 0
        width = max(len(w.input_ids) for _, w in batch)
        ids = torch.full((len(batch), width), pad, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        types = torch.zeros((len(batch), width), dtype=torch.long)
        for r, (_, w) in enumerate(batch):
            ids[r, : len(w.input_ids)] = torch.tensor(w.input_ids)
            mask[r, : len(w.input_ids)] = 1
            types[r, : len(w.input_ids)] = torch.tensor(w.type_ids)
        inputs = {"input_ids": ids, "attention_mask": mask}
        if self.casing:
            inputs["token_type_ids"] = types
        with torch.inference_mode():  # thread-local: a worker thread must enter it itself
            logits = self.model(**{k: v.to(self.device) for k, v in inputs.items()}).logits
        logp = log_softmax(logits.float().cpu().numpy())
        for r, (k, w) in enumerate(batch):
            index = np.array(w.word_index)
            pos = np.nonzero(index >= 0)[0]
            scores[k][index[pos]] = logp[r, pos]

    def decode(
        self, scores: list[np.ndarray], o_bias: float | None = None, i_bias: float | None = None
    ) -> list[Prediction]:
        """Per-word log-probabilities -> tags. Before decoding, `o_bias` is subtracted from the
        `O` score (recall for precision) and `i_bias` added to every `I-` score (longer spans);
        by default both are the values tuned on dev at training time (`tune_biases`)."""
        o_bias = self.o_bias if o_bias is None else o_bias
        i_bias = self.i_bias if i_bias is None else i_bias
        adjusted = []
        for s in scores:
            a = s.copy()
            a[:, self._o] -= o_bias
            a[:, self._inside] += i_bias
            adjusted.append(a)
        if self.decoding == "viterbi":
            paths = viterbi_many(adjusted, self._allowed, self._start, self.crf)
        else:
            paths = [a.argmax(-1) for a in adjusted]
        out = []
        for s, best in zip(scores, paths):
            conf = np.exp(s[np.arange(len(best)), np.asarray(best, dtype=np.int64)]).tolist()
            out.append(Prediction([self.labels[j] for j in best], conf))
        return out

    def tag_documents(self, docs: list[Document], only_gold: bool = False) -> list[Prediction]:
        """One Prediction per document over all its tokens, sentence by sentence (`only_gold`:
        the gold sentences; words outside the tagged sentences get `O` with confidence 1)."""
        jobs = [
            (d, a, b) for d, doc in enumerate(docs) for (a, b), g in zip(doc.sentences, doc.gold) if g or not only_gold
        ]
        preds = self.predict([docs[d].words[a:b] for d, a, b in jobs])
        out = [Prediction(["O"] * len(doc.tokens), [1.0] * len(doc.tokens)) for doc in docs]
        for (d, a, b), p in zip(jobs, preds):
            out[d].tags[a:b] = p.tags
            out[d].confidence[a:b] = p.confidence
        return out


def tune_biases(
    tagger: Tagger, segments: list[list[str]], gold: list[list[str]], grid: dict[str, list[float]]
) -> tuple[dict[str, float], float]:
    """The decoding biases (see `Tagger.decode`) that maximise strict micro-F1 on `gold`
    (the dev set: choices are made on dev). Ties keep the smaller bias."""
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    scores = tagger.scores(segments)
    best, best_f1 = {"o_bias": 0.0, "i_bias": 0.0}, -1.0
    for o_bias in grid.get("o_bias", [0.0]):
        for i_bias in grid.get("i_bias", [0.0]):
            tags = [p.tags for p in tagger.decode(scores, o_bias, i_bias)]
            f1 = f1_score(gold, tags, mode="strict", scheme=IOB2, zero_division=0)
            if f1 > best_f1 + 1e-9:
                best, best_f1 = {"o_bias": o_bias, "i_bias": i_bias}, f1
    return best, best_f1
