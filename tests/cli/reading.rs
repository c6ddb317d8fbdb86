//! What a city's own files mean (format.md §6.4, §6.6, §6.7): dotted thousands, decimal
//! conventions decided by the file, xlsx cells formatted as percentages, formulas with saved
//! results, hidden sheets and parquet timestamps — read end to end through `score`, each
//! expected number worked out by hand beside it. The refusals (two-way values, unsaved
//! formulas, currency signs) are corpus cases with exact diagnostics.

use serde_json::Value;

use crate::harness::Test;

/// `_base` plus a program `uji` with one indicator `kunjungan` (aggregate `agg`, target 2023:
/// 300000) and the data file `rel` holding `content`; `_base`'s own observations removed.
fn workspace(agg: &str, rel: &str, content: impl AsRef<[u8]>) -> Test {
    let test = Test::base()
        .file(
            "indicators/programs/uji.yaml",
            format!(
                "id: uji\nname: Program uji\ndimension: governance\nsubdimension: layanan-publik\nopd: Diskominfo\n\
                 period: {{start: 2021, end: 2024}}\nstatus: berjalan\nindicators:\n  - {{id: kunjungan, name: Kunjungan, \
                 unit: persen, direction: up, aggregate: {agg}, targets: {{2023: 300000}}}}\n"
            ),
        )
        .file(rel, content);
    std::fs::remove_file(test.path().join("data/observations/sampah.csv")).expect("remove base data");
    test
}

/// The 2023 value of `kunjungan` from `score --format json`, which must succeed.
#[track_caller]
fn value_2023(test: &Test) -> Value {
    let out = test.cmd(&["score", "--format", "json"]).stdout_json().run();
    assert_eq!(out.code, 0, "score failed\n--- stdout\n{}\n--- stderr\n{}", out.stdout, out.stderr);
    let e: Value = serde_json::from_str(&out.stdout).expect("json");
    let indicator = e["indicators"].as_array().unwrap().iter().find(|i| i["id"] == "kunjungan").unwrap().clone();
    let year = indicator["years"].as_array().unwrap().iter().find(|y| y["year"] == 2023).unwrap().clone();
    year["value"].clone()
}

#[test]
fn a_semicolon_csv_with_dotted_thousands_is_read_as_whole_numbers() {
    // The trial's silent misread: `275.500` in Indonesian Excel's `;` CSV is 275500, not 275,5.
    // Sum of 275.500 + 24.500 = 300000 (not 300.0).
    let test = workspace(
        "sum",
        "data/observations/wisata.csv",
        b"\xEF\xBB\xBFindicator;period;value\r\nkunjungan;2023-01;275.500\r\nkunjungan;2023-02;24.500\r\n",
    );
    assert_eq!(value_2023(&test).as_f64(), Some(300_000.0));
}

#[test]
fn a_decimal_comma_anywhere_in_the_file_decides_dotted_values() {
    // `12,5` can only be a decimal comma, so `1.250` in the same (comma-separated) file is 1250:
    // 1250 + 12.5 = 1262.5.
    let test = workspace(
        "sum",
        "data/observations/a.csv",
        "indicator,period,value\nkunjungan,2023-01,1.250\nkunjungan,2023-02,\"12,5\"\n",
    );
    assert_eq!(value_2023(&test).as_f64(), Some(1262.5));
}

#[test]
fn a_decimal_point_anywhere_in_the_file_decides_dotted_values() {
    // `0.5` can only be a decimal point, so `1.250` is 1.25: 1.25 + 0.5 = 1.75.
    let test = workspace(
        "sum",
        "data/observations/a.csv",
        "indicator,period,value\nkunjungan,2023-01,1.250\nkunjungan,2023-02,0.5\n",
    );
    assert_eq!(value_2023(&test).as_f64(), Some(1.75));
}

#[test]
fn a_declared_convention_wins_over_the_file() {
    // `decimal: point` in the sidecar: `275.500` is 275.5 even in a `;` file.
    let test = workspace("sum", "data/observations/a.csv", "indicator;period;value\nkunjungan;2023-01;275.500\n")
        .file("data/observations/a.csv.yaml", "decimal: point\n");
    assert_eq!(value_2023(&test).as_f64(), Some(275.5));
}

