"""Encoding, model building, the training entry and the tagger. Hands eval a model directory."""
