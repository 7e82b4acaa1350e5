"""Event records: modality labels and loss, linking actors to events, scoring against gold."""

import json
import shutil
from pathlib import Path

import pytest
import torch

from dateline.data.document import Span
from dateline.data.text import document_from_text
from dateline.errors import DatelineError
from dateline.eval.records import mode_scores, read_gold_records, score_records
from dateline.tagging.records import Found, document_records
from dateline.training.modality import MODES, Example, marked_row, mode_of_meantime, mode_weights
from dateline.training.position_head import partial_label_loss, trained_alike

GOLD = Path(__file__).parent / "data" / "tass_putin_trump_apec.records.jsonl"
ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "heldout" / "tass_putin_trump_apec.txt"


@pytest.mark.parametrize(
    "attrs, mode",
    [
        ({"polarity": "NEG", "time": "FUTURE"}, "negated"),
        ({"polarity": "POS", "time": "FUTURE", "certainty": "PROBABLE"}, "planned"),
        ({"polarity": "POS", "time": "NON_FUTURE", "certainty": "POSSIBLE"}, "uncertain"),
        ({"polarity": "POS", "time": "NON_FUTURE", "certainty": "CERTAIN"}, "asserted"),
        ({}, "asserted"),
    ],
)
def test_meantime_attributes_give_one_mode(attrs, mode):
    assert mode_of_meantime(attrs) == mode


def test_partial_label_loss_is_cross_entropy_for_one_mode_and_set_mass_for_several():
    logits = torch.tensor([[2.0, 0.5, -1.0, 0.0]])
    one = torch.tensor([[0.0, 1.0, 0.0, 0.0]])
    assert partial_label_loss(logits, one).item() == pytest.approx(
        torch.nn.functional.cross_entropy(logits, torch.tensor([1])).item(), abs=1e-6
    )
    not_negated = torch.tensor([[1.0, 0.0, 1.0, 1.0]])
    p = torch.softmax(logits, -1)[0]
    assert partial_label_loss(logits, not_negated).item() == pytest.approx(
        -torch.log(p[0] + p[2] + p[3]).item(), abs=1e-6
    )


def test_rare_modes_weigh_by_inverse_frequency_capped_and_partial_labels_do_not_count():
    ex = [Example(("w",), 0, 1, (m,)) for m in ["asserted"] * 40 + ["planned"] * 10 + ["negated"] * 2]
    ex += [Example(("w",), 0, 1, ("asserted", "planned", "uncertain"))] * 100
    assert mode_weights(ex, power=1.0) == {"asserted": 1.0, "planned": 4.0, "negated": 5.0, "uncertain": 1.0}
    assert mode_weights(ex, power=0.5)["planned"] == pytest.approx(2.0)


def test_cross_validation_reuses_a_fold_model_only_when_trained_alike(tmp_path: Path):
    sources = {"ecb_limit": 3000, "tbaq": False, "tbaq_limit": 1000}
    same = {"epochs": 8, "weight_power": 1.0, "sources": sources}
    assert not trained_alike(tmp_path, "modality.json", **same)
    (tmp_path / "modality.json").write_text(json.dumps(same))
    assert trained_alike(tmp_path, "modality.json", **same | {"sources": dict(sources)})
    assert not trained_alike(tmp_path, "modality.json", **same | {"weight_power": 0.5})
    assert not trained_alike(tmp_path, "modality.json", **same | {"epochs": 5})
    assert not trained_alike(tmp_path, "modality.json", **same | {"sources": sources | {"tbaq": True}})
    assert not trained_alike(tmp_path, "linker.json", **same)  # another model's meta file
    (tmp_path / "modality.json").write_text(json.dumps({"epochs": 8, "weight_power": 1.0}))
    assert not trained_alike(tmp_path, "modality.json", **same)  # sources unrecorded: trained otherwise


