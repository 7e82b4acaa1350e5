"""`dateline data` (`make data`): fetch the public ECB+ release into data/corpora/ when no local copy exists.

The release is a zip (sometimes holding further zips); whatever its nesting, the folder that
holds `ECBplus_coreference_sentences.csv` and `ECB+/` is moved to `data/corpora/ecbplus/`.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.request
import zipfile
from pathlib import Path

from dateline.cli import hydra_entry
from dateline.data.readers.ecbplus import GOLD_SENTENCES, find_corpus
from dateline.errors import CorpusNotFoundError, DatelineError
from dateline.paths import PROJECT_ROOT, candidate_dirs

ECBPLUS_URL = "https://github.com/cltl/ecbPlus/raw/master/ECB+_LREC2014.zip"


def existing_copy() -> Path | None:
    for root in candidate_dirs():
        try:
            return find_corpus(root)
        except CorpusNotFoundError:
            continue
    return None


def _extract_all(archive: Path, into: Path) -> None:
    """Extract a zip and any zips inside it, refusing paths that escape `into`."""
    with zipfile.ZipFile(archive) as zf:
        for member in zf.namelist():
            target = (into / member).resolve()
            if not str(target).startswith(str(into.resolve())):
                raise DatelineError(f"unsafe path in archive: {member}", archive)
        zf.extractall(into)
    for inner in sorted(into.rglob("*.zip")):
        if not inner.exists():  # already unpacked by a nested call
            continue
        inner.rename(moved := inner.with_name(inner.name + ".part"))
        _extract_all(moved, inner.parent)  # an inner ECB+.zip holds the ECB+/ folder itself
        moved.unlink()


def download_ecbplus(url: str = ECBPLUS_URL, dest: Path | None = None, timeout: float = 60) -> Path:
    """Download and unpack ECB+ to `dest/ecbplus`; returns that folder."""
    dest = Path(dest or PROJECT_ROOT / "data" / "corpora")
    target = dest / "ecbplus"
    with tempfile.TemporaryDirectory(dir=dest.parent if dest.parent.exists() else None) as tmp:
        archive = Path(tmp) / "ecbplus.zip"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response, archive.open("wb") as f:
                shutil.copyfileobj(response, f)
        except OSError as e:
            raise DatelineError(f"download failed: {e}", url) from None
        if not zipfile.is_zipfile(archive):
            raise DatelineError("the download is not a zip archive", url)
        unpacked = Path(tmp) / "unpacked"
        _extract_all(archive, unpacked)
        found = [p.parent for p in unpacked.rglob(GOLD_SENTENCES)]
        roots = [p for p in found if (p / "ECB+").is_dir()]
        if not roots:
            # the csv may sit beside a folder that holds ECB+/ one level down
            for csv_dir in found:
                nested = [d for d in csv_dir.rglob("ECB+") if d.is_dir()]
                if nested:
                    shutil.move(str(nested[0]), csv_dir / "ECB+")
                    roots = [csv_dir]
                    break
        if not roots:
            raise DatelineError(f"the archive holds no {GOLD_SENTENCES} beside an ECB+/ folder", url)
        dest.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        shutil.move(str(roots[0]), target)
    return target


@hydra_entry("data_download")
def main(cfg) -> None:
    copy = None if cfg.force else existing_copy()
    if copy:
        print(f"ECB+ already available at {copy}; nothing to download (force=true fetches it anyway)")
        return
    print(f"ECB+ downloaded to {download_ecbplus(cfg.url, Path(cfg.dest))}")


if __name__ == "__main__":
    main()
