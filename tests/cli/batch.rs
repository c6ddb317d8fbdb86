//! `build --workspaces`: many workspaces at once, one broken city does not stop the others,
//! a summary table and a combined cross-city summary.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use polars::prelude::*;

use crate::harness::{Test, cmd, copy_tree, corpus};

/// `kota/<name>`: a copy of the base workspace named `city`.
fn city(root: &Path, name: &str, city: &str) {
    let dir = root.join("kota").join(name);
    copy_tree(&corpus().join("_base"), &dir);
    let yaml = dir.join("indicators/city.yaml");
    let text = std::fs::read_to_string(&yaml).expect("city.yaml");
    std::fs::write(&yaml, text.replace("city: Kota Contoh", &format!("city: {city}"))).expect("write");
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).expect("xlsx");
    let range = book.worksheet_range(name).expect("sheet");
    range.rows().map(<[Data]>::to_vec).collect()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn a_broken_city_is_reported_and_the_others_are_built() {
    let test = Test::empty();
    let root = test.path();
    city(root, "a-ambon", "Kota Ambon");
    city(root, "b-rusak", "Kota Rusak");
    city(root, "c-tual", "Kota Tual");
    // Kota Rusak: a score out of the scale stops its build.
    let assessment = root.join("kota/b-rusak/indicators/assessment/2023.yaml");
    let text_now = std::fs::read_to_string(&assessment).expect("assessment");
    let broken = text_now.replacen("score: 3.0", "score: 9.0", 1);
    assert_ne!(broken, text_now, "the base assessment has a manual score to break");
    std::fs::write(&assessment, broken).expect("write");

    let out = cmd(&["build", "--workspaces", "kota/*", "--jobs", "2"], root)
        .status(1)
        .stdout_snapshot()
        .stderr_snapshot()
        .run();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    // The summary table: one row per city, in path order, the broken one with its error.
    let table: Vec<&str> = out.stdout.lines().collect();
    assert!(table[0].starts_with("city") && table[0].contains("final") && table[0].contains("errors"), "{table:?}");
    assert!(table[1].starts_with("Kota Ambon") && table[1].contains("3 written"), "{}", table[1]);
    assert!(table[2].starts_with("Kota Rusak") && table[2].contains(" – "), "{}", table[2]);
    assert!(table[3].starts_with("Kota Tual") && table[3].contains("3 written"), "{}", table[3]);
    assert!(out.stdout.contains("3 workspaces: 2 ok, 1 failed"), "{}", out.stdout);
    // The error is shown in full under the city's folder.
    assert!(out.stderr.contains("── kota/b-rusak ──"), "{}", out.stderr);
    // The good cities have their outputs, the broken one none.
    for (dir, slug) in [("a-ambon", "kota-ambon"), ("c-tual", "kota-tual")] {
        for file in [
            format!("{slug}-2023-laporan.pdf"),
            format!("{slug}-2023-slides.pdf"),
            format!("{slug}-2023-ringkasan.xlsx"),
        ] {
            assert!(root.join("kota").join(dir).join("out").join(&file).is_file(), "{dir}/out/{file}");
        }
    }
    assert!(!root.join("kota/b-rusak/out/kota-rusak-2023-laporan.pdf").exists());

    // The combined summary: a `kota` row per workspace, the city tables with a `kota` column.
    let xlsx = root.join("out/ringkasan-gabungan.xlsx");
    let kota = sheet(&xlsx, "kota");
    let header: Vec<String> = kota[0].iter().map(text).collect();
    assert_eq!(&header[..3], ["kota", "ruang_kerja", "slug"]);
    let status = header.iter().position(|h| h == "status").expect("status column");
    let final_col = header.iter().position(|h| h == "nilai_akhir").expect("nilai_akhir column");
    let rows: Vec<(String, String)> = kota[1..].iter().map(|r| (text(&r[0]), text(&r[status]))).collect();
    assert_eq!(
        rows,
        [("Kota Ambon", "ok"), ("Kota Rusak", "gagal"), ("Kota Tual", "ok")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // Same data, same final score for both good cities; none for the broken one.
    assert!(matches!(kota[1][final_col], Data::Float(_)));
    assert_eq!(kota[1][final_col], kota[3][final_col]);
    assert_eq!(kota[2][final_col], Data::Empty);
    let nilai = sheet(&xlsx, "nilai");
    assert_eq!(text(&nilai[0][0]), "kota");
    let cities: std::collections::BTreeSet<String> = nilai[1..].iter().map(|r| text(&r[0])).collect();
    assert_eq!(cities.into_iter().collect::<Vec<_>>(), ["Kota Ambon", "Kota Tual"]);

    // Parquet, read back with polars.
    let file = std::fs::File::open(root.join("out/ringkasan-gabungan-kota.parquet")).expect("parquet");
    let frame = ParquetReader::new(file).finish().expect("read parquet");
    assert_eq!(frame.height(), 3);
    let statuses: Vec<Option<&str>> = frame.column("status").expect("status").str().expect("text").iter().collect();
    assert_eq!(statuses, [Some("ok"), Some("gagal"), Some("ok")]);
}

#[test]
fn a_list_file_names_the_workspaces_and_a_second_run_rebuilds_nothing() {
    let test = Test::empty();
    let root = test.path();
    city(root, "satu", "Kota Satu");
    city(root, "dua", "Kota Dua");
    std::fs::write(root.join("kota.txt"), "# kota di provinsi\nkota/satu\n\nkota/dua\n").expect("list");
    let first = cmd(&["build", "--workspaces", "kota.txt", "--summary-dir", "gabungan"], root).stdout_snapshot().run();
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert!(first.stdout.contains("2 workspaces: 2 ok, 0 failed"), "{}", first.stdout);
    assert!(root.join("gabungan/ringkasan-gabungan.xlsx").is_file());
    let combined = std::fs::read(root.join("gabungan/ringkasan-gabungan.xlsx")).expect("xlsx");

    let again = cmd(&["build", "--workspaces", "kota.txt", "--summary-dir", "gabungan"], root).stdout_snapshot().run();
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    assert!(
        again.stdout.contains("0 written, 3 up to date") || again.stdout.contains("3 up to date"),
        "{}",
        again.stdout
    );
    // Up-to-date cities are still scored for the summary: the same bytes again.
    assert_eq!(std::fs::read(root.join("gabungan/ringkasan-gabungan.xlsx")).expect("xlsx"), combined);

    let check = cmd(&["build", "--check", "--workspaces", "kota.txt"], root).stdout_snapshot().run();
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    std::fs::remove_file(root.join("kota/dua/out/kota-dua-2023-slides.pdf")).expect("rm");
    let stale = cmd(&["build", "--check", "--workspaces", "kota.txt"], root)
        .status(1)
        .stdout_snapshot()
        .stderr_snapshot()
        .run();
    assert_eq!(stale.code, 1, "{}{}", stale.stdout, stale.stderr);
    assert!(stale.stderr.contains("missing: out/kota-dua-2023-slides.pdf"), "{}", stale.stderr);
}

#[test]
fn a_pattern_that_matches_nothing_is_an_error() {
    let test = Test::empty();
    let out = cmd(&["build", "--workspaces", "kota/*"], test.path()).status(1).stderr("error[no-workspaces]: `kota/*` matches no folder\n  = help: give a glob such as 'kota/*' or a file with one workspace folder per line\n1 error, 0 warnings\n").run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("matches no folder"), "{}", out.stderr);
}
