"""Applying a trained model: the tagger (spans), decoding biases tuned on dev, event records,
the modality classifier at work, pseudo-labels, `dateline predict`. Uses `data/` and what
training saved; eval scores what it produces."""
