"""Synthetic news-like text of any length, for memory and throughput checks on long articles."""

from __future__ import annotations

import random

WORDS = (
    "the president said talks with rebels would resume in Geneva on Monday after police arrested "
    "two suspects near the border while officials called the vote off and the minister did not attend "
    "a summit of leaders from Japan , Russia and the United States ; protesters marched through Seoul"
).split()


def news_like_text(n_words: int, seed: int = 0) -> str:
    """Sentences of 8-30 words drawn from a news vocabulary, six to a paragraph line."""
    rng, out, n = random.Random(seed), [], 0
    while n < n_words:
        k = rng.randint(8, 30)
        sentence = [rng.choice(WORDS) for _ in range(k)]
        out.append(" ".join([sentence[0].capitalize(), *sentence[1:]]) + " .")
        n += k + 1
    return "\n".join(" ".join(out[i : i + 6]) for i in range(0, len(out), 6))