#[test]
fn dotted_thousands_under_the_workspace_decimal_point_are_read_as_declared_with_a_warning() {
    // The shipped Ambon city.yaml (which users copy) declares `decimal: point` for every file;
    // an OPD's `;` CSV then reads `275.500` as 275.5. It is not refused (the user declared it),
    // but said, at the cell, with the per-file fix.
    let city = std::fs::read_to_string(crate::harness::corpus().join("_base/indicators/city.yaml")).unwrap();
    let test = workspace(
        "sum",
        "data/observations/wisata.csv",
        "indicator;period;value\nkunjungan;2023-01;275.500\nkunjungan;2023-02;24.500\n",
    )
    .file("indicators/city.yaml", format!("{city}data:\n  decimal: point\n"));
    let out = test.cmd(&["validate"]).stdout_snapshot().run();
    assert!(out.stdout.contains("warning[dotted-thousands]: `value` is `275.500`, read as 275.5 "), "{}", out.stdout);
    assert!(out.stdout.contains("--> data/observations/wisata.csv:2:3\n"), "{}", out.stdout);
    assert_eq!(value_2023(&test).as_f64(), Some(300.0));
    // Following the help: the sidecar's `decimal: comma` reads 275500 + 24500, without a word.
    let test = test.file("data/observations/wisata.csv.yaml", "decimal: comma\n");
    let out = test.cmd(&["validate"]).stdout_snapshot().run();
    assert!(!out.stdout.contains("dotted-thousands"), "{}", out.stdout);
    assert_eq!(value_2023(&test).as_f64(), Some(300_000.0));
    // Or confirming 275.5: also quiet.
    let test = test.file("data/observations/wisata.csv.yaml", "decimal: point\n");
    let out = test.cmd(&["validate"]).stdout_snapshot().run();
    assert!(!out.stdout.contains("dotted-thousands"), "{}", out.stdout);
}

#[test]
fn an_undecided_two_way_value_stops_validate_with_both_readings() {
    let test = workspace(
        "sum",
        "data/observations/a.csv",
        "indicator,period,value\nkunjungan,2023-01,275.500\nkunjungan,2023-02,40\n",
    );
    let out = test.cmd(&["validate"]).status(1).stdout_snapshot().run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    let text = format!("{}{}", out.stdout, out.stderr);
    assert!(text.contains("error[ambiguous-number]"), "{text}");
    assert!(text.contains("275.5 with a decimal point, or 275500 with dots grouping thousands"), "{text}");
    assert!(text.contains("`decimal: comma`") && text.contains("a.csv.yaml"), "{text}");
    // Nothing is scored from it.
    assert_eq!(test.cmd(&["score"]).status(1).stderr_snapshot().run().code, 1);
}

fn xlsx(write: impl FnOnce(&mut rust_xlsxwriter::Workbook)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    write(&mut book);
    book.save_to_buffer().expect("xlsx")
}

fn header(sheet: &mut rust_xlsxwriter::Worksheet) {
    for (c, h) in ["indicator", "period", "value"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
}

#[test]
fn percent_formatted_cells_are_read_as_the_number_shown() {
    // Excel shows 71,5 % and 83,0 % (stored 0.715 and 0.83); mean (71.5 + 83) / 2 = 77.25.
    let bytes = xlsx(|book| {
        let percent = rust_xlsxwriter::Format::new().set_num_format("0.0%");
        let sheet = book.add_worksheet();
        header(sheet);
        for (r, (period, v)) in [("2023-01", 0.715), ("2023-02", 0.83)].iter().enumerate() {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, "kunjungan").unwrap();
            sheet.write_string(r, 1, *period).unwrap();
            sheet.write_number_with_format(r, 2, *v, &percent).unwrap();
        }
    });
    let test = workspace("mean", "data/observations/aduan.xlsx", bytes);
    assert_eq!(value_2023(&test).as_f64(), Some(77.25));
}

