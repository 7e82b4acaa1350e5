"""Encoding words into windows, model building, the CRF, training entries (the tagger, the
modality classifier, ensembles). Hands tagging and eval a model directory."""
