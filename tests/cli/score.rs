//! `score`: aggregation, rules, the instrument's arithmetic and the cohort, end to end over
//! small workspaces built from `tests/corpus/_base`. Every expected number is computed by hand
//! in the comment next to it; none was copied from the tool's output.

use serde::Deserialize;
use serde_json::Value;

use crate::harness::{Test, cmd, repo};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// `score --format json` (plus `extra` arguments), which must succeed; the parsed Evaluation.
fn score_json(test: &Test, extra: &[&str]) -> Value {
    let mut args = vec!["score", "--format", "json"];
    args.extend_from_slice(extra);
    let out = test.cmd(&args).stdout_json().run();
    assert_eq!(out.code, 0, "score failed\n--- stdout\n{}\n--- stderr\n{}", out.stdout, out.stderr);
    assert!(!non_finite(&out.stdout), "non-finite number:\n{}", out.stdout);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out.stdout))
}

/// `NaN`, `inf` or `infinity` as a word (serde_json itself writes non-finite numbers as `null`,
/// which the assertions on each value catch).
fn non_finite(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|w| matches!(w.to_lowercase().as_str(), "nan" | "inf" | "infinity"))
}

#[track_caller]
fn approx(actual: &Value, expected: f64) {
    let got = actual.as_f64().unwrap_or_else(|| panic!("expected a number ≈ {expected}, got {actual}"));
    assert!((got - expected).abs() < 1e-9, "expected ≈ {expected}, got {got}");
}

#[track_caller]
fn find<'a>(list: &'a Value, key: &str, id: &str) -> &'a Value {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .find(|v| v[key] == id)
        .unwrap_or_else(|| panic!("no `{key}: {id}` in {list:#}"))
}

#[track_caller]
fn indicator<'a>(e: &'a Value, id: &str) -> &'a Value {
    find(&e["indicators"], "id", id)
}

/// `indicators[id].years[year]`.
#[track_caller]
fn year<'a>(e: &'a Value, id: &str, year: i64) -> &'a Value {
    indicator(e, id)["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == year)
        .unwrap_or_else(|| panic!("indicator `{id}` has no year {year}: {:#}", indicator(e, id)))
}

#[track_caller]
fn question<'a>(e: &'a Value, id: &str) -> &'a Value {
    find(&e["scorecard"]["questions"], "id", id)
}

#[track_caller]
fn aspect<'a>(e: &'a Value, id: &str) -> &'a Value {
    find(&e["scorecard"]["aspects"], "id", id)
}

#[track_caller]
fn program<'a>(e: &'a Value, id: &str) -> &'a Value {
    find(&e["programs"], "id", id)
}

/// Ids of the scorecard's gaps of one kind, in order.
fn gaps(e: &Value, kind: &str) -> Vec<String> {
    e["scorecard"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == kind)
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect()
}

