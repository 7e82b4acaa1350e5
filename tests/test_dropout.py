"""The cheaper dropout masks are dropout: the rate, the scaling, the gradient, the seed, the
attention they replace, and a model trained with them saves and loads like any other."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dateline.errors import DatelineError
from dateline.training import dropout as fd


@pytest.mark.parametrize("p", [0.1, 0.5])
def test_masks_keep_each_element_with_probability_one_minus_p(p: float):
    torch.manual_seed(0)
    keep = fd.keep_mask((1000, 1001), p)  # odd size: the last 64-bit word is only partly used
    assert keep.shape == (1000, 1001) and keep.dtype == torch.bool
    # 1e6 draws: the standard error of the fraction is < 0.0005
    assert keep.float().mean().item() == pytest.approx(1 - p, abs=0.002)
    # neighbours come from the same 64-bit word: they must not be correlated
    a, b = keep[:, 0:1000:2].float(), keep[:, 1:1001:2].float()
    assert ((a * b).mean() - a.mean() * b.mean()).abs().item() < 0.003
    assert fd.keep_mask((10, 10), 0.0).all()


def test_masks_follow_the_seed():
    torch.manual_seed(3)
    first, second = fd.keep_mask((64, 48), 0.1), fd.keep_mask((64, 48), 0.1)
    torch.manual_seed(3)
    assert torch.equal(first, fd.keep_mask((64, 48), 0.1))
    assert not torch.equal(first, second)


def test_dropout_zeroes_and_scales_and_its_gradient_follows_the_mask():
    torch.manual_seed(0)
    x = torch.randn(32, 48, 64, requires_grad=True)
    y = fd.fast_dropout(x, 0.2)
    dropped = y == 0
    assert 0.15 < dropped.float().mean().item() < 0.25
    torch.testing.assert_close(y[~dropped], x[~dropped] / 0.8)
    y.sum().backward()
    expected = torch.where(dropped, 0.0, 1 / 0.8)
    torch.testing.assert_close(x.grad, expected)
    assert fd.fast_dropout(x, 0.2, training=False) is x


def test_attention_equals_sdpa_without_dropout_and_softmax_attention_with_it():
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    torch.manual_seed(0)
    q, k, v = (torch.randn(2, 4, 7, 8) for _ in range(3))
    mask = torch.ones(2, 1, 7, 7, dtype=torch.bool)
    mask[0, :, :, 5:] = False  # padding in the first sequence
    module = nn.Module().eval()
    module.is_causal = False
    plain, _ = sdpa_attention_forward(module, q, k, v, mask, dropout=0.0)
    torch.testing.assert_close(fd.attention(module, q, k, v, mask, dropout=0.1)[0], plain)

    module.train()
    torch.manual_seed(1)
    out, _ = fd.attention(module, q, k, v, mask, dropout=0.1)
    torch.manual_seed(1)
    probs = torch.softmax((q @ k.transpose(2, 3) / 8**0.5).masked_fill(~mask, float("-inf")), dim=-1)
    keep = fd.keep_mask(probs.shape, 0.1)
    reference = ((probs * keep / 0.9) @ v).transpose(1, 2)
    torch.testing.assert_close(out, reference)
    assert (out[0] != 0).all()  # padded keys take no weight, but every query still gets an output


def test_install_swaps_every_dropout_and_the_model_saves_as_a_plain_one(tmp_path):
    from transformers import AutoModelForTokenClassification, BertConfig

    config = BertConfig(
        vocab_size=200, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, num_labels=3
    )
    model = AutoModelForTokenClassification.from_config(config).train()
    before = sum(type(m) is nn.Dropout for m in model.modules())
    assert fd.install(model) == before > 0
    assert not any(type(m) is nn.Dropout for m in model.modules())
    assert all(m.training for m in model.modules())
    assert model.config._attn_implementation == fd.ATTENTION
    ids = torch.randint(5, 200, (3, 12))
    model(input_ids=ids, labels=torch.zeros_like(ids)).loss.backward()
    assert model.classifier.weight.grad is not None

    model.save_pretrained(tmp_path)
    assert fd.ATTENTION not in (tmp_path / "config.json").read_text()
    loaded = AutoModelForTokenClassification.from_pretrained(tmp_path).eval()
    model.eval()
    torch.testing.assert_close(model(input_ids=ids).logits, loaded(input_ids=ids).logits)


def test_auto_means_cpu_only():
    assert fd.wanted("auto", "cpu") and not fd.wanted("auto", "cuda")
    assert fd.wanted(True, "cuda") and not fd.wanted("false", "cpu")
    with pytest.raises(DatelineError, match="trainer.fast_dropout must be one of"):
        fd.wanted("sometimes", "cpu")
