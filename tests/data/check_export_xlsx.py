"""Reads a smartcity-eval xlsx export with openpyxl (an outside reader) and checks its shape:
sheets, columns, number formats, autofilters and the print layout (docs/export.md).

Usage: python3 tests/data/check_export_xlsx.py out/kota-ambon-2023-ringkasan.xlsx
"""
import sys

import openpyxl

EXPECTED = {
    "nilai": ["tahun", "instrumen", "aspek", "nama_aspek", "bobot", "nilai", "nilai_tertimbang",
              "pertanyaan", "dijawab", "nilai_akhir", "predikat", "peningkatan"],
    "dimensi": ["tahun", "dimensi", "nama_dimensi", "program_berjalan", "quick_win", "capaian_rata_rata",
                "anggaran_rencana", "anggaran_realisasi", "realisasi"],
    "program": ["tahun", "program", "nama_program", "opd", "dimensi", "subdimensi", "status", "quick_win",
                "capaian", "anggaran_rencana", "anggaran_realisasi", "realisasi", "apbd_rencana", "apbd_realisasi",
                "apbn_rencana", "apbn_realisasi", "csr_rencana", "csr_realisasi", "swasta_rencana",
                "swasta_realisasi", "lainnya_rencana", "lainnya_realisasi", "ilustrasi",
                "realisasi_belum_dilaporkan", "kolaborasi", "mitra", "periode_mulai", "periode_selesai"],
    "indikator": ["tahun", "indikator", "nama_indikator", "program", "satuan", "arah", "nilai", "target",
                  "capaian", "bulan_berdata", "cakupan", "ilustrasi", "baseline", "tahun_baseline"],
    "pertanyaan": ["tahun", "pertanyaan", "nomor", "aspek", "dimensi", "indikator", "nama_indikator", "teks",
                   "nilai", "nilai_dihitung", "status", "bukti_dukung", "celah", "ilustrasi"],
}
# Only when data rows carry an area (kecamatan).
AREAS = ["tahun", "indikator", "nama_indikator", "program", "satuan", "wilayah", "nilai", "nilai_total", "ilustrasi"]
# Only for a workspace with indicators/rpjmd.yaml (docs/export.md).
RPJMD = ["misi", "tujuan", "sasaran", "nama_sasaran", "program_sasaran", "kode_program_sasaran",
         "indikator_rpjmd", "nama_indikator_rpjmd", "satuan", "baseline", "tahun_baseline", "tahun",
         "target", "program", "nama_program", "kode", "indikator_program", "nilai", "status", "ilustrasi"]


HISTORY = ["tahun", "nilai_akhir", "perubahan", "proyeksi", "instrumen", "instrumen_berubah", "tahap", "predikat",
           "peringkat", "sumber"]


def check_print_layout(sheet, city, is_table):
    """A4, one page wide, the header row on every page, the title and the city in the header."""
    setup = sheet.page_setup
    assert setup.paperSize == 9, (sheet.title, setup.paperSize)
    # fitToWidth is 1 when the attribute is left out (its default in the file format).
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert setup.fitToWidth in (None, 1) and int(setup.fitToHeight) == 0, (sheet.title, setup.fitToWidth,
                                                                           setup.fitToHeight)
    assert sheet.oddHeader.left.text and sheet.oddHeader.right.text == city, (sheet.title, sheet.oddHeader.right.text)
    assert "&P" in sheet.oddFooter.center.text, sheet.title
    if is_table:
        assert sheet.print_title_rows == "$1:$1", (sheet.title, sheet.print_title_rows)
        # The filter covers the whole table.
        assert sheet.auto_filter.ref == sheet.dimensions, (sheet.title, sheet.auto_filter.ref, sheet.dimensions)
        # Wide tables print landscape.
        if sheet.max_column >= 10:
            assert setup.orientation == "landscape", (sheet.title, setup.orientation)


def check_questions(book):
    sheet = book["pertanyaan"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows, "no question rows"
    statuses = {"manual", "dari-data", "tidak-dapat-diturunkan", "belum-dijawab"}
    for row in rows:
        year, qid, number, aspect, _dim, indicator, _name, text, score, counted, status, _ev, gap, _ill = row
        assert isinstance(year, int) and qid and number and aspect and indicator and text, row
        assert status in statuses, row
        # Unknown is never a printed 0: an unanswered question has an empty score and says why.
        if status in ("belum-dijawab", "tidak-dapat-diturunkan"):
            assert score is None and gap, row
        else:
            assert isinstance(score, (int, float)), row
    # Ids tell questions apart where printed numbers repeat.
    keys = [(r[0], r[1]) for r in rows]
    assert len(keys) == len(set(keys)), "a question appears twice in a year"


def check_dimension_counts(book):
    """Running programs are the ones with status berjalan or selesai that year: the counts agree."""
    sheet = book["dimensi"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in header}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        running = row[col["program_berjalan"]]
        assert running == row[col["program_status_berjalan"]] + row[col["program_selesai"]], row
        assert row[col["quick_win"]] <= running, row


def check_areas(book):
    sheet = book["wilayah"]
    assert [c.value for c in sheet[1]] == AREAS, [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows and all(r[5] and isinstance(r[6], (int, float)) for r in rows), rows[:3]


def main(path):
    book = openpyxl.load_workbook(path)
    has_rpjmd = "rpjmd" in book.sheetnames
    # Only with published results of earlier years (indicators/results/ or `previous:`).
    has_history = "riwayat" in book.sheetnames
    has_areas = "wilayah" in book.sheetnames
    expected_sheets = (["nilai", "pertanyaan", "dimensi", "program", "indikator"] + (["wilayah"] if has_areas else [])
                       + (["rpjmd"] if has_rpjmd else []) + (["riwayat"] if has_history else []) + ["Info"])
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
    if has_areas:
        check_areas(book)
    check_questions(book)
    check_dimension_counts(book)
    # Weights show as percent by their format; the value stays the instrument's (10 is 10 %).
    weights = [c for c in book["nilai"]["E"][1:]]
    assert all(c.number_format == 'General"%"' and 0 < c.value <= 100 for c in weights), weights
    city = book["Info"]["B1"].value
    for sheet in book.worksheets:
        check_print_layout(sheet, city, is_table=sheet.title != "Info")
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
