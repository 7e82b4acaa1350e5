"""`make bench`: the harness against the plain Hugging Face recipe, side by side, one machine."""
