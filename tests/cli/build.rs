//! `build`: rebuilds only what is stale (out/manifest.json), `--check` for CI.

use crate::harness::{Test, repo};

fn wrote(stdout: &str) -> Vec<&str> {
    stdout.lines().filter_map(|l| l.strip_prefix("wrote out/")).collect()
}

#[test]
fn unchanged_workspace_rebuilds_nothing_and_check_passes() {
    let test = Test::base();
    let first = test.cmd(&["build"]).stdout_snapshot().run();
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    assert_eq!(
        wrote(&first.stdout),
        ["kota-contoh-2023-laporan.pdf", "kota-contoh-2023-slides.pdf", "kota-contoh-2023-ringkasan.xlsx"]
    );
    assert!(test.path().join("out/manifest.json").is_file());
    let again = test.cmd(&["build"]).stdout("nothing to do: 3 outputs are up to date (use --force to rebuild)\n").run();
    assert_eq!(again.code, 0);
    assert_eq!(again.stdout, "nothing to do: 3 outputs are up to date (use --force to rebuild)\n");
    let check = test.cmd(&["build", "--check"]).stdout("up to date: 3 outputs match their inputs\n").run();
    assert_eq!((check.code, check.stdout.as_str()), (0, "up to date: 3 outputs match their inputs\n"));
    let forced = test.cmd(&["build", "--force"]).stdout_snapshot().run();
    assert_eq!(wrote(&forced.stdout).len(), 3);
}

