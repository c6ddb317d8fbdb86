//! `init` makes a workspace that validates clean and never overwrites; `schema` writes
//! schemas that the example YAML files satisfy.

use crate::harness::{Test, repo, run};

#[test]
fn init_creates_a_valid_workspace() {
    let parent = Test::empty();
    let out = run(
        &[
            "init",
            "kota-baru",
            "--city",
            "Kota Baru",
            "--kind",
            "kota",
            "--year",
            "2024",
            "--province",
            "Kalimantan Selatan",
        ],
        parent.path(),
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let ws = parent.path().join("kota-baru");
    for file in [
        "indicators/city.yaml",
        "indicators/dimensions.yaml",
        "indicators/framework/kominfo-2022.yaml",
        "indicators/framework/kominfo-2023-kppn-ikn.yaml",
        "indicators/framework/kominfo-2023-reguler.yaml",
        "indicators/assessment/2024.yaml",
        "schemas/program.schema.json",
        "templates/report.typ",
        "templates/slides.typ",
        "templates/lib/charts.typ",
        ".github/workflows/laporan.yml",
        "README.md",
    ] {
        assert!(ws.join(file).is_file(), "missing {file}");
    }
    let city = std::fs::read_to_string(ws.join("indicators/city.yaml")).unwrap();
    assert!(city.contains("city: \"Kota Baru\"") && city.contains("framework: kominfo-2023-reguler"), "{city}");
    // The shipped instruments are the repository's, byte for byte.
    assert_eq!(
        std::fs::read(ws.join("indicators/framework/kominfo-2022.yaml")).unwrap(),
        std::fs::read(repo().join("indicators/framework/kominfo-2022.yaml")).unwrap()
    );
    let out = run(&["validate", "--workspace", ws.to_str().unwrap()], parent.path());
    assert_eq!(out.code, 0, "{}", out.stdout);
    // Valid, but the empty assessment is reported as unanswered.
    assert!(out.stdout.contains("warning[unanswered]: 111 of 111 questions have no answer"), "{}", out.stdout);
    assert!(out.stdout.ends_with("0 errors, 1 warning\n"), "{}", out.stdout);
}

#[test]
fn init_picks_the_2022_instrument_for_2022() {
    let parent = Test::empty();
    let out =
        run(&["init", "kab", "--city", "Kabupaten Malang", "--kind", "kabupaten", "--year", "2022"], parent.path());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let city = std::fs::read_to_string(parent.path().join("kab/indicators/city.yaml")).unwrap();
    assert!(city.contains("framework: kominfo-2022"), "{city}");
}

#[test]
fn init_refuses_to_overwrite() {
    let test = Test::base();
    let before = std::fs::read(test.path().join("indicators/city.yaml")).unwrap();
    let out =
        run(&["init", test.path().to_str().unwrap(), "--city", "X", "--kind", "kota", "--year", "2024"], test.path());
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("error[would-overwrite]"), "{}", out.stderr);
    assert_eq!(std::fs::read(test.path().join("indicators/city.yaml")).unwrap(), before);
}

#[test]
fn init_rejects_unknown_instrument_with_suggestion() {
    let parent = Test::empty();
    let out = run(
        &["init", "x", "--city", "X", "--kind", "kota", "--year", "2023", "--framework", "kominfo-2023-regular"],
        parent.path(),
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("did you mean `kominfo-2023-reguler`?"), "{}", out.stderr);
    assert!(!parent.path().join("x").exists());
}

#[test]
fn schema_writes_every_kind_and_they_match_the_committed_ones() {
    let test = Test::empty();
    let out_dir = test.path().join("schemas");
    let out = run(&["schema", "--out", out_dir.to_str().unwrap()], test.path());
    assert_eq!(out.code, 0, "{}", out.stderr);
    for kind in ["city", "dimensions", "framework", "program", "assessment", "data-sidecar", "evaluation"] {
        let name = format!("{kind}.schema.json");
        let fresh = std::fs::read_to_string(out_dir.join(&name)).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&fresh).unwrap();
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{name}");
        let committed = std::fs::read_to_string(repo().join("schemas").join(&name)).unwrap_or_default();
        assert_eq!(fresh, committed, "schemas/{name} is stale: run `cargo run -- schema`");
    }
}

#[test]
fn program_schema_rejects_unknown_keys() {
    let test = Test::empty();
    let out_dir = test.path().join("s");
    run(&["schema", "--out", out_dir.to_str().unwrap()], test.path());
    let text = std::fs::read_to_string(out_dir.join("program.schema.json")).unwrap();
    assert!(text.contains("\"additionalProperties\": false"), "{text}");
}
