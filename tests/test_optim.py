"""The optimizer's groups: the Trainer's weight-decay split, the CRF's own rate, and the rate
that shrinks layer by layer towards the embeddings."""

import torch
from transformers import BertConfig, BertForTokenClassification

from training.crf import LinearChainCRF
from training.optim import depth, parameter_groups


def test_crf_scores_learn_at_their_own_rate():
    model = torch.nn.Module()
    model.linear = torch.nn.Linear(2, 2)
    model.crf = LinearChainCRF(["O", "B-EVENT", "I-EVENT"])
    groups = parameter_groups(model, {"linear.weight"}, 0.01, 1e-4, 5e-3)
    assert [len(g["params"]) for g in groups] == [1, 1, 3]
    assert [g["weight_decay"] for g in groups] == [0.01, 0.0, 0.0]
    assert groups[2]["lr"] == 5e-3 and "lr" not in groups[0] and "lr" not in groups[1]


def test_layer_decay_gives_each_layer_its_rate_and_keeps_every_parameter():
    config = BertConfig(vocab_size=30, hidden_size=8, num_hidden_layers=3, num_attention_heads=2, intermediate_size=16)
    model = BertForTokenClassification(config)
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    groups = parameter_groups(model, {"classifier.weight"}, 0.01, 1e-4, 5e-3, layer_decay=0.5, num_layers=3)
    rate = {id(p): g.get("lr") for g in groups for p in g["params"]}
    named = dict(model.named_parameters())
    assert set(rate) == {id(p) for p in model.parameters() if p.requires_grad}
    assert rate[id(named["classifier.weight"])] == 1e-4
    assert rate[id(named["bert.encoder.layer.2.output.dense.weight"])] == 1e-4 * 0.5
    assert rate[id(named["bert.encoder.layer.0.output.dense.weight"])] == 1e-4 * 0.5**3
    assert rate[id(named["bert.embeddings.position_embeddings.weight"])] == 1e-4 * 0.5**4
    assert depth("bert.embeddings.LayerNorm.weight", 3) == 0 and depth("bert.pooler.dense.weight", 3) == 4
