"""`make data` against a local HTTP server serving a release-shaped zip."""

import functools
import http.server
import threading
import zipfile
from pathlib import Path

import pytest

from dateline.data.download import download_ecbplus
from dateline.data.readers.ecbplus import iter_documents
from dateline.errors import DatelineError
from tests.ecbplus_fixture import make_ecbplus


@pytest.fixture
def server(tmp_path: Path):
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_download_unpacks_nested_release(server, tmp_path: Path):
    root, url = server
    corpus = make_ecbplus(tmp_path / "src", topics=(1, 36)) / "ecbplus"
    inner = tmp_path / "ECB+.zip"  # the release nests the ECB+ folder in a zip of its own
    with zipfile.ZipFile(inner, "w") as zf:
        for p in (corpus / "ECB+").rglob("*.xml"):
            zf.write(p, Path("ECB+") / p.relative_to(corpus / "ECB+"))
    with zipfile.ZipFile(root / "release.zip", "w") as zf:
        zf.write(inner, "ECB+_LREC2014/ECB+.zip")
        zf.write(corpus / "ECBplus_coreference_sentences.csv", "ECB+_LREC2014/ECBplus_coreference_sentences.csv")
    dest = tmp_path / "data" / "corpora"
    target = download_ecbplus(f"{url}/release.zip", dest)
    assert target == dest / "ecbplus"
    docs = list(iter_documents(dest))
    assert len(docs) == 6 and {d.meta["topic"] for d in docs} == {1, 36}


def test_download_errors_are_clear(server, tmp_path: Path):
    root, url = server
    (root / "page.html").write_text("<html>not a zip</html>")
    with pytest.raises(DatelineError, match="not a zip"):
        download_ecbplus(f"{url}/page.html", tmp_path / "d")
    with pytest.raises(DatelineError, match="download failed"):
        download_ecbplus(f"{url}/missing.zip", tmp_path / "d")
