from pathlib import Path

import pytest
from hydra.utils import instantiate

from dateline.data.labels import LabelScheme
from dateline.training.model import ModelSpec

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONFIGS / group).glob("*.yaml"))


@pytest.mark.parametrize("labels", options("labels"))
def test_every_label_scheme(compose_cfg, labels):
    scheme = instantiate(compose_cfg("train", [f"labels={labels}"]).labels)
    assert isinstance(scheme, LabelScheme) and scheme.bio_labels[0] == "O"
    assert scheme.bio_labels[1:] == [f"{p}-{t}" for t in scheme.entity_types for p in ("B", "I")]


@pytest.mark.parametrize("model", options("model"))
def test_every_model_config(compose_cfg, model):
    spec = instantiate(compose_cfg("train", [f"model={model}"]).model)
    assert isinstance(spec, ModelSpec) and spec.max_length > spec.stride > 0
    assert spec.pretrained or spec.config


def test_every_data_trainer_and_logger_option_composes_to_its_own_settings(compose_cfg, tmp_path):
    """Every data group names a registered reader class (no switch on reader names); a group of
    the user's own files takes its name from data.path and trains on its own labels."""
    from hydra.utils import get_class

    import dateline.data.readers as readers
    from dateline.data.readers import data_group, registered

    for option in options("data"):
        user = "common/user" in (CONFIGS / "data" / f"{option}.yaml").read_text()
        cfg = compose_cfg("train", [f"data={option}", *([f"data.path={tmp_path / 'mine'}"] if user else [])])
        reader = get_class(cfg.data.reader._target_)
        assert issubclass(reader, readers.Reader) and registered()[reader.name] is reader
        assert cfg.data.name == ("mine" if user else option) and cfg.data.task
        assert cfg.labels.name == ("from_data" if user else "events_actors")
        for other in cfg.data.also:  # every corpus joined in is a data group of its own
            assert data_group(other).reader._target_ != cfg.data.reader._target_
    for option in options("trainer"):
        args = compose_cfg("train", [f"trainer={option}"]).trainer.args
        assert args._target_ == "transformers.TrainingArguments" and args.num_train_epochs == 8
    for option in options("logger"):
        cfg = compose_cfg("train", [f"logger={option}"])
        assert list(cfg.logger.report_to) == ([] if option == "none" else [option])


def test_every_job_config_composes(compose_cfg):
    """Each `dateline <job>` has its config, with no interpolation left unresolvable."""
    from omegaconf import OmegaConf

    from dateline.cli import JOBS

    for job in JOBS:
        name = {"sweep": "train", "data": "data_download"}.get(job, job.replace("-", "_"))
        cfg = compose_cfg(name)
        assert OmegaConf.to_container(cfg, resolve=True)


@pytest.mark.parametrize("experiment", options("experiment"))
def test_every_experiment(compose_cfg, experiment):
    cfg = compose_cfg("train", [f"experiment={experiment}"])
    assert isinstance(instantiate(cfg.labels), LabelScheme) and isinstance(instantiate(cfg.model), ModelSpec)


def test_experiments_only_override(compose_cfg):
    assert compose_cfg("train", ["experiment=recipe"]).data.extra == "none"
    assert compose_cfg("train", ["experiment=components"]).labels.name == "components"
    assert compose_cfg("train", ["experiment=smoke"]).model.name == "tiny"
    assert compose_cfg("train", ["experiment=default"]) == compose_cfg("train", [])


def test_own_data_is_an_mpnet_tagger_fine_tuned_on_the_users_reader(compose_cfg, tmp_path):
    """experiment=own_data is what Study 15 measured: experiment=mpnet_gold fine-tuned from an
    experiment=mpnet_gold tagger of ECB+ (model.init=default), on data=brat unless the user
    names another reader."""
    mine = f"data.path={tmp_path / 'mine'}"
    measured = compose_cfg(
        "train", ["experiment=mpnet_gold", "data=brat", "model.init=default", "model.default_recipe=mpnet_gold", mine]
    )
    own = compose_cfg("train", ["experiment=own_data", mine])
    assert own == measured and own.model.name == "mpnet"
    jsonl = compose_cfg("train", ["experiment=own_data", "data=jsonl", mine])
    assert jsonl.data.reader._target_.endswith("JsonlReader") and jsonl.model.init == "default"


@pytest.mark.parametrize("task", options("tasks"))
def test_every_task(compose_cfg, task, corpus_dir):
    cfg = compose_cfg("eval", [f"tasks=[{task}]"])
    t = instantiate(cfg.tasks[task], _convert_="all")
    assert t.name == task and t.version >= 1 and t.data["reader"]["_target_"]


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
