"""The rooms' order (docs/architecture.md): dateline/ → data/ → training/ → tagging/ → eval/ →
bench/; a module imports only its own room and the rooms to its left, at the top of a file or
inside a function alike. `dateline/cli.py` starts jobs by module name (strings), not imports."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from dateline.paths import PROJECT_ROOT

# folder -> (package, rank): a room may import rooms of a lower or equal rank
ROOMS = {
    "dateline": ("dateline", 0),
    "data": ("dateline.data", 1),
    "training": ("dateline.training", 2),
    "tagging": ("dateline.tagging", 3),
    "eval": ("dateline.eval", 4),
    "bench": ("dateline.bench", 5),
}


def room_of(module: str) -> str | None:
    """The folder a `dateline…` module lives in (the longest package that holds it)."""
    best = None
    for folder, (package, _) in ROOMS.items():
        if (module == package or module.startswith(package + ".")) and (
            best is None or len(package) > len(ROOMS[best][0])
        ):
            best = folder
    return best


def imported(node: ast.AST) -> list[str]:
    """The modules an import statement names; `from dateline import training` names the subpackage."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [f"{node.module}.{a.name}" for a in node.names] if node.module == "dateline" else [node.module]
    return []


def arrows_back(root: Path) -> list[str]:
    """Every import under `root`'s rooms that points to a room to the right, as `file:line a -> b`."""
    found = []
    for folder, (_, rank) in ROOMS.items():
        for path in sorted((root / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
                for module in imported(node):
                    target = room_of(module)
                    if target and ROOMS[target][1] > rank:
                        found.append(f"{path.relative_to(root)}:{node.lineno} {folder} -> {target} ({module})")
    return found


def test_no_room_imports_one_to_its_right():
    assert arrows_back(PROJECT_ROOT) == []


def test_the_walk_sees_the_rooms_modules():
    """The walk reads real files: the rooms hold dozens of modules and their imports point left."""
    modules = [p for folder in ROOMS for p in (PROJECT_ROOT / folder).rglob("*.py")]
    assert len(modules) > 50
    assert room_of("dateline.data.readers.brat") == "data" and room_of("dateline.io") == "dateline"


def test_an_arrow_back_planted_in_a_copy_is_found(tmp_path):
    """A copy of the rooms with one import added inside a function of data/ (to training/), and
    one at the top of dateline/ (to eval/): both are reported, with their file and line."""
    for folder in ROOMS:
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    text = tmp_path / "data" / "text.py"
    text.write_text(text.read_text() + "\n\ndef planted():\n    from dateline.training.model import ModelSpec\n")
    io = tmp_path / "dateline" / "io.py"
    io.write_text("from dateline import eval as _planted\n" + io.read_text())
    found = arrows_back(tmp_path)
    assert len(found) == 2
    assert found[0] == "dateline/io.py:1 dateline -> eval (dateline.eval)"
    assert found[1].startswith("data/text.py:") and found[1].endswith("data -> training (dateline.training.model)")
