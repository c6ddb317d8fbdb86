#!/usr/bin/env python3
"""Regenerates the .xlsx fixtures of the corpus (tests/corpus/<case>/files/...).

Run from anywhere: `python3 tests/corpus/make_xlsx.py` (needs `pip install openpyxl`).
The workbooks are written with fixed document properties so that regenerating them changes
as little as possible; the cell contents are what the `expected` files depend on.
"""

import datetime
import os

from openpyxl import Workbook

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED = datetime.datetime(2023, 6, 13, 9, 0, 0)


def save(wb, case, rel):
    wb.properties.creator = "smartcity-eval corpus"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    path = os.path.join(HERE, case, "files", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    wb.save(path)
    print("wrote", os.path.relpath(path, HERE))


def non_numeric_cell():
    """A text value in the `value` column: the diagnostic must name `Capaian!C3`."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Capaian"
    ws.append(["indicator", "period", "value"])
    ws.append(["sampah-diolah", "2023-08", 210])
    ws.append(["sampah-diolah", "2023-09", "dua ratus"])  # C3
    ws.append(["sampah-diolah", "2023-10", 230])
    save(wb, "data-xlsx-non-numeric-cell", "data/observations/capaian.xlsx")


def error_cell():
    """A `#N/A` error cell (a failed VLOOKUP) in the `value` column: `Capaian!C4`."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Capaian"
    ws.append(["indicator", "period", "value"])
    ws.append(["sampah-diolah", "2023-08", 210])
    ws.append(["sampah-diolah", "2023-09", 220])
    ws.append(["sampah-diolah", "2023-10", "#N/A"])  # openpyxl stores this as an error cell
    save(wb, "data-xlsx-error-cell-na", "data/observations/capaian.xlsx")


def named_sheet_skip_rows():
    """Read through a sidecar: second sheet `Capaian 2023`, two title rows, Indonesian headers,
    a real Excel date in `Periode`, an ignored `Keterangan` column. All valid except one row
    whose indicator code is unknown: `'Capaian 2023'!A7` (the one intended error)."""
    wb = Workbook()
    info = wb.active
    info.title = "Petunjuk"
    info.append(["Isi lembar 'Capaian 2023'. Jangan ubah judul kolom."])
    ws = wb.create_sheet("Capaian 2023")
    ws.append(["Capaian Indikator Dinas Lingkungan Hidup"])
    ws.append(["Tahun 2023"])
    ws.append(["Kode Indikator", "Periode", "Nilai", "Keterangan"])
    ws.append(["sampah-diolah", "2023-08", 210, "laporan bulanan"])
    ws.append(["sampah-diolah", datetime.datetime(2023, 9, 30), 220, "tanggal Excel"])
    ws.append(["sampah-diolah", "2023-Q4", 240, None])
    ws.append(["sampah-plastik", "2023-10", 35, "kode salah"])  # row 7: unknown indicator
    save(wb, "data-xlsx-named-sheet-skip-rows-unknown-indicator", "data/observations/capaian-dlh.xlsx")


def missing_sheet():
    """The sidecar names a sheet the workbook does not have (`Capaian 2024` vs `Capaian 2023`)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Capaian 2023"
    ws.append(["indicator", "period", "value"])
    ws.append(["sampah-diolah", "2023-08", 210])
    save(wb, "data-xlsx-sheet-not-found", "data/observations/capaian.xlsx")


def budget_negative():
    """Budget workbook with a negative `realized` in `Anggaran!E3`."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Anggaran"
    ws.append(["program", "year", "source", "planned", "realized"])
    ws.append(["daur-ulang", 2024, "apbd", 1200000, 600000])
    ws.append(["daur-ulang", 2024, "csr", 300000, -50000])  # E3
    save(wb, "num-xlsx-budget-negative-realized", "data/budget/anggaran-2024.xlsx")


def empty_sheet():
    """A workbook whose only sheet is empty (the OPD sent the template back unfilled)."""
    wb = Workbook()
    wb.active.title = "Capaian"
    save(wb, "data-xlsx-empty-sheet", "data/observations/capaian.xlsx")


if __name__ == "__main__":
    non_numeric_cell()
    error_cell()
    named_sheet_skip_rows()
    missing_sheet()
    budget_negative()
    empty_sheet()
