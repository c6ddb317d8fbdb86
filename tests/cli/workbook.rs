//! Bappeda's workbook (issue #20 §7): `build` and `export` write files of their own, the sheets
//! and columns a reader finds, and a page layout that prints (openpyxl, an outside reader,
//! checks the built workbooks again in .ci/run).

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::harness::{Test, copy_tree, repo};

/// The page layout every sheet declares, read from the file's XML (openpyxl checks the same
/// and more in .ci/run, tests/data/check_export_xlsx.py, so `cargo test` needs no Python): A4,
/// fit to one page wide, the sheet's title and the city in the page header, page numbers in the
/// footer; every table sheet repeats its header row and has an autofilter.
fn check_print_layout(xlsx: &std::path::Path) {
    let bytes = std::fs::read(xlsx).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut entry = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let workbook = entry("xl/workbook.xml");
    let sheets = workbook.matches("<sheet ").count();
    assert!(sheets >= 5, "{workbook}");
    let mut tables = 0;
    for i in 1..=sheets {
        let xml = entry(&format!("xl/worksheets/sheet{i}.xml"));
        for wanted in ["fitToPage=\"1\"", "paperSize=\"9\"", "fitToHeight=\"0\"", "<oddHeader>", "&amp;P"] {
            assert!(xml.contains(wanted), "sheet {i} of {} lacks {wanted}", xlsx.display());
        }
        tables += usize::from(xml.contains("<autoFilter ref="));
    }
    assert!(tables >= sheets - 1, "{tables} of {sheets} sheets have an autofilter");
    assert_eq!(workbook.matches("_xlnm.Print_Titles").count(), tables, "every table sheet repeats its header row");
}

fn rows(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
    book.worksheet_range(sheet).unwrap_or_else(|e| panic!("{sheet}: {e}")).rows().map(<[Data]>::to_vec).collect()
}

