#!/usr/bin/env python3
"""Membuat ulang data/observations/rekap-capaian-kecamatan.xlsx (contoh fiktif, ILUSTRASI).

Jalankan dari mana saja: `python3 examples/kabupaten-lembah-hijau/data/make_xlsx.py`
(perlu `pip install openpyxl`). Properti dokumen dibuat tetap agar berkas yang dihasilkan
berubah sesedikit mungkin.

Bentuk berkas meniru rekap yang biasa dikirim Bappeda: judul, baris "Sumber: …" dan satu baris
kosong di atas judul kolom (sidecar: `skip_rows: 3`), kolom "No" dan "Satuan" yang tidak
dipakai, sebagian angka diketik sebagai teks gaya Indonesia ("40,5", "231.450"), sebagian
angka biasa, dan persentase yang diformat sebagai persen (sel menyimpan 0,835 dan Excel
menampilkan 83,5%). Tidak ada rumus: openpyxl tidak menyimpan hasil rumus.
"""

import datetime
import os
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED = datetime.datetime(2024, 5, 31, 9, 0, 0)
KECAMATAN = ["Lembah Tengah", "Wanasari", "Girimulyo", "Sidoharjo", "Karangjati"]

# (kode indikator, periode, satuan, nilai per kecamatan, keterangan per kecamatan)
# Nilai: int/float = sel angka; str = angka diketik sebagai teks; None = sel kosong (tidak diukur).
ROWS = [
    ("wisatawan-desa-wisata", 2022, "orang", [52310, 88120, 186400, 41250, 19870], {}),
    ("wisatawan-desa-wisata", 2023, "orang",
     ["61.240", "104.875", "231.450", 47300, "24.615"], {2: "termasuk Festival Lembah Girimulyo"}),
    ("wisatawan-desa-wisata", "2024-Q1", "orang", [14210, 25030, 52880, 10940, 5120],
     {0: "data s.d. Maret 2024"}),
    ("sampah-bank-sampah", 2022, "ton", ["118,4", "96,2", "74,8", "88,1", "40,5"], {}),
    ("sampah-bank-sampah", 2023, "ton", [142.6, "121,3", "95,7", "108,9", "52,2"], {}),
    ("sampah-bank-sampah", "2024-Q1", "ton", ["38,7", "31,4", "24,9", "29,6", None],
     {4: "laporan bank sampah induk belum masuk"}),
    # persen: disimpan sebagai pecahan, diformat "0.0%" (Excel menampilkan 83,5%)
    ("balita-ditimbang", 2023, "%", [0.835, 0.812, 0.768, 0.804, 0.701], {}),
    ("balita-ditimbang", "2024-Q1", "%", [0.861, 0.843, 0.792, 0.829, 0.735],
     {4: "dua posyandu belum memakai SIGIZI"}),
]


def normalise(path):
    """openpyxl stamps `modified` and the zip entries with the current time on save; rewrite
    both with FIXED so that running the script twice gives the same bytes."""
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)


def build():
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekap Capaian"
    ws["A1"] = "REKAP CAPAIAN INDIKATOR SMART CITY PER KECAMATAN KABUPATEN LEMBAH HIJAU 2022–2024"
    ws["A1"].font = Font(bold=True, size=12)
    ws.merge_cells("A1:H1")
    ws["A2"] = ("Sumber: Bappeda Kab. Lembah Hijau, kompilasi laporan OPD (Disporapar, DLH, "
                "Dinas Kesehatan), diolah Mei 2024 — DATA ILUSTRASI")
    ws["A2"].font = Font(italic=True)
    # baris 3 sengaja kosong
    header = ["No", "Kode Indikator", "Periode", "Kecamatan", "Nilai", "Satuan", "Keterangan",
              "Status Data"]
    for col, name in enumerate(header, start=1):
        cell = ws.cell(row=4, column=col, value=name)
        cell.font = Font(bold=True)
    row = 5
    for code, period, unit, values, notes in ROWS:
        for i, (kec, value) in enumerate(zip(KECAMATAN, values)):
            ws.cell(row=row, column=1, value=row - 4)
            ws.cell(row=row, column=2, value=code)
            ws.cell(row=row, column=3, value=period)
            ws.cell(row=row, column=4, value=kec)
            cell = ws.cell(row=row, column=5, value=value)
            if unit == "%":
                cell.number_format = "0.0%"
            elif isinstance(value, (int, float)):
                cell.number_format = "#,##0.0" if isinstance(value, float) else "#,##0"
            ws.cell(row=row, column=6, value=unit)
            ws.cell(row=row, column=7, value=notes.get(i))
            ws.cell(row=row, column=8, value="ilustrasi")
            row += 1
    for col, width in zip("ABCDEFGH", [5, 26, 10, 16, 12, 8, 40, 12]):
        ws.column_dimensions[col].width = width

    # Lembar tersembunyi berisi daftar kode (untuk validasi isian di Excel); tidak dibaca.
    ref = wb.create_sheet("Daftar Kode")
    ref.append(["Kode Indikator", "Nama"])
    ref.append(["wisatawan-desa-wisata", "Kunjungan wisatawan ke desa wisata"])
    ref.append(["sampah-bank-sampah", "Sampah terpilah yang dikelola bank sampah"])
    ref.append(["balita-ditimbang", "Balita yang ditimbang di posyandu (D/S)"])
    ref.sheet_state = "hidden"

    wb.properties.creator = "Bappeda Kabupaten Lembah Hijau (contoh fiktif)"
    wb.properties.title = "Rekap capaian indikator smart city per kecamatan (ilustrasi)"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.lastModifiedBy = "smartcity-eval example"
    path = os.path.join(HERE, "observations", "rekap-capaian-kecamatan.xlsx")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    wb.save(path)
    normalise(path)
    print("wrote", os.path.relpath(path, os.path.dirname(HERE)))


if __name__ == "__main__":
    build()