#[test]
fn a_percent_cell_feeding_an_indicator_not_in_percent_is_read_as_shown_with_a_warning() {
    // The trial: 45 typed into a column formatted `0%` is stored 0.45 and read as 45 (§6.6);
    // for `kunjungan` (unit `orang`) that is a guess, said at the cell. `layanan` is in `%`:
    // its percentage cells are what the rule is for, and say nothing.
    let bytes = xlsx(|book| {
        let percent = rust_xlsxwriter::Format::new().set_num_format("0%");
        let sheet = book.add_worksheet().set_name("Capaian").unwrap();
        header(sheet);
        let rows = [
            ("kunjungan", "2023-01", 0.45, true),
            ("kunjungan", "2023-02", 0.55, true),
            ("layanan", "2023-01", 0.83, true),
            ("kunjungan", "2023-03", 60.0, false),
        ];
        for (r, (id, period, v, as_percent)) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, *id).unwrap();
            sheet.write_string(r, 1, *period).unwrap();
            if *as_percent {
                sheet.write_number_with_format(r, 2, *v, &percent).unwrap();
            } else {
                sheet.write_number(r, 2, *v).unwrap();
            }
        }
    });
    let test = workspace("sum", "data/observations/capaian.xlsx", bytes).file(
        "indicators/programs/uji.yaml",
        "id: uji\nname: Program uji\ndimension: governance\nsubdimension: layanan-publik\nopd: Diskominfo\n\
         period: {start: 2021, end: 2024}\nstatus: berjalan\nindicators:\n\
         \x20 - {id: kunjungan, name: Kunjungan, unit: orang, direction: up, aggregate: sum, targets: {2023: 300}}\n\
         \x20 - {id: layanan, name: Layanan daring, unit: \"%\", direction: up, aggregate: mean, targets: {2023: 90}}\n",
    );
    let out = test.cmd(&["validate"]).stdout_snapshot().run();
    assert!(
        out.stdout.contains(
            "warning[percent-cell]: `value` is formatted as a percentage: the cell shows 45 % (stored 0.45) and is read \
             as 45, but indicator `kunjungan` is counted in `orang` (1 more such cell of `kunjungan` in this file)\n  \
             --> data/observations/capaian.xlsx:Capaian!C2\n"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.matches("percent-cell").count(), 1, "`layanan` is in %: {}", out.stdout);
    // Read as documented, not changed by the warning: 45 + 55 + 60.
    assert_eq!(value_2023(&test).as_f64(), Some(160.0));
}

#[test]
fn a_formula_is_read_through_its_saved_result() {
    // `=62.5*2` saved with its result 125 (as Excel saves), beside a plain 75: sum 200.
    let bytes = xlsx(|book| {
        let sheet = book.add_worksheet();
        header(sheet);
        sheet.write_string(1, 0, "kunjungan").unwrap();
        sheet.write_string(1, 1, "2023-01").unwrap();
        sheet.write_formula(1, 2, rust_xlsxwriter::Formula::new("=62.5*2").set_result("125")).unwrap();
        sheet.write_string(2, 0, "kunjungan").unwrap();
        sheet.write_string(2, 1, "2023-02").unwrap();
        sheet.write_number(2, 2, 75.0).unwrap();
    });
    let test = workspace("sum", "data/observations/f.xlsx", bytes);
    assert_eq!(value_2023(&test).as_f64(), Some(200.0));
}

#[test]
fn the_first_visible_sheet_is_read_not_a_hidden_one() {
    // A hidden first sheet holds old figures ×10 (3000); the visible one 300.
    let bytes = xlsx(|book| {
        let old = book.add_worksheet().set_name("Lama").unwrap();
        header(old);
        old.write_string(1, 0, "kunjungan").unwrap();
        old.write_string(1, 1, "2023").unwrap();
        old.write_number(1, 2, 3000.0).unwrap();
        old.set_hidden(true);
        let now = book.add_worksheet().set_name("Capaian").unwrap();
        header(now);
        now.write_string(1, 0, "kunjungan").unwrap();
        now.write_string(1, 1, "2023").unwrap();
        now.write_number(1, 2, 300.0).unwrap();
        now.set_active(true);
    });
    let test = workspace("sum", "data/observations/h.xlsx", bytes);
    assert_eq!(value_2023(&test).as_f64(), Some(300.0));
    // Named explicitly, a hidden sheet is read.
    let test = test.file("data/observations/h.xlsx.yaml", "sheet: Lama\n");
    assert_eq!(value_2023(&test).as_f64(), Some(3000.0));
}

