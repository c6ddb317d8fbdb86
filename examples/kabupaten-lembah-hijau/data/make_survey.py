#!/usr/bin/env python3
"""Membuat ulang data/survey/survei-dampak-2024.csv (contoh fiktif, ILUSTRASI).

Jalankan dari mana saja: `python3 examples/kabupaten-lembah-hijau/data/make_survey.py`.
Benih acak tetap, jadi hasilnya selalu sama. Survei dampak 2024 baru berjalan untuk dua
dimensi: Smart Governance (50 responden, selesai) dan Smart Environment (32 dari 50 responden,
masih berjalan). Skor 1-4 per pernyataan `im-<dimensi>-4.k.j`. Berkas ditulis seperti yang
disimpan Excel berbahasa Indonesia: pemisah `;`, akhir baris CRLF, judul kolom Indonesia.
"""

import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
QUESTIONS = [f"4.{k}.{j}" for k in (1, 2, 3) for j in (1, 2, 3)]
# (dimensi, kode responden, jumlah responden, peluang skor 1..4 per pernyataan)
PLAN = [
    (1, "GOV", 50, {"4.1.1": (5, 20, 45, 30), "4.2.3": (15, 35, 35, 15), "default": (8, 27, 45, 20)}),
    (6, "ENV", 32, {"4.3.2": (30, 40, 25, 5), "4.2.2": (10, 25, 45, 20), "default": (12, 33, 40, 15)}),
]


def main():
    rng = random.Random(2024)
    lines = ["No Responden;Kode Pertanyaan;Skor"]
    for dim, code, count, weights in PLAN:
        for r in range(1, count + 1):
            for q in QUESTIONS:
                w = weights.get(q, weights["default"])
                score = rng.choices([1, 2, 3, 4], weights=w)[0]
                lines.append(f"LH-{code}-{r:03d};im-{dim}-{q};{score}")
    path = os.path.join(HERE, "survey", "survei-dampak-2024.csv")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")
    print("wrote", os.path.relpath(path, os.path.dirname(HERE)), f"({len(lines) - 1} baris)")


if __name__ == "__main__":
    main()
