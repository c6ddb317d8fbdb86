//! Masterplan ↔ RPJMD alignment end to end (issue #17): a small workspace with two misi, three
//! sasaran, one program serving none, one sasaran without a program and an IKU table in xlsx,
//! checked in `validate`, `score --format json`, the Bappeda workbook, the report and the slides.

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::harness::{Test, repo};

/// The IKU table as regions publish it: a title row, then KODEFIKASI | INDIKATOR | … .
fn iku_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("IKU").unwrap();
    sheet.write_string(0, 0, "TABEL IKU RPJMD KOTA CONTOH (ILUSTRASI)").unwrap();
    let header = [
        "SASARAN",
        "KODEFIKASI",
        "INDIKATOR",
        "SATUAN",
        "BASELINE 2022",
        "2023",
        "2024",
        "2025",
        "2026",
        "DEFINISI",
        "SUMBER DATA",
        "PRODUSEN DATA",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    // sasaran, KODEFIKASI, INDIKATOR, SATUAN, baseline and 2023–2026, SUMBER DATA
    type Row<'a> = (&'a str, &'a str, &'a str, &'a str, [f64; 5], &'a str);
    let rows: [Row; 2] = [
        (
            "sampah-terkelola",
            "iku-sampah-diolah",
            "Sampah yang diolah",
            "ton/bulan",
            [0.0, 100.0, 150.0, 200.0, 250.0],
            "Laporan DLH",
        ),
        ("ruang-hijau", "iku-rth", "Luas RTH publik", "%", [12.0, 13.0, 14.0, 15.0, 16.0], "Dinas PUPR"),
    ];
    for (r, (sasaran, id, name, unit, numbers, source)) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, text) in [sasaran, id, name, unit].iter().enumerate() {
            sheet.write_string(r, c as u16, **text).unwrap();
        }
        for (c, n) in numbers.iter().enumerate() {
            sheet.write_number(r, 4 + c as u16, *n).unwrap();
        }
        sheet.write_string(r, 9, "Definisi operasional").unwrap();
        sheet.write_string(r, 10, *source).unwrap();
        sheet.write_string(r, 11, "Bappeda").unwrap();
    }
    book.save_to_buffer().unwrap()
}

fn workspace() -> Test {
    let fixture = |name: &str| std::fs::read_to_string(repo().join("tests/data/rpjmd").join(name)).unwrap();
    Test::base()
        .file("indicators/rpjmd.yaml", fixture("rpjmd.yaml"))
        .file("indicators/programs/sampah.yaml", fixture("sampah.yaml"))
        .file("indicators/programs/layanan.yaml", fixture("layanan.yaml"))
        .file("data/rpjmd/iku.xlsx", iku_xlsx())
        .file(
            "data/rpjmd/iku.xlsx.yaml",
            "sheet: IKU\nskip_rows: 1\ncolumns: {sasaran: SASARAN, indicator: KODEFIKASI, name: INDIKATOR, unit: SATUAN, \
             baseline: BASELINE 2022, definition: DEFINISI, data_source: SUMBER DATA, producer: PRODUSEN DATA}\n",
        )
        // A full year for the MPP indicator (judged), two months for the waste one (not judged).
        .file(
            "data/observations/sampah.csv",
            "indicator,period,value,area,source,note\nsampah-diolah,2023-06,120,,,\nsampah-diolah,2023-07,200,,,\nikm-mpp,2023,81,,,\n",
        )
}

