//! What-if scenarios (issue #16): `scenarios/<name>.yaml` over the Ambon workspace. A scenario's
//! result must equal a re-score of a copy of the workspace edited the same way; its documents go
//! to out/skenario-<name>/ and leave out/ alone; `plan --opd` keeps an OPD's questions.

use serde_json::Value;

use crate::harness::{Test, copy_tree, repo};

fn ambon() -> Test {
    let test = Test::empty();
    for dir in ["indicators", "data", "templates", "evidence"] {
        copy_tree(&repo().join(dir), &test.path().join(dir));
    }
    test
}

fn json(test: &Test, args: &[&str]) -> Value {
    let out = test.cmd(args).stdout_json().run();
    assert_eq!(out.code, 0, "{args:?}\n{}\n{}", out.stdout, out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

/// `from` replaced by `to` in the workspace file `rel`, exactly once.
fn edit(test: &Test, rel: &str, from: &str, to: &str) {
    let path = test.path().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once in {rel}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Every score the documents print, in a form two evaluations can be compared by: aspects
/// (score, answered, counted, sum), the final and its predicate, each question's score and what
/// it counts, and each dimension's progress per year.
fn scores(e: &Value) -> Vec<String> {
    let card = &e["scorecard"];
    let mut out = vec![
        format!("final {} {}", card["final_score"]["value"], card["final_score"]["display"]),
        format!("predicate {}", card["predicate"]["label"]),
    ];
    for a in card["aspects"].as_array().unwrap() {
        out.push(format!("{} {} {} {} {}", a["id"], a["score"]["value"], a["answered"], a["counted"], a["sum"]));
    }
    for q in card["questions"].as_array().unwrap() {
        out.push(format!("{} {} {} {}", q["id"], q["status"], q["score"]["value"], q["counted"]));
    }
    for d in e["dimensions"].as_array().unwrap() {
        for y in d["years"].as_array().unwrap() {
            out.push(format!("{} {} {}", d["id"], y["year"], y["progress"]));
        }
    }
    out
}

const SCENARIO: &str = "description: Uji
answers:
  op-2-2.4.1: 3        # manual 1.6 → 3
  bl-2-1.1.1: 3.5      # derived (program count) → a manual 3.5
  qw-9-5.2.1: unanswered
values:
  - {indicator: sampah-plastik-diolah, year: 2023, value: 200}
  - {indicator: pedagang-pasar-qris-baru, year: 2023, area: Nusaniwe, value: 200}
programs:
  cctv-pusat-pasar: tertunda
";

#[test]
fn a_scenario_equals_a_rescore_of_the_workspace_edited_that_way() {
    let scenario = ambon().file("scenarios/uji.yaml", SCENARIO);
    let what_if = json(&scenario, &["score", "--scenario", "uji", "--format", "json"]);

    let edited = ambon();
    let answers = "indicators/assessment/2023.yaml";
    edit(&edited, answers, "  op-2-2.4.1:\n    score: 1.6\n", "  op-2-2.4.1:\n    score: 3\n");
    edit(&edited, answers, "  bl-2-1.1.1:\n    derive: true\n", "  bl-2-1.1.1:\n    score: 3.5\n");
    let text = std::fs::read_to_string(edited.path().join(answers)).unwrap();
    let start = text.find("  qw-9-5.2.1:\n").unwrap();
    let end = start + text[start..].find("  # 5.1.1").unwrap();
    std::fs::write(edited.path().join(answers), format!("{}{}", &text[..start], &text[end..])).unwrap();
    // The city-wide value: the year's monthly rows replaced by one observation of 200.
    let environment = "data/observations/environment.csv";
    let text = std::fs::read_to_string(edited.path().join(environment)).unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("sampah-plastik-diolah,2023-")).collect();
    std::fs::write(
        edited.path().join(environment),
        format!("{}\nsampah-plastik-diolah,2023,200,,ilustrasi,\n", kept.join("\n")),
    )
    .unwrap();
    edit(
        &edited,
        "data/observations/economy.csv",
        "pedagang-pasar-qris-baru,2023,120,Nusaniwe,",
        "pedagang-pasar-qris-baru,2023,200,Nusaniwe,",
    );
    edit(&edited, "indicators/programs/society/cctv-pusat-pasar.yaml", "status: berjalan", "status: tertunda");
    let rescored = json(&edited, &["score", "--format", "json"]);
    assert_eq!(scores(&what_if), scores(&rescored));

    // The scenario did change things (else the comparison above proves nothing), and the
    // comparison with today's is exact: today's is the untouched workspace's.
    let today = json(&ambon(), &["score", "--format", "json"]);
    assert_ne!(scores(&what_if), scores(&today));
    let s = &what_if["scenario"];
    assert_eq!(s["name"], "uji");
    assert_eq!(s["final_today"], today["scorecard"]["final_score"]);
    assert_eq!(s["final_scenario"], what_if["scorecard"]["final_score"]);
    let change = s["final_change"]["value"].as_f64().unwrap();
    let expected = what_if["scorecard"]["final_score"]["value"].as_f64().unwrap()
        - today["scorecard"]["final_score"]["value"].as_f64().unwrap();
    assert!((change - expected).abs() < 1e-6, "{change} vs {expected}");
    // Output: 7 questions at 20 %; op-2-2.4.1 1.6 → 3 adds 1.4/7 to the aspect.
    let output = s["aspects"].as_array().unwrap().iter().find(|a| a["id"] == "output").unwrap();
    assert!((output["change"]["value"].as_f64().unwrap() - 0.2).abs() < 1e-6, "{output}");
    assert_eq!((s["answers"].as_u64(), s["values"].as_u64(), s["programs"].as_u64()), (Some(3), Some(2), Some(1)));
    assert!(today.get("scenario").is_none(), "a plain score has no scenario");

    // The table sets the two side by side, in words that say it is a scenario.
    let table = scenario
        .cmd(&["score", "--scenario", "uji"])
        .stdout_snapshot()
        .stderr("4 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.starts_with("SKENARIO uji (scenarios/uji.yaml) — bukan jawaban kota yang sebenarnya"));
    assert!(table.stdout.contains("Output                     2,54      2,74    +0,2000"), "{}", table.stdout);
}

#[test]
fn an_unknown_scenario_lists_the_ones_there_are() {
    let test = ambon().file("scenarios/contoh.yaml", "answers:\n  op-2-2.4.1: 3\n");
    let out = test.cmd(&["score", "--scenario", "conto"]).status(1).stderr_snapshot().run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("error[unknown-scenario]: there is no scenario `conto`"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean `contoh`? (scenarios here: contoh)"), "{}", out.stderr);
    assert!(out.stderr.ends_with("1 error, 0 warnings\n"), "only the error to fix: {}", out.stderr);
    let out = ambon().cmd(&["plan", "--scenario", "contoh"]).status(1).stderr_snapshot().run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("has no scenarios yet: write scenarios/contoh.yaml"), "{}", out.stderr);
}

#[test]
fn plan_from_a_scenario_starts_from_its_answers() {
    let test = ambon().file("scenarios/uji.yaml", "answers:\n  op-2-2.4.1: 4\n");
    let plan = json(&test, &["plan", "--scenario", "uji", "--format", "json"]);
    let q = plan["questions"].as_array().unwrap().iter().find(|q| q["id"] == "op-2-2.4.1").unwrap();
    assert_eq!(q["score"], 4.0);
    assert_eq!(q["gain_to_top"], 0.0, "at the top in the scenario");
    assert_eq!(plan["scenario"]["name"], "uji");
    assert_eq!(plan["final_score"], plan["scenario"]["final_scenario"]["value"]);
    let table = test.cmd(&["plan", "--scenario", "uji", "--limit", "1"]).stdout_snapshot().run();
    assert!(table.stdout.starts_with("SKENARIO uji"), "{}", table.stdout);
}

#[test]
fn build_scenario_writes_its_own_folder_and_leaves_out_alone() {
    let test = ambon().file("scenarios/uji.yaml", "description: Forum berjalan\nanswers:\n  op-2-2.4.1: 3\n");
    let out = test
        .cmd(&["build"])
        .stdout_snapshot()
        .stderr("4 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Every file of out/ but the lock (it records the last writer's process) and the scenario's.
    let snapshot = |dir: &std::path::Path| -> Vec<(String, u64)> {
        use std::hash::{Hash, Hasher};
        let mut files: Vec<(String, u64)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.file_name() != ".lock")
            .filter(|e| !e.path().to_string_lossy().contains("skenario-"))
            .map(|e| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::fs::read(e.path()).unwrap().hash(&mut h);
                (e.path().display().to_string(), h.finish())
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(&test.path().join("out"));
    let out = test
        .cmd(&["build", "--scenario", "uji"])
        .stdout_snapshot()
        .stderr("4 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("wrote out/skenario-uji/kota-ambon-2023-laporan.pdf"), "{}", out.stdout);
    assert!(out.stdout.contains("wrote out/skenario-uji/kota-ambon-2023-slides.pdf"), "{}", out.stdout);
    assert_eq!(snapshot(&test.path().join("out")), before, "out/ and its manifest are untouched");
    let check = test.cmd(&["build", "--check"]).stdout("up to date: 3 outputs match their inputs\n").run();
    assert_eq!(check.code, 0, "{}", check.stdout);
    for doc in ["laporan", "slides"] {
        let pdf = test.path().join(format!("out/skenario-uji/kota-ambon-2023-{doc}.pdf"));
        let pages = crate::pdf::pages_text(&pdf);
        let first = pages.first().map(String::as_str).unwrap_or_default();
        assert!(first.contains("SKENARIO: uji"), "{doc}: {first}");
        assert!(first.to_lowercase().contains("bukan jawaban kota yang sebenarnya"), "{doc}: {first}");
        assert!(first.contains("Forum berjalan"), "{doc}: {first}");
    }
    let out = test.cmd(&["build", "--scenario", "uji", "--check"]).status(2).stderr_snapshot().run();
    assert_eq!(out.code, 2, "--check does not go with --scenario");
}

/// The questions an OPD moves (Ambon): `setda` answers for bl-1-1.1.1's evidence, owes a
/// document of op-2-2.2.1, and runs wajar-walikota-jumpa-rakyat, which the derived bl-2-1.1.1
/// (programs running in 2022) and oc-1-3.1.1 (governance progress) read.
#[test]
fn plan_opd_keeps_the_questions_of_its_data_and_evidence() {
    let test = ambon();
    let plan = json(&test, &["plan", "--opd", "setda", "--format", "json"]);
    let mut ids: Vec<&str> = plan["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["bl-1-1.1.1", "bl-2-1.1.1", "oc-1-3.1.1", "op-2-2.2.1"]);
    assert_eq!(plan["opd"]["key"], "setda");
    // By its name too; the plastic plant's OPD moves the environment question through its data.
    let plan = json(&test, &["plan", "--opd", "Dinas Lingkungan Hidup dan Persampahan Kota Ambon", "--format", "json"]);
    let ids: Vec<&str> = plan["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["oc-1-3.17.1"]);
    let out = test
        .cmd(&["plan", "--opd", "dlh"])
        .status(1)
        .stderr("error[dangling-reference]: unknown OPD `dlh`\n  = help: did you mean `dlhp`?\n1 error, 0 warnings\n")
        .run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("unknown OPD `dlh`") && out.stderr.contains("did you mean `dlhp`?"), "{}", out.stderr);
}
