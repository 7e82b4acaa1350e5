"""Corpus readers, the document model and label schemes. Knows nothing of models."""