#[test]
fn validate_reports_the_unaligned_program_and_the_unserved_sasaran() {
    let test = workspace();
    let out = test.cmd(&["validate"]).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("warning[program-without-sasaran]: program `festival-kota` serves no RPJMD sasaran"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("  --> indicators/programs/layanan.yaml:18:7"), "{}", out.stdout);
    assert!(
        out.stdout.contains("note[sasaran-without-program]: no smart city program serves sasaran `ruang-hijau`"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("rpjmd-target-missed"), "{}", out.stdout);
}

#[test]
fn score_json_carries_the_alignment() {
    let test = workspace();
    let out = test.cmd(&["score", "--format", "json"]).stdout_json().run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ev: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let r = &ev["rpjmd"];
    assert_eq!((r["period_start"].as_i64(), r["period_end"].as_i64()), (Some(2023), Some(2026)));
    assert_eq!(r["illustrative"], true);
    assert_eq!(
        r["counts"],
        serde_json::json!({"misi": 2, "tujuan": 2, "sasaran": 3, "sasaran_served": 2, "programs": 3,
            "programs_aligned": 2, "programs_unaligned": 1, "indicators": 4, "indicators_linked": 2})
    );
    assert_eq!(r["unaligned_programs"], serde_json::json!(["festival-kota"]));
    assert_eq!(r["unserved_sasaran"], serde_json::json!(["ruang-hijau"]));
    let dims: Vec<&str> = r["dimensions"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(dims, ["governance", "branding", "economy", "living", "society", "environment"]);
    let sasaran = |id: &str| r["sasaran"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap().clone();
    let layanan = sasaran("layanan-digital");
    assert_eq!(layanan["misi_number"], "2");
    assert_eq!(layanan["cells"], serde_json::json!([["Mal Pelayanan Publik Digital"], [], [], [], [], []]));
    assert_eq!(sasaran("sampah-terkelola")["cells"][5], serde_json::json!(["Pabrik Daur Ulang"]));
    assert_eq!(sasaran("ruang-hijau")["programs"], serde_json::json!([]));
    // The xlsx IKU: where it came from, its baseline year from the header, its targets.
    let iku = |id: &str| r["indicators"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap().clone();
    let sampah = iku("iku-sampah-diolah");
    assert_eq!(sampah["origin"], "data/rpjmd/iku.xlsx:IKU!B3");
    assert_eq!(sampah["baseline"], serde_json::json!({"year": 2022, "value": 0.0}));
    let targets: Vec<f64> =
        sampah["targets"].as_array().unwrap().iter().map(|t| t["target"].as_f64().unwrap()).collect();
    assert_eq!(targets, [100.0, 150.0, 200.0, 250.0]);
    assert_eq!(sampah["producer"], "Bappeda");
    // Two months of data: the 2023 value (mean 160) is shown but not judged.
    let year = &sampah["contributions"][0]["years"][0];
    assert_eq!((year["value"].as_f64(), year["status"].as_str()), (Some(160.0), Some("partial")));
    let ikm = &iku("iku-ikm")["contributions"][0];
    assert_eq!(ikm["program"], "mal-pelayanan");
    assert_eq!((ikm["years"][0]["value"].as_f64(), ikm["years"][0]["status"].as_str()), (Some(81.0), Some("met")));
    assert_eq!(ikm["years"][1]["status"], "no-data");
    assert_eq!(ikm["years"][2]["status"], "no-target");
    assert_eq!(iku("iku-rth")["contributions"], serde_json::json!([]));
}

#[test]
fn score_table_sums_the_alignment_up() {
    let out = workspace()
        .cmd(&["score"])
        .stdout_snapshot()
        .stderr("2 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("RPJMD 2023–2026: 2/3 program melayani sasaran, 2/3 sasaran dilayani\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("  tanpa sasaran: festival-kota\n  sasaran tanpa program: ruang-hijau\n"),
        "{}",
        out.stdout
    );
    let out = workspace()
        .cmd(&["score", "--lang", "en"])
        .stdout_snapshot()
        .stderr("2 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert!(
        out.stdout.contains("RPJMD 2023–2026: 2/3 programmes serve a sasaran, 2/3 sasaran served"),
        "{}",
        out.stdout
    );
}

#[test]
fn bappeda_workbook_has_the_rpjmd_sheet() {
    let test = workspace();
    let out = test.cmd(&["export", "--format", "xlsx"]).stdout("wrote out/kota-contoh-ringkasan-2023.xlsx\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let written = out.stdout.trim().strip_prefix("wrote ").expect("one file written");
    let mut book: Xlsx<_> = open_workbook(test.path().join(written)).unwrap();
    assert_eq!(book.sheet_names(), vec!["nilai", "pertanyaan", "dimensi", "program", "indikator", "rpjmd", "Info"]);
    let sheet = book.worksheet_range("rpjmd").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(
        rows[0],
        [
            "misi",
            "tujuan",
            "sasaran",
            "nama_sasaran",
            "program_sasaran",
            "kode_program_sasaran",
            "indikator_rpjmd",
            "nama_indikator_rpjmd",
            "satuan",
            "baseline",
            "tahun_baseline",
            "tahun",
            "target",
            "program",
            "nama_program",
            "kode",
            "indikator_program",
            "nilai",
            "status",
            "ilustrasi"
        ]
    );
    // sampah-terkelola: one row per year of 2023–2026 for its contributing indicator.
    let first = &rows[1];
    assert_eq!(
        &first[..6],
        [
            "1",
            "tujuan-1-1",
            "sampah-terkelola",
            "Meningkatnya pengelolaan sampah",
            "Pabrik Daur Ulang",
            "2.11.05; 2.11.05.2.01.0001"
        ]
    );
    assert_eq!(&first[6..13], ["iku-sampah-diolah", "Sampah yang diolah", "ton/bulan", "0", "2022", "2023", "100"]);
    assert_eq!(
        &first[13..],
        [
            "daur-ulang",
            "Pabrik Daur Ulang",
            "2.11.05; 2.11.05.2.01.0001",
            "sampah-diolah",
            "160",
            "tahun-belum-lengkap",
            "true"
        ]
    );
    let years: Vec<&str> = rows.iter().filter(|r| r[6] == "iku-sampah-diolah").map(|r| r[11].as_str()).collect();
    assert_eq!(years, ["2023", "2024", "2025", "2026"]);
    // ruang-hijau: its IKU without a contributing program; numbers stay numbers.
    let rth: Vec<&Vec<String>> = rows.iter().filter(|r| r[6] == "iku-rth").collect();
    assert_eq!(rth.len(), 4);
    assert_eq!((rth[0][4].as_str(), rth[0][13].as_str()), ("", ""));
    let rth_row = rows.iter().position(|r| r[6] == "iku-rth").unwrap() as u32;
    assert_eq!(sheet.get_value((rth_row, 12)), Some(&Data::Float(13.0)));
    let met = rows.iter().find(|r| r[6] == "iku-ikm" && r[11] == "2023").unwrap();
    assert_eq!((met[17].as_str(), met[18].as_str()), ("81", "tercapai"));
    assert!(
        matches!(sheet.get_value((rows.iter().position(|r| r == met).unwrap() as u32, 17)), Some(Data::Float(v)) if *v == 81.0)
    );
    // An indikator tujuan: the tujuan's rows, before its sasaran, with the sasaran cells empty.
    let ipp: Vec<&Vec<String>> = rows.iter().filter(|r| r[6] == "iku-ipp").collect();
    assert_eq!(ipp.len(), 4);
    assert_eq!(&ipp[2][..4], ["2", "tujuan-2-1", "", ""]);
    assert_eq!((ipp[2][11].as_str(), ipp[2][12].as_str()), ("2025", "4"));
    let first_ipp = rows.iter().position(|r| r[6] == "iku-ipp").unwrap();
    assert!(first_ipp < rows.iter().position(|r| r[2] == "layanan-digital").unwrap());
    // The program serving no sasaran closes the sheet.
    let last = rows.last().unwrap();
    assert_eq!(
        (last[13].as_str(), last[14].as_str(), last[18].as_str()),
        ("festival-kota", "Festival Kota", "tanpa-sasaran")
    );
}

fn pdf_text(path: &std::path::Path) -> String {
    crate::pdf::text(path)
}

#[test]
fn report_chapter_and_slide_show_the_matrix() {
    let test = workspace();
    let out = test.cmd(&["report", "--keep-typ"]).stdout("wrote out/kota-contoh-2023-laporan.pdf\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let typ = std::fs::read_to_string(test.path().join("out/kota-contoh-2023-laporan.typ")).unwrap();
    // Matrix rows: the sasaran, then one cell per dimension (governance … environment).
    assert!(
        typ.contains("[Meningkatnya layanan publik berbasis digital #text(fill: muted)[(layanan\\-digital)]], [Mal Pelayanan Publik Digital], [], [], [], [], [],"),
        "{typ}"
    );
    assert!(typ.contains("[(sampah\\-terkelola)]], [], [], [], [], [], [Pabrik Daur Ulang],"), "{typ}");
    let text = pdf_text(&test.path().join("out/kota-contoh-2023-laporan.pdf"));
    let chapter = text.split("Keselarasan dengan RPJMD").last().unwrap();
    let section = |from: &str, to: &str| chapter.split(from).nth(1).unwrap().split(to).next().unwrap().to_string();
    assert!(section("Program tanpa sasaran RPJMD", "Sasaran RPJMD tanpa").contains("Festival Kota"), "{chapter}");
    let unserved = section("Sasaran RPJMD tanpa program smart city", "Target RPJMD");
    assert!(
        unserved.contains("Bertambahnya ruang terbuka hijau") && !unserved.contains("pengelolaan sampah"),
        "{unserved}"
    );
    let targets = section("Target RPJMD dan capaian program", "Sumber");
    assert!(targets.contains("Indeks Kepuasan Masyarakat") && targets.contains("81 ✓"), "{targets}");
    assert!(chapter.contains("ilustrasi, bukan dokumen resmi"), "{chapter}");

    let out = test.cmd(&["slides"]).stdout("wrote out/kota-contoh-2023-slides.pdf\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let slides = pdf_text(&test.path().join("out/kota-contoh-2023-slides.pdf"));
    assert!(slides.contains("Keselarasan dengan RPJMD 2023–2026"), "{slides}");
    assert!(slides.contains("2/3 program melayani sasaran RPJMD · 2/3 sasaran dilayani"), "{slides}");
    assert!(slides.contains("Program tanpa sasaran RPJMD: Festival Kota"), "{slides}");

    let out = test.cmd(&["report", "--lang", "en"]).stdout("wrote out/kota-contoh-2023-laporan-en.pdf\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let english = pdf_text(&test.path().join("out/kota-contoh-2023-laporan-en.pdf"));
    assert!(english.contains("Alignment with the RPJMD") && english.contains("Programmes serving no RPJMD sasaran"));
    assert!(!english.contains("Keselarasan"), "{english}");
}

#[test]
fn a_workspace_without_an_rpjmd_has_no_alignment_anywhere() {
    let test = Test::base();
    let out = test.cmd(&["score", "--format", "json"]).stdout_json().run();
    let ev: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(ev.get("rpjmd").is_none());
    let out = test.cmd(&["validate"]).stdout("no problems found\n").run();
    assert!(!out.stdout.contains("sasaran"), "{}", out.stdout);
}

#[test]
fn an_iku_table_without_sidecar_is_told_its_own_mapping() {
    let test = workspace().file("data/rpjmd/iku.xlsx.yaml", "sheet: IKU\nskip_rows: 1\n");
    let out = test.cmd(&["validate"]).status(1).stdout_snapshot().run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    // INDIKATOR is the name in an RPJMD table, KODEFIKASI the id (elsewhere `indikator` is the id).
    assert!(out.stdout.contains("map it in iku.xlsx.yaml with `columns: {indicator: KODEFIKASI}`"), "{}", out.stdout);
    assert!(out.stdout.contains("map it in iku.xlsx.yaml with `columns: {name: INDIKATOR}`"), "{}", out.stdout);
    assert!(out.stdout.contains("map it in iku.xlsx.yaml with `columns: {unit: SATUAN}`"), "{}", out.stdout);
    assert!(out.stdout.contains("--> data/rpjmd/iku.xlsx:IKU!A2"), "{}", out.stdout);
}
