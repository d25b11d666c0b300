"""The consumption CSV appears whole or not at all: a failed write keeps the file that was
there and leaves no temporary file behind."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from dairy_desktop.db.database import Database
from dairy_desktop.domain.consumption import Grouping
from dairy_desktop.services.consumption_csv import write_report_csv
from dairy_desktop.services.consumption_report import consumption_report
from dairy_desktop.services.file_replace import ExportFailed
from tests.integration.consumption_stock import seed


def test_a_new_report_replaces_the_old_file_whole(database: Database, tmp_path: Path) -> None:
    seed(database)
    target = tmp_path / "report.csv"
    target.write_text("old contents that are longer than the new file will be\n" * 100)
    assert write_report_csv(consumption_report(database, by=Grouping.DAY), target) == 4
    with target.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert [row[0] for row in rows] == ["row", "group", "group", "group", "group", "total"]
    assert list(tmp_path.iterdir()) == [target]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(database)
    report = consumption_report(database)
    target = tmp_path / "report.csv"
    target.write_text("yesterday's report\n")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(ExportFailed, match=r"No space left on device\. Nothing was saved\."):
        write_report_csv(report, target)
    assert target.read_text() == "yesterday's report\n"
    assert list(tmp_path.iterdir()) == [target]