def test_the_layers_a_model_keeps_whatever_the_setting_says():
    """A fold model's meta records the layers it kept: all of MiniLM's six for layers=null or
    deeper, so modality-cv finds it again under the same setting."""
    from dateline.training.position_head import kept_layers

    assert [kept_layers(None, n) for n in (None, 3, 6, 10)] == [6, 3, 6, 6]


def test_event_is_marked_with_its_context_cut_to_a_window():
    words = [f"w{i}" for i in range(100)]
    marked, at, types = marked_row(words, [(50, 52)], marking="words")
    assert at == [25] and marked[24:28] == ["<<", "w50", "w51", ">>"] and marked[0] == "w26" and marked[-1] == "w75"
    assert set(types) == {0}
    # token types: no word added, type 1 on the event's words only
    plain, at, types = marked_row(words, [(50, 52), (60, 61)], marking="types")
    assert plain == words[26:85] and at == [24, 34] and plain[24] == "w50"
    assert [plain[i] for i, t in enumerate(types) if t] == ["w50", "w51", "w60"]
    with pytest.raises(DatelineError, match="marking must be one of types, words"):
        marked_row(words, [(50, 52)], marking="bold")


def article():
    text = "North Korea fired missiles at Japan. Putin and Trump are likely to meet."
    return document_from_text("a", text)


def span(doc, text: str, label: str) -> Found:
    start = doc.text.index(text)
    toks = [i for i, t in enumerate(doc.tokens) if start <= t.start < start + len(text)]
    return Found(Span(toks[0], toks[-1] + 1, label), 0.9)


def test_nearest_links_the_coordinated_actors_before_the_event_and_no_recipient():
    doc = article()
    spans = [span(doc, *x) for x in [("North Korea", "ACTOR"), ("fired", "EVENT"), ("Japan", "ACTOR")]]
    spans += [span(doc, *x) for x in [("Putin", "ACTOR"), ("Trump", "ACTOR"), ("meet", "EVENT")]]
    modes = {spans[5].span: ("planned", 0.8)}
    fired, meet = document_records(doc, spans, modes, linking="nearest")
    assert (fired["event_text"], [a["text"] for a in fired["actor"]], fired["recipient"]) == (
        "fired",
        ["North Korea"],
        [],
    )
    assert fired["mode"] == "asserted" and meet["mode"] == "planned" and meet["mode_confidence"] == 0.8
    assert [a["text"] for a in meet["actor"]] == ["Putin", "Trump"] and meet["recipient"] == []
    assert doc.text[fired["event_start"] : fired["event_end"]] == "fired" and meet["sentence"].startswith("Putin")
    # an actor is never linked across a sentence boundary: Japan is not an actor of "meet"
    assert "Japan" not in [a["text"] for a in meet["actor"]]
    with pytest.raises(DatelineError, match="linking must be one of position, nearest"):
        document_records(doc, spans, modes, linking="phrase")


def test_position_rule_takes_the_actor_right_after_the_event_as_its_recipient():
    doc = document_from_text(
        "b",
        "North Korea provoked the United States, Japan and South Korea. Peskov said on Tuesday that Moscow would wait.",
    )
    names = ["North Korea", "United States", "Japan", "South Korea", "Peskov", "Moscow"]
    spans = [span(doc, n, "ACTOR") for n in names] + [span(doc, e, "EVENT") for e in ("provoked", "said", "wait")]
    spans.sort(key=lambda f: f.span.start)
    provoked, said, wait = document_records(doc, spans, {}, linking="position")
    assert [a["text"] for a in provoked["actor"]] == ["North Korea"]
    assert [a["text"] for a in provoked["recipient"]] == ["United States", "Japan", "South Korea"]
    # between "said" and Moscow stand words that are no determiner or preposition: no recipient;
    # and no actor follows "wait"
    assert said["recipient"] == [] and [a["text"] for a in said["actor"]] == ["Peskov"]
    assert wait["recipient"] == [] and [a["text"] for a in wait["actor"]] == ["Moscow"]
    # nearest, the same actors, links no recipient
    assert document_records(doc, spans, {}, linking="nearest")[0]["recipient"] == []


