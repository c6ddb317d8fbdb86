//! `export`: Bappeda's summaries read back with calamine (xlsx) and polars (parquet).

use calamine::{Data, Reader, Xlsx, open_workbook};
use polars::prelude::*;

use crate::harness::{Test, cmd};

fn score_json(test: &Test) -> serde_json::Value {
    serde_json::from_str(
        &cmd(&["score", "--format", "json", "--workspace", test.path().to_str().unwrap()], test.path())
            .stdout_json()
            .run()
            .stdout,
    )
    .unwrap()
}

#[test]
fn xlsx_has_the_documented_sheets_headers_types_and_values() {
    let test = Test::base();
    let out = test.cmd(&["export", "--format", "xlsx"]).stdout("wrote out/kota-contoh-ringkasan-2023.xlsx\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // The base workspace has data of 2023 only: the name says so.
    assert_eq!(out.stdout, "wrote out/kota-contoh-ringkasan-2023.xlsx\n");
    let path = test.path().join("out/kota-contoh-ringkasan-2023.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), vec!["nilai", "pertanyaan", "dimensi", "program", "indikator", "Info"]);
    let nilai = book.worksheet_range("nilai").unwrap();
    let header: Vec<String> = nilai.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "tahun",
            "instrumen",
            "aspek",
            "nama_aspek",
            "bobot",
            "nilai",
            "nilai_tertimbang",
            "pertanyaan",
            "dijawab",
            "nilai_akhir",
            "predikat",
            "peningkatan"
        ]
    );
    // One row per aspect: baseline (bl-1-1.1.1 = 3, bl-1-1.2.1 derived 2 → 2.5) and impact.
    let rows: Vec<&[Data]> = nilai.rows().skip(1).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], Data::Float(2023.0));
    assert_eq!(rows[0][2], Data::String("baseline".into()));
    assert_eq!(rows[0][5], Data::Float(2.5));
    let ev = score_json(&test);
    assert_eq!(rows[0][9], Data::Float(ev["scorecard"]["final_score"]["value"].as_f64().unwrap()));
    let program = book.worksheet_range("program").unwrap();
    let header: Vec<String> = program.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let planned = header.iter().position(|h| h == "anggaran_rencana").unwrap();
    let row2023 = program.rows().find(|r| r[0] == Data::Float(2023.0)).unwrap();
    assert_eq!(row2023[planned], Data::Float(1_000_000.0));
    let realisasi = header.iter().position(|h| h == "realisasi").unwrap();
    assert_eq!(row2023[realisasi], Data::Float(0.8));
    let info = book.worksheet_range("Info").unwrap();
    assert_eq!(info.get_value((0, 1)), Some(&Data::String("Kota Contoh".into())));
}

#[test]
fn exports_are_byte_identical_run_to_run() {
    let test = Test::base();
    for format in ["xlsx", "json", "csv", "parquet"] {
        assert_eq!(test.cmd(&["export", "--format", format]).stdout_snapshot().run().code, 0);
    }
    // Every output, not the lock file of out/ (outdir.rs).
    let files: Vec<_> = std::fs::read_dir(test.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with(".lock"))
        .collect();
    // xlsx and json, and five tables each as csv and parquet.
    assert_eq!(files.len(), 12, "{files:?}");
    let before: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    for format in ["xlsx", "json", "csv", "parquet"] {
        assert_eq!(test.cmd(&["export", "--format", format]).stdout_snapshot().run().code, 0);
    }
    for (file, bytes) in files.iter().zip(before) {
        assert_eq!(std::fs::read(file).unwrap(), bytes, "{} changed", file.display());
    }
}

