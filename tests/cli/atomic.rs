//! Nothing lost: `build --force` killed (SIGKILL) at several moments of its run must leave each
//! output either as it was or complete and new, never truncated; the temporary files it leaves
//! are hidden and cleaned by the next build; out/manifest.json never claims a hash it does not
//! match (outputs being replaced are dropped from it first, and it is completed last).

use std::path::Path;
use std::process::Command;

use crate::harness::{BIN, Test, copy_tree, repo};

const OUTPUTS: [&str; 3] = ["kota-ambon-2023-laporan.pdf", "kota-ambon-2023-slides.pdf", "kota-ambon-ringkasan.xlsx"];

fn build(ws: &Path, epoch: u64, force: bool) -> std::process::Child {
    let mut args = vec!["build", "--workspace", ws.to_str().expect("utf-8 path")];
    if force {
        args.push("--force");
    }
    Command::new(BIN)
        .args(&args)
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
fn a_build_killed_at_any_moment_leaves_old_or_new_complete_outputs() {
    let test = Test::empty();
    for dir in ["indicators", "data", "templates", "evidence"] {
        copy_tree(&repo().join(dir), &test.path().join(dir));
    }
    let out = test.path().join("out");
    let start = std::time::Instant::now();
    assert!(build(test.path(), 1_686_614_400, false).wait().expect("wait").success(), "first build failed");
    let full = start.elapsed();
    assert_consistent(&out, "after the first build");

    // Kill points spread over a whole build (evaluation, report, slides, xlsx, manifest).
    let mut changed = 0;
    for (k, fraction) in [0.05, 0.2, 0.4, 0.55, 0.7, 0.8, 0.9, 0.97].into_iter().enumerate() {
        let before: Vec<Vec<u8>> = OUTPUTS.iter().map(|f| std::fs::read(out.join(f)).expect("output")).collect();
        let mut child = build(test.path(), 1_700_000_000 + 86_400 * k as u64, true);
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill(); // SIGKILL; the build may already have finished
        let _ = child.wait();
        let context = format!("killed after {:.0} % of a build", fraction * 100.0);
        assert_consistent(&out, &context);
        let after: Vec<Vec<u8>> = OUTPUTS.iter().map(|f| std::fs::read(out.join(f)).expect("output")).collect();
        changed += before.iter().zip(&after).filter(|(b, a)| b != a).count();
    }
    // And one kill right after the first output was replaced, however fast the machine is at
    // the moment (the delays above scale with the first build, and tests running beside this
    // one can slow the later builds down): the state where the manifest must neither claim
    // the old file's hash for the new file nor the other way round.
    let before: Vec<Vec<u8>> = OUTPUTS.iter().map(|f| std::fs::read(out.join(f)).expect("output")).collect();
    let mut child = build(test.path(), 1_800_000_000, true);
    let deadline = std::time::Instant::now() + full * 20;
    loop {
        let replaced = OUTPUTS.iter().zip(&before).any(|(f, b)| std::fs::read(out.join(f)).ok().as_ref() != Some(b));
        let finished = child.try_wait().ok().flatten().is_some();
        if replaced || finished || std::time::Instant::now() > deadline {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_consistent(&out, "killed right after an output was replaced");
    let after: Vec<Vec<u8>> = OUTPUTS.iter().map(|f| std::fs::read(out.join(f)).expect("output")).collect();
    changed += before.iter().zip(&after).filter(|(b, a)| b != a).count();
    // Some kills land after an output was replaced: the test saw new files, not only old ones.
    assert!(changed > 0, "no kill happened after an output was replaced; the delays are too short");

    // The next build cleans up and describes everything again.
    assert!(build(test.path(), 1_686_614_400, false).wait().expect("wait").success(), "rebuild failed");
    assert_consistent(&out, "after a normal build");
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .expect("out/")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left after a complete build: {leftovers:?}");
    // The same SOURCE_DATE_EPOCH as the last build: it is one of the documents' inputs.
    let check = Command::new(BIN)
        .args(["build", "--check", "--workspace"])
        .arg(test.path())
        .env("SOURCE_DATE_EPOCH", "1686614400")
        .output()
        .expect("check");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}
