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


def hidden_first_sheet():
    """The first sheet `Lama` is hidden (old figures) and would read clean; the visible sheet
    `Capaian` is what the user sees and has one bad cell: the diagnostic must name
    `Capaian!C3`, proving the hidden sheet was not read."""
    wb = Workbook()
    old = wb.active
    old.title = "Lama"
    old.append(["indicator", "period", "value"])
    old.append(["sampah-diolah", "2023-08", 2100])
    old.sheet_state = "hidden"
    ws = wb.create_sheet("Capaian")
    ws.append(["indicator", "period", "value"])
    ws.append(["sampah-diolah", "2023-08", 210])
    ws.append(["sampah-diolah", "2023-09", "dua ratus"])  # C3
    wb.active = 1
    save(wb, "data-xlsx-hidden-first-sheet-not-read", "data/observations/capaian.xlsx")


def formula_without_result():
    """openpyxl writes formulas without their results (it does not compute): `Capaian!C3`
    must be reported, not read as an empty (not measured) value."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Capaian"
    ws.append(["indicator", "period", "value"])
    ws.append(["sampah-diolah", "2023-08", 210])
    ws.append(["sampah-diolah", "2023-09", "=62.5*2"])  # C3: no saved result
    ws.append(["sampah-diolah", "2023-10", 230])
    save(wb, "data-xlsx-formula-without-result", "data/observations/capaian.xlsx")


def percent_in_budget():
    """A budget amount in a cell formatted as a percentage (`Anggaran!E2`): refused, since a
    budget is never a percentage and reading either 0.8 or 80 would be a guess."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Anggaran"
    ws.append(["program", "year", "source", "planned", "realized"])
    ws.append(["daur-ulang", 2023, "apbd", 1000000, 0.8])
    ws["E2"].number_format = "0.0%"
    save(wb, "data-xlsx-percent-cell-in-budget", "data/budget/anggaran.xlsx")


def ambiguous_text_numbers():
    """Numbers typed as text in an xlsx, Indonesian style, with nothing that decides the
    convention: `231.450` (C3) is 231,45 or 231450. Reported once, with the count."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Capaian"
    ws.append(["indicator", "period", "value"])
    ws.append(["sampah-diolah", "2023-08", "210"])
    ws.append(["sampah-diolah", "2023-09", "231.450"])  # C3
    ws.append(["sampah-diolah", "2023-10", "48.300"])
    save(wb, "data-decimal-ambiguous-xlsx-text", "data/observations/capaian.xlsx")


def title_rows_above_header():
    """An OPD recap as sent, without a sidecar: a title row, a "Sumber:" row and a blank row
    above an Indonesian header (row 4). The diagnostic must name row 4, `skip_rows: 3` and the
    `columns:` mapping — not an empty header."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Capaian Indikator"
    ws.append(["CAPAIAN INDIKATOR PROGRAM SMART CITY KOTA CONTOH TAHUN 2023"])
    ws.append(["Sumber: Bappeda, diolah"])
    ws.append([])
    ws.append(["No", "Kode Indikator", "Periode", "Nilai", "Keterangan"])
    ws.append([1, "sampah-diolah", "2023-06", 120, None])
    ws.append([2, "sampah-diolah", "2023-07", 200, None])
    save(wb, "data-xlsx-title-rows-above-header", "data/observations/capaian.xlsx")


def data_on_second_sheet():
    """An instructions sheet first, the data on the second visible sheet, no sidecar: the
    first visible sheet is read and lacks the columns; the diagnostics name the other sheet."""
    wb = Workbook()
    info = wb.active
    info.title = "Petunjuk"
    info.append(["Isi lembar berikutnya. Jangan ubah judul kolom."])
    ws = wb.create_sheet("Capaian")
    ws.append(["indicator", "period", "value"])
    ws.append(["sampah-diolah", "2023-08", 210])
    save(wb, "data-xlsx-data-on-second-sheet", "data/observations/capaian.xlsx")


if __name__ == "__main__":
    data_on_second_sheet()
    title_rows_above_header()
    hidden_first_sheet()
    formula_without_result()
    percent_in_budget()
    ambiguous_text_numbers()
    non_numeric_cell()
    error_cell()
    named_sheet_skip_rows()
    missing_sheet()
    budget_negative()
    empty_sheet()