#[test]
fn parquet_periods_stored_as_timestamps_are_the_day_they_fall_on() {
    use polars::prelude::*;
    // pandas writes dates as timestamp[us]/[ms]; 2023-06-01 00:00 and 2023-07-15 13:30 → days
    // of 2023: sum 100 + 200 = 300.
    let ms = |y: i32, m: u32, d: u32, h: i64| {
        let days = match (y, m, d) {
            (2023, 6, 1) => 19_509i64,
            (2023, 7, 15) => 19_553,
            _ => unreachable!(),
        };
        days * 86_400_000 + h * 3_600_000
    };
    let periods = Series::new("period".into(), [ms(2023, 6, 1, 0), ms(2023, 7, 15, 13)])
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
        .unwrap();
    let mut frame = DataFrame::new_infer_height(vec![
        Column::new("indicator".into(), ["kunjungan", "kunjungan"]),
        periods.into_column(),
        Column::new("value".into(), [100.0, 200.0]),
    ])
    .unwrap();
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(&mut frame).unwrap();
    let test = workspace("sum", "data/observations/p.parquet", bytes);
    assert_eq!(value_2023(&test).as_f64(), Some(300.0));
}

/// The shipped kabupaten example (examples/kabupaten-lembah-hijau): Indonesian-Excel files as
/// OPDs send them validate clean, and the numbers read from them are the ones the files mean.
#[test]
fn the_kabupaten_example_validates_and_reads_its_indonesian_files_right() {
    let ws = crate::harness::repo().join("examples/kabupaten-lembah-hijau");
    let ws = ws.to_str().unwrap();
    let out = crate::harness::cmd(&["validate", "--format", "json", "--workspace", ws], std::path::Path::new("."))
        .stdout_snapshot()
        .run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["errors"], 0, "{}", out.stdout);
    let out = crate::harness::cmd(&["score", "--format", "json", "--workspace", ws], std::path::Path::new("."))
        .stdout_json()
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let e: Value = serde_json::from_str(&out.stdout).unwrap();
    let area = |indicator: &str, year: i64, area: &str| -> f64 {
        let i = e["indicators"].as_array().unwrap().iter().find(|i| i["id"] == indicator).unwrap();
        let y = i["years"].as_array().unwrap().iter().find(|y| y["year"] == year).unwrap();
        let a = y["areas"].as_array().unwrap().iter().find(|a| a["area"] == area);
        a.unwrap_or_else(|| panic!("{indicator} {year} has no area {area}: {y}"))["value"].as_f64().unwrap()
    };
    // The text "231.450" in a workbook declared `decimal: comma`.
    assert_eq!(area("wisatawan-desa-wisata", 2023, "Girimulyo"), 231_450.0);
    // The text "40,5".
    assert_eq!(area("sampah-bank-sampah", 2022, "Karangjati"), 40.5);
    // 0.835 in a cell formatted 0.0%: Excel shows 83,5 %.
    assert_eq!(area("balita-ditimbang", 2023, "Lembah Tengah"), 83.5);
}

/// The sidecar lines a `header-not-found` help asks for: its backticked `key: …` parts.
fn sidecar_from_hint(help: &str) -> String {
    help.split('`').skip(1).step_by(2).filter(|part| part.contains(": ")).map(|part| format!("{part}\n")).collect()
}

