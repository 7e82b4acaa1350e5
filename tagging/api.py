"""The Python API for applying a trained model: load it once, tag texts — spans or event records.

    from dateline.tagging.api import ArticleTagger

    tagger = ArticleTagger("runs/train/<run>/model")          # format="records" adds modality
    for result in tagger.tag(["Putin met Trump in Da Nang.", ("a2", "Talks resumed.")]):
        print(result["id"], [(s["text"], s["label"]) for s in result["spans"]])

`dateline predict` and `dateline tag` run exactly this code: one model load, the tagger's
batched windows across all the texts given, spans with character offsets into each text as
given (and, for records, the linking — the syntax rule by default — and the modality
classifier of tagging/records.py).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dateline.data.document import Document
from dateline.data.text import document_from_text
from dateline.errors import DatelineError
from dateline.paths import PROJECT_ROOT
from dateline.runs import META_FILE, latest_linker_model, latest_modality_model, latest_model
from dateline.tagging.records import DEFAULT_LINKING

EVENT_TYPES = {"EVENT", "ACTOR"}
FORMATS = ("spans", "records")


def model_fingerprint(model_dir: Path) -> str:
    """sha256 over a model directory's config, dateline.json and weights (an ensemble's members'
    too): the same fingerprint means the same model."""
    h = hashlib.sha256()
    dirs = [model_dir]
    meta = model_dir / META_FILE
    if meta.is_file():
        dirs += [model_dir / m for m in json.loads(meta.read_text()).get("ensemble", [])]
    for d in dirs:
        for name in ("config.json", META_FILE, "model.safetensors", "pytorch_model.bin"):
            p = d / name
            if p.is_file():
                h.update(name.encode())
                with p.open("rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        h.update(block)
    return h.hexdigest()[:16]


class ArticleTagger:
    """A model directory (and, for records, a modality model and the linker), loaded once; for
    records, the modality model and the linker default to the latest trained under `runs_root`."""

    def __init__(
        self,
        model: str | Path | None = None,
        format: str = "spans",
        modality: str | Path | None = None,
        linking: str = DEFAULT_LINKING,
        precision: str = "auto",
        batch_size: int = 64,
        runs_root: str | Path = PROJECT_ROOT / "runs",
        workers: int = 1,
        linker: str | Path | None = None,
    ):
        from dateline.tagging.tagger import Tagger

        if format not in FORMATS:
            raise DatelineError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
        self.format = format
        runs_root = Path(runs_root)
        model_dir = Path(model) if model else latest_model(runs_root, EVENT_TYPES if format == "records" else None)
        self.tagger = Tagger(model_dir, batch_size=batch_size, precision=precision, workers=workers)
        self.model_dir, self.device = self.tagger.model_dir, self.tagger.device
        self.fingerprint = model_fingerprint(self.model_dir)
        self.modality_dir, self.linker_dir, self.recorder = None, None, None
        if format == "records":
            from dateline.tagging.modality import ModalityClassifier
            from dateline.tagging.records import RecordTagger, role_labels

            if not set(role_labels(self.tagger.meta)) <= set(self.tagger.entity_types):
                raise DatelineError(
                    "this model tags no event and actor labels (EVENT and ACTOR, or the ones its labels.event and "
                    "labels.actor declare): `dateline train` trains one",
                    model_dir,
                )
            self.modality_dir = Path(modality) if modality else latest_modality_model(runs_root)
            learned = None
            if linking == "learned":
                from dateline.tagging.linking import Linker

                self.linker_dir = Path(linker) if linker else latest_linker_model(runs_root)
                learned = Linker(self.linker_dir)
            self.recorder = RecordTagger(
                self.tagger, ModalityClassifier(self.modality_dir, workers=workers), linking, learned
            )

    def tag_documents(self, docs: list[Document]) -> list[dict]:
        """Per document: id, text, token count, its spans, and (records) its event records."""
        preds = self.tagger.tag_documents(docs)  # once, for the spans and the records
        out = []
        for doc, pred in zip(docs, preds):
            spans = []
            for span, conf in pred.spans():
                c = doc.to_char_span(span)
                spans.append(
                    {
                        "start": c.start,
                        "end": c.end,
                        "label": c.label,
                        "text": doc.text[c.start : c.end],
                        "confidence": round(conf, 4),
                    }
                )
            out.append({"id": doc.id, "text": doc.text, "tokens": len(doc.tokens), "spans": spans})
        if self.recorder is not None:
            for result, records in zip(out, self.recorder.records(docs, preds)):
                result["records"] = records
        return out

    def tag(self, texts: list[str | tuple[str, str]]) -> list[dict]:
        """Texts (or (id, text) pairs; a plain text's id is its position) -> `tag_documents`."""
        pairs = [t if isinstance(t, tuple) else (str(i), t) for i, t in enumerate(texts)]
        return self.tag_documents([document_from_text(i, text) for i, text in pairs])


def rows_table(results: list[dict], format: str):
    """One Parquet row per span (or per record) with its article's id: the shards' schema."""
    import pyarrow as pa

    item = pa.struct(
        [
            ("text", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("confidence", pa.float64()),
            # how the link was made (tagging/records.linked_item); null where the linking gives none
            ("link_method", pa.string()),
            ("link_relation", pa.string()),
            ("link_confidence", pa.float64()),
            # the article's names a pronoun or common noun refers to (data/coreference.py)
            ("refers_to", pa.list_(pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())]))),
        ]
    )
    if format == "spans":
        rows = [
            {"article_id": r["id"], **{k: s[k] for k in ("start", "end", "label", "text", "confidence")}}
            for r in results
            for s in r["spans"]
        ]
        schema = pa.schema(
            [
                ("article_id", pa.string()),
                ("start", pa.int64()),
                ("end", pa.int64()),
                ("label", pa.string()),
                ("text", pa.string()),
                ("confidence", pa.float64()),
            ]
        )
    else:
        keys = (
            "event_text",
            "event_start",
            "event_end",
            "mode",
            "mode_confidence",
            "actor",
            "recipient",
            "sentence_start",
            "confidence",
        )
        rows = [{"article_id": r["id"], **{k: rec[k] for k in keys}} for r in results for rec in r["records"]]
        schema = pa.schema(
            [
                ("article_id", pa.string()),
                ("event_text", pa.string()),
                ("event_start", pa.int64()),
                ("event_end", pa.int64()),
                ("mode", pa.string()),
                ("mode_confidence", pa.float64()),
                ("actor", pa.list_(item)),
                ("recipient", pa.list_(item)),
                ("sentence_start", pa.int64()),
                ("confidence", pa.float64()),
            ]
        )
    return pa.Table.from_pylist(rows, schema=schema)
