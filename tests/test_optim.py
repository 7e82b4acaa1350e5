"""The optimizer's groups: the Trainer's weight-decay split and the CRF's own rate."""

import torch
from transformers import BertConfig, BertForTokenClassification

from dateline.training.crf import LinearChainCRF
from dateline.training.optim import parameter_groups


def test_crf_scores_learn_at_their_own_rate():
    model = torch.nn.Module()
    model.linear = torch.nn.Linear(2, 2)
    model.crf = LinearChainCRF(["O", "B-EVENT", "I-EVENT"])
    groups = parameter_groups(model, {"linear.weight"}, 0.01, 5e-3)
    assert [len(g["params"]) for g in groups] == [1, 1, 3]
    assert [g["weight_decay"] for g in groups] == [0.01, 0.0, 0.0]
    assert groups[2]["lr"] == 5e-3 and "lr" not in groups[0] and "lr" not in groups[1]


def test_every_trainable_parameter_is_in_exactly_one_group_and_frozen_ones_in_none():
    config = BertConfig(vocab_size=30, hidden_size=8, num_hidden_layers=2, num_attention_heads=2, intermediate_size=16)
    model = BertForTokenClassification(config)
    frozen = model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    groups = parameter_groups(model, {"classifier.weight"}, 0.01, 5e-3)
    ids = [id(p) for g in groups for p in g["params"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == {id(p) for p in model.parameters() if p.requires_grad} and id(frozen) not in ids
    assert [len(g["params"]) for g in groups][0] == 1 and len(groups) == 2  # no CRF: no third group
