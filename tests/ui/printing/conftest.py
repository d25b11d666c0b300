"""Qt, PDF and barcode helpers for the printing UI tests.

Offscreen Qt until a project-wide tests/conftest.py takes over that job.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from pypdf import PdfReader
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from dairy_desktop.domain.batch import Batch
from tests.support.factories import make_batch as _make_batch


@pytest.fixture(autouse=True)
def _qt(qapp: QApplication) -> QApplication:
    """Every test here paints, which needs a Q(Gui)Application."""
    return qapp


def pdf_page_texts(path: Path) -> list[str]:
    """Each page's text with runs of white space made single spaces (pypdf puts tabs and
    line breaks between the separately drawn words)."""
    texts = []
    for page in PdfReader(path).pages:
        text = unicodedata.normalize("NFKC", page.extract_text())
        texts.append(re.sub(r"\s+", " ", text))
    return texts


def rasterise(path: Path, out_dir: Path, dpi: int) -> list[Path]:
    """One grey-scale PGM per page, drawn by poppler (an independent PDF reader)."""
    prefix = out_dir / path.stem
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", str(path), str(prefix)],
        check=True,
        timeout=120,
    )
    return sorted(out_dir.glob(f"{path.stem}-*.pgm"))


def decode_barcodes(image_path: Path) -> list[zxingcpp.Barcode]:
    image = QImage(str(image_path))
    assert not image.isNull(), image_path
    return list(
        zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.Code128)
        )
    )


@pytest.fixture(scope="session")
def make_batch() -> Callable[..., Batch]:
    """Build a Batch expiring at a given instant."""
    return _make_batch


@pytest.fixture
def page_texts() -> Callable[[Path], list[str]]:
    return pdf_page_texts


@pytest.fixture
def decode_pdf(tmp_path: Path) -> Callable[[Path, int], list[list[zxingcpp.Barcode]]]:
    """Barcodes found on each page of a PDF rasterised at `dpi`."""

    def decode(path: Path, dpi: int) -> list[list[zxingcpp.Barcode]]:
        out = tmp_path / f"pages-{path.stem}-{dpi}"
        out.mkdir()
        return [decode_barcodes(page) for page in rasterise(path, out, dpi)]

    return decode
