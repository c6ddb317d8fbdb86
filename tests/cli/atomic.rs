//! Nothing lost: `build --force` stopped dead at every step of writing its outputs must leave
//! each output either as it was or complete and new, never truncated; the temporary files it
//! leaves are hidden and cleaned by the next build; out/manifest.json never claims a hash it
//! does not match (outputs being replaced are dropped from it first, and it is completed last).
//!
//! The steps are the binary's own fault points (`SMARTCITY_EVAL_FAULT`, src/outdir.rs): a build
//! lists them, and the test stops one build at each, so every step is covered on every run
//! however fast or busy the machine is.

use std::path::Path;
use std::process::Command;

use crate::harness::{BIN, Test, copy_tree, repo};

const OUTPUTS: [&str; 3] =
    ["kota-ambon-2023-laporan.pdf", "kota-ambon-2023-slides.pdf", "kota-ambon-2023-ringkasan.xlsx"];

fn build(ws: &Path, epoch: u64) -> std::process::Child {
    Command::new(BIN)
        .args(["build", "--workspace", ws.to_str().expect("utf-8 path")])
        // A different document date each run makes every rebuilt PDF differ from the last.
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run binary")
}

fn assert_complete(path: &Path, context: &str) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{context}: {} unreadable: {e}", path.display()));
    let name = path.display();
    if path.extension().is_some_and(|e| e == "pdf") {
        assert!(bytes.starts_with(b"%PDF-"), "{context}: {name} does not start with %PDF");
        let end = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(32)..]).trim_end().to_string();
        assert!(end.ends_with("%%EOF"), "{context}: {name} is truncated (no %%EOF at the end)");
    } else {
        use calamine::{Reader, open_workbook_auto};
        let mut book = open_workbook_auto(path).unwrap_or_else(|e| panic!("{context}: {name} is not an xlsx: {e}"));
        let sheets = book.sheet_names();
        assert!(!sheets.is_empty(), "{context}: {name} has no sheets");
        for sheet in sheets {
            book.worksheet_range(&sheet).unwrap_or_else(|e| panic!("{context}: {name} sheet {sheet}: {e}"));
        }
    }
}

/// The state every kill must leave: all outputs present and complete, only hidden temporary
/// files besides them, and a manifest whose every claim matches the file on disk.
fn assert_consistent(out: &Path, context: &str) {
    for file in OUTPUTS {
        assert_complete(&out.join(file), context);
    }
    for entry in std::fs::read_dir(out).expect("out/") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        let expected = OUTPUTS.contains(&name.as_str()) || name == "manifest.json" || name == ".lock";
        let hidden_temp = name.starts_with('.') && name.contains(".tmp-");
        assert!(expected || hidden_temp, "{context}: unexpected file out/{name}");
    }
    let text = std::fs::read_to_string(out.join("manifest.json")).expect("manifest.json");
    let manifest: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{context}: manifest.json is not JSON ({e}):\n{text}"));
    let claims = manifest["outputs"].as_object().expect("outputs");
    for (file, entry) in claims {
        let bytes = std::fs::read(out.join(file)).unwrap_or_else(|e| panic!("{context}: manifest names {file}: {e}"));
        let actual = blake3::hash(&bytes).to_hex().to_string();
        assert_eq!(entry["output"].as_str(), Some(actual.as_str()), "{context}: manifest hash of {file} is wrong");
    }
}

#[test]
fn a_build_stopped_at_any_step_leaves_old_or_new_complete_outputs() {
    let test = Test::empty();
    for dir in ["indicators", "data", "templates", "evidence"] {
        copy_tree(&repo().join(dir), &test.path().join(dir));
    }
    let out = test.path().join("out");
    assert!(build(test.path(), 1_686_614_400).wait().expect("wait").success(), "first build failed");
    assert_consistent(&out, "after the first build");

    // Every step a build writes at, as the binary names them.
    let listed = test
        .cmd(&["build", "--force"])
        .env("SOURCE_DATE_EPOCH", "1690000000")
        .env("SMARTCITY_EVAL_FAULT", "list")
        .stdout_snapshot()
        .stderr_snapshot()
        .run();
    let points: Vec<String> =
        listed.stderr.lines().filter_map(|l| l.strip_prefix("fault point: ").map(str::to_string)).collect();
    // Each output and the manifest (written when entries are dropped, and at the end).
    for file in OUTPUTS.iter().chain(&["manifest.json"]) {
        for step in ["before-rename", "after-rename"] {
            assert!(points.contains(&format!("{step}:{file}")), "no fault point {step}:{file} in {points:?}");
        }
    }
    assert_consistent(&out, "after the listing build");

    let mut changed = 0;
    for (k, point) in points.iter().enumerate() {
        let before: Vec<Vec<u8>> = OUTPUTS.iter().map(|f| std::fs::read(out.join(f)).expect("output")).collect();
        let status = Command::new(BIN)
            .args(["build", "--force", "--workspace", test.path().to_str().expect("utf-8 path")])
            // A different document date each run makes every rebuilt PDF differ from the last.
            .env("SOURCE_DATE_EPOCH", (1_700_000_000 + 86_400 * k as u64).to_string())
            .env("SMARTCITY_EVAL_FAULT", format!("exit-at={point}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("run binary");
        assert_eq!(status.code(), Some(86), "the build did not reach {point}");
        assert_consistent(&out, &format!("stopped at {point}"));
        let after: Vec<Vec<u8>> = OUTPUTS.iter().map(|f| std::fs::read(out.join(f)).expect("output")).collect();
        changed += before.iter().zip(&after).filter(|(b, a)| b != a).count();
    }
    // Stops after an output was replaced: the test saw new files, not only old ones.
    assert!(changed > 0, "no stop came after an output was replaced");

    // The next build cleans up and describes everything again.
    assert!(build(test.path(), 1_686_614_400).wait().expect("wait").success(), "rebuild failed");
    assert_consistent(&out, "after a normal build");
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("out/")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left after a complete build: {leftovers:?}");
    // The same SOURCE_DATE_EPOCH as the last build: it is one of the documents' inputs.
    test.cmd(&["build", "--check"])
        .env("SOURCE_DATE_EPOCH", "1686614400")
        .stdout("up to date: 3 outputs match their inputs\n")
        .run();
}

/// A half-written temporary file of a build that died goes with the next build, even one with
/// nothing to rebuild; the outputs and their manifest stay as they were.
#[test]
fn a_build_with_nothing_to_do_still_removes_a_dead_builds_temporary_file() {
    let test = Test::base();
    test.cmd(&["build"]).stdout_snapshot().run();
    let out = test.path().join("out");
    let pdf = std::fs::read(out.join("kota-contoh-2023-laporan.pdf")).expect("report");
    let temp = out.join(".kota-contoh-2023-laporan.pdf.tmp-99999-1");
    std::fs::write(&temp, &pdf[..pdf.len() / 2]).expect("temp");
    test.cmd(&["build"]).stdout("nothing to do: 3 outputs are up to date (use --force to rebuild)\n").run();
    assert!(!temp.exists(), "the dead build's temporary file is still there");
    assert_eq!(std::fs::read(out.join("kota-contoh-2023-laporan.pdf")).expect("report"), pdf);
    // `--check` writes nothing and takes no lock: it leaves temporary files alone.
    std::fs::write(&temp, b"%PDF").expect("temp");
    test.cmd(&["build", "--check"]).stdout("up to date: 3 outputs match their inputs\n").run();
    assert!(temp.exists());
}
