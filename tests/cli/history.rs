//! Scores across evaluations (issue #16): published results of earlier years
//! (`indicators/results/<year>.yaml`) and city.yaml's `previous`, with this year's projection,
//! in the Evaluation, the report, the slides and the Bappeda workbook; their checks.

use crate::harness::{Test, copy_tree, repo};

fn kabupaten() -> Test {
    let test = Test::empty();
    copy_tree(&repo().join("examples/kabupaten-lembah-hijau"), test.path());
    let _ = std::fs::remove_dir_all(test.path().join("out"));
    test
}

fn pdf_text(path: &std::path::Path) -> String {
    crate::pdf::text(path)
}

#[test]
fn history_runs_from_the_first_published_result_to_this_years_projection() {
    // The example: results/2022.yaml (1.86, kominfo-2022), city.yaml's previous for 2023 (2.31,
    // kominfo-2023-reguler), and the 2024 self-assessment (1.24, projected).
    let test = kabupaten();
    let out = test.cmd(&["score", "--format", "json"]).stdout_json().run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ev: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let history = ev["history"].as_array().unwrap();
    let years: Vec<i64> = history.iter().map(|h| h["year"].as_i64().unwrap()).collect();
    assert_eq!(years, [2022, 2023, 2024]);
    assert_eq!(history[0]["final_score"]["display"], "1,86");
    assert!(history[0]["change"].is_null());
    assert_eq!(history[1]["change"]["display"], "0,45");
    assert_eq!(history[1]["instrument_changed"], true, "kominfo-2022 → kominfo-2023-reguler");
    let projected = &history[2];
    assert_eq!(projected["projected"], true);
    assert_eq!(projected["final_score"], ev["scorecard"]["final_score"]);
    let change = projected["change"]["value"].as_f64().unwrap();
    let expected = ev["scorecard"]["final_score"]["value"].as_f64().unwrap() - 2.31;
    // Exact on the final read to six decimals, as every comparison of finals is (score::exact).
    assert!((change - expected).abs() < 1e-6, "{change} vs {expected}");
    assert!(projected["source"].is_null());
    // Aspects where known, for the chart: none published for 2022, city.yaml's for 2023, this
    // year's own.
    assert_eq!(history[0]["aspects"], serde_json::json!([]));
    assert_eq!(history[1]["aspects"][0], serde_json::json!({"id": "baseline", "score": 2.8}));
    assert_eq!(history[1]["aspects"].as_array().unwrap().len(), 5);
    assert_eq!(projected["aspects"][1]["score"], ev["scorecard"]["aspects"][1]["score"]["value"]);

    let out = test
        .cmd(&["build"])
        .stdout_snapshot()
        .stderr("2 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let report = pdf_text(&test.path().join("out/kabupaten-lembah-hijau-2024-laporan.pdf"));
    for needle in [
        "Perkembangan nilai",
        "2022 · Tahap II 1,86",
        "+0,45 *",
        "(proyeksi)",
        "Instrumen berbeda dari tahun sebelumnya",
        // The chart above the table.
        "Nilai akhir dan nilai aspek per tahun evaluasi",
    ] {
        assert!(report.contains(needle), "the report lacks `{needle}`");
    }
    let slides = pdf_text(&test.path().join("out/kabupaten-lembah-hijau-2024-slides.pdf"));
    assert!(slides.contains("Perkembangan nilai") && slides.contains("1,86"), "{slides}");

    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(test.path().join("out/kabupaten-lembah-hijau-2024-ringkasan.xlsx")).unwrap();
    let sheet = book.worksheet_range("riwayat").expect("a riwayat sheet");
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(rows[1][0], "2022");
    assert_eq!(rows[1][1], "1.86");
    assert_eq!(rows[3][3], "true", "the last row is the projection: {rows:?}");
}

#[test]
fn published_results_are_checked() {
    let test = kabupaten()
        // Named after another year, a score off the scale, an aspect the instrument lacks.
        .file(
            "indicators/results/2021.yaml",
            "year: 2020\nfinal: 4.5\nsource: x\ninstrument: kominfo-2022\naspects: {outcom: 2.0}\n",
        )
        // The year city.yaml's previous gives, with another final.
        .file("indicators/results/2023.yaml", "year: 2023\nfinal: 2.35\nsource: berita\n")
        // Not an earlier evaluation.
        .file("indicators/results/2024.yaml", "year: 2024\nfinal: 1.0\nsource: x\n");
    let out = test.cmd(&["validate"]).status(1).stdout_snapshot().run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    for needle in [
        "error[id-file-mismatch]: the result for 2020 is in a file named `2021.yaml`",
        "error[score-out-of-range]: the published `final` score 4.5 is outside the scale 0–4",
        "error[dangling-reference]: unknown aspect `outcom`",
        "did you mean `outcome`?",
        "error[history-conflict]: the 2023 final is 2.35 here but 2.31 in city.yaml's `previous`",
        "error[bad-year]: a published result for 2024 is not an earlier evaluation than this one (2024)",
    ] {
        assert!(out.stdout.contains(needle), "lacks `{needle}`:\n{}", out.stdout);
    }
}
