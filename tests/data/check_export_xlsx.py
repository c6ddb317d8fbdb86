"""Reads a smartcity-eval xlsx export with openpyxl (an outside reader) and checks its shape.

Usage: python3 tests/data/check_export_xlsx.py out/kota-ambon-ringkasan.xlsx
"""
import sys

import openpyxl

EXPECTED = {
    "nilai": ["tahun", "instrumen", "aspek", "nama_aspek", "bobot", "nilai", "nilai_tertimbang",
              "pertanyaan", "dijawab", "nilai_akhir", "predikat", "peningkatan"],
    "dimensi": ["tahun", "dimensi", "nama_dimensi", "program_berjalan", "quick_win", "capaian_rata_rata",
                "anggaran_rencana", "anggaran_realisasi", "realisasi"],
    "program": ["tahun", "program", "nama_program", "opd", "dimensi", "subdimensi", "status", "quick_win",
                "capaian", "anggaran_rencana", "anggaran_realisasi", "realisasi"],
    "indikator": ["tahun", "indikator", "nama_indikator", "program", "satuan", "arah", "nilai", "target",
                  "capaian", "bulan_berdata", "cakupan", "ilustrasi"],
}
# Only for a workspace with indicators/rpjmd.yaml (docs/export.md).
RPJMD = ["misi", "tujuan", "sasaran", "nama_sasaran", "program_sasaran", "kode_program_sasaran",
         "indikator_rpjmd", "nama_indikator_rpjmd", "satuan", "baseline", "tahun_baseline", "tahun",
         "target", "program", "nama_program", "kode", "indikator_program", "nilai", "status", "ilustrasi"]


HISTORY = ["tahun", "nilai_akhir", "perubahan", "proyeksi", "instrumen", "instrumen_berubah", "tahap", "predikat",
           "peringkat", "sumber"]


def main(path):
    book = openpyxl.load_workbook(path)
    has_rpjmd = "rpjmd" in book.sheetnames
    # Only with published results of earlier years (indicators/results/ or `previous:`).
    has_history = "riwayat" in book.sheetnames
    expected_sheets = (["nilai", "dimensi", "program", "indikator"] + (["rpjmd"] if has_rpjmd else [])
                       + (["riwayat"] if has_history else []) + ["Info"])
    assert book.sheetnames == expected_sheets, book.sheetnames
    if has_rpjmd:
        sheet = book["rpjmd"]
        assert [c.value for c in sheet[1]][: len(RPJMD)] == RPJMD, [c.value for c in sheet[1]]
        assert sheet.freeze_panes == "A2" and sheet.max_row > 1
        # Years and targets are numbers, never text.
        for row in sheet.iter_rows(min_row=2, min_col=12, max_col=13, values_only=True):
            assert all(v is None or isinstance(v, (int, float)) for v in row), row
    if has_history:
        sheet = book["riwayat"]
        assert [c.value for c in sheet[1]] == HISTORY, [c.value for c in sheet[1]]
        finals = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert len(finals) >= 2 and all(isinstance(v, (int, float)) for v in finals), finals
    for name, columns in EXPECTED.items():
        sheet = book[name]
        header = [c.value for c in sheet[1]]
        assert header[: len(columns)] == columns, (name, header)
        assert sheet.freeze_panes == "A2", (name, sheet.freeze_panes)
        assert all(c.font.bold for c in sheet[1]), name
        assert sheet.max_row > 1, f"{name} has no rows"
        for row in sheet.iter_rows(min_row=2, max_col=1, values_only=True):
            assert isinstance(row[0], (int, float)), (name, row)
    nilai = book["nilai"]
    finals = {row[9] for row in nilai.iter_rows(min_row=2, values_only=True)}
    assert all(isinstance(v, float) and 0 <= v <= 4 for v in finals), finals
    # Money in Rupiah format; a year without budget rows is an empty cell, never Rp 0.
    planned = [c for c in book["program"]["J"][1:] if c.value is not None]
    assert planned, "no program row has a planned budget"
    assert planned[0].number_format == '"Rp" #,##0', planned[0].number_format
    assert all(c.value != 0 or c.number_format == '"Rp" #,##0' for c in planned)
    info = {row[0]: row[1] for row in book["Info"].iter_rows(values_only=True)}
    assert info["kota"] and info["instrumen"], info
    print(f"ok -- {path}: {', '.join(f'{s} {book[s].max_row - 1} rows' for s in EXPECTED)}")


if __name__ == "__main__":
    main(sys.argv[1])
