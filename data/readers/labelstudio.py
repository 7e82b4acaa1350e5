"""Label Studio's JSON export of a span-labeling project (https://labelstud.io/guide/export):
a list of tasks, `{"id", "data": {"text": ...}, "annotations": [{"result": [{"type": "labels",
"value": {"start", "end", "text", "labels": ["LABEL"]}, ...}], "was_cancelled": false}, ...]}`,
offsets into the task's text. Of a task's annotations the first not cancelled is read; a task
nobody annotated is not an annotated article and is skipped (counted). `include_predictions:
true` reads a task's pre-annotations (`predictions`) where it has no annotation: how a file
written by `make annotate` reads back before anyone corrected it. The JSON-MIN export
(`[{"text", "label": [{"start", "end", "labels"}]}]`) is read too. A folder: every `.json`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from dateline.data.readers.user import Article, Labeled, UserCorpusReader
from dateline.errors import DatelineError
from dateline.io import read_text


def region_spans(results, text: str, path: Path, where: str, from_name: str | None) -> list[Labeled]:
    out = []
    if not isinstance(results, list):
        raise DatelineError(
            "a task's regions (an annotation's `result`, or `label` in a JSON-MIN export) must be a list of labels regions",
            path,
            where,
        )
    for r in results:
        if not isinstance(r, dict):
            raise DatelineError(f"a region must be an object, not {r!r}", path, where)
        value = r.get("value") if "value" in r else r  # JSON-MIN regions are the value itself
        if r.get("type", "labels") != "labels" or (from_name and r.get("from_name", from_name) != from_name):
            continue  # choices, ratings, relations: not spans
        if not isinstance(value, dict) or not {"start", "end", "labels"} <= set(value):
            raise DatelineError(f'a labels region needs "start", "end" and "labels": {str(r)[:80]}', path, where)
        labels = value["labels"]
        if not isinstance(labels, list) or not labels:
            raise DatelineError(f"a region's labels must be a non-empty list: {labels!r}", path, where)
        start, end = value["start"], value["end"]
        if type(start) is not int or type(end) is not int:
            raise DatelineError(
                f"region offsets {start!r}-{end!r} are not character offsets (a rich-text or HTML region?)", path, where
            )
        if "text" in value and 0 <= start < end <= len(text) and value["text"].strip() != text[start:end].strip():
            raise DatelineError(
                f"region text {value['text']!r} does not match the text {text[start:end]!r}", path, where
            )
        out += [Labeled(start, end, str(label), where) for label in labels]
    return out


def task_text(task: dict, text_key: str | None, path: Path, where: str) -> str:
    data = task.get("data", task)
    if not isinstance(data, dict):
        raise DatelineError('a task\'s "data" must be an object', path, where)
    if text_key:
        if not isinstance(data.get(text_key), str):
            raise DatelineError(f"the task has no text field {text_key!r} (data.reader.text_key)", path, where)
        return data[text_key]
    if isinstance(data.get("text"), str):
        return data["text"]
    strings = [k for k, v in data.items() if isinstance(v, str) and k not in ("id", "article_id")]
    if len(strings) != 1:
        raise DatelineError(
            f"cannot tell which field holds the text ({', '.join(strings) or 'none'}): set data.reader.text_key",
            path,
            where,
        )
    return data[strings[0]]


class LabelStudioReader(UserCorpusReader):
    name = "labelstudio"
    format_name = "Label Studio JSON"
    extensions = (".json",)

    def __init__(
        self, *args, text_key: str | None = None, from_name: str | None = None, include_predictions=False, **kw
    ):
        super().__init__(*args, **kw)
        self.text_key, self.from_name, self.include_predictions = text_key, from_name, bool(include_predictions)
        self.unannotated: list[str] = []

    def read_file(self, path: Path, base: Path) -> Iterator[Article]:
        try:
            tasks = json.loads(read_text(path))
        except json.JSONDecodeError as e:
            raise DatelineError(f"not JSON: {e.msg} (line {e.lineno}, column {e.colno})", path) from None
        tasks = [tasks] if isinstance(tasks, dict) and ("data" in tasks or "annotations" in tasks) else tasks
        if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
            raise DatelineError("not a Label Studio JSON export (expected a list of tasks)", path)
        for n, task in enumerate(tasks, start=1):
            where = f"task {task.get('id', n)}"
            if not ("data" in task or "annotations" in task or ("text" in task and "label" in task)):
                raise DatelineError(
                    'not a Label Studio task (expected "data" and "annotations"; a CSV/TSV or CoNLL export '
                    "is read by data=conll or data=hf)",
                    path,
                    where,
                )
            text = task_text(task, self.text_key, path, where)
            data = task.get("data", {}) if isinstance(task.get("data"), dict) else {}
            doc_id = str(data.get("article_id", task.get("id", f"{path.stem}:{n}")))
            if "annotations" in task or "predictions" in task:
                chosen = [
                    a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")
                ]
                if not chosen and self.include_predictions:
                    chosen = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
                if not chosen:
                    self.unannotated.append(f"{path} ({where})")
                    continue
                results = chosen[0].get("result", [])
            else:  # JSON-MIN: the regions under the control tag's name, "label" by default
                results = task.get(self.from_name or "label") or []
            yield Article(doc_id, text, region_spans(results, text, path, where, self.from_name), path, where)


def labelstudio_task(article_id: str, text: str, spans, score: float, model_version: str) -> dict:
    """A task of Label Studio's import format with the model's spans as pre-annotations
    (`predictions`: a region's `score` is its confidence, the prediction's `score` the article's,
    which the data manager sorts on)."""
    result = [
        {
            "id": f"s{k}",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": a, "end": b, "text": text[a:b], "labels": [label]},
            **({"score": round(conf, 4)} if conf is not None else {}),
        }
        for k, (a, b, label, conf) in enumerate(sorted(spans), start=1)
    ]
    return {
        "data": {"text": text, "article_id": article_id},
        "predictions": [{"model_version": model_version, "score": round(score, 4), "result": result}],
    }


def labeling_config(labels: list[str]) -> str:
    """The project's labeling interface for these tasks (Settings > Labeling Interface > Code)."""
    inner = "".join(f'    <Label value="{label}"/>\n' for label in labels)
    return f'<View>\n  <Labels name="label" toName="text">\n{inner}  </Labels>\n  <Text name="text" value="$text"/>\n</View>\n'