fn column(header: &[Data], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn build_and_export_never_replace_each_other_nor_last_years_workbook() {
    let test = Test::base();
    assert_eq!(test.cmd(&["build"]).stdout_snapshot().run().code, 0);
    let built = test.path().join("out/kota-contoh-2023-ringkasan.xlsx");
    let bytes = std::fs::read(&built).expect("build writes the year's workbook");
    let out = test
        .cmd(&["export", "--format", "xlsx", "--years", "2022..2023"])
        .stdout("wrote out/kota-contoh-ringkasan-2022-2023.xlsx\n")
        .run();
    assert_eq!(out.stdout, "wrote out/kota-contoh-ringkasan-2022-2023.xlsx\n", "{}", out.stderr);
    let out = test.cmd(&["export", "--format", "xlsx"]).stdout("wrote out/kota-contoh-ringkasan-2023.xlsx\n").run();
    assert_eq!(out.stdout, "wrote out/kota-contoh-ringkasan-2023.xlsx\n", "{}", out.stderr);
    assert_eq!(std::fs::read(&built).unwrap(), bytes, "an export replaced the build's workbook");
    let check = test.cmd(&["build", "--check"]).stdout("up to date: 3 outputs match their inputs\n").run();
    assert_eq!(check.code, 0, "exports leave the build fresh: {}", check.stdout);

    // Next year's build writes its own workbook; this year's stays as it was.
    let city = std::fs::read_to_string(test.path().join("indicators/city.yaml")).unwrap();
    std::fs::write(test.path().join("indicators/city.yaml"), city.replace("  year: 2023", "  year: 2024")).unwrap();
    let out = test
        .cmd(&["build"])
        .stdout_snapshot()
        .stderr("4 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("wrote out/kota-contoh-2024-ringkasan.xlsx"), "{}", out.stdout);
    assert_eq!(std::fs::read(&built).unwrap(), bytes, "next year's build replaced this year's workbook");
    assert_eq!(test.cmd(&["build", "--check"]).stdout("up to date: 3 outputs match their inputs\n").run().code, 0);

    // An entry for a file no longer in out/ (the name older versions used) is dropped.
    let manifest = test.path().join("out/manifest.json");
    let mut value: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    value["outputs"]["kota-contoh-ringkasan.xlsx"] = serde_json::json!({"inputs": "x", "output": "y"});
    std::fs::write(&manifest, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
    assert_eq!(
        test.cmd(&["build", "--force"])
            .stdout_snapshot()
            .stderr("4 warning(s); run `smartcity-eval validate` to see them\n")
            .run()
            .code,
        0
    );
    let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    let names: Vec<&String> = value["outputs"].as_object().unwrap().keys().collect();
    assert!(!names.iter().any(|n| *n == "kota-contoh-ringkasan.xlsx"), "{names:?}");
    assert!(names.iter().any(|n| *n == "kota-contoh-2023-ringkasan.xlsx"), "{names:?}");
}

/// The second example (kabupaten, partly answered, data per kecamatan): the new sheets and
/// columns carry the workspace's own facts.
#[test]
fn the_kabupaten_workbook_has_questions_areas_periods_and_prints() {
    let test = Test::empty();
    copy_tree(&repo().join("examples/kabupaten-lembah-hijau"), test.path());
    let out = test
        .cmd(&["export", "--format", "xlsx"])
        .stdout("wrote out/kabupaten-lembah-hijau-ringkasan-2022-2024.xlsx\n")
        .run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let path = test.path().join(out.stdout.trim().strip_prefix("wrote ").expect("one file"));
    check_print_layout(&path);
    let json: serde_json::Value =
        serde_json::from_str(&test.cmd(&["score", "--format", "json"]).stdout_json().run().stdout).expect("score json");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();

    // One row per question; an unanswered one has an empty score and the gap in words.
    let questions = rows(&mut book, "pertanyaan");
    let header = &questions[0];
    let (id, score, status, gap) =
        (column(header, "pertanyaan"), column(header, "nilai"), column(header, "status"), column(header, "celah"));
    let scored = json["scorecard"]["questions"].as_array().unwrap();
    assert_eq!(questions.len() - 1, scored.len());
    let unanswered = scored.iter().find(|q| q["status"] == "unanswered").expect("the example is partly answered");
    let row = questions.iter().find(|r| r[id] == unanswered["id"].as_str().unwrap()).unwrap();
    assert_eq!((&row[score], row[status].to_string()), (&Data::Empty, "belum-dijawab".to_string()));
    assert!(row[gap].to_string().contains("belum dijawab"), "{row:?}");
    let manual = scored.iter().find(|q| q["status"] == "manual").unwrap();
    let row = questions.iter().find(|r| r[id] == manual["id"].as_str().unwrap()).unwrap();
    assert_eq!(row[score], Data::Float(manual["score"]["value"].as_f64().unwrap()));

    // Values per kecamatan beside the total, which is the indikator sheet's value.
    let areas = rows(&mut book, "wilayah");
    let indicators = rows(&mut book, "indikator");
    let (a_ind, a_year, a_total) =
        (column(&areas[0], "indikator"), column(&areas[0], "tahun"), column(&areas[0], "nilai_total"));
    let (i_ind, i_year, i_value) =
        (column(&indicators[0], "indikator"), column(&indicators[0], "tahun"), column(&indicators[0], "nilai"));
    assert!(areas.len() > 1);
    for a in &areas[1..] {
        let total = indicators[1..].iter().find(|i| i[i_ind] == a[a_ind] && i[i_year] == a[a_year]).expect("its total");
        assert_eq!(a[a_total], total[i_value], "{a:?}");
    }

    // Each program row carries the program's period, as in the program file.
    let programs = rows(&mut book, "program");
    let (p_id, start, end) = (
        column(&programs[0], "program"),
        column(&programs[0], "periode_mulai"),
        column(&programs[0], "periode_selesai"),
    );
    let year = json["year"].as_f64().unwrap();
    // The tables run up to the evaluation year: a program that starts later has no row yet.
    let started: Vec<&serde_json::Value> =
        json["programs"].as_array().unwrap().iter().filter(|p| p["period_start"].as_f64().unwrap() <= year).collect();
    assert!(started.len() > 1);
    for p in started {
        let row = programs[1..].iter().find(|r| r[p_id] == p["id"].as_str().unwrap()).expect("a row");
        assert_eq!(row[start], Data::Float(p["period_start"].as_f64().unwrap()));
        assert_eq!(row[end], Data::Float(p["period_end"].as_f64().unwrap()));
    }

    // The sources list counts rows of data tables only.
    let info = rows(&mut book, "Info");
    let sources: Vec<String> = info.iter().filter(|r| r[0] == "sumber").map(|r| r[1].to_string()).collect();
    assert!(sources.iter().any(|s| s.ends_with("baris)")), "{sources:?}");
    assert!(sources.iter().all(|s| !s.contains(" 0 baris")), "{sources:?}");
    assert!(sources.iter().filter(|s| s.contains(".yaml")).all(|s| !s.contains("baris")), "{sources:?}");
}

/// The Ambon workspace's workbook declares the same layout (CI checks the built one with
/// openpyxl).
#[test]
fn the_ambon_workbook_prints() {
    let test = Test::empty();
    for dir in ["indicators", "data", "templates", "evidence"] {
        copy_tree(&repo().join(dir), &test.path().join(dir));
    }
    let out = test.cmd(&["export", "--format", "xlsx"]).stdout("wrote out/kota-ambon-ringkasan-2017-2023.xlsx\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    check_print_layout(&test.path().join(out.stdout.trim().strip_prefix("wrote ").expect("one file")));
}

/// Without `evaluation.date` in city.yaml no document makes one up: the workbook's Info sheet and
/// the report's cover say it is not set, the slides give the year only. With a date, all of
/// them give it.
#[test]
fn a_missing_evaluation_date_is_said_to_be_not_set_never_made_up() {
    let dated = Test::base();
    let city = std::fs::read_to_string(dated.path().join("indicators/city.yaml")).unwrap();
    assert!(city.contains("  date: 2023-06-13\n"), "{city}");
    let undated = Test::base().file("indicators/city.yaml", city.replace("  date: 2023-06-13\n", ""));
    for (test, info_date, cover, title) in [
        (&dated, "2023-06-13", "Tanggal evaluasi 13 Juni 2023", "Tahap I · 13 Juni 2023"),
        (
            &undated,
            "belum ditentukan (evaluation.date di city.yaml)",
            "Tanggal evaluasi belum ditentukan",
            "Tahap I · 2023",
        ),
    ] {
        test.cmd(&["build"]).stdout_unchecked("the build's lines are checked elsewhere").run();
        let mut book: Xlsx<_> = open_workbook(test.path().join("out/kota-contoh-2023-ringkasan.xlsx")).unwrap();
        let info = rows(&mut book, "Info");
        let dates: Vec<String> = info.iter().filter(|r| r[0] == "tanggal_dibuat").map(|r| r[1].to_string()).collect();
        assert_eq!(dates, [info_date]);
        let words = |pdf: &str| {
            crate::pdf::text(&test.path().join("out").join(pdf)).split_whitespace().collect::<Vec<_>>().join(" ")
        };
        let report = words("kota-contoh-2023-laporan.pdf");
        assert!(report.contains(cover), "{report}");
        assert!(!report.contains("1 Januari 2023"), "{report}");
        let slides = words("kota-contoh-2023-slides.pdf");
        assert!(slides.contains(title), "{slides}");
        assert!(!slides.contains("1 Januari 2023"), "{slides}");
    }
    undated.cmd(&["report", "--lang", "en"]).stdout("wrote out/kota-contoh-2023-laporan-en.pdf\n").run();
    let en = crate::pdf::text(&undated.path().join("out/kota-contoh-2023-laporan-en.pdf"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(en.contains("Evaluation date not set yet"), "{en}");
}