def test_scores_count_events_links_modes_and_whole_records():
    gold = [
        {"event_start": 0, "event_end": 5, "mode": "asserted", "actor": [{"start": 10, "end": 12}], "recipient": []},
        {"event_start": 20, "event_end": 25, "mode": "planned", "actor": [], "recipient": [{"start": 30, "end": 33}]},
    ]
    pred = [
        {"event_start": 0, "event_end": 5, "mode": "asserted", "actor": [{"start": 10, "end": 12}], "recipient": []},
        {"event_start": 20, "event_end": 25, "mode": "asserted", "actor": [{"start": 30, "end": 33}], "recipient": []},
        {"event_start": 40, "event_end": 44, "mode": "asserted", "actor": [], "recipient": []},
    ]
    s = score_records(gold, pred)
    assert (s["events"]["tp"], s["events"]["pred"], s["events"]["gold"]) == (2, 3, 2)
    assert s["links_actor"]["tp"] == 1 and s["links_recipient"]["recall"] == 0.0 and s["links"]["precision"] == 0.5
    assert (s["records"]["tp"], s["records"]["precision"], s["records"]["recall"]) == (1, pytest.approx(1 / 3), 0.5)
    assert s["mode_on_found_events"]["accuracy"] == 0.5
    m = mode_scores(["asserted", "planned", "negated"], ["asserted", "asserted", "negated"])
    assert m["per_mode"]["planned"]["recall"] == 0.0 and m["macro_f1"] == pytest.approx((2 / 3 + 0 + 1) / 3)
    assert set(m["per_mode"]) == set(MODES)


@pytest.mark.skipif(not ARTICLE.is_file(), reason="needs ../shared/heldout")
def test_gold_records_of_the_users_article_match_its_text_and_brat_events():
    text = ARTICLE.read_text(encoding="utf-8")
    gold = read_gold_records(GOLD, text)
    events = {
        (int(a), int(b))
        for line in ARTICLE.with_suffix(".ann").read_text().splitlines()
        for _, lab, _ in [line.split("\t")]
        for kind, a, b in [lab.split()]
        if kind == "EVENT"
    }
    assert {(r["event_start"], r["event_end"]) for r in gold} == events
    by_text = {r["event_text"]: r for r in gold}
    assert by_text["determined"]["mode"] == "negated"
    fired = by_text["fired"]
    assert [a["text"] for a in fired["actor"]] == ["North Korea"]


@pytest.mark.parametrize(
    "edit, problem",
    [
        (lambda r: r.update(mode="maybe"), "mode in"),
        (lambda r: r.update(event_end=10**6), "not inside"),
        (lambda r: r.update(event_text="x"), "differs"),
        (lambda r: r.update(actor="Putin"), "'actor' must be a list"),
    ],
)
def test_malformed_gold_record_is_refused_with_file_and_line(tmp_path: Path, edit, problem):
    text = "Putin will meet Trump."
    rec = {"event_start": 11, "event_end": 15, "event_text": "meet", "mode": "planned", "actor": [], "recipient": []}
    path = tmp_path / "g.jsonl"
    edit(rec)
    path.write_text("\n" + json.dumps(rec) + "\n")
    with pytest.raises(DatelineError) as err:
        read_gold_records(path, text)
    assert str(path) in str(err.value) and "line 2" in str(err.value) and problem in str(err.value)


def tiny_encoder(path: Path, **config) -> Path:
    """A tiny random BERT with MiniLM's vocabulary, saved as a pretrained encoder (offline);
    `config` overrides its settings."""
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    from dateline.paths import minilm_path

    cfg = AutoConfig.for_model(
        "bert",
        **{
            "vocab_size": 30522,
            "hidden_size": 32,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "intermediate_size": 64,
            **config,
        },
    )
    AutoModel.from_config(cfg).save_pretrained(path)
    AutoTokenizer.from_pretrained(minilm_path()).save_pretrained(path)
    return path


