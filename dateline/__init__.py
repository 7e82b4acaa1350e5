"""dateline: fine-tune, apply and evaluate taggers of events and actors in news articles.

This folder is the package root: the command line (`cli.py`) and what every room shares —
errors, atomic I/O, paths, run directories, provenance. The rooms are the top-level folders
data/ -> training/ -> tagging/ -> eval/, installed as `dateline.data` and so on
(pyproject.toml)."""
