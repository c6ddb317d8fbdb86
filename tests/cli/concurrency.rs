//! Builds that cannot corrupt each other or lie (issue #14): the lock on out/, a batch naming
//! one workspace twice, closed pipes, what the manifest counts as an input, the PDF/A's own
//! name, `out` linked outside the workspace, and `init` that leaves nothing half-made.

use std::process::Command;

use crate::harness::{BIN, Run, Test, cmd};

/// `args` run with `env` set, returning what it printed on both streams; the caller declares
/// the status and output on `run` (`expect`).
fn with_env(test: &Test, args: &[&str], env: &[(&str, &str)], expect: impl FnOnce(Run) -> Run) -> (i32, String) {
    let run = env.iter().fold(test.cmd(args), |run, (k, v)| run.env(k, v));
    let out = expect(run).run();
    (out.code, format!("{}{}", out.stdout, out.stderr))
}

#[test]
fn a_second_writer_stops_or_waits_for_the_lock() {
    let test = Test::base();
    std::fs::create_dir_all(test.path().join("out")).unwrap();
    // Another process holds out/'s lock (here: this test, as a running build would).
    let held = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(test.path().join("out/.lock"))
        .unwrap();
    held.try_lock().unwrap();
    std::fs::write(test.path().join("out/.lock"), "4242\n").unwrap();
    for args in [&["build"][..], &["report"], &["slides"], &["export"]] {
        let out = test.cmd(args).status(1).stderr_snapshot().run();
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("error[build-running]") && out.stderr.contains("(pid 4242)"), "{}", out.stderr);
        assert!(out.stderr.contains("--wait"), "{}", out.stderr);
    }
    assert!(!test.path().join("out/kota-contoh-2023-laporan.pdf").exists(), "nothing is written");
    // `--check` takes no lock.
    assert_eq!(test.cmd(&["build", "--check"]).status(1).stdout_snapshot().run().code, 1, "stale, not blocked");
    // `--wait` queues behind the holder and builds once it is gone.
    let path = test.path().to_path_buf();
    let waiter = std::thread::spawn(move || {
        // Inline: a snapshot is named after the test's thread, and this is another one.
        let out = crate::harness::cmd(&["build", "--wait", "--workspace", path.to_str().unwrap()], &path)
            .stdout("Kota Contoh 2023: final score 2,65 (–)\nwrote out/kota-contoh-2023-laporan.pdf\nwrote out/kota-contoh-2023-slides.pdf\nwrote out/kota-contoh-2023-ringkasan.xlsx\n")
            .run();
        Some(out.code)
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(!waiter.is_finished(), "--wait must wait for the lock");
    drop(held);
    assert_eq!(waiter.join().unwrap(), Some(0));
    assert_eq!(test.cmd(&["build", "--check"]).stdout("up to date: 3 outputs match their inputs\n").run().code, 0);
}

#[cfg(unix)]
#[test]
fn a_batch_builds_a_workspace_named_three_ways_once() {
    let parent = Test::empty();
    let ws = parent.path().join("kota/contoh");
    crate::harness::copy_tree(&crate::harness::corpus().join("_base"), &ws);
    std::os::unix::fs::symlink(&ws, parent.path().join("kota/tautan")).unwrap();
    let list = parent.path().join("daftar.txt");
    std::fs::write(&list, format!("kota/contoh\n./kota/contoh\n{}\nkota/tautan\n", ws.display())).unwrap();
    let out = cmd(&["build", "--workspaces", list.to_str().unwrap(), "--summary-dir", "ringkasan"], parent.path())
        .stdout_snapshot()
        .run();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("1 workspace: 1 ok, 0 failed"), "{}", out.stdout);
    let out = cmd(&["build", "--workspaces", "kota/*", "--force"], parent.path()).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("1 workspace: 1 ok, 0 failed"), "{}", out.stdout);
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_never_makes_exit_101() {
    let test = Test::base();
    let ws = test.path().to_str().unwrap();
    // Every command's own status, whatever `head` closes; and a failing build's 1.
    for (args, want) in [
        ("build --force", 0),
        ("build --check", 0),
        ("score", 0),
        ("score --format json", 0),
        ("validate", 0),
        ("validate --format json", 0),
        ("report", 0),
        ("slides", 0),
        ("export --format csv", 0),
        ("evidence", 0),
        ("evidence --format json", 0),
        ("pack", 0),
        ("--help", 0),
    ] {
        let script = format!("set -o pipefail; '{BIN}' {args} --workspace '{ws}' 2>&1 | head -c 1 >/dev/null");
        let status = Command::new("bash").args(["-c", &script]).status().unwrap();
        assert_eq!(status.code(), Some(want), "{args}");
    }
    std::fs::write(test.path().join("indicators/city.yaml"), "city: [").unwrap();
    let script = format!("set -o pipefail; '{BIN}' build --workspace '{ws}' 2>&1 | head -c 1 >/dev/null");
    assert_eq!(Command::new("bash").args(["-c", &script]).status().unwrap().code(), Some(1));
}

