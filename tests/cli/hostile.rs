//! Hostile inputs too big or too strange to commit to tests/corpus/ (generated here in temp
//! folders): each must end in a clear diagnostic or a correct result within a time bound.

use std::path::Path;
use std::time::Duration;

use crate::harness::{Bounded, Test, run_bounded};

/// A hang guard, not a speed test (speed targets live in bench/run). A debug build takes up to
/// ~12 s per case on an idle 2-core machine but 70 s and more when other builds share the
/// cores (seen in session 8), so the bound is far above both.
const LIMIT: Duration = Duration::from_secs(300);

fn bounded(test: &Test, args: &[&str]) -> Bounded {
    let ws = test.path().to_str().expect("utf-8 temp path");
    let mut all = args.to_vec();
    all.extend(["--workspace", ws]);
    let run = run_bounded(&all, test.path(), LIMIT);
    if let Some(crash) = run.crash() {
        panic!("`{}` {crash}", args.join(" "));
    }
    run
}

/// Asserts exit 1 with an error of `code` whose text contains `text`, and returns stderr.
fn fails_with(run: &Bounded, code: &str, text: &str) {
    assert_eq!(run.code, Some(1), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(all.contains(&format!("error[{code}]")), "expected error[{code}]:\n{all}");
    assert!(all.contains(text), "expected `{text}` in:\n{all}");
    assert!(all.len() < 20_000, "the diagnostics should stay short, got {} bytes", all.len());
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn a_100_mb_single_line_csv_is_reported_quickly() {
    let test = Test::base();
    write(&test.path().join("data/observations/besar.csv"), &vec![b'a'; 100_000_000]);
    let run = bounded(&test, &["validate"]);
    fails_with(&run, "unexpected-column", "… (cut)");
    fails_with(&run, "missing-column", "missing column `indicator`");
    // Not a speed test (speed targets live in bench/run): a debug build takes ~12 s here on an
    // idle machine (the 100 MB line goes byte by byte through an unoptimised csv-core), over 30 s
    // on a loaded one; a quadratic read of 100 MB would take hours. The bound catches that.
    assert!(run.elapsed < Duration::from_secs(120), "took {:?}", run.elapsed);
}

#[test]
fn a_100_mb_single_line_yaml_is_refused_by_size() {
    let test = Test::base();
    let mut text = b"- id: daur-ulang\n  name: ".to_vec();
    text.resize(100_000_000, b'a');
    write(&test.path().join("indicators/programs/besar.yaml"), &text);
    let run = bounded(&test, &["validate"]);
    fails_with(&run, "file-too-large", "the limit for this kind of file is 16777216 bytes");
    // Not a speed test (speed targets live in bench/run): a bound 10–30× above what this takes
    // on a slow machine, so that it fails only on a hang or a quadratic read.
    assert!(run.elapsed < Duration::from_secs(10), "took {:?}", run.elapsed);
}

// Unix symlinks and modes (the Windows runner builds and runs the rest).
#[cfg(unix)]
#[test]
fn symlink_loops_in_indicators_are_reported() {
    let test = Test::base();
    let programs = test.path().join("indicators/programs");
    std::os::unix::fs::symlink("..", programs.join("ke-atas")).expect("symlink");
    std::os::unix::fs::symlink("../programs", programs.join("ke-sini")).expect("symlink");
    let run = bounded(&test, &["validate"]);
    fails_with(&run, "unreadable", "symbolic link loop");
    assert!(run.stdout.contains("indicators/programs/ke-atas") && run.stdout.contains("indicators/programs/ke-sini"));
}

/// A data file linked to a shared drive is read, with a warning that CI's clone will not have it;
/// a link that stays inside the workspace says nothing.
#[cfg(unix)]
#[test]
fn a_data_file_linked_outside_the_workspace_is_read_with_a_warning() {
    let test = Test::base();
    let shared = tempfile::tempdir().expect("tempdir");
    let data = test.path().join("data/observations/sampah.csv");
    std::fs::rename(&data, shared.path().join("sampah.csv")).expect("move");
    std::os::unix::fs::symlink(shared.path().join("sampah.csv"), &data).expect("symlink");
    let run = test.cmd(&["validate"]).stdout_unchecked("asserted below").run();
    assert_eq!(run.code, 0, "{}", run.stdout);
    let target = shared.path().canonicalize().unwrap().join("sampah.csv");
    let expected = format!(
        "warning[data-outside]: this data file is a link to `{}`, outside the workspace\n  --> data/observations/sampah.csv\n",
        target.display()
    );
    assert!(run.stdout.contains(&expected), "{}", run.stdout);
    // Read all the same.
    assert!(!run.stdout.contains("no-data"), "{}", run.stdout);
    // Inside the workspace, a link is only a link.
    std::fs::remove_file(&data).expect("rm");
    std::fs::rename(shared.path().join("sampah.csv"), test.path().join("data/observations/asli.csv.txt"))
        .expect("move");
    std::os::unix::fs::symlink("asli.csv.txt", &data).expect("symlink");
    let run = test.cmd(&["validate"]).stdout_unchecked("asserted below").run();
    assert!(!run.stdout.contains("data-outside"), "{}", run.stdout);
}

/// A pipe or a link to a device where data goes is never read (it could block forever) and never
/// skipped without a word (the probe's 5r).
#[cfg(unix)]
#[test]
fn a_pipe_or_device_in_data_is_skipped_with_a_warning() {
    let test = Test::base();
    let fifo = test.path().join("data/observations/pipa.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", test.path().join("data/observations/nol.csv")).expect("symlink");
    let run = bounded(&test, &["validate"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    for name in ["pipa.csv", "nol.csv"] {
        let expected = format!(
            "warning[ignored-file]: file ignored: not a regular file (a pipe, socket or device)\n  --> data/observations/{name}\n"
        );
        assert!(run.stdout.contains(&expected), "{name}:\n{}", run.stdout);
    }
}

/// A program file that cannot be read (here a link to a network drive that is not mounted; a
/// folder without read permission is the same to discovery) is the one error to fix: the ids it
/// may define are unknown, so the data and answers that use them are not also called dangling
/// (the reliability probe counted 23 such follow-on errors).
#[cfg(unix)]
#[test]
fn an_unreadable_program_file_is_not_followed_by_dangling_references() {
    let test = Test::base();
    let program = test.path().join("indicators/programs/sampah.yaml");
    std::fs::remove_file(&program).expect("rm");
    std::os::unix::fs::symlink("/mnt/tidak-terpasang/sampah.yaml", &program).expect("symlink");
    let run = bounded(&test, &["validate"]);
    fails_with(&run, "unreadable", "indicators/programs/sampah.yaml");
    assert!(!run.stdout.contains("dangling-reference"), "follow-on noise:\n{}", run.stdout);
    assert_eq!(run.stdout.matches("error[").count(), 1, "{}", run.stdout);
}

// Unix symlinks and modes (the Windows runner builds and runs the rest).
#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let test = Test::base();
    let file = test.path().join("data/observations/sampah.csv");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&file).is_err() {
        let run = bounded(&test, &["validate"]);
        fails_with(&run, "unreadable", "Permission denied");
        return;
    }
    // Running as root (CI containers), chmod 000 does not stop reading: run the binary as the
    // unprivileged user `nobody` instead (setpriv, util-linux), over a workspace it may read.
    for entry in walkdir::WalkDir::new(test.path()).into_iter().filter_map(Result::ok) {
        if entry.path() != file {
            let mode = if entry.file_type().is_dir() { 0o755 } else { 0o644 };
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
    }
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", crate::harness::BIN, "validate", "--workspace"])
        .arg(test.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("setpriv (util-linux) runs the binary as nobody");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("error[unreadable]") && text.contains("Permission denied"), "{text}");
    assert!(text.contains("data/observations/sampah.csv"), "{text}");
}

#[test]
fn an_out_that_is_a_file_fails_every_writer_clearly_and_is_kept() {
    let test = Test::base().file("out", "not a folder");
    for args in [&["build"][..], &["report"], &["export", "--format", "csv"], &["export", "--format", "xlsx"]] {
        let run = bounded(&test, args);
        fails_with(&run, "write-failed", "is a file, not a folder");
    }
    assert_eq!(std::fs::read_to_string(test.path().join("out")).expect("out"), "not a folder");
}

#[test]
fn ten_thousand_programs_score_and_refuse_a_document_clearly() {
    let mut programs = String::new();
    let mut data = String::from("indicator,period,value,area,source,note\n");
    for i in 0..10_000 {
        programs.push_str(&format!(
            "- id: program-{i}\n  name: Program {i}\n  dimension: environment\n  subdimension: sampah-limbah\n  \
             opd: DLH\n  period: {{start: 2023, end: 2025}}\n  status: berjalan\n  indicators:\n    - id: ind-{i}\n      \
             name: Indikator {i}\n      unit: ton\n      direction: up\n      aggregate: mean\n      targets: {{2023: 10}}\n"
        ));
        data.push_str(&format!("ind-{i},2023-06,{},,,\n", i % 20));
    }
    let test =
        Test::base().file("indicators/programs/banyak.yaml", programs).file("data/observations/banyak.csv", data);
    let run = bounded(&test, &["score", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let ev: serde_json::Value = serde_json::from_str(&run.stdout).expect("score JSON");
    let programs = ev["programs"].as_array().expect("programs");
    assert_eq!(programs.len(), 10_001);
    let ind = ev["indicators"].as_array().expect("indicators").iter().find(|i| i["id"] == "ind-7").expect("ind-7");
    let y2023 = ind["years"].as_array().expect("years").iter().find(|y| y["year"] == 2023).expect("2023");
    assert_eq!((y2023["value"].as_f64(), y2023["achievement"].as_f64()), (Some(7.0), Some(70.0)));
    let report = bounded(&test, &["report"]);
    fails_with(&report, "document-too-large", "10001 programs");
    assert!(!test.path().join("out/kota-contoh-2023-laporan.pdf").exists());
}

#[test]
fn an_indicator_with_a_thousand_areas_keeps_every_area() {
    let mut data = String::from("indicator,period,value,area,source,note\n");
    for i in 0..1_000 {
        data.push_str(&format!("sampah-diolah,2023-08,{},Kelurahan {i:04},,\n", i % 50));
    }
    let test = Test::base().file("data/observations/wilayah.csv", data);
    let run = bounded(&test, &["score", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let ev: serde_json::Value = serde_json::from_str(&run.stdout).expect("score JSON");
    let ind =
        ev["indicators"].as_array().expect("indicators").iter().find(|i| i["id"] == "sampah-diolah").expect("ind");
    let y2023 = ind["years"].as_array().expect("years").iter().find(|y| y["year"] == 2023).expect("2023");
    let areas = y2023["areas"].as_array().expect("areas");
    assert_eq!(areas.len(), 1_000);
    for area in areas {
        let name = area["area"].as_str().expect("area name");
        let i: u32 = name.trim_start_matches("Kelurahan ").parse().expect("area number");
        assert_eq!(area["value"].as_f64(), Some(f64::from(i % 50)), "{name}");
    }
    // The documents render too (areas are a breakdown, not one row each in the PDF).
    assert_eq!(bounded(&test, &["build"]).code, Some(0));
}

/// A stray value in the last cell of a sheet (a 5 KB file): calamine's dense range of 17
/// billion cells took 22 GB before the process was killed. Now a diagnostic naming the cell.
#[test]
fn a_stray_cell_at_the_end_of_an_xlsx_sheet_is_refused_with_its_address() {
    let test = Test::base();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["indicator", "period", "value", "area"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    sheet.write_string(1, 0, "sampah-terolah").expect("cell");
    sheet.write_string(1, 1, "2023").expect("cell");
    sheet.write_number(1, 2, 5.0).expect("cell");
    sheet.write_string(1_048_575, 16_383, "z").expect("the last cell");
    let path = test.path().join("data/observations/jauh.xlsx");
    book.save(&path).expect("save");
    assert!(std::fs::metadata(&path).expect("saved").len() < 20_000);
    let run = bounded(&test, &["validate"]);
    fails_with(&run, "xlsx-too-large", "spans A1:XFD1048576");
    fails_with(&run, "xlsx-too-large", "Sheet1!XFD1048576");
    // Not a speed test (speed targets live in bench/run): a bound 10–30× above what this takes
    // on a slow machine, so that it fails only on a hang or a quadratic read.
    assert!(run.elapsed < Duration::from_secs(30), "took {:?}", run.elapsed);
}
