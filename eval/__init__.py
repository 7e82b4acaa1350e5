"""Tasks, span metrics, results and reports. Uses `data/` and the tagger; training never calls in."""