#[test]
fn check_fails_after_a_data_edit_and_build_fixes_it() {
    let test = Test::base();
    assert_eq!(test.cmd(&["build"]).stdout_snapshot().run().code, 0);
    let test = test.file(
        "data/observations/sampah.csv",
        "indicator,period,value,area,source,note\nsampah-diolah,2023-06,130,,,\n",
    );
    let check = test.cmd(&["build", "--check"]).status(1).stdout_snapshot().run();
    assert_eq!(check.code, 1);
    assert!(
        check.stdout.contains("stale (inputs or file changed): out/kota-contoh-2023-laporan.pdf"),
        "{}",
        check.stdout
    );
    // `--check` writes nothing: not even a temporary file (`.<name>.tmp-<pid>-<n>`, outdir.rs).
    let temps: Vec<String> = std::fs::read_dir(test.path().join("out"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
    let build = test.cmd(&["build"]).stdout_snapshot().run();
    assert_eq!(wrote(&build.stdout).len(), 3, "a data file feeds every output: {}", build.stdout);
    assert_eq!(test.cmd(&["build", "--check"]).stdout("up to date: 3 outputs match their inputs\n").run().code, 0);
}

/// CI runs `build --check`: when the edit that staled the outputs also broke the workspace, the
/// check says that `build` cannot fix it yet, instead of sending the steward to a failing build.
#[test]
fn check_says_when_a_build_could_not_regenerate_the_stale_outputs() {
    let test = Test::base();
    assert_eq!(test.cmd(&["build"]).stdout_snapshot().run().code, 0);
    let test = test.file(
        "data/observations/sampah.csv",
        "indicator,period,value,area,source,note\nsampah-diolah,2023-06,banyak,,,\n",
    );
    let check = test.cmd(&["build", "--check"]).status(1).stdout_unchecked("asserted below").run();
    assert!(
        check.stdout.ends_with(
            "`smartcity-eval build` cannot regenerate them yet: the workspace has 1 error(s); run `smartcity-eval validate` to see them\n"
        ),
        "{}",
        check.stdout
    );
    let build = test.cmd(&["build"]).status(1).stdout("").stderr_unchecked("asserted below").run();
    assert!(build.stderr.starts_with("error[not-a-number]: `value` is `banyak`"), "{}", build.stderr);
}

#[test]
fn a_template_edit_rebuilds_only_its_document() {
    let test = Test::base();
    assert_eq!(test.cmd(&["build"]).stdout_snapshot().run().code, 0);
    let slides = std::fs::read_to_string(repo().join("templates/slides.typ"))
        .unwrap()
        .replace("Agenda][Agenda]", "Acara][Agenda]");
    let test = test.file("templates/slides.typ", slides);
    let build = test.cmd(&["build"]).stdout_snapshot().run();
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(wrote(&build.stdout), ["kota-contoh-2023-slides.pdf"]);
    assert!(build.stdout.contains("up to date: out/kota-contoh-2023-laporan.pdf"), "{}", build.stdout);
}

#[test]
fn a_deleted_or_edited_output_is_stale() {
    let test = Test::base();
    assert_eq!(test.cmd(&["build"]).stdout_snapshot().run().code, 0);
    std::fs::remove_file(test.path().join("out/kota-contoh-2023-ringkasan.xlsx")).unwrap();
    std::fs::write(test.path().join("out/kota-contoh-2023-slides.pdf"), b"edited by hand").unwrap();
    let check = test.cmd(&["build", "--check"]).status(1).stdout("stale (inputs or file changed): out/kota-contoh-2023-slides.pdf\nmissing: out/kota-contoh-2023-ringkasan.xlsx\nrun `smartcity-eval build` to regenerate them\n").run();
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("missing: out/kota-contoh-2023-ringkasan.xlsx"), "{}", check.stdout);
    assert!(
        check.stdout.contains("stale (inputs or file changed): out/kota-contoh-2023-slides.pdf"),
        "{}",
        check.stdout
    );
    let build = test.cmd(&["build"]).stdout_snapshot().run();
    assert_eq!(wrote(&build.stdout), ["kota-contoh-2023-slides.pdf", "kota-contoh-2023-ringkasan.xlsx"]);
}

/// Without out/manifest.json (deleted, or never committed) the outputs are stale for a reason
/// the check names: nothing records what they were made from.
#[test]
fn outputs_without_a_manifest_are_named_as_not_recorded() {
    let test = Test::base();
    assert_eq!(test.cmd(&["build"]).stdout_snapshot().run().code, 0);
    std::fs::remove_file(test.path().join("out/manifest.json")).unwrap();
    test.cmd(&["build", "--check"])
        .status(1)
        .stdout(
            "not recorded in out/manifest.json: out/kota-contoh-2023-laporan.pdf\n\
             not recorded in out/manifest.json: out/kota-contoh-2023-slides.pdf\n\
             not recorded in out/manifest.json: out/kota-contoh-2023-ringkasan.xlsx\n\
             run `smartcity-eval build` to regenerate them\n",
        )
        .run();
}

#[test]
fn a_failed_build_keeps_previous_outputs_and_manifest() {
    let test = Test::base();
    assert_eq!(test.cmd(&["build"]).stdout_snapshot().run().code, 0);
    let before: Vec<Vec<u8>> = ["kota-contoh-2023-laporan.pdf", "manifest.json"]
        .iter()
        .map(|f| std::fs::read(test.path().join("out").join(f)).unwrap())
        .collect();
    let test = test.file("templates/report.typ", "= Laporan\n#let x = (\n");
    let build =
        test.cmd(&["build"]).status(1).stdout("Kota Contoh 2023: final score 2,65 (–)\n").stderr_snapshot().run();
    assert_eq!(build.code, 1);
    let after: Vec<Vec<u8>> = ["kota-contoh-2023-laporan.pdf", "manifest.json"]
        .iter()
        .map(|f| std::fs::read(test.path().join("out").join(f)).unwrap())
        .collect();
    assert_eq!(before, after);
    assert_eq!(test.cmd(&["build", "--check"]).status(1).stdout("stale (inputs or file changed): out/kota-contoh-2023-laporan.pdf\nrun `smartcity-eval build` to regenerate them\n").run().code, 1, "the report is still stale");
}

/// Excel writes `~$<name>.xlsx` (a small owner file, not a zip) beside a workbook while it is
/// open, Word `~$<name>.docx`, LibreOffice `.~lock.<name>#`: none of them is workspace data, so
/// validation says the same, the build reads the same and out/ stays up to date.
#[test]
fn office_lock_files_are_not_workspace_data() {
    let test = Test::base().file("evidence/notulen.pdf", "%PDF-1.4\n");
    let before = test.cmd(&["validate"]).stdout_snapshot().run();
    assert!(
        before.stdout.contains("evidence/notulen.pdf"),
        "the unreferenced listing is what a lock file would join: {}",
        before.stdout
    );
    assert_eq!(test.cmd(&["build"]).stdout_snapshot().run().code, 0);
    let owner = b"\x0bUser Diskominfo                                          \x00\x00";
    let test = test
        .file("data/observations/~$capaian-2023.xlsx", owner)
        .file("data/observations/.~lock.sampah.csv#", "User,DESKTOP-1,user,13.06.2023 09:12,file:///C:/Users/user;\n")
        .file("data/budget/~$anggaran.xlsx", owner)
        .file("data/~$ringkasan.xlsx", owner)
        .file("indicators/~$penilaian-2023.xlsx", owner)
        .file("evidence/~$notulen.docx", owner)
        .file("evidence/.~lock.notulen.docx#", "User,DESKTOP-1;\n");
    let after = test.cmd(&["validate"]).stdout(before.stdout.clone()).run();
    assert_eq!(after.stdout, before.stdout);
    test.cmd(&["build", "--check"]).stdout("up to date: 3 outputs match their inputs\n").run();
    test.cmd(&["build"]).stdout("nothing to do: 3 outputs are up to date (use --force to rebuild)\n").run();
}