/// A full disk under `> result.json` (here /dev/full) fails the run with a word on stderr: a
/// cut-off file is never taken for a result. (A closed pipe stays silent, above.)
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_stdout_fails_the_run() {
    let test = Test::base();
    let ws = test.path().to_str().unwrap();
    for args in ["score --format json", "score", "validate --format json", "evidence --format json", "plan"] {
        let script = format!("'{BIN}' {args} --workspace '{ws}' >/dev/full");
        let out = Command::new("bash").args(["-c", &script]).env("NO_COLOR", "1").output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "error[write-failed]: cannot write the output: No space left on device (os error 28)\n  \
             = help: the output was cut off where writing stopped: free space (or write it elsewhere) and run again\n\
             1 error, 0 warnings\n",
            "{args}"
        );
    }
}

#[test]
fn the_xlsx_is_fresh_for_both_languages_and_the_epoch_is_an_input() {
    let test = Test::base();
    assert_eq!(test.cmd(&["build"]).stdout_snapshot().run().code, 0);
    let out = test.cmd(&["build", "--lang", "en"]).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("up to date: out/kota-contoh-2023-ringkasan.xlsx"), "{}", out.stdout);
    assert_eq!(
        test.cmd(&["build", "--check"]).stdout("up to date: 3 outputs match their inputs\n").run().code,
        0,
        "Indonesian outputs still fresh"
    );
    assert_eq!(
        test.cmd(&["build", "--check", "--lang", "en"]).stdout("up to date: 3 outputs match their inputs\n").run().code,
        0,
        "English outputs fresh"
    );

    // The documents' date comes from SOURCE_DATE_EPOCH when set: a different epoch is stale.
    let (code, text) = with_env(&test, &["build", "--check"], &[("SOURCE_DATE_EPOCH", "1800000000")], |r| {
        r.status(1).stdout_snapshot()
    });
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("laporan.pdf") && !text.contains("ringkasan.xlsx"), "only the documents: {text}");
    let (code, text) =
        with_env(&test, &["build"], &[("SOURCE_DATE_EPOCH", "garbage")], |r| r.status(1).stderr_snapshot());
    assert_eq!(code, 1);
    assert!(text.contains("error[bad-source-date-epoch]") && text.contains("`garbage`"), "{text}");
    let (code, _) =
        with_env(&test, &["report"], &[("SOURCE_DATE_EPOCH", "kemarin")], |r| r.status(1).stderr_snapshot());
    assert_eq!(code, 1);
}