#[test]
fn parquet_reads_back_with_typed_columns() {
    let test = Test::base();
    assert_eq!(test.cmd(&["export", "--format", "parquet"]).stdout_snapshot().run().code, 0);
    let file = std::fs::File::open(test.path().join("out/kota-contoh-ringkasan-2023-indikator.parquet")).unwrap();
    let frame = ParquetReader::new(file).finish().unwrap();
    assert_eq!(frame.column("tahun").unwrap().dtype(), &DataType::Int64);
    assert_eq!(frame.column("nilai").unwrap().dtype(), &DataType::Float64);
    assert_eq!(frame.column("ilustrasi").unwrap().dtype(), &DataType::Boolean);
    // sampah-diolah 2023: mean of 120 and 200 = 160 against a target of 250 → 64 %.
    let values = frame.column("nilai").unwrap().f64().unwrap().get(0);
    let achievement = frame.column("capaian").unwrap().f64().unwrap().get(0);
    assert_eq!((values, achievement), (Some(160.0), Some(0.64)));
}

#[test]
fn json_and_csv_carry_the_same_tables() {
    let test = Test::base();
    assert_eq!(
        test.cmd(&["export", "--format", "json"]).stdout("wrote out/kota-contoh-ringkasan-2023.json\n").run().code,
        0
    );
    assert_eq!(test.cmd(&["export", "--format", "csv", "--years", "2023"]).stdout_snapshot().run().code, 0);
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(test.path().join("out/kota-contoh-ringkasan-2023.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["tabel"]["indikator"][0]["indikator"], "sampah-diolah");
    assert_eq!(json["tabel"]["nilai"][1]["aspek"], "impact");
    let csv = std::fs::read_to_string(test.path().join("out/kota-contoh-ringkasan-2023-dimensi.csv")).unwrap();
    assert!(csv.starts_with("tahun,dimensi,nama_dimensi,program_berjalan,quick_win,capaian_rata_rata,"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 6, "six dimensions in 2023");
}

#[test]
fn bad_year_range_is_a_usage_error() {
    let test = Test::base();
    assert_eq!(test.cmd(&["export", "--years", "2023..2021"]).status(2).stderr("error: invalid value '2023..2021' for '--years <YEARS>': 2023..2021: the first year must not be after the last\n\nFor more information, try '--help'.\n").run().code, 2);
    assert_eq!(test.cmd(&["export", "--years", "dua"]).status(2).stderr("error: invalid value 'dua' for '--years <YEARS>': `dua` is not a year; write one year (2023) or a range (2021..2023)\n\nFor more information, try '--help'.\n").run().code, 2);
}

/// `--csv-dialect excel-id` (issue #20 §7): what Indonesian Excel opens as columns and numbers —
/// `;` between fields, a decimal comma, a UTF-8 BOM, CRLF; the default stays for programs.
#[test]
fn the_excel_id_csv_dialect_is_what_indonesian_excel_reads() {
    let test = Test::base();
    let out = test
        .cmd(&["export", "--format", "csv", "--years", "2023", "--csv-dialect", "excel-id"])
        .stdout_snapshot()
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let bytes = std::fs::read(test.path().join("out/kota-contoh-ringkasan-2023-indikator.csv")).unwrap();
    assert!(bytes.starts_with("\u{FEFF}tahun;indikator;".as_bytes()), "{}", String::from_utf8_lossy(&bytes));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("\r\n") && !text.contains(",sampah-diolah"), "{text}");
    // The achievement 0.64 is written with a decimal comma; the value 160 stays whole.
    let row = text.lines().find(|l| l.contains("sampah-diolah")).expect("the indicator's row");
    assert!(row.contains(";160;") && row.contains(";0,64;"), "{row}");
    // The default is unchanged: `,`, decimal point, no BOM.
    assert_eq!(test.cmd(&["export", "--format", "csv", "--years", "2023"]).stdout_snapshot().run().code, 0);
    let plain = std::fs::read_to_string(test.path().join("out/kota-contoh-ringkasan-2023-indikator.csv")).unwrap();
    assert!(plain.starts_with("tahun,indikator,") && plain.contains(",0.64,"), "{plain}");
}
