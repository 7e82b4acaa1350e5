"""Every figure on the front page and in the docs has its file: each relative link in the
README, docs/ and results/ pages points to a file or folder that is committed here."""

from __future__ import annotations

import re
from pathlib import Path

from dateline.paths import PROJECT_ROOT

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def broken_links(root: Path) -> list[str]:
    """`page: target` for each relative markdown link under `root` that names nothing there."""
    pages = [root / "README.md", *sorted((root / "docs").rglob("*.md")), *sorted((root / "results").rglob("*.md"))]
    broken = []
    for page in pages:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = (page.parent / target.split("#")[0]).resolve()
            if not path.exists():
                broken.append(f"{page.relative_to(root)}: {target}")
    return broken


def test_every_relative_link_in_the_pages_names_a_file_here():
    assert broken_links(PROJECT_ROOT) == []


def test_a_link_to_a_missing_file_is_reported(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "results" / "a").mkdir(parents=True)
    (tmp_path / "results" / "a" / "table.md").write_text("x")
    (tmp_path / "README.md").write_text(
        "[ok](results/a/table.md) [web](https://example.org) [gone](results/b/table.md)"
    )
    (tmp_path / "docs" / "page.md").write_text("[up](../results/a/table.md#row) [here](#top) [gone](../nothing.md)")
    assert broken_links(tmp_path) == ["README.md: results/b/table.md", "docs/page.md: ../nothing.md"]
