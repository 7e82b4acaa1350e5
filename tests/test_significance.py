import numpy as np

from eval.significance import mean_counts, paired_test


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
