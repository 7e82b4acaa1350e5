"""A small corpus of a user's annotated articles, written as each annotation tool writes it."""

from __future__ import annotations

import json
import random
from pathlib import Path

from dateline.data.readers.brat import ann_text
from dateline.data.readers.doccano import doccano_line
from dateline.data.readers.labelstudio import labelstudio_task

WORDS = {
    "ACTOR": ["Moscow", "Kiev", "the ministry", "rebels", "Putin", "the union"],
    "EVENT": ["talks", "attacked", "met", "warned", "strike", "signed"],
    "O": ["on", "Monday", "in", "a", "statement", "after", "the", "border"],
}


def make_articles(n: int = 12, seed: int = 0) -> list[dict]:
    """Articles laid out as CoNLL lays out its tokens (single spaces, a sentence a line, a full
    stop only at its end), so all six formats hold exactly the same text, offsets and sentences."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        text, spans = "", []
        for _ in range(rng.randint(2, 4)):
            words = []
            for _ in range(rng.randint(4, 9)):
                kind = rng.choice(["ACTOR", "EVENT", "O", "O"])
                phrase = rng.choice(WORDS[kind])
                start = len(text) + len(" ".join(words)) + (1 if words else 0)
                words.append(phrase)
                if kind != "O":
                    spans.append((start, start + len(phrase), kind))
            text += " ".join(words) + " .\n"
        out.append({"id": f"art{k:02d}", "text": text, "spans": spans})
    return out


def conll_lines(article: dict) -> list[str]:
    lines = [f"-DOCSTART- {article['id']}", ""]
    pos = 0
    for sentence in article["text"].rstrip("\n").split("\n"):
        for word in sentence.split(" "):
            start = article["text"].index(word, pos)
            pos = start + len(word)
            tag = next((("B-" if a == start else "I-") + lab for a, b, lab in article["spans"] if a <= start < b), "O")
            lines.append(f"{word} NN O {tag}")
        lines.append("")
    return lines


def write_corpus(fmt: str, root: Path, parts: dict[str, list[dict]]) -> Path:
    """The articles of each part (train, test) in `fmt`, as the tool would write them."""
    root.mkdir(parents=True, exist_ok=True)
    for part, articles in parts.items():
        spans = {a["id"]: [(s, e, lab, None) for s, e, lab in a["spans"]] for a in articles}
        if fmt == "brat":
            for a in articles:
                (root / part).mkdir(exist_ok=True)
                (root / part / f"{a['id']}.txt").write_text(a["text"], encoding="utf-8")
                (root / part / f"{a['id']}.ann").write_text(ann_text(a["text"], spans[a["id"]]), encoding="utf-8")
        elif fmt == "jsonl":
            rows = [
                {
                    "id": a["id"],
                    "text": a["text"],
                    "spans": [dict(zip(("start", "end", "label"), s)) for s in a["spans"]],
                }
                for a in articles
            ]
            (root / f"{part}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        elif fmt == "conll":
            (root / f"{part}.conll").write_text(
                "\n".join(line for a in articles for line in conll_lines(a)), encoding="utf-8"
            )
        elif fmt == "labelstudio":  # an export: the pre-annotations submitted as each task's annotation
            tasks = []
            for n, a in enumerate(articles):
                task = labelstudio_task(a["id"], a["text"], spans[a["id"]], 1.0, "test")
                task["id"] = n + 1
                task["annotations"] = [
                    {"id": n, "result": task.pop("predictions")[0]["result"], "was_cancelled": False}
                ]
                tasks.append(task)
            (root / f"{part}.json").write_text(json.dumps(tasks), encoding="utf-8")
        elif fmt == "doccano":
            lines = [doccano_line(a["id"], a["text"], spans[a["id"]], 0.0, k) for k, a in enumerate(articles)]
            (root / f"{part}.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    if fmt == "hf":
        import datasets

        rows = {
            p: datasets.Dataset.from_list(
                [
                    {
                        "id": a["id"],
                        "text": a["text"],
                        "spans": [dict(zip(("start", "end", "label"), s)) for s in a["spans"]],
                    }
                    for a in arts
                ]
            )
            for p, arts in parts.items()
        }
        datasets.DatasetDict(rows).save_to_disk(str(root / "saved"))
        return root / "saved"
    return root