def test_an_encoder_without_token_types_is_refused_for_type_marking(tmp_path: Path):
    from dateline.training.modality import Example, train

    encoder = tiny_encoder(tmp_path / "enc", type_vocab_size=1)
    with pytest.raises(DatelineError, match="no token types.*marking=words"):
        train([Example(("They", "met"), 1, 2)], tmp_path / "m", encoder=str(encoder), epochs=1)


@pytest.mark.slow
def test_records_from_tiny_models_through_predict_and_eval(corpus_dir: Path, tmp_path: Path):
    from dateline.tagging.modality import ModalityClassifier
    from dateline.training.modality import Example, train
    from tests.entry import run, train_tiny
    from tests.test_roles import make_roles_corpus, train_tiny_roles

    events = train_tiny(corpus_dir, tmp_path / "events")
    examples = [Example(("Putin", "will", "meet", "Trump"), 2, 3, ("planned",)), Example(("They", "met"), 1, 2)]
    modality = tmp_path / "modality"
    meta = train(examples * 4, modality, encoder=str(tiny_encoder(tmp_path / "enc")), epochs=1, layers=1)
    assert meta["examples_by_label"] == {"planned": 4, "asserted|negated|planned|uncertain": 4}
    # the encoder's first layer kept (of the tiny one's two), saved so, the events marked by token type
    assert meta["layers"] == 1 and meta["marking"] == "types"
    assert ModalityClassifier(modality).model.config.num_hidden_layers == 1
    older = tmp_path / "older"  # a model trained before markings had a name read its events between << and >>
    shutil.copytree(modality, older)
    (older / "modality.json").write_text(json.dumps({k: v for k, v in meta.items() if k != "marking"}))
    assert ModalityClassifier(older).marking == "words" and ModalityClassifier(modality).marking == "types"

    # an ensemble directory averages its members' probabilities
    ensemble = tmp_path / "modality_ensemble"
    ensemble.mkdir()
    (ensemble / "modality.json").write_text(json.dumps({"members": ["../modality", "../modality"]}))
    events_in = [(["Putin", "will", "meet", "Trump"], 2, 3), (["They", "met"], 1, 2)]
    single = ModalityClassifier(modality).probabilities(events_in)
    assert single.shape == (2, 4) and abs(single.sum(axis=1) - 1).max() < 1e-5
    assert abs(ModalityClassifier(ensemble).probabilities(events_in) - single).max() < 1e-6
    # the events of one sentence are read in one row; each answer goes back to its event
    two = ["Putin", "will", "meet", "Trump", "and", "talk"]
    many = [(two, 2, 3), (["They", "met"], 1, 2), (two, 5, 6)]
    fp32 = ModalityClassifier(modality, precision="fp32")
    assert (
        fp32.reading == "sentence" and abs(fp32.probabilities(many) - fp32.probabilities(many[::-1])[::-1]).max() < 1e-5
    )
    # batches on two worker threads (as `make tag` in one process runs them): the same answers, in order
    threaded = ModalityClassifier(modality, batch_size=1, precision="fp32", workers=2)
    assert abs(threaded.probabilities(many) - fp32.probabilities(many)).max() < 1e-5

    text = "Putin and Trump are likely to discuss North Korea, Peskov said.\nNorth Korea fired missiles over Japan.\n"
    article = tmp_path / "article.txt"
    article.write_text(text)
    # a tiny model trained one epoch may tag nothing; a strong `O` penalty in its decoding makes it
    # tag every word, so there are events (and actors) to link and records to check
    eager = tmp_path / "eager"
    shutil.copytree(events, eager)
    meta = json.loads((eager / "dateline.json").read_text())
    (eager / "dateline.json").write_text(json.dumps({**meta, "o_bias": 50.0}))
    out = tmp_path / "out"
    # the position rule (the baseline linking; the learned default is tested in test_linker.py)
    pred = run(
        "predict",
        f"ckpt={eager}",
        f"file={article}",
        f"out={out}",
        "format=records",
        f"modality={modality}",
        "linking=position",
    )
    assert pred.returncode == 0, pred.stderr[-3000:]
    lines = [json.loads(x) for x in pred.stdout.splitlines()]
    assert lines == [json.loads(x) for x in (out / "article.records.jsonl").read_text().splitlines()]
    assert lines  # records to check (their linking rules are tested on known spans above)
    for rec in lines:
        assert {"article_id", "event_text", "mode", "actor", "recipient", "sentence", "confidence"} <= set(rec)
        assert text[rec["event_start"] : rec["event_end"]] == rec["event_text"] and rec["mode"] in MODES
        assert all(text[a["start"] : a["end"]] == a["text"] for role in ("actor", "recipient") for a in rec[role])
        # position: actors before their event, recipients after it
        assert all(a["end"] <= rec["event_start"] for a in rec["actor"])
        assert all(a["start"] >= rec["event_end"] for a in rec["recipient"])
    assert (out / "article.records.html").is_file()
    # dateline tag format=records writes the same records, one Parquet row each
    import pyarrow.parquet as pq

    tagged = run(
        "tag",
        f"input={article}",
        f"out={tmp_path / 'tagged'}",
        "format=records",
        f"ckpt={eager}",
        f"modality={modality}",
        "linking=position",
        "progress=false",
    )
    assert tagged.returncode == 0, tagged.stderr[-3000:]
    rows = pq.read_table(tmp_path / "tagged" / "part-000000.parquet").to_pylist()
    given = lambda items: [{k: v for k, v in a.items() if v is not None} for a in items]  # noqa: E731
    assert [(r["event_start"], r["mode"], given(r["actor"])) for r in rows] == [
        (r["event_start"], r["mode"], r["actor"]) for r in lines
    ]
    assert all(a["link_method"] == "position" for r in rows for a in r["actor"] + r["recipient"])
    nearest = run(
        "predict", f"ckpt={events}", f"file={article}", "format=records", f"modality={modality}", "linking=nearest"
    )
    assert nearest.returncode == 0, nearest.stderr[-3000:]
    assert all(r["recipient"] == [] for r in map(json.loads, nearest.stdout.splitlines()))
    # a model that tags no event and actor labels (a role tagger) is refused in one line
    roles = train_tiny_roles(
        make_roles_corpus(tmp_path / "roles_corpora"), tmp_path / "roles", "evaluate.enabled=false"
    )
    assert roles.returncode == 0, roles.stderr[-3000:]
    wrong = run(
        "predict", f"ckpt={tmp_path / 'roles' / 'model'}", f"file={article}", "format=records", f"modality={modality}"
    )
    assert wrong.returncode == 2 and "tags no event and actor labels" in wrong.stderr

    gold = tmp_path / "gold.jsonl"
    start = text.index("fired")
    korea = text.index("North Korea", start - 15)
    gold.write_text(
        json.dumps(
            {
                "event_start": start,
                "event_end": start + 5,
                "event_text": "fired",
                "mode": "asserted",
                "actor": [{"start": korea, "end": korea + 11, "text": "North Korea"}],
                "recipient": [],
            }
        )
        + "\n"
    )
    common = [f"ckpt={events}", f"modality={modality}", f"text={article}", f"gold={gold}", "linking=position"]
    ev = run("eval-records", *common, f"out={tmp_path / 'rec_eval'}", f"leaderboard_dir={tmp_path / 'board'}")
    assert ev.returncode == 0, ev.stderr[-3000:]
    saved = json.loads((tmp_path / "rec_eval" / "results.json").read_text())
    result = saved["results"]["records_heldout"]
    assert {"events", "links_actor", "links_recipient", "records", "mode_on_gold_events"} <= set(result)
    assert result["mode_on_gold_events"]["n"] == 1 and result["events"]["gold"] == 1
    assert saved["versions"] == {"records_heldout": 1} and len(saved["data_fingerprints"]["records_heldout"]) == 16
    board = (tmp_path / "board" / "leaderboard.csv").read_text().splitlines()
    assert board[0].endswith(",commit,dirty") and "records_heldout" in board[1]
    # leaderboard_dir=null writes no leaderboard anywhere, the working directory included
    quiet = run("eval-records", *common, f"out={tmp_path / 'rec_eval2'}", "leaderboard_dir=null", cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr[-3000:]
    assert not list(tmp_path.glob("leaderboard.*")) and (tmp_path / "rec_eval2" / "results.json").is_file()


def test_encoding_points_at_each_events_first_subword_even_far_into_a_sentence():
    from transformers import AutoTokenizer

    from dateline.paths import minilm_path
    from dateline.training.modality import Example, encode

    tok = AutoTokenizer.from_pretrained(minilm_path())
    words = tuple(f"word{i}" for i in range(40)) + ("skyrocketed", "today", "and", "skyrocketed")
    first = tok.tokenize("skyrocketed")[0]
    examples = [Example(words, 40, 41), Example(("They", "skyrocketed"), 1, 2, ("planned",)), Example(words, 43, 44)]
    cases = [(r, m) for r in ("sentence", "event") for m in ("types", "words")]
    for reading, marking in cases:
        enc = encode(examples, tok, {"planned": 2.0}, reading, marking)
        items = [[0, 2], [1]] if reading == "sentence" else [[0], [1], [2]]
        assert enc["items"] == items  # one sentence's events in one row, or one event a row
        for r, (ids, at) in enumerate(zip(enc["input_ids"], enc["event_index"])):
            assert all(tok.convert_ids_to_tokens(ids[i]) == first for i in at)
            if marking == "words":
                assert all(tok.convert_ids_to_tokens(ids[i - 1]) == "<" for i in at)  # the end of the "<<" marker
                assert "token_type_ids" not in enc or set(enc["token_type_ids"][r]) == {0}
            else:  # type 1 on every subword of the row's events, nothing else, no marker added
                typed = [tok.convert_ids_to_tokens(t) for t, k in zip(ids, enc["token_type_ids"][r]) if k]
                assert typed == tok.tokenize("skyrocketed") * len(at) and "<" not in tok.convert_ids_to_tokens(ids)
        weights = dict(zip(sum(enc["items"], []), sum(enc["weight"], [])))
        labels = dict(zip(sum(enc["items"], []), sum(enc["labels"], [])))
        assert weights == {0: 1.0, 1: 2.0, 2: 1.0} and labels[1] == [0.0, 0.0, 1.0, 0.0]


def test_a_long_sentence_is_read_in_rows_each_event_once_with_its_context():
    from dateline.training.modality import CONTEXT_WORDS, ROW_WORDS, Example, rows_of

    words = tuple(f"w{i}" for i in range(300))
    events = [Example(words, k, k + 2, source=f"doc@{k}") for k in (0, 10, 90, 95, 200, 297)]
    events.append(Example(words, 10, 12, source="other@10"))  # the same words in another document
    assert [row[0] for row in rows_of(events)] == [  # token types: the same rows, no marker words
        [w for w in row[0] if w not in ("<<", ">>")] for row in rows_of(events, marking="words")
    ]
    rows = rows_of(events, marking="words")
    assert sorted(sum((group for _, _, group, _ in rows), [])) == list(range(len(events)))
    for marked, at, group, _ in rows:
        plain = [w for w in marked if w not in ("<<", ">>")]
        assert len(plain) <= ROW_WORDS and len({events[i].source.split("@")[0] for i in group}) == 1
        for i, k in zip(group, at):
            x = events[i]
            assert marked[k] == words[x.start] and marked[k - 1] == "<<"
            left, right = words[max(0, x.start - CONTEXT_WORDS) : x.start], words[x.end : x.end + CONTEXT_WORDS]
            assert " ".join(left) in " ".join(plain) and " ".join(right) in " ".join(plain)
