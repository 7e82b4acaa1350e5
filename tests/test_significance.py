import numpy as np

from dateline.eval.significance import mean_counts, paired_test, seed_test, verdict


def synthetic(n_docs: int, tp: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {f"d{i}": np.array([tp + rng.integers(0, 3), 10, 10], dtype=float) for i in range(n_docs)}


def test_identical_systems_are_not_different():
    a = synthetic(40, 6, 0)
    res = paired_test(a, dict(a), n=2000)
    assert res["delta_f1"] == 0.0 and res["p_value"] > 0.99
    assert res["ci_low"] <= 0.0 <= res["ci_high"] and not res["significant"]


def test_better_on_every_document_is_significant():
    a = synthetic(40, 5, 1)
    b = {d: c + np.array([2.0, 0.0, 0.0]) for d, c in a.items()}  # two more hits everywhere
    res = paired_test(a, b, n=2000)
    assert res["delta_f1"] > 0.15 and res["p_value"] < 0.01
    assert res["ci_low"] > 0 and res["significant"]


def test_seed_means_pair_documents():
    r1 = {"x": np.array([1.0, 2, 2]), "y": np.array([0.0, 1, 1])}
    r2 = {"x": np.array([3.0, 4, 4])}
    assert set(mean_counts([r1, r2])) == {"x"} and mean_counts([r1, r2])["x"].tolist() == [2.0, 3.0, 3.0]


def runs_shifted(shifts: list[float], n_docs: int = 40) -> list[dict[str, np.ndarray]]:
    """One run per shift: every document gets `shift` more hits (a run that trained better)."""
    base = synthetic(n_docs, 4, 7)
    return [{d: c + np.array([shift, 0.0, 0.0]) for d, c in base.items()} for shift in shifts]


def judged(a: list, b: list) -> dict:
    row = paired_test(mean_counts(a), mean_counts(b), n=2000) | seed_test(a, b, n=2000)
    return row | {"verdict": verdict(row)}


def test_three_runs_a_side_cannot_tell_configs_apart_at_five_percent():
    row = judged(runs_shifted([0, 0.2, 0.4]), runs_shifted([1.0, 1.2, 1.4]))
    assert row["significant"] and row["p_value"] < 0.01  # on documents: clear
    assert row["seed_p_value"] == row["seed_p_smallest"] == 0.1  # 2 of the 20 splits
    assert row["verdict"].startswith("documents only")


def test_five_runs_a_side_all_better_is_a_yes():
    row = judged(runs_shifted([0, 0.1, 0.2, 0.3, 0.4]), runs_shifted([1.0, 1.1, 1.2, 1.3, 1.4]))
    assert row["seed_p_value"] == 2 / 252 and row["seed_ci_low"] > 0
    assert row["verdict"] == "yes"


def test_a_gap_smaller_than_the_run_to_run_spread_is_training_noise():
    """Every B run is 0.5 hits per document above an A run, but the runs spread over 4 hits:
    on documents (runs fixed) that is significant, over runs it is not."""
    row = judged(runs_shifted([0, 1, 2, 3, 4]), runs_shifted([0.5, 1.5, 2.5, 3.5, 4.5]))
    assert row["significant"] and row["seed_p_value"] > 0.3
    assert row["seed_ci_low"] < 0 < row["seed_ci_high"]
    assert row["verdict"] == "no: within training noise"
