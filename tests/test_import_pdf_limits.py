"""Hostile PDFs meet the importer's limits: refused plainly, quickly, with nothing written."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from pypdf import PdfWriter

from timsite.importer.limits import MAX_PAGES, MAX_STREAM_BYTES, ImportRefused
from timsite.importer.run import import_bulletin

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    (root / "bulletins" / "025-spring-2002.md").unlink()
    return root


def files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def blank_pdf(path: Path, pages: int) -> None:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    with path.open("wb") as handle:
        writer.write(handle)


def bomb_pdf(path: Path, inflated: int) -> None:
    """One page whose content stream is `inflated` bytes of zeros, deflated to a few hundred KB."""
    deflate = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    stream = b"".join(deflate.compress(chunk) for _ in range(inflated >> 20)) + deflate.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def test_a_pdf_with_ten_thousand_pages_is_refused_before_parsing(tmp_path: Path, content: Path) -> None:
    source = tmp_path / "pages.pdf"
    blank_pdf(source, 10_000)
    before = files(content)
    with pytest.raises(ImportRefused, match=rf"10,000 pages; a bulletin issue has at most {MAX_PAGES}"):
        import_bulletin(source, content)
    assert files(content) == before


def test_a_zip_bomb_stream_is_refused_before_any_parser_inflates_it(tmp_path: Path, content: Path) -> None:
    source = tmp_path / "bomb.pdf"
    bomb_pdf(source, 4 * MAX_STREAM_BYTES)
    assert source.stat().st_size < MAX_STREAM_BYTES // 64, "the bomb is not small"
    before = files(content)
    with pytest.raises(ImportRefused, match="zip bomb"):
        import_bulletin(source, content)
    assert files(content) == before


def test_a_scan_without_a_text_layer_names_ocrmypdf(tmp_path: Path, content: Path) -> None:
    source = tmp_path / "scan.pdf"
    blank_pdf(source, 4)
    with pytest.raises(ImportRefused, match="OCRmyPDF"):
        import_bulletin(source, content)


def test_a_damaged_pdf_is_refused_by_the_command_without_a_traceback(tmp_path: Path, content: Path) -> None:
    source = tmp_path / "damaged.pdf"
    source.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n" + b"\xff" * 4000)
    before = files(content)
    run = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "import", "bulletin", str(source)]
    done = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 1 and "not imported" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert files(content) == before
