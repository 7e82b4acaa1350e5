"""Tasks, span metrics, results, reports, comparison and significance. Uses `data/`, `training/`
and `tagging/`; nothing upstream calls in."""