#[test]
fn following_the_header_hint_literally_reads_a_table_with_a_row_number_column() {
    // The trial's workbook (the corpus case): title rows, then `No | Kode Indikator | Periode |
    // Nilai | Keterangan`. The hint must name everything the sidecar needs in one step,
    // `ignore_columns: [No]` included.
    let test = crate::corpus::case_workspace(&crate::harness::corpus().join("data-xlsx-title-rows-above-header"));
    let out = test.cmd(&["validate"]).status(1).stdout_snapshot().run();
    let help = out.stdout.lines().find_map(|l| l.strip_prefix("  = help: add ")).expect("the hint");
    assert!(help.contains("`ignore_columns: [No]`"), "{help}");
    let sidecar = sidecar_from_hint(help);
    assert_eq!(
        sidecar,
        "skip_rows: 3\ncolumns: {indicator: Kode Indikator, period: Periode, value: Nilai, note: Keterangan}\n\
         ignore_columns: [No]\n"
    );
    let test = test.file("data/observations/capaian.xlsx.yaml", sidecar);
    let out = test.cmd(&["validate"]).stdout_snapshot().run();
    assert_eq!(out.stdout, "no problems found\n");
}

#[test]
fn a_row_number_column_is_not_offered_as_note() {
    let test = Test::base().file(
        "data/observations/sampah.csv",
        "No,indicator,period,value\n1,sampah-diolah,2023-06,120\n2,sampah-diolah,2023-07,200\n",
    );
    test.cmd(&["validate"])
        .status(1)
        .stdout(
            "error[unexpected-column]: unexpected column `No`\n  --> data/observations/sampah.csv:1:1\n  = help: a \
             row-number column: leave it out with `ignore_columns: [No]` in sampah.csv.yaml\n1 error, 0 warnings\n",
        )
        .run();
    let test = test.file("data/observations/sampah.csv.yaml", "ignore_columns: [No]\n");
    test.cmd(&["validate"]).stdout("no problems found\n").run();
}

/// A workbook copied while Excel was still saving it is 0 bytes: named as empty, not as a zip
/// without a central directory.
#[test]
fn an_empty_workbook_is_called_empty() {
    let test = workspace("sum", "data/observations/capaian.xlsx", b"");
    let out = test.cmd(&["validate"]).status(1).stdout_unchecked("asserted below").run();
    assert!(
        out.stdout.starts_with(
            "error[empty-file]: the workbook is empty (0 bytes)\n  --> data/observations/capaian.xlsx\n  = help: save it again"
        ),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.to_lowercase().contains("zip"), "{}", out.stdout);
}

/// A date column saved to CSV as General shows Excel's day numbers: the message says which date
/// it is and how to write the period, without taking it as one.
#[test]
fn an_excel_date_number_as_a_period_is_explained() {
    let test = workspace("sum", "data/observations/a.csv", "indicator,period,value\nkunjungan,45108,40\n");
    let out = test.cmd(&["validate"]).status(1).stdout_unchecked("asserted below").run();
    assert!(
        out.stdout.contains("`45108` is not a period; it looks like an Excel date number (2023-07-01)")
            && out.stdout.contains("data/observations/a.csv:2"),
        "{}",
        out.stdout
    );
}

/// Values that add up past the largest number a float holds stop the run (the reliability probe's
/// D10 scored them as 100 %), at the largest value (the first of equals), which the help names.
#[test]
fn values_that_add_up_beyond_the_largest_number_stop_with_the_value_named() {
    let test = workspace(
        "sum",
        "data/observations/a.csv",
        "indicator,period,value\nkunjungan,2023-01,\nkunjungan,2023-02,5\nkunjungan,2023-03,1e308\nkunjungan,2023-04,1e308\n",
    );
    let out = test.cmd(&["validate"]).status(1).stdout_unchecked("asserted below").run();
    assert!(
        out.stdout.contains(
            "error[value-overflow]: the values of `kunjungan` in 2023 add up beyond ±1.8e308, the largest number the tool \
             can hold\n  --> data/observations/a.csv:4:"
        ) && out.stdout.contains("the largest is 1e308, here"),
        "{}",
        out.stdout
    );
    assert_eq!(test.cmd(&["score"]).status(1).stderr_unchecked("validate's error again").run().code, 1);
}