/// `[{area, value}]` as pairs.
fn areas(y: &Value) -> Vec<(String, f64)> {
    y["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["area"].as_str().unwrap().to_string(), a["value"].as_f64().unwrap()))
        .collect()
}

/// A program `uji` (governance, berjalan, 2021–2024) with indicators
/// `(id, direction, aggregate, targets)`.
fn uji(indicators: &[(&str, &str, &str, &str)]) -> String {
    let mut s = String::from(
        "id: uji\nname: Program uji\ndimension: governance\nsubdimension: layanan-publik\nopd: Diskominfo\n\
         period: {start: 2021, end: 2024}\nstatus: berjalan\nindicators:\n",
    );
    for (id, direction, aggregate, targets) in indicators {
        s.push_str(&format!(
            "  - {{id: {id}, name: Indikator {id}, unit: unit, direction: {direction}, aggregate: {aggregate}, targets: {targets}}}\n"
        ));
    }
    s
}

/// An instrument `mini` (the one `_base`'s city.yaml names): `aspects` are
/// `(id, weight, [(question id, rule or "")])`, one indicator each.
/// `(aspect id, weight, [(question id, rule or "")])`.
type AspectSpec<'a> = (&'a str, u32, &'a [(&'a str, &'a str)]);

fn framework(missing: &str, aspects: &[AspectSpec]) -> String {
    let mut s = format!(
        "id: mini\nname: Instrumen uji\nyear: 2023\nscale: {{min: 0.0, max: 4.0}}\nmissing: {missing}\n\
         predicates:\n  - {{min: 2.5, label: Baik, label_en: Good}}\n  - {{min: 0.0, label: Kurang, label_en: Poor}}\n\
         aspects:\n"
    );
    for (id, weight, questions) in aspects {
        s.push_str(&format!(
            "  - id: {id}\n    name: Aspek {id}\n    weight: {weight}\n    indicators:\n      - id: {id}-1\n        name: Indikator\n        questions:\n"
        ));
        for (n, (qid, rule)) in questions.iter().enumerate() {
            let rule = if rule.is_empty() { String::new() } else { format!(", rule: {rule}") };
            s.push_str(&format!("          - {{id: {qid}, number: \"{}\", text: Pertanyaan {qid}{rule}}}\n", n + 1));
        }
    }
    s
}

/// An assessment for 2023: `(question id, answer)`, the answer in YAML flow style.
fn answers(list: &[(&str, &str)]) -> String {
    let mut s = String::from("year: 2023\nanswers:\n");
    for (q, a) in list {
        s.push_str(&format!("  {q}: {a}\n"));
    }
    s
}

/// `_base` with its instrument and assessment replaced, and without its survey file (whose
/// question id belongs to `_base`'s instrument).
fn custom(framework: &str, assessment: &str) -> Test {
    let test = Test::base()
        .file("indicators/framework/mini.yaml", framework)
        .file("indicators/assessment/2023.yaml", assessment);
    std::fs::remove_file(test.path().join("data/survey/survei.csv")).expect("remove survey");
    test
}

const MANUAL: &str = "{score: 3.0, evidence: [bukti]}";
const DERIVE: &str = "{derive: true}";

// ---------------------------------------------------------------------------------------------
// Aggregation
// ---------------------------------------------------------------------------------------------

#[test]
fn each_aggregation_kind_on_a_monthly_series() {
    // The same four months for each kind, written out of order (04, 01, 03, 02):
    //   Jan 10, Feb 40, Mar 25, Apr 15
    //   sum  = 10 + 40 + 25 + 15 = 90
    //   mean = 90 / 4 = 22.5
    //   max  = 40, min = 10
    //   last = April's 15 (the latest period) — not Feb's 40 (the last row of the file)
    let kinds = ["sum", "mean", "last", "max", "min"];
    let mut csv = String::from("indicator,period,value\n");
    for kind in kinds {
        for (period, value) in [("2023-04", 15), ("2023-01", 10), ("2023-03", 25), ("2023-02", 40)] {
            csv.push_str(&format!("agg-{kind},{period},{value}\n"));
        }
    }
    let program: Vec<(String, &str)> = kinds.iter().map(|k| (format!("agg-{k}"), *k)).collect();
    let program: Vec<(&str, &str, &str, &str)> =
        program.iter().map(|(id, k)| (id.as_str(), "up", *k, "{2023: 100}")).collect();
    let test = Test::base().file("indicators/programs/uji.yaml", uji(&program)).file("data/observations/uji.csv", &csv);
    let e = score_json(&test, &[]);

    for (kind, expected) in [("sum", 90.0), ("mean", 22.5), ("last", 15.0), ("max", 40.0), ("min", 10.0)] {
        let y = year(&e, &format!("agg-{kind}"), 2023);
        approx(&y["value"], expected);
        // Target 100, direction up: achievement = value / 100 · 100 = value.
        approx(&y["achievement"], expected);
        approx(&y["target"], 100.0);
        assert_eq!(y["observations"], 4, "{kind}");
        assert_eq!(y["months_with_data"], 4, "{kind}");
        approx(&y["coverage"], 4.0 / 12.0);
        assert_eq!(y["areas"], serde_json::json!([]), "{kind}: no area column, no per-area values");
    }
    // `last` names the row it took: agg-last April is line 10 (header, then 4 rows each of sum, mean).
    let provenance = year(&e, "agg-last", 2023)["provenance"].to_string();
    assert!(provenance.contains("value from data/observations/uji.csv:10"), "{provenance}");
    assert_eq!(indicator(&e, "agg-last")["aggregate"], "last");
}

#[test]
fn last_picks_the_latest_period_across_granularities() {
    // 2023: May 50, Q2 70, Apr 30 → Q2 ends 30 June, after May (31 May) and April: 70.
    //       Months with data: Q2 covers 4, 5, 6; 04 and 05 are inside it → 3 months.
    // 2022: 15 Nov 100, Q3 90, Nov 110 → November (ends 30 Nov) is after 15 Nov and after Q3
    //       (ends 30 Sep): 110. Months: 7, 8, 9 (Q3) and 11 → 4.
    // 2021: May 8, Q1 5 → May (31 May) is after Q1 (31 Mar) although Q1 is the later row: 8.
    //       Months: 1, 2, 3, 5 → 4.
    let csv = "indicator,period,value\n\
               lst,2023-05,50\nlst,2023-Q2,70\nlst,2023-04,30\n\
               lst,2022-11-15,100\nlst,2022-Q3,90\nlst,2022-11,110\n\
               lst,2021-05,8\nlst,2021-Q1,5\n";
    let test = Test::base()
        .file("indicators/programs/uji.yaml", uji(&[("lst", "up", "last", "{2023: 100}")]))
        .file("data/observations/uji.csv", csv);
    let e = score_json(&test, &[]);
    approx(&year(&e, "lst", 2023)["value"], 70.0);
    assert_eq!(year(&e, "lst", 2023)["months_with_data"], 3);
    approx(&year(&e, "lst", 2023)["coverage"], 0.25);
    approx(&year(&e, "lst", 2022)["value"], 110.0);
    assert_eq!(year(&e, "lst", 2022)["months_with_data"], 4);
    approx(&year(&e, "lst", 2021)["value"], 8.0);
    assert_eq!(year(&e, "lst", 2021)["months_with_data"], 4);
    // Change on the previous year: 70 − 110 = −40; 110 − 8 = 102.
    approx(&year(&e, "lst", 2023)["change_previous"], -40.0);
    approx(&year(&e, "lst", 2022)["change_previous"], 102.0);
    assert!(year(&e, "lst", 2021)["change_previous"].is_null(), "no 2020 value to compare with");
}

#[test]
fn quarter_month_and_day_periods_roll_up_to_the_year() {
    // roll (sum), 2023: Q2 30 + 5 Oct 4 + 20 Oct 6 + Dec 10 = 50; November is empty (not
    //   measured: no value, no month). Months: 4, 5, 6 (Q2), 10, 12 → 5; coverage 5/12;
    //   observations 4 (the empty row is not one).
    // roll, 2022: one yearly row of 100 → 100, all 12 months, coverage 1.
    // q2 (mean): a single Q2 row of 7 → 7, covering 3 months (coverage 0.25).
    // harian (mean): 1 Jan 1, 2 Jan 3, 28 Feb 5 → (1 + 3 + 5) / 3 = 3; months 1, 2 → 2.
    let csv = "indicator,period,value\n\
               roll,2023-Q2,30\nroll,2023-10-05,4\nroll,2023-10-20,6\nroll,2023-11,\nroll,2023-12,10\nroll,2022,100\n\
               q2,2023-Q2,7\n\
               harian,2023-01-01,1\nharian,2023-01-02,3\nharian,2023-02-28,5\n";
    let test = Test::base()
        .file(
            "indicators/programs/uji.yaml",
            uji(&[
                ("roll", "up", "sum", "{2022: 80, 2023: 100}"),
                ("q2", "up", "mean", "{2023: 10}"),
                ("harian", "up", "mean", "{2023: 4}"),
            ]),
        )
        .file("data/observations/uji.csv", csv);
    let e = score_json(&test, &[]);

    let roll = year(&e, "roll", 2023);
    approx(&roll["value"], 50.0);
    assert_eq!(roll["months_with_data"], 5);
    approx(&roll["coverage"], 5.0 / 12.0);
    assert_eq!(roll["observations"], 4);
    approx(&roll["achievement"], 50.0); // 50 / 100
    approx(&roll["change_previous"], -50.0); // 50 − 100

    let roll22 = year(&e, "roll", 2022);
    approx(&roll22["value"], 100.0);
    assert_eq!(roll22["months_with_data"], 12);
    approx(&roll22["coverage"], 1.0);
    assert_eq!(roll22["observations"], 1);
    approx(&roll22["achievement"], 125.0); // 100 / 80, uncapped in the series

    let q2 = year(&e, "q2", 2023);
    approx(&q2["value"], 7.0);
    assert_eq!(q2["months_with_data"], 3);
    approx(&q2["coverage"], 0.25);
    approx(&q2["achievement"], 70.0); // 7 / 10

    let harian = year(&e, "harian", 2023);
    approx(&harian["value"], 3.0);
    assert_eq!(harian["months_with_data"], 2);
    assert_eq!(harian["observations"], 3);
    approx(&harian["achievement"], 75.0); // 3 / 4
}

#[test]
fn empty_values_are_not_measured_not_zero() {
    // kosong (mean): January and February both empty → no value for 2023 (null, not 0), no
    //   achievement, no months, and a `no-data` gap.
    // sebagian (mean): Jan 10, Feb empty, Mar 20 → (10 + 20) / 2 = 15, not (10 + 0 + 20) / 3 = 10.
    //   2 observations, 2 months.
    // nol (sum): a real 0 is a value: 0, achievement 0 / 5 = 0, and no `no-data` gap.
    let csv = "indicator,period,value\n\
               kosong,2023-01,\nkosong,2023-02,\n\
               sebagian,2023-01,10\nsebagian,2023-02,\nsebagian,2023-03,20\n\
               nol,2023-01,0\n";
    let test = Test::base()
        .file(
            "indicators/programs/uji.yaml",
            uji(&[
                ("kosong", "up", "mean", "{2023: 100}"),
                ("sebagian", "up", "mean", "{2023: 30}"),
                ("nol", "up", "sum", "{2023: 5}"),
            ]),
        )
        .file("data/observations/uji.csv", csv);
    let e = score_json(&test, &[]);

    let kosong = year(&e, "kosong", 2023);
    assert!(kosong["value"].is_null(), "all-empty year must have no value: {kosong}");
    assert!(kosong["achievement"].is_null(), "{kosong}");
    approx(&kosong["target"], 100.0);
    assert_eq!(kosong["months_with_data"], 0);
    approx(&kosong["coverage"], 0.0);
    assert_eq!(kosong["observations"], 0);

    let sebagian = year(&e, "sebagian", 2023);
    approx(&sebagian["value"], 15.0);
    assert_eq!(sebagian["observations"], 2);
    assert_eq!(sebagian["months_with_data"], 2);
    approx(&sebagian["achievement"], 50.0); // 15 / 30

    approx(&year(&e, "nol", 2023)["value"], 0.0);
    approx(&year(&e, "nol", 2023)["achievement"], 0.0);

    let no_data = gaps(&e, "no-data");
    assert!(no_data.contains(&"kosong".to_string()), "{no_data:?}");
    assert!(!no_data.contains(&"sebagian".to_string()), "{no_data:?}");
    assert!(!no_data.contains(&"nol".to_string()), "{no_data:?}");
    // Program uji, 2023: achievements of its measured indicators only: sebagian 50, nol 0 →
    // (50 + 0) / 2 = 25; kosong is left out, not counted as 0 % (which would give 16.67).
    let uji23 = program(&e, "uji")["years"].as_array().unwrap().iter().find(|y| y["year"] == 2023).unwrap().clone();
    approx(&uji23["progress"], 25.0);
    assert_eq!(uji23["indicators_measured"], 2);
}

#[test]
fn multi_area_values_and_the_city_value() {
    // Nusaniwe and Sirimau (areas listed alphabetically):
    //   a-sum  (sum):  N 10 + 20 = 30, S 5          → city 30 + 5 = 35
    //   a-mean (mean): N (10 + 20) / 2 = 15, S 40   → city (15 + 40) / 2 = 27.5 (areas average)
    //   a-last (last): N Mar 120 (after Jan 100), S Feb 50 → city 120 + 50 = 170 (stocks add up)
    //   a-max  (max):  N max(3, 9) = 9, S 12       → city 12
    //   a-min  (min):  N min(3, 9) = 3, S 12       → city 3
    //   a-kota (sum):  N 10, S 20 and a city-level row (empty area) of 100 → city 100, not 130
    let csv = "indicator,period,value,area\n\
               a-sum,2023-01,10,Nusaniwe\na-sum,2023-02,20,Nusaniwe\na-sum,2023-01,5,Sirimau\n\
               a-mean,2023-01,10,Nusaniwe\na-mean,2023-02,20,Nusaniwe\na-mean,2023-01,40,Sirimau\n\
               a-last,2023-01,100,Nusaniwe\na-last,2023-03,120,Nusaniwe\na-last,2023-02,50,Sirimau\n\
               a-max,2023-01,3,Nusaniwe\na-max,2023-02,9,Nusaniwe\na-max,2023-01,12,Sirimau\n\
               a-min,2023-01,3,Nusaniwe\na-min,2023-02,9,Nusaniwe\na-min,2023-01,12,Sirimau\n\
               a-kota,2023-01,10,Nusaniwe\na-kota,2023-01,20,Sirimau\na-kota,2023,100,\n";
    let ids = [
        ("a-sum", "sum"),
        ("a-mean", "mean"),
        ("a-last", "last"),
        ("a-max", "max"),
        ("a-min", "min"),
        ("a-kota", "sum"),
    ];
    let program: Vec<(&str, &str, &str, &str)> = ids.iter().map(|(id, k)| (*id, "up", *k, "{2023: 100}")).collect();
    let test = Test::base().file("indicators/programs/uji.yaml", uji(&program)).file("data/observations/uji.csv", csv);
    let e = score_json(&test, &[]);

    let n = |v: f64| ("Nusaniwe".to_string(), v);
    let s = |v: f64| ("Sirimau".to_string(), v);
    for (id, city, per_area) in [
        ("a-sum", 35.0, vec![n(30.0), s(5.0)]),
        ("a-mean", 27.5, vec![n(15.0), s(40.0)]),
        ("a-last", 170.0, vec![n(120.0), s(50.0)]),
        ("a-max", 12.0, vec![n(9.0), s(12.0)]),
        ("a-min", 3.0, vec![n(3.0), s(12.0)]),
        ("a-kota", 100.0, vec![n(10.0), s(20.0)]),
    ] {
        let y = year(&e, id, 2023);
        approx(&y["value"], city);
        assert_eq!(areas(y), per_area, "{id}");
    }
    // The city-level row is a yearly one: 12 months; all three rows are observations.
    assert_eq!(year(&e, "a-kota", 2023)["months_with_data"], 12);
    assert_eq!(year(&e, "a-kota", 2023)["observations"], 3);
}

// ---------------------------------------------------------------------------------------------
// Direction and rules
// ---------------------------------------------------------------------------------------------

#[test]
fn direction_down_mirrors_achievement_and_the_indicator_rule() {
    // Lower is better, target 10, thresholds [5, 10, 20] (down: 4 at or below 5, 3 at or below
    // 10, 2 at or below 20, 1 above 20):
    //   turun:  Jan 6, Feb 10 → mean 8; achievement 10 / 8 · 100 = 125; score 3 (5 < 8 ≤ 10)
    //   turun4: 5 → achievement 10 / 5 · 100 = 200; score 4 (at the first threshold)
    //   turun2: 20 → achievement 10 / 20 · 100 = 50; score 2 (at the third threshold)
    //   turun1: 25 → achievement 40; score 1 (above 20)
    //   naik (up, same thresholds), 8 → achievement 8 / 10 · 100 = 80; score 2 (5 ≤ 8 < 10)
    let csv = "indicator,period,value\n\
               turun,2023-01,6\nturun,2023-02,10\nturun4,2023-01,5\nturun2,2023-01,20\nturun1,2023-01,25\nnaik,2023-01,8\n";
    let test = custom(
        &framework(
            "zero",
            &[(
                "baseline",
                100,
                &[
                    ("q-turun", "{kind: indicator, indicator: turun, thresholds: [5, 10, 20]}"),
                    ("q-turun4", "{kind: indicator, indicator: turun4, thresholds: [5, 10, 20]}"),
                    ("q-turun2", "{kind: indicator, indicator: turun2, thresholds: [5, 10, 20]}"),
                    ("q-turun1", "{kind: indicator, indicator: turun1, thresholds: [5, 10, 20]}"),
                    ("q-naik", "{kind: indicator, indicator: naik, thresholds: [5, 10, 20]}"),
                    // _base's instrument refers to sampah-diolah; keep the reference valid.
                    ("q-sampah", "{kind: indicator, indicator: sampah-diolah, thresholds: [100, 200, 250]}"),
                ],
            )],
        ),
        &answers(&[
            ("q-turun", DERIVE),
            ("q-turun4", DERIVE),
            ("q-turun2", DERIVE),
            ("q-turun1", DERIVE),
            ("q-naik", DERIVE),
            ("q-sampah", DERIVE),
        ]),
    )
    .file(
        "indicators/programs/uji.yaml",
        uji(&[
            ("turun", "down", "mean", "{2023: 10}"),
            ("turun4", "down", "mean", "{2023: 10}"),
            ("turun2", "down", "mean", "{2023: 10}"),
            ("turun1", "down", "mean", "{2023: 10}"),
            ("naik", "up", "mean", "{2023: 10}"),
        ]),
    )
    .file("data/observations/uji.csv", csv);
    let e = score_json(&test, &[]);

    for (id, value, achievement, score) in [
        ("turun", 8.0, 125.0, 3.0),
        ("turun4", 5.0, 200.0, 4.0),
        ("turun2", 20.0, 50.0, 2.0),
        ("turun1", 25.0, 40.0, 1.0),
        ("naik", 8.0, 80.0, 2.0),
    ] {
        let y = year(&e, id, 2023);
        approx(&y["value"], value);
        approx(&y["achievement"], achievement);
        let q = question(&e, &format!("q-{id}"));
        assert_eq!(q["status"], "derived", "{q}");
        approx(&q["score"]["value"], score);
        approx(&q["derivation"]["value"], value);
        assert_eq!(q["derivation"]["thresholds"], serde_json::json!([5.0, 10.0, 20.0]));
        assert_eq!(q["derivation"]["year"], 2023);
    }
    assert_eq!(indicator(&e, "turun")["direction"], "down");
    // Program uji 2023: achievements capped at 100: turun 100, turun4 100, turun2 50, turun1 40,
    // naik 80 → (100 + 100 + 50 + 40 + 80) / 5 = 74.
    let uji23 = program(&e, "uji")["years"].as_array().unwrap().iter().find(|y| y["year"] == 2023).unwrap().clone();
    approx(&uji23["progress"], 74.0);
}

#[test]
fn indicator_rule_uses_the_evaluation_year_or_the_latest_year_before_it() {
    // kini: 2022 50, 2023 250 → the evaluation year's 250 → 4 (≥ 250).
    // lama: 2021 300, 2022 150, 2023 empty, 2024 999 → no 2023 value; the latest before 2023 is
    //   2022's 150 → 2 (100 ≤ 150 < 200). 2024 is after the evaluation year and is never used
    //   (it would score 4), nor is 2021 (it would score 4).
    // sampah-diolah (_base): Jun 120, Jul 200 → mean 160 → 2.
    let csv = "indicator,period,value\n\
               kini,2022,50\nkini,2023,250\n\
               lama,2021,300\nlama,2022,150\nlama,2023-01,\nlama,2024,999\n";
    let rule = |id: &str| format!("{{kind: indicator, indicator: {id}, thresholds: [100, 200, 250]}}");
    let (kini, lama, sampah) = (rule("kini"), rule("lama"), rule("sampah-diolah"));
    let test = custom(
        &framework(
            "zero",
            &[(
                "baseline",
                100,
                &[("q-kini", kini.as_str()), ("q-lama", lama.as_str()), ("q-sampah", sampah.as_str())],
            )],
        ),
        &answers(&[("q-kini", DERIVE), ("q-lama", DERIVE), ("q-sampah", DERIVE)]),
    )
    .file(
        "indicators/programs/uji.yaml",
        uji(&[("kini", "up", "last", "{2023: 250}"), ("lama", "up", "mean", "{2023: 200}")]),
    )
    .file("data/observations/uji.csv", csv);
    let e = score_json(&test, &[]);

    let kini = question(&e, "q-kini");
    assert_eq!(kini["status"], "derived");
    approx(&kini["score"]["value"], 4.0);
    let d = &kini["derivation"];
    assert_eq!(d["rule"], "indicator");
    approx(&d["value"], 250.0);
    assert_eq!(d["thresholds"], serde_json::json!([100.0, 200.0, 250.0]));
    assert_eq!(d["year"], 2023);
    assert_eq!(d["inputs"], serde_json::json!(["kini"]));

    let lama = question(&e, "q-lama");
    assert_eq!(lama["status"], "derived");
    approx(&lama["score"]["value"], 2.0);
    assert_eq!(lama["score"]["display"], "2,00");
    let d = &lama["derivation"];
    approx(&d["value"], 150.0);
    assert_eq!(d["year"], 2022);
    assert!(d["explanation"].as_str().unwrap().contains("latest before 2023"), "{d}");
    // 2023 itself stays unmeasured (the empty January row is not a value).
    assert!(year(&e, "lama", 2023)["value"].is_null());
    assert!(gaps(&e, "no-data").contains(&"lama".to_string()));

    let sampah = question(&e, "q-sampah");
    approx(&sampah["score"]["value"], 2.0);
    approx(&sampah["derivation"]["value"], 160.0);
    assert_eq!(sampah["derivation"]["year"], 2023);
}

/// Economy programs for the dimension-progress rule, one file so their order is fixed.
const EKONOMI: &str = "\
- id: e1
  name: E1 berjalan
  dimension: economy
  subdimension: industri
  opd: Disperindag
  period: {start: 2022, end: 2024}
  status: berjalan
  indicators:
    - {id: i1, name: I1, unit: unit, direction: up, aggregate: mean, targets: {2023: 100}}
    - {id: i2, name: I2, unit: unit, direction: up, aggregate: mean, targets: {2023: 200}}
- id: e2
  name: E2 selesai
  dimension: economy
  subdimension: kesejahteraan
  opd: Disnaker
  period: {start: 2020, end: 2023}
  status: selesai
  indicators:
    - {id: i3, name: I3, unit: unit, direction: down, aggregate: mean, targets: {2023: 10}}
- id: e3
  name: E3 rencana
  dimension: economy
  subdimension: industri
  opd: Disperindag
  period: {start: 2023, end: 2024}
  status: rencana
  indicators:
    - {id: i4, name: I4, unit: unit, direction: up, aggregate: mean, targets: {2023: 100}}
- id: e4
  name: E4 belum mulai
  dimension: economy
  subdimension: industri
  opd: Disperindag
  period: {start: 2024, end: 2025}
  status: berjalan
  indicators:
    - {id: i5, name: I5, unit: unit, direction: up, aggregate: mean, targets: {2024: 1}}
- id: e5
  name: E5 tanpa data
  dimension: economy
  subdimension: transaksi-keuangan
  opd: Bapenda
  period: {start: 2023, end: 2024}
  status: berjalan
  indicators:
    - {id: i6, name: I6, unit: unit, direction: up, aggregate: mean, targets: {2023: 5}}
- id: e6
  name: E6 tertunda
  dimension: economy
  subdimension: industri
  opd: Disperindag
  period: {start: 2022, end: 2024}
  status: tertunda
  indicators:
    - {id: i7, name: I7, unit: unit, direction: up, aggregate: mean, targets: {2023: 100}}
";

#[test]
fn dimension_progress_rule_is_the_mean_capped_achievement_of_running_programs() {
    // Economy in 2023:
    //   e1 (berjalan 2022–2024): i1 50 / 100 = 50 %; i2 500 / 200 = 250 %, capped at 100 →
    //      progress (50 + 100) / 2 = 75 (uncapped it would be 150)
    //   e2 (selesai 2020–2023): i3 down, 20 against 10 → 10 / 20 = 50 % → 50
    //   e3 (rencana): not running, its 100 % is left out
    //   e4 (berjalan 2024–2025): not running in 2023
    //   e5 (berjalan 2023–2024): running but unmeasured (no data) → left out of the mean
    //   e6 (tertunda): not running, its 100 % is left out
    //   dimension progress = (75 + 50) / 2 = 62.5 → thresholds [50, 75, 90] → 2
    //   (with e3 and e6: (75 + 50 + 100 + 100) / 4 = 81.25 → 3; uncapped: (150 + 50) / 2 = 100 → 4)
    let csv = "indicator,period,value\ni1,2023-01,50\ni2,2023-01,500\ni3,2023-01,20\ni4,2023-01,100\ni7,2023-01,100\n";
    let rule = "{kind: dimension-progress, dimension: economy, thresholds: [50, 75, 90]}";
    let sampah = "{kind: indicator, indicator: sampah-diolah, thresholds: [100, 200, 250]}";
    // Society has no program at all: its progress rule is underivable, not a 1 from 0 %.
    let society = "{kind: dimension-progress, dimension: society, thresholds: [50, 75, 90]}";
    let test = custom(
        &framework("zero", &[("outcome", 100, &[("q-ekonomi", rule), ("q-society", society), ("q-sampah", sampah)])]),
        &answers(&[("q-ekonomi", DERIVE), ("q-society", DERIVE), ("q-sampah", MANUAL)]),
    )
    .file("indicators/programs/ekonomi.yaml", EKONOMI)
    .file("data/observations/ekonomi.csv", csv);
    let e = score_json(&test, &[]);

    approx(&year(&e, "i2", 2023)["achievement"], 250.0); // the series itself is uncapped
    approx(&year(&e, "i3", 2023)["achievement"], 50.0);
    let e1 = program(&e, "e1")["years"].as_array().unwrap().iter().find(|y| y["year"] == 2023).unwrap().clone();
    approx(&e1["progress"], 75.0);
    assert_eq!(e1["indicators_measured"], 2);

    let economy = find(&e["dimensions"], "id", "economy");
    let y23 = economy["years"].as_array().unwrap().iter().find(|y| y["year"] == 2023).unwrap();
    approx(&y23["progress"], 62.5);
    assert_eq!(y23["running"], 3); // e1, e2, e5
    assert_eq!(y23["unmeasured"], serde_json::json!(["e5"]));

    let q = question(&e, "q-ekonomi");
    assert_eq!(q["status"], "derived");
    approx(&q["score"]["value"], 2.0);
    let d = &q["derivation"];
    assert_eq!(d["rule"], "dimension-progress");
    approx(&d["value"], 62.5);
    assert_eq!(d["thresholds"], serde_json::json!([50.0, 75.0, 90.0]));
    assert_eq!(d["year"], 2023);
    // The programs behind the value are inputs; programs that are not running are not.
    // (Whether the unmeasured e5 belongs in `inputs` is left open: it is named in the
    // explanation either way.)
    let inputs: Vec<&str> = d["inputs"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(inputs.contains(&"e1") && inputs.contains(&"e2"), "{inputs:?}");
    for not_running in ["e3", "e4", "e6"] {
        assert!(!inputs.contains(&not_running), "{inputs:?}");
    }
    let explanation = d["explanation"].as_str().unwrap();
    assert!(explanation.contains("not measured: e5"), "{explanation}");

    let society = question(&e, "q-society");
    assert_eq!(society["status"], "underivable", "{society}");
    assert!(society["score"].is_null());
    approx(&society["counted"], 0.0);
    assert!(society["derivation"]["value"].is_null());
    assert!(gaps(&e, "underivable").contains(&"q-society".to_string()));
}

/// Programs for the program-count rule.
const HITUNG: &str = "\
- {id: p1, name: P1, dimension: governance, subdimension: layanan-publik, opd: A, quick_win: true, period: {start: 2022, end: 2024}, status: berjalan}
- {id: p2, name: P2, dimension: governance, subdimension: layanan-publik, opd: A, quick_win: true, period: {start: 2023, end: 2025}, status: berjalan}
- {id: p3, name: P3, dimension: economy, subdimension: industri, opd: B, quick_win: true, period: {start: 2021, end: 2022}, status: selesai}
- {id: p4, name: P4, dimension: economy, subdimension: industri, opd: B, period: {start: 2020, end: 2024}, status: berjalan}
- {id: p5, name: P5, dimension: society, subdimension: pendidikan, opd: C, quick_win: true, period: {start: 2023, end: 2024}, status: rencana}
- {id: p6, name: P6, dimension: governance, subdimension: kebijakan-publik, opd: A, period: {start: 2022, end: 2023}, status: tertunda}
";

#[test]
fn program_count_rule_filters() {
    // Programs: p1 qw berjalan 2022–24 gov; p2 qw berjalan 2023–25 gov (new in 2023);
    // p3 qw selesai 2021–22 eco; p4 berjalan 2020–24 eco; p5 qw rencana 2023–24 soc;
    // p6 tertunda 2022–23 gov; and _base's daur-ulang berjalan 2023–25 env.
    //   qw-now   {quick_win, year: current}          → p1, p2 = 2       [1,2,3] → 3, year 2023
    //   qw-prev  {quick_win, year: previous}         → p1, p3 = 2       [1,3,5] → 2, year 2022
    //   new      {quick_win, year: current, new}     → p2 = 1           [1,2,3] → 2
    //   eco      {dimension: economy, year: current} → p4 = 1 (p3 ended 2022)   → 2
    //   status   {status: [rencana, tertunda]}       → p5, p6 = 2       [1,2,3] → 3
    //   prev-all {year: previous}                    → p1, p3, p4 = 3   [3,6,10] → 2
    //            (p6 is tertunda, p2 and daur-ulang start in 2023)
    //   none     {quick_win, year: current, dimension: environment} → 0 → 0 (a count of 0 is a
    //            value, not a missing one, and scores the instrument's 0, "no programme", not
    //            the lowest band's 1)
    let rules: [(&str, &str); 7] = [
        ("c-qw-now", "{kind: program-count, filter: {quick_win: true, year: current}, thresholds: [1, 2, 3]}"),
        ("c-qw-prev", "{kind: program-count, filter: {quick_win: true, year: previous}, thresholds: [1, 3, 5]}"),
        ("c-new", "{kind: program-count, filter: {quick_win: true, year: current, new: true}, thresholds: [1, 2, 3]}"),
        ("c-eco", "{kind: program-count, filter: {dimension: economy, year: current}, thresholds: [1, 2, 3]}"),
        ("c-status", "{kind: program-count, filter: {status: [rencana, tertunda]}, thresholds: [1, 2, 3]}"),
        ("c-prev-all", "{kind: program-count, filter: {year: previous}, thresholds: [3, 6, 10]}"),
        (
            "c-none",
            "{kind: program-count, filter: {quick_win: true, year: current, dimension: environment}, thresholds: [1, 2, 3]}",
        ),
    ];
    let mut questions: Vec<(&str, &str)> = rules.to_vec();
    questions.push(("q-sampah", "{kind: indicator, indicator: sampah-diolah, thresholds: [100, 200, 250]}"));
    let list: Vec<(&str, &str)> = rules.iter().map(|(q, _)| (*q, DERIVE)).chain([("q-sampah", MANUAL)]).collect();
    let test = custom(&framework("zero", &[("quick-win", 100, questions.as_slice())]), &answers(&list))
        .file("indicators/programs/hitung.yaml", HITUNG);
    let e = score_json(&test, &[]);

    for (id, count, year, score, inputs, thresholds) in [
        ("c-qw-now", 2.0, 2023, 3.0, vec!["p1", "p2"], [1.0, 2.0, 3.0]),
        ("c-qw-prev", 2.0, 2022, 2.0, vec!["p1", "p3"], [1.0, 3.0, 5.0]),
        ("c-new", 1.0, 2023, 2.0, vec!["p2"], [1.0, 2.0, 3.0]),
        ("c-eco", 1.0, 2023, 2.0, vec!["p4"], [1.0, 2.0, 3.0]),
        ("c-status", 2.0, 2023, 3.0, vec!["p5", "p6"], [1.0, 2.0, 3.0]),
        ("c-prev-all", 3.0, 2022, 2.0, vec!["p1", "p3", "p4"], [3.0, 6.0, 10.0]),
        ("c-none", 0.0, 2023, 0.0, vec![], [1.0, 2.0, 3.0]),
    ] {
        let q = question(&e, id);
        assert_eq!(q["status"], "derived", "{id}: {q}");
        approx(&q["score"]["value"], score);
        let d = &q["derivation"];
        assert_eq!(d["rule"], "program-count", "{id}");
        approx(&d["value"], count);
        assert_eq!(d["year"], year, "{id}");
        assert_eq!(d["thresholds"], serde_json::json!(thresholds), "{id}");
        let mut got: Vec<String> =
            d["inputs"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
        got.sort();
        assert_eq!(got, inputs, "{id}: {d}");
    }
}

#[test]
fn survey_rule_pools_responses_and_matches_globs() {
    // Responses: im-1-4.1.1: 4, 3, 2 (mean 3); im-1-4.1.2: 1; im-1-4.2.1: 4, 4, 3 (mean 11/3).
    //   q-glob  [im-1-4.1.*]            → im-1-4.1.1 and im-1-4.1.2 pooled: (4+3+2+1) / 4 = 2.5
    //                                     (the mean of question means would be (3+1)/2 = 2)
    //   q-list  [im-1-4.1.2, im-1-4.2.1] → (1 + 4 + 4 + 3) / 4 = 3 (means of means: 2.33)
    //   im-1-4.2.1 [im-1-4.2.1]         → 11/3 = 3.666… → printed 3,67
    //   q-none  [im-1-4.3.*]            → no responses: underivable, not 0
    let survey = "respondent,question,score\n\
                  r1,im-1-4.1.1,4\nr2,im-1-4.1.1,3\nr3,im-1-4.1.1,2\nr1,im-1-4.1.2,1\n\
                  r1,im-1-4.2.1,4\nr2,im-1-4.2.1,4\nr3,im-1-4.2.1,3\n";
    let sampah = "{kind: indicator, indicator: sampah-diolah, thresholds: [100, 200, 250]}";
    let test = custom(
        &framework(
            "zero",
            &[(
                "impact",
                100,
                &[
                    ("im-1-4.1.1", ""),
                    ("im-1-4.1.2", ""),
                    ("im-1-4.2.1", "{kind: survey, questions: [im-1-4.2.1]}"),
                    ("im-1-4.3.1", ""),
                    ("q-glob", "{kind: survey, questions: [\"im-1-4.1.*\"]}"),
                    ("q-list", "{kind: survey, questions: [im-1-4.1.2, im-1-4.2.1]}"),
                    ("q-none", "{kind: survey, questions: [\"im-1-4.3.*\"]}"),
                    ("q-sampah", sampah),
                ],
            )],
        ),
        &answers(&[
            ("im-1-4.1.1", MANUAL),
            ("im-1-4.1.2", MANUAL),
            ("im-1-4.2.1", DERIVE),
            ("im-1-4.3.1", MANUAL),
            ("q-glob", DERIVE),
            ("q-list", DERIVE),
            ("q-none", DERIVE),
            ("q-sampah", MANUAL),
        ]),
    )
    .file("data/survey/survei.csv", survey);
    let e = score_json(&test, &[]);

    let glob = question(&e, "q-glob");
    assert_eq!(glob["status"], "derived");
    approx(&glob["score"]["value"], 2.5);
    assert_eq!(glob["score"]["display"], "2,50");
    let d = &glob["derivation"];
    assert_eq!(d["rule"], "survey");
    approx(&d["value"], 2.5);
    assert_eq!(d["year"], 2023);
    assert_eq!(d["thresholds"], serde_json::json!([]));
    assert_eq!(d["inputs"], serde_json::json!(["im-1-4.1.1", "im-1-4.1.2"]));

    let list = question(&e, "q-list");
    approx(&list["score"]["value"], 3.0);
    approx(&list["derivation"]["value"], 3.0);

    let own = question(&e, "im-1-4.2.1");
    approx(&own["score"]["value"], 11.0 / 3.0);
    assert_eq!(own["score"]["display"], "3,67");

    let none = question(&e, "q-none");
    assert_eq!(none["status"], "underivable", "{none}");
    assert!(none["score"].is_null());
    approx(&none["counted"], 0.0);
    assert!(gaps(&e, "underivable").contains(&"q-none".to_string()));

    // The survey summary: per question mean, count and spread (sample standard deviation).
    let s = find(&e["survey"]["questions"], "question", "im-1-4.1.1");
    approx(&s["mean"], 3.0);
    assert_eq!(s["count"], 3);
    approx(&s["std_dev"], 1.0); // deviations −1, 0, 1 → √(2 / 2)
    assert!(find(&e["survey"]["questions"], "question", "im-1-4.1.2")["std_dev"].is_null(), "one response");
    assert_eq!(e["survey"]["respondents"], 3);
}

// ---------------------------------------------------------------------------------------------
// Missing answers and the arithmetic of the instrument
// ---------------------------------------------------------------------------------------------

/// Aspect `satu` (50 %): a1 scored 3, a2 unanswered, a3 derived from a survey without responses
/// (underivable). Aspect `dua` (50 %): b1 scored 2.
fn missing_policy_workspace(missing: &str) -> Test {
    let sampah = "{kind: indicator, indicator: sampah-diolah, thresholds: [100, 200, 250]}";
    custom(
        &framework(
            missing,
            &[
                ("satu", 50, &[("a1", ""), ("a2", ""), ("a3", "{kind: survey, questions: [a1]}")]),
                ("dua", 50, &[("b1", sampah)]),
            ],
        ),
        &answers(&[("a1", MANUAL), ("a3", DERIVE), ("b1", "{score: 2.0, evidence: [bukti]}")]),
    )
}

#[test]
fn missing_zero_counts_unanswered_and_underivable_as_zero() {
    // satu = (3 + 0 + 0) / 3 = 1; dua = 2; final = 0.5 · 1 + 0.5 · 2 = 1.5.
    let e = score_json(&missing_policy_workspace("zero"), &[]);
    assert_eq!(e["instrument"]["missing"], "zero");
    let satu = aspect(&e, "satu");
    approx(&satu["score"]["value"], 1.0);
    assert_eq!(satu["score"]["display"], "1,00");
    assert_eq!(satu["questions"], 3);
    assert_eq!(satu["answered"], 1);
    assert_eq!(satu["counted"], 3);
    approx(&satu["sum"], 3.0);
    approx(&e["scorecard"]["final_score"]["value"], 1.5);
    assert_eq!(e["scorecard"]["final_score"]["display"], "1,50");

    let a2 = question(&e, "a2");
    assert_eq!(a2["status"], "unanswered");
    assert!(a2["score"].is_null());
    approx(&a2["counted"], 0.0);
    let a3 = question(&e, "a3");
    assert_eq!(a3["status"], "underivable");
    assert!(a3["score"].is_null());
    approx(&a3["counted"], 0.0);
    assert!(a3["derivation"]["value"].is_null(), "{a3}");
    assert_eq!(gaps(&e, "unanswered"), vec!["a2"]);
    assert_eq!(gaps(&e, "underivable"), vec!["a3"]);
    // The weakest are the lowest *answered* scores (b1 2.0, then a1 3.0): unanswered and
    // underivable questions are gaps, not low scores.
    let weakest: Vec<&str> =
        e["scorecard"]["weakest"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(weakest, vec!["b1", "a1"]);
    // A gap names the question so it can be told apart: number, indicator and text.
    let unanswered = e["scorecard"]["gaps"].as_array().unwrap().iter().find(|g| g["id"] == "a2").unwrap().clone();
    assert_eq!(unanswered["message_id"], "2 Indikator — Pertanyaan a2: belum dijawab", "{unanswered}");
}

#[test]
fn missing_exclude_leaves_unanswered_and_underivable_out() {
    // satu = 3 / 1 = 3; dua = 2; final = 0.5 · 3 + 0.5 · 2 = 2.5 (predicate Baik from 2.5).
    let e = score_json(&missing_policy_workspace("exclude"), &[]);
    assert_eq!(e["instrument"]["missing"], "exclude");
    let satu = aspect(&e, "satu");
    approx(&satu["score"]["value"], 3.0);
    assert_eq!(satu["questions"], 3);
    assert_eq!(satu["answered"], 1);
    assert_eq!(satu["counted"], 1);
    approx(&satu["sum"], 3.0);
    approx(&e["scorecard"]["final_score"]["value"], 2.5);
    assert_eq!(e["scorecard"]["final_score"]["display"], "2,50");
    assert_eq!(e["scorecard"]["predicate"]["label"], "Baik");
    assert!(question(&e, "a2")["counted"].is_null());
    assert!(question(&e, "a3")["counted"].is_null());
    // Still gaps, whatever the policy.
    assert_eq!(gaps(&e, "unanswered"), vec!["a2"]);
    assert_eq!(gaps(&e, "underivable"), vec!["a3"]);
}

#[test]
fn half_up_display_on_exact_ties() {
    // seperempat: 2, 2, 2.25, 2.25 → 8.5 / 4 = 2.125 exactly → 2,13 (half-up, not banker's 2,12).
    // seperlima: seven 2.0 and one 2.2 → 16.2 / 8 = 2.025 exactly → 2,03 (in binary floating
    //   point 2.025 is 2.02499999…, which naive rounding prints 2,02).
    // final = 0.5 · 2.125 + 0.5 · 2.025 = 2.075 → 2,08 (again a tie binary rounding gets wrong).
    let quarter: Vec<(&str, &str)> = ["t1", "t2", "t3", "t4"].iter().map(|id| (*id, "")).collect();
    // Eight questions in seperlima: f1–f7 and q-sampah (which keeps _base's indicator
    // reference valid; scored 2.2 by hand here).
    let mut fifth: Vec<(&str, &str)> = ["f1", "f2", "f3", "f4", "f5", "f6", "f7"].iter().map(|id| (*id, "")).collect();
    fifth.push(("q-sampah", "{kind: indicator, indicator: sampah-diolah, thresholds: [100, 200, 250]}"));
    let mut list: Vec<(&str, &str)> = vec![
        ("t1", "{score: 2.0, evidence: [x]}"),
        ("t2", "{score: 2.0, evidence: [x]}"),
        ("t3", "{score: 2.25, evidence: [x]}"),
        ("t4", "{score: 2.25, evidence: [x]}"),
    ];
    for id in ["f1", "f2", "f3", "f4", "f5", "f6", "f7"] {
        list.push((id, "{score: 2.0, evidence: [x]}"));
    }
    list.push(("q-sampah", "{score: 2.2, evidence: [x]}"));
    let test = custom(
        &framework("zero", &[("seperempat", 50, quarter.as_slice()), ("seperlima", 50, fifth.as_slice())]),
        &answers(&list),
    );
    let e = score_json(&test, &[]);

    let a = &aspect(&e, "seperempat")["score"];
    approx(&a["value"], 2.125);
    approx(&a["rounded"], 2.13);
    assert_eq!(a["display"], "2,13");
    assert_eq!(a["display_en"], "2.13");
    let b = &aspect(&e, "seperlima")["score"];
    approx(&b["value"], 2.025);
    assert_eq!(b["display"], "2,03");
    assert_eq!(b["display_en"], "2.03");
    let f = &e["scorecard"]["final_score"];
    approx(&f["value"], 2.075);
    assert_eq!(f["display"], "2,08");
    // The weighted parts: 0.5 · 2.125 = 1.0625 → 1,06; 0.5 · 2.025 = 1.0125 → 1,01.
    assert_eq!(aspect(&e, "seperempat")["weighted"]["display"], "1,06");
    assert_eq!(aspect(&e, "seperlima")["weighted"]["display"], "1,01");
}

// ---------------------------------------------------------------------------------------------
// The reference's arithmetic (shared/reference/kominfo-instrument.md §4) with the shipped
// instruments
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct Instrument {
    aspects: Vec<InstrumentAspect>,
}

#[derive(Deserialize)]
struct InstrumentAspect {
    id: String,
    indicators: Vec<InstrumentIndicator>,
}

#[derive(Deserialize)]
struct InstrumentIndicator {
    questions: Vec<InstrumentQuestion>,
}

#[derive(Deserialize)]
struct InstrumentQuestion {
    id: String,
}

fn shipped(id: &str) -> String {
    std::fs::read_to_string(repo().join(format!("indicators/framework/{id}.yaml"))).expect("shipped instrument")
}

/// Question ids by aspect, in the instrument's order.
fn question_ids(instrument: &str) -> Vec<(String, Vec<String>)> {
    let parsed: Instrument = serde_saphyr::from_str(instrument).expect("instrument YAML");
    parsed
        .aspects
        .into_iter()
        .map(|a| (a.id, a.indicators.into_iter().flat_map(|i| i.questions.into_iter().map(|q| q.id)).collect()))
        .collect()
}

/// `n` scores: `base` everywhere except `odd` scores of `other` at the end.
fn scores(n: usize, base: f64, other: f64, odd: usize) -> Vec<f64> {
    (0..n).map(|i| if i >= n - odd { other } else { base }).collect()
}

/// An assessment scoring each aspect's questions with the given lists (which must match the
/// instrument's question counts).
fn reference_assessment(year: i32, instrument: &str, by_aspect: &[(&str, Vec<f64>)]) -> String {
    let mut s = format!("year: {year}\nanswers:\n");
    let ids = question_ids(instrument);
    assert_eq!(ids.len(), by_aspect.len(), "aspects of the instrument");
    for ((aspect, questions), (expected_aspect, list)) in ids.iter().zip(by_aspect) {
        assert_eq!(aspect, expected_aspect);
        assert_eq!(questions.len(), list.len(), "questions of aspect {aspect}");
        for (q, score) in questions.iter().zip(list) {
            s.push_str(&format!("  {q}: {{score: {score:.2}, evidence: [bukti]}}\n"));
        }
    }
    s
}

/// Kab. Malang 2022 (reference §4.2): 0.25-grid scores with the published sums.
fn malang_2022() -> Vec<(&'static str, Vec<f64>)> {
    vec![
        // 1.5 + 1.5 + 1.5 + 1.25 + 1.25 = 7.00 (n 5)
        ("baseline", scores(5, 1.5, 1.25, 2)),
        // 6 · 1.5 + 1.75 = 10.75 (n 7)
        ("output", scores(7, 1.5, 1.75, 1)),
        // 21 · 3 + 10 · 2.75 = 63 + 27.5 = 90.50 (n 31)
        ("outcome", scores(31, 3.0, 2.75, 10)),
        // 3 · 2.5 + 2.75 = 10.25 (n 4)
        ("impact", scores(4, 2.5, 2.75, 1)),
        // 8 · 3 + 4 · 3.25 = 37.00 (n 12)
        ("quick-win", scores(12, 3.0, 3.25, 4)),
    ]
}

/// Kab. Malang 2023 Tahap II (KPPN&IKN): 0.2-grid scores with the published sums.
fn malang_2023() -> Vec<(&'static str, Vec<f64>)> {
    vec![
        // 5 · 3.6 = 18.00 (n 5)
        ("baseline", scores(5, 3.6, 3.6, 0)),
        // 5 · 2.2 + 2.4 + 2.6 = 16.00 (n 7)
        ("output", {
            let mut v = scores(7, 2.2, 2.4, 2);
            v[6] = 2.6;
            v
        }),
        // 32 · 3.4 + 3.6 = 108.8 + 3.6 = 112.40 (n 33)
        ("outcome", scores(33, 3.4, 3.6, 1)),
        // 51 · 2.8 + 3 · 3.0 = 142.8 + 9 = 151.80 (n 54)
        ("impact", scores(54, 2.8, 3.0, 3)),
        // 8 · 3.2 + 4 · 3.0 = 25.6 + 12 = 37.60 (n 12)
        ("quick-win", scores(12, 3.2, 3.0, 4)),
        // 4 · 2.6 + 2 · 2.4 = 10.4 + 4.8 = 15.20 (n 6)
        ("kolaborasi", scores(6, 2.6, 2.4, 2)),
    ]
}

fn city_yaml(year: i32, stage: &str, framework: &str, previous: &str) -> String {
    format!(
        "city: Kabupaten Uji\nkind: kabupaten\nprovince: Jawa Timur\n\
         evaluation: {{year: {year}, stage: {stage}, framework: {framework}, date: {year}-11-02, mode: daring}}\n\
         institutions:\n  - {{id: dewan, name: Dewan Smart City, basis: Perbup 1/2019, established: 2019}}\n{previous}"
    )
}

/// `_base` with the shipped 2022 and 2023 KPPN&IKN instruments (the `mini` one and its
/// assessment removed) and the given assessments.
fn reference_workspace(city: String, assessments: &[(i32, String)]) -> Test {
    let mut test = Test::base()
        .file("indicators/city.yaml", city)
        .file("indicators/framework/kominfo-2022.yaml", shipped("kominfo-2022"))
        .file("indicators/framework/kominfo-2023-kppn-ikn.yaml", shipped("kominfo-2023-kppn-ikn"));
    for path in ["indicators/framework/mini.yaml", "indicators/assessment/2023.yaml"] {
        std::fs::remove_file(test.path().join(path)).expect("remove");
    }
    for (year, content) in assessments {
        test = test.file(&format!("indicators/assessment/{year}.yaml"), content);
    }
    test
}

#[track_caller]
fn assert_aspects(e: &Value, expected: &[(&str, f64, usize, f64, &str)]) {
    let list = e["scorecard"]["aspects"].as_array().unwrap();
    assert_eq!(list.len(), expected.len());
    for (a, (id, sum, n, mean, display)) in list.iter().zip(expected) {
        assert_eq!(a["id"], *id);
        approx(&a["sum"], *sum);
        assert_eq!(a["questions"], *n, "{id}");
        assert_eq!(a["counted"], *n, "{id}");
        assert_eq!(a["answered"], *n, "{id}");
        approx(&a["score"]["value"], *mean);
        assert_eq!(a["score"]["display"], *display, "{id}");
    }
}

/// 2022 aspects: (id, Σ, n, exact mean, printed).
const ASPECTS_2022: [(&str, f64, usize, f64, &str); 5] = [
    ("baseline", 7.0, 5, 1.4, "1,40"),
    ("output", 10.75, 7, 10.75 / 7.0, "1,54"),    // 1.5357
    ("outcome", 90.5, 31, 90.5 / 31.0, "2,92"),   // 2.9194
    ("impact", 10.25, 4, 2.5625, "2,56"),         // 2.5625 → 2,56 (not a tie: …25)
    ("quick-win", 37.0, 12, 37.0 / 12.0, "3,08"), // 3.0833
];

/// 0.1 · 1.4 + 0.2 · 10.75/7 + 0.3 · 90.5/31 + 0.1 · 2.5625 + 0.3 · 37/12 = 2.5041993…
const FINAL_2022: f64 = 0.14 + 0.2 * 10.75 / 7.0 + 0.3 * 90.5 / 31.0 + 0.1 * 2.5625 + 0.3 * 37.0 / 12.0;

#[test]
fn reference_2022_kab_malang_with_the_shipped_instrument() {
    let assessment = reference_assessment(2022, &shipped("kominfo-2022"), &malang_2022());
    let test = reference_workspace(city_yaml(2022, "tahap-2", "kominfo-2022", ""), &[(2022, assessment)]);
    let e = score_json(&test, &[]);
    assert_eq!(e["year"], 2022);
    assert_eq!(e["instrument"]["id"], "kominfo-2022");
    assert_aspects(&e, &ASPECTS_2022);
    // Weights 10/20/30/10/30.
    let weights: Vec<f64> =
        e["scorecard"]["aspects"].as_array().unwrap().iter().map(|a| a["weight"].as_f64().unwrap()).collect();
    assert_eq!(weights, vec![10.0, 20.0, 30.0, 10.0, 30.0]);

    let f = &e["scorecard"]["final_score"];
    approx(&f["value"], FINAL_2022);
    assert!((f["value"].as_f64().unwrap() - 2.5042).abs() < 0.00005, "{f}");
    assert_eq!(f["display"], "2,50");
    assert_eq!(f["display_en"], "2.50");
    // Kominfo printed 2.51: within the documented 0.015 tolerance of the weighted sum (§4.3).
    assert!((f["value"].as_f64().unwrap() - 2.51).abs() <= 0.015);
    assert_eq!(e["scorecard"]["predicate"]["label"], "Baik"); // ≥ 2.5
    assert!(e["scorecard"].get("previous").is_none() || e["scorecard"]["previous"].is_null());
    assert!(gaps(&e, "unanswered").is_empty());
}

#[test]
fn reference_2023_kab_malang_with_improvement_on_2022() {
    let a2022 = reference_assessment(2022, &shipped("kominfo-2022"), &malang_2022());
    let a2023 = reference_assessment(2023, &shipped("kominfo-2023-kppn-ikn"), &malang_2023());
    let previous = "previous:\n  year: 2022\n  aspects: {baseline: 1.40, output: 1.54, outcome: 2.92, impact: 2.56, quick-win: 3.08}\n  final: 2.51\n";
    let test = reference_workspace(
        city_yaml(2023, "tahap-2", "kominfo-2023-kppn-ikn", previous),
        &[(2022, a2022), (2023, a2023)],
    );
    let e = score_json(&test, &[]);
    assert_eq!(e["instrument"]["id"], "kominfo-2023-kppn-ikn");
    assert_aspects(
        &e,
        &[
            ("baseline", 18.0, 5, 3.6, "3,60"),
            ("output", 16.0, 7, 16.0 / 7.0, "2,29"),      // 2.2857
            ("outcome", 112.4, 33, 112.4 / 33.0, "3,41"), // 3.4061
            ("impact", 151.8, 54, 151.8 / 54.0, "2,81"),  // 2.8111
            ("quick-win", 37.6, 12, 37.6 / 12.0, "3,13"), // 3.1333
            ("kolaborasi", 15.2, 6, 15.2 / 6.0, "2,53"),  // 2.5333
        ],
    );
    // 0.1 · 3.6 + 0.2 · (16/7 + 112.4/33 + 151.8/54 + 37.6/12) + 0.1 · 15.2/6 = 2.9405772…
    let final_2023 = 0.36 + 0.2 * (16.0 / 7.0 + 112.4 / 33.0 + 151.8 / 54.0 + 37.6 / 12.0) + 0.1 * 15.2 / 6.0;
    let f = &e["scorecard"]["final_score"];
    approx(&f["value"], final_2023);
    assert!((f["value"].as_f64().unwrap() - 2.9406).abs() < 0.00005, "{f}");
    assert_eq!(f["display"], "2,94");
    approx(&f["rounded"], 2.94);

    // Previous year: the published aspects with the 2022 weights:
    // 0.1 · 1.40 + 0.2 · 1.54 + 0.3 · 2.92 + 0.1 · 2.56 + 0.3 · 3.08 = 2.504 (published 2.51).
    // Improvement = 2.9405772 − 2.504 = 0.4365772 → 0,44 (printed-minus-printed would be 0,43).
    let p = &e["scorecard"]["previous"];
    assert_eq!(p["year"], 2022);
    assert_eq!(p["instrument"], "kominfo-2022");
    approx(&p["final_score"]["value"], 2.504);
    assert_eq!(p["final_score"]["display"], "2,50");
    approx(&p["published_final"], 2.51);
    approx(&p["improvement"]["value"], final_2023 - 2.504);
    assert_eq!(p["improvement"]["display"], "0,44");
    assert_eq!(p["improvement"]["display_en"], "0.44");

    // The same workspace scored for 2022 finds the 2022 instrument and assessment.
    let e22 = score_json(&test, &["--year", "2022"]);
    assert_eq!(e22["year"], 2022);
    assert_eq!(e22["instrument"]["id"], "kominfo-2022");
    assert_aspects(&e22, &ASPECTS_2022);
    approx(&e22["scorecard"]["final_score"]["value"], FINAL_2022);
    assert_eq!(e22["scorecard"]["final_score"]["display"], "2,50");
}

#[test]
fn previous_year_without_its_instrument_is_not_weighted_with_this_years_weights() {
    // The 2023 KPPN&IKN workspace of the test above, but without kominfo-2022.yaml. The 2022
    // weighted sum needs the 2022 weights (10/20/30/10/30) → 2.504, improvement 0.44. With the
    // 2023 KPPN&IKN weights (10/20/20/20/20/10, kolaborasi not published for 2022) it would be
    // 0.14 + 0.308 + 0.584 + 0.512 + 0.616 = 2.16 and the improvement 0.78 — a wrong number
    // printed without a word. Either no improvement is computed from other weights, and the
    // user is told (a warning or a gap naming 2022).
    let a2023 = reference_assessment(2023, &shipped("kominfo-2023-kppn-ikn"), &malang_2023());
    let previous = "previous:\n  year: 2022\n  aspects: {baseline: 1.40, output: 1.54, outcome: 2.92, impact: 2.56, quick-win: 3.08}\n  final: 2.51\n";
    let test = reference_workspace(city_yaml(2023, "tahap-2", "kominfo-2023-kppn-ikn", previous), &[(2023, a2023)]);
    std::fs::remove_file(test.path().join("indicators/framework/kominfo-2022.yaml")).unwrap();
    let e = score_json(&test, &[]);
    let p = &e["scorecard"]["previous"];
    assert!(
        p.is_null() || p["instrument"] != "kominfo-2023-kppn-ikn",
        "2022 result weighted with the 2023 instrument: {p:#}"
    );
    let validate = test.cmd(&["validate"]).stdout_snapshot().run();
    let warned = validate.stdout.lines().any(|l| l.starts_with("warning") && l.contains("2022"));
    let gap =
        e["scorecard"]["gaps"].as_array().unwrap().iter().any(|g| g["message"].as_str().unwrap_or("").contains("2022"));
    assert!(warned || gap, "nobody is told that 2022 has no instrument:\n{}", validate.stdout);
}

// ---------------------------------------------------------------------------------------------
// Cohort
// ---------------------------------------------------------------------------------------------

#[test]
fn cohort_recomputes_flags_and_places_the_city() {
    // The city (_base, instrument mini: baseline 40 %, impact 60 %):
    //   baseline (3 + 2) / 2 = 2.5 (bl-1-1.2.1: environment progress 160/250 = 64 % → 2)
    //   impact (3.5 + 2) / 2 = 2.75 (survey (3 + 4) / 2 = 3.5; sampah-diolah 160 → 2)
    //   final 0.4 · 2.5 + 0.6 · 2.75 = 2.65
    // Cohort rows (recomputed with the row's instrument):
    //   Kota A  reguler 10/20/30/20/20: 0.3 + 0.5 + 0.9 + 0.5 + 0.6 = 2.80; published 2.80 → ok
    //   Kota B  reguler: all 2 → 2.00; published 2.04 → differs by 0.04 > 0.015 → flagged
    //   Kota C  (no framework → 2023 → mini): 0.4 · 3 + 0.6 · 2 = 2.40; published 2.41 → 0.01 ok
    //   Kota D  all zeros: not a participant, not flagged
    //   Kota Contoh (the city itself): left out of the participants
    //   Kab E   2022 (→ kominfo-2022): 0.14 + 0.308 + 0.876 + 0.256 + 0.924 = 2.504; published
    //           2.51 → 0.006 ok; another year, not a peer
    // Peers (2023 participants but the city): A 2.80, B 2.04, C 2.41 → 3 participants;
    //   rank 1 + #(> 2.65) = 2; percentile #(< 2.65) / 3 = 2/3 → 66.67; median final 2.41;
    //   median baseline (3, 2, 3) = 3; median impact (2.5, 2, 2) = 2.
    let cohort = "name,year,baseline,output,outcome,impact,quick-win,final,kolaborasi,framework\n\
                  Kota A,2023,3,2.5,3,2.5,3,2.8,,kominfo-2023-reguler\n\
                  Kota B,2023,2,2,2,2,2,2.04,,kominfo-2023-reguler\n\
                  Kota C,2023,3,1,1,2,1,2.41,,\n\
                  Kota D,2023,0,0,0,0,0,0,,kominfo-2023-reguler\n\
                  Kota Contoh,2023,3,3,3,3,3,3,,kominfo-2023-reguler\n\
                  Kab E,2022,1.40,1.54,2.92,2.56,3.08,2.51,,\n";
    let test = Test::base()
        .file("indicators/framework/kominfo-2022.yaml", shipped("kominfo-2022"))
        .file("indicators/framework/kominfo-2023-reguler.yaml", shipped("kominfo-2023-reguler"))
        .file("data/cohort/hasil.csv", cohort);
    let e = score_json(&test, &[]);
    approx(&e["scorecard"]["final_score"]["value"], 2.65);

    let c = &e["cohort"];
    assert_eq!(c["year"], 2023);
    let row = |name: &str| find(&c["rows"], "name", name).clone();
    for (name, instrument, recomputed, flagged, participant) in [
        ("Kota A", "kominfo-2023-reguler", 2.8, false, true),
        ("Kota B", "kominfo-2023-reguler", 2.0, true, true),
        ("Kota C", "mini", 2.4, false, true),
        ("Kota D", "kominfo-2023-reguler", 0.0, false, false),
        ("Kab E", "kominfo-2022", 2.504, false, true),
    ] {
        let r = row(name);
        assert_eq!(r["instrument"], instrument, "{name}");
        approx(&r["recomputed_final"], recomputed);
        assert_eq!(r["flagged"], flagged, "{name}: {r}");
        assert_eq!(r["participant"], participant, "{name}");
    }
    approx(&row("Kota B")["difference"], 0.04);
    approx(&row("Kota C")["difference"], 0.01);
    assert_eq!(row("Kota B")["origin"], "data/cohort/hasil.csv:3");
    assert_eq!(c["flagged"], 1);
    approx(&c["tolerance"], 0.015);
    assert_eq!(c["participants"], 3);
    assert_eq!(c["rank"], 2);
    approx(&c["percentile"], 200.0 / 3.0);
    approx(&c["median_final"], 2.41);
    approx(&find(&c["median_aspects"], "id", "baseline")["score"], 3.0);
    approx(&find(&c["median_aspects"], "id", "impact")["score"], 2.0);

    // The table names the rank among the city and its peers.
    let out = test.cmd(&["score"]).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Peringkat dalam kelompok 2023: 2/4"), "{}", out.stdout);
    // …and names the row whose published final its aspects do not add up to (issue #20 §4).
    assert!(
        out.stdout.contains("  Kota B: nilai akhir terbit 2,04, dihitung ulang dari aspeknya 2,00 (selisih +0,04)"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("Kota A: nilai akhir terbit"), "{}", out.stdout);
    assert!(out.stdout.contains("nilai diturunkan dari data"), "{}", out.stdout);
}

// ---------------------------------------------------------------------------------------------
// Bad input reaching scoring
// ---------------------------------------------------------------------------------------------

#[test]
fn all_empty_indicator_and_a_year_without_target_are_gaps_not_zeros() {
    // kosong: all values empty → no 2023 value; the rule deriving from it is underivable (counts
    //   0 under `missing: zero`, listed as a gap), never scored 1 from a silent 0.
    // tanpa-target: 5 in 2023 but a target only for 2024 → value 5, no target, no achievement,
    //   a `no-target` gap.
    // Aspect: q-kosong 0 (underivable), q-sampah 3 → (0 + 3) / 2 = 1.5.
    let csv = "indicator,period,value\nkosong,2023-01,\nkosong,2023-02,\ntanpa-target,2023-03,5\n";
    let test = custom(
        &framework(
            "zero",
            &[(
                "baseline",
                100,
                &[
                    ("q-kosong", "{kind: indicator, indicator: kosong, thresholds: [1, 2, 3]}"),
                    ("q-sampah", "{kind: indicator, indicator: sampah-diolah, thresholds: [100, 200, 250]}"),
                ],
            )],
        ),
        &answers(&[("q-kosong", DERIVE), ("q-sampah", MANUAL)]),
    )
    .file(
        "indicators/programs/uji.yaml",
        uji(&[("kosong", "up", "mean", "{2023: 10}"), ("tanpa-target", "up", "sum", "{2024: 10}")]),
    )
    .file("data/observations/uji.csv", csv);
    let e = score_json(&test, &[]);

    let kosong = year(&e, "kosong", 2023);
    assert!(kosong["value"].is_null() && kosong["achievement"].is_null(), "{kosong}");
    let q = question(&e, "q-kosong");
    assert_eq!(q["status"], "underivable");
    assert!(q["score"].is_null());
    approx(&q["counted"], 0.0);
    assert!(q["derivation"]["value"].is_null());
    assert!(q["derivation"]["explanation"].as_str().unwrap().contains("kosong"), "{q}");
    assert!(gaps(&e, "underivable").contains(&"q-kosong".to_string()));
    assert!(gaps(&e, "no-data").contains(&"kosong".to_string()));
    approx(&aspect(&e, "baseline")["score"]["value"], 1.5);

    let tt = year(&e, "tanpa-target", 2023);
    approx(&tt["value"], 5.0);
    assert!(tt["target"].is_null(), "{tt}");
    assert!(tt["achievement"].is_null(), "{tt}");
    let no_target = gaps(&e, "no-target");
    assert!(no_target.contains(&"tanpa-target".to_string()), "{no_target:?}");
    assert!(!no_target.contains(&"kosong".to_string()), "kosong has a 2023 target: {no_target:?}");
    // Program uji 2023: no indicator has both a value and a target → no progress (not 0).
    let uji23 = program(&e, "uji")["years"].as_array().unwrap().iter().find(|y| y["year"] == 2023).unwrap().clone();
    assert!(uji23["progress"].is_null(), "{uji23}");
    assert_eq!(uji23["indicators_measured"], 0);

    // The table prints no NaN either.
    let out = test
        .cmd(&["score"])
        .stdout_snapshot()
        .stderr("1 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!non_finite(&out.stdout), "{}", out.stdout);
}

#[test]
fn score_on_a_workspace_with_errors_prints_diagnostics_and_no_json() {
    let program = std::fs::read_to_string(crate::harness::corpus().join("_base/indicators/programs/sampah.yaml"))
        .unwrap()
        .replace("status: berjalan", "status: jalan");
    let test = Test::base().file("indicators/programs/sampah.yaml", program);
    let out = test.cmd(&["score", "--format", "json"]).status(1).stderr_snapshot().run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(out.stdout, "", "no JSON on errors");
    assert!(out.stderr.contains("error[bad-value]"), "{}", out.stderr);
    assert!(out.stderr.contains("indicators/programs/sampah.yaml"), "{}", out.stderr);
    // The table format too.
    let out = test.cmd(&["score"]).status(1).stderr_snapshot().run();
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("error[bad-value]"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// The Ambon workspace
// ---------------------------------------------------------------------------------------------

/// A number printed with two decimals and the given mark (`2,94` / `2.94`).
fn has_decimal(text: &str, mark: char) -> bool {
    let b: Vec<char> = text.chars().collect();
    b.windows(4).any(|w| w[0].is_ascii_digit() && w[1] == mark && w[2].is_ascii_digit() && w[3].is_ascii_digit())
}

#[test]
fn ambon_scorecard_table_in_indonesian_and_english() {
    let out = cmd(&["score"], &repo())
        .stdout_snapshot()
        .stderr("4 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Nilai akhir (proyeksi)"), "{}", out.stdout);
    assert!(out.stdout.contains("Kota Ambon"), "{}", out.stdout);
    assert!(has_decimal(&out.stdout, ','), "no Indonesian decimals:\n{}", out.stdout);
    assert!(!non_finite(&out.stdout), "{}", out.stdout);

    let en = cmd(&["score", "--lang", "en"], &repo())
        .stdout_snapshot()
        .stderr("4 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(en.code, 0, "{}", en.stderr);
    assert!(en.stdout.contains("Final score (projected)"), "{}", en.stdout);
    assert!(has_decimal(&en.stdout, '.'), "no English decimals:\n{}", en.stdout);

    // The printed final is the JSON's display value.
    let json = cmd(&["score", "--format", "json"], &repo()).stdout_json().run();
    assert_eq!(json.code, 0, "{}", json.stderr);
    let e: Value = serde_json::from_str(&json.stdout).unwrap();
    let display = e["scorecard"]["final_score"]["display"].as_str().unwrap();
    let line = out.stdout.lines().find(|l| l.starts_with("Nilai akhir (proyeksi)")).unwrap();
    assert!(line.trim_end().ends_with(display), "{line} vs {display}");
}

// ---------------------------------------------------------------------------------------------
// Budgets: unknown is never zero
// ---------------------------------------------------------------------------------------------

#[test]
fn an_unreported_realisation_and_a_year_without_budget_are_unknown_not_zero() {
    // daur-ulang 2023: APBD planned 1,000,000 realised 800,000; CSR planned 600,000, realised
    // not yet reported (empty). Planned 1,600,000; realised (known) 800,000; rate over the
    // sources that reported: 800,000 / 1,000,000 = 0.8 — not 800,000 / 1,600,000 = 0.5.
    // 2024 is in the program's period (2023–2025) but has no budget row: planned unknown.
    let test = Test::base().file(
        "data/budget/anggaran.csv",
        "program,year,source,planned,realized\ndaur-ulang,2023,apbd,1000000,800000\ndaur-ulang,2023,csr,600000,\n",
    );
    let e = score_json(&test, &[]);
    let years = program(&e, "daur-ulang")["years"].as_array().unwrap().clone();
    let y2023 = years.iter().find(|y| y["year"] == 2023).unwrap()["budget"].clone();
    approx(&y2023["planned"], 1_600_000.0);
    approx(&y2023["realized"], 800_000.0);
    approx(&y2023["rate"], 0.8);
    assert_eq!(y2023["unknown_sources"], 1);
    let csr = find(&y2023["by_source"], "source", "csr");
    assert!(csr["realized"].is_null() && csr["rate"].is_null(), "{csr}");
    let y2024 = years.iter().find(|y| y["year"] == 2024).unwrap()["budget"].clone();
    assert!(y2024["planned"].is_null() && y2024["realized"].is_null() && y2024["rate"].is_null(), "{y2024}");
    // The dimension roll-up keeps the same arithmetic.
    let env = find(&e["dimensions"], "id", "environment")["years"].as_array().unwrap().clone();
    let env2023 = env.iter().find(|y| y["year"] == 2023).unwrap()["budget"].clone();
    approx(&env2023["rate"], 0.8);
    assert_eq!(env2023["unknown_sources"], 1);

    // The Bappeda CSV: empty cells for what is not known, and the count of unreported sources.
    assert_eq!(test.cmd(&["export", "--format", "csv", "--years", "2023..2024"]).stdout_snapshot().run().code, 0);
    let csv = std::fs::read_to_string(test.path().join("out/kota-contoh-ringkasan-2023-2024-program.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let column = |row: &str, name: &str| {
        let i = header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}: {header:?}"));
        row.split(',').nth(i).unwrap().to_string()
    };
    let row = |year: &str| csv.lines().find(|l| l.starts_with(&format!("{year},daur-ulang"))).unwrap().to_string();
    assert_eq!(column(&row("2023"), "csr_realisasi"), "");
    assert_eq!(column(&row("2023"), "anggaran_realisasi"), "800000");
    assert_eq!(column(&row("2023"), "realisasi_belum_dilaporkan"), "1");
    assert_eq!(column(&row("2024"), "anggaran_rencana"), "");
    assert_eq!(column(&row("2024"), "anggaran_realisasi"), "");
}

// ---------------------------------------------------------------------------------------------
// plan: where the next points come from
// ---------------------------------------------------------------------------------------------

fn plan_json(test: &Test, extra: &[&str]) -> Value {
    let mut args = vec!["plan", "--format", "json"];
    args.extend_from_slice(extra);
    let out = test.cmd(&args).stdout_snapshot().run();
    assert_eq!(out.code, 0, "plan failed\n{}\n{}", out.stdout, out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn plan_gives_each_questions_exact_leverage_and_the_fewest_points_to_a_target() {
    // missing: zero. satu (50 %, a1 = 3, a2 unanswered, a3 underivable) = 3/3 = 1; dua (50 %,
    // b1 = 2) = 2; final 1.5. One point on b1 adds 0.5 · 1 = 0.5; on a satu question
    // 0.5 · 1/3 = 1/6. To the top: b1 +0.5 · 2 = 1; a2 (0 → 4) +0.5 · 4/3 = 2/3; a1 +1/6.
    let e = plan_json(&missing_policy_workspace("zero"), &["--target", "2.0"]);
    assert_eq!(e["missing"], "zero");
    let q = |id: &str| e["questions"].as_array().unwrap().iter().find(|q| q["id"] == id).unwrap().clone();
    approx(&q("b1")["gain_per_point"], 0.5);
    approx(&q("b1")["gain_to_top"], 1.0);
    approx(&q("a2")["gain_per_point"], 1.0 / 6.0);
    approx(&q("a2")["gain_to_top"], 2.0 / 3.0);
    approx(&q("a1")["gain_to_top"], 1.0 / 6.0);
    assert_eq!(q("a3")["derived"], true, "an underivable answer changes only through its data");
    assert_eq!(e["questions"][0]["id"], "b1", "ranked by gain to the top");
    // 1.5 → 2.0: one point on b1 (2 → 3).
    let t = &e["target"];
    assert_eq!(t["met"], true);
    approx(&t["points"], 1.0);
    approx(&t["reached"], 2.0);
    assert_eq!(t["changes"], serde_json::json!([{"id": "b1", "from": 2.0, "to": 3.0}]));
    // Out of reach from manual answers: the maximum says so (a1, a2 and b1 at 4, a3 left at
    // 0: satu 8/3, dua 4 → 0.5 · 8/3 + 2 = 10/3).
    let e = plan_json(&missing_policy_workspace("zero"), &["--target", "4.0"]);
    assert_eq!(e["target"]["met"], false);
    approx(&e["target"]["reached"], 10.0 / 3.0);
}

#[test]
fn plan_under_missing_exclude_counts_the_denominator_change() {
    // missing: exclude. satu averages a1 alone: 3; final 0.5 · 3 + 0.5 · 2 = 2.5. Answering
    // a2 at 4 makes satu (3 + 4) / 2 = 3.5: +0.5 · 0.5 = 0.25 — and answering it at 1 would
    // lower satu to 2: −0.5, which a per-point rule of thumb would miss.
    let e = plan_json(&missing_policy_workspace("exclude"), &["--aspect", "satu", "--unanswered"]);
    let ids: Vec<&str> = e["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["a2", "a3"], "only satu's questions without a score");
    let a2 = &e["questions"][0];
    approx(&a2["gain_to_top"], 0.25);
    approx(&a2["gain_per_point"], -0.5);
    let out = missing_policy_workspace("exclude").cmd(&["plan", "--aspect", "tiga"]).status(1).stderr("error[dangling-reference]: unknown aspect `tiga`\n  = help: aspects of mini: satu, dua\n1 error, 0 warnings\n").run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("unknown aspect `tiga`") && out.stderr.contains("satu, dua"), "{}", out.stderr);
}

/// The report's "Prioritas perbaikan" (issue #16): on the Ambon workspace (2023 REGULER) one
/// more point on an Output question (20 % over 7 questions) moves the final by 0.2/7, the most
/// of any aspect; the ten listed are the largest gains per point, in order, none at the top.
#[test]
fn priorities_are_the_largest_gains_per_point() {
    let test = Test::empty();
    for dir in ["indicators", "data", "templates", "evidence"] {
        crate::harness::copy_tree(&crate::harness::repo().join(dir), &test.path().join(dir));
    }
    let e = score_json(&test, &[]);
    let priorities = e["priorities"].as_array().expect("priorities");
    assert_eq!(priorities.len(), 10);
    let gains: Vec<f64> = priorities.iter().map(|p| p["gain_per_point"].as_f64().unwrap()).collect();
    assert!(gains.windows(2).all(|w| w[0] >= w[1]), "{gains:?}");
    approx(&priorities[0]["gain_per_point"], 0.2 / 7.0);
    assert_eq!(priorities[0]["aspect"], "output");
    for p in priorities {
        assert!(p["score"].as_f64().is_none_or(|s| s < 4.0), "{p}");
    }
    // Baseline (10 % over 5 questions) comes next: 0.02 a point.
    assert!(
        priorities
            .iter()
            .any(|p| p["aspect"] == "baseline" && (p["gain_per_point"].as_f64().unwrap() - 0.02).abs() < 1e-9)
    );
    let out = test.cmd(&["report"]).stdout("wrote out/kota-ambon-2023-laporan.pdf\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = crate::pdf::text(&test.path().join("out/kota-ambon-2023-laporan.pdf"));
    assert!(text.contains("Prioritas perbaikan") && text.contains("+0,0286"), "{text}");
}

/// A derived answer changes only through its data: `plan` says what the data would need for
/// the next point (issue #16), e.g. six programs running in 2022 where four ran.
#[test]
fn plan_says_what_a_derived_answer_needs_from_its_data() {
    let test = Test::empty();
    for dir in ["indicators", "data", "templates", "evidence"] {
        crate::harness::copy_tree(&crate::harness::repo().join(dir), &test.path().join(dir));
    }
    let out = test.cmd(&["plan", "--format", "json"]).stdout_json().run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let plan: Value = serde_json::from_str(&out.stdout).unwrap();
    let q = find(&plan["questions"], "id", "bl-2-1.1.1");
    let step = &q["data_step"];
    assert_eq!(step["rule"], "program-count", "{q}");
    approx(&step["today"], 4.0);
    approx(&step["needed"], 6.0);
    assert_eq!(step["text_id"], "perlu ≥ 6 program yang berjalan pada 2022 (kini 4)");
    let q = find(&plan["questions"], "id", "oc-1-3.17.1");
    approx(&q["data_step"]["needed"], 75.0);
    // Manual answers have no data step; the table says it in words.
    assert!(find(&plan["questions"], "id", "op-2-2.4.1").get("data_step").is_none());
    let table = test.cmd(&["plan", "--limit", "200"]).stdout_snapshot().run();
    assert!(table.stdout.contains("(perlu ≥ 6 program yang berjalan pada 2022 (kini 4))"), "{}", table.stdout);
}