#[test]
fn the_archival_pdf_has_its_own_name_and_build_leaves_it_alone() {
    let test = Test::base();
    let out =
        test.cmd(&["report", "--pdf-standard", "a-2b"]).stdout("wrote out/kota-contoh-2023-laporan-pdfa.pdf\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pdfa = test.path().join("out/kota-contoh-2023-laporan-pdfa.pdf");
    let before = std::fs::read(&pdfa).expect("the PDF/A is written under its own name");
    assert_eq!(test.cmd(&["build"]).stdout_snapshot().run().code, 0);
    assert_eq!(std::fs::read(&pdfa).unwrap(), before, "build does not touch it");
    assert!(test.path().join("out/kota-contoh-2023-laporan.pdf").is_file());
}

#[cfg(unix)]
#[test]
fn out_linked_outside_the_workspace_is_refused_before_anything_is_written() {
    let parent = Test::empty();
    let ws = parent.path().join("ws");
    crate::harness::copy_tree(&crate::harness::corpus().join("_base"), &ws);
    for target in ["..", "/"] {
        let _ = std::fs::remove_file(ws.join("out"));
        std::os::unix::fs::symlink(target, ws.join("out")).unwrap();
        for args in [&["build"][..], &["report"], &["export"]] {
            let out = cmd(&[args, &["--workspace", ws.to_str().unwrap()]].concat(), parent.path())
                .status(1)
                .stderr_snapshot()
                .run();
            assert_eq!(out.code, 1, "{target} {args:?}");
            assert!(out.stderr.contains("error[outside-workspace]"), "{}", out.stderr);
        }
    }
    let written: Vec<_> =
        std::fs::read_dir(parent.path()).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert_eq!(written, vec![std::ffi::OsString::from("ws")], "nothing written beside the workspace");
}

#[test]
fn init_refuses_nameless_cities_and_writes_a_gitignore() {
    let dir = Test::empty();
    for name in ["..", "", "   "] {
        let out = cmd(
            &["init", "baru", "--city", name, "--kind", "kota", "--year", "2024", "--province", "Maluku"],
            dir.path(),
        )
        .status(1)
        .stderr_snapshot()
        .run();
        assert_eq!(out.code, 1, "{name:?}: {}", out.stderr);
        assert!(out.stderr.contains("error[bad-id]"), "{}", out.stderr);
        assert!(!dir.path().join("baru").exists(), "nothing left behind");
    }
    std::fs::write(dir.path().join("berkas"), "x").unwrap();
    let out = cmd(
        &["init", "berkas", "--city", "Kota Baru", "--kind", "kota", "--year", "2024", "--province", "Maluku"],
        dir.path(),
    )
    .status(1)
    .stderr_snapshot()
    .run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("a file"), "{}", out.stderr);
    let out = cmd(
        &["init", "baru", "--city", "Kota Baru", "--kind", "kota", "--year", "2024", "--province", "Maluku"],
        dir.path(),
    )
    .stdout_snapshot()
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ignore = std::fs::read_to_string(dir.path().join("baru/.gitignore")).unwrap();
    assert!(ignore.contains("*.tmp-*") && ignore.contains("out/.lock"), "{ignore}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("init-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(cmd(&["validate", "--workspace", "baru"], dir.path()).stdout_snapshot().run().code, 0);
}

#[test]
fn a_template_that_never_ends_is_stopped_with_its_name() {
    let test = Test::base().file("templates/report.typ", "#for i in range(300000000) {}\nselesai\n");
    let started = std::time::Instant::now();
    let (code, text) =
        with_env(&test, &["report"], &[("SMARTCITY_EVAL_RENDER_SECONDS", "2")], |r| r.status(1).stderr_snapshot());
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("error[template-timeout]") && text.contains("templates/report.typ"), "{text}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "took {:?}", started.elapsed());
    assert!(!test.path().join("out/kota-contoh-2023-laporan.pdf").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_template_that_allocates_without_bound_is_stopped_with_its_name() {
    // About 1.3 GB of Typst values, then a long loop that keeps them: past a 600 MB bound the
    // command stops with the template's name instead of exhausting the machine's memory.
    let test = Test::base()
        .file("templates/report.typ", "#let a = range(40000000)\n#for i in range(300000000) {}\n#a.len()\n");
    let (code, text) = with_env(
        &test,
        &["report"],
        &[("SMARTCITY_EVAL_RENDER_MEMORY_MB", "600"), ("SMARTCITY_EVAL_RENDER_SECONDS", "120")],
        |r| r.status(1).stderr_snapshot(),
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("error[template-timeout]") && text.contains("needed more than 600 MB"), "{text}");
}

#[cfg(unix)]
#[test]
fn sigterm_and_ctrl_c_remove_the_temporary_file_being_written() {
    use std::time::{Duration, Instant};
    for (signal, code) in [("-TERM", 143), ("-INT", 130)] {
        let test = Test::base();
        let mut child = Command::new(BIN)
            .args(["build", "--force", "--workspace"])
            .arg(test.path())
            // Fault injection (outdir.rs): each temporary file waits before its rename.
            .env("SMARTCITY_EVAL_FAULT", "pause-before-rename")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let out = test.path().join("out");
        let temps = || -> Vec<String> {
            std::fs::read_dir(&out)
                .map(|d| {
                    d.filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| n.contains(".tmp-"))
                        .collect()
                })
                .unwrap_or_default()
        };
        let started = Instant::now();
        while temps().is_empty() {
            assert!(started.elapsed() < Duration::from_secs(60), "no temporary file appeared");
            std::thread::sleep(Duration::from_millis(20));
        }
        let status = Command::new("kill").arg(signal).arg(child.id().to_string()).status().unwrap();
        assert!(status.success());
        let exit = child.wait().unwrap();
        assert_eq!(exit.code(), Some(code), "{signal}: {exit:?}");
        assert!(temps().is_empty(), "{signal} left {:?}", temps());
    }
}
