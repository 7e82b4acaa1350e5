from pathlib import Path

import pytest
from hydra.utils import instantiate

from data.labels import LabelScheme
from training.model import ModelSpec

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONFIGS / group).glob("*.yaml"))


@pytest.mark.parametrize("labels", options("labels"))
def test_every_label_scheme(compose_cfg, labels):
    scheme = instantiate(compose_cfg("train", [f"labels={labels}"]).labels)
    assert isinstance(scheme, LabelScheme) and scheme.bio_labels[0] == "O" and len(scheme.entity_types) >= 2


@pytest.mark.parametrize("model", options("model"))
def test_every_model_config(compose_cfg, model):
    spec = instantiate(compose_cfg("train", [f"model={model}"]).model)
    assert isinstance(spec, ModelSpec) and spec.max_length > spec.stride > 0
    assert spec.pretrained or spec.config


@pytest.mark.parametrize("group", ["data", "trainer", "logger"])
def test_every_other_group(compose_cfg, group):
    for option in options(group):
        cfg = compose_cfg("train", [f"{group}={option}"])
        assert cfg[group] is not None


@pytest.mark.parametrize("experiment", options("experiment"))
def test_every_experiment(compose_cfg, experiment):
    cfg = compose_cfg("train", [f"experiment={experiment}"])
    assert isinstance(instantiate(cfg.labels), LabelScheme) and isinstance(instantiate(cfg.model), ModelSpec)


def test_experiments_only_override(compose_cfg):
    assert compose_cfg("train", ["experiment=recipe"]).data.extra == "none"
    assert compose_cfg("train", ["experiment=components"]).labels.name == "components"
    assert compose_cfg("train", ["experiment=smoke"]).model.name == "tiny"
    assert compose_cfg("train", ["experiment=default"]) == compose_cfg("train", [])


@pytest.mark.parametrize("task", options("tasks"))
def test_every_task(compose_cfg, task, corpus_dir):
    cfg = compose_cfg("eval", [f"tasks=[{task}]"])
    t = instantiate(cfg.tasks[task], corpora=str(corpus_dir), _convert_="all")
    assert t.name == task and t.version >= 1


def test_trainer_args_instantiate(compose_cfg, tmp_path):
    cfg = compose_cfg("train", [])
    args = instantiate(cfg.trainer.args, output_dir=str(tmp_path), _convert_="all")
    assert args.metric_for_best_model == "f1" and args.load_best_model_at_end


def test_tiny_model_builds_offline(compose_cfg):
    spec = instantiate(compose_cfg("train", ["model=tiny"]).model)
    model = spec.build(["O", "B-X", "I-X"])
    assert model.config.num_labels == 3 and spec.load_tokenizer().cls_token_id is not None


def test_gpu_trainer_adds_fused_optimizer_and_keeps_the_rest(compose_cfg):
    cpu, gpu = compose_cfg("train", []).trainer, compose_cfg("train", ["trainer=gpu"]).trainer
    assert gpu.precision == "auto" and gpu.args.optim == "adamw_torch_fused" and gpu.args.tf32
    assert gpu.args.train_sampling_strategy == cpu.args.train_sampling_strategy == "group_by_length"
    assert gpu.args.learning_rate == cpu.args.learning_rate
