//! Issue #18: what a city gets without a Rust toolchain — the version it runs, the workflow
//! `init` writes, the project's release and CI workflows.

use crate::harness::{Test, cmd, repo};

/// `--version` and `-V` name the version and the commit (or `unknown` outside a git checkout).
#[test]
fn version_names_the_commit_it_was_built_from() {
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(repo())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    for flag in ["--version", "-V"] {
        let out = cmd(&[flag], &repo())
            .stdout(format!(
                "smartcity-eval {} (commit {})\n",
                env!("CARGO_PKG_VERSION"),
                env!("SMARTCITY_EVAL_COMMIT")
            ))
            .run();
        assert_eq!(out.code, 0, "{}", out.stderr);
        let line = out.stdout.trim_end();
        let prefix = format!("smartcity-eval {} (commit ", env!("CARGO_PKG_VERSION"));
        let commit = line.strip_prefix(&prefix).and_then(|r| r.strip_suffix(')')).unwrap_or_else(|| panic!("{line}"));
        match &head {
            // The test binary may be older than a commit made since the last build; the commit
            // is a real short hash either way.
            Some(head) if commit == head => {}
            Some(_) => assert!(commit.len() >= 7 && commit.bytes().all(|b| b.is_ascii_hexdigit()), "{commit}"),
            None => assert_eq!(commit, "unknown"),
        }
    }
}

/// The commit must not reach outputs: documents are byte-identical across commits. The
/// manifest keys on the package version alone, and the Evaluation JSON carries no build id.
#[test]
fn the_commit_stays_out_of_outputs() {
    let test = Test::base();
    let out = test.cmd(&["build"]).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(test.path().join("out/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["tool_version"], env!("CARGO_PKG_VERSION"));
    let score = test.cmd(&["score", "--format", "json"]).stdout_json().run();
    assert_eq!(score.code, 0, "{}", score.stderr);
    assert!(!score.stdout.contains("commit"), "the Evaluation JSON names a commit");
    let version = cmd(&["--version"], test.path())
        .stdout(format!("smartcity-eval {} (commit {})\n", env!("CARGO_PKG_VERSION"), env!("SMARTCITY_EVAL_COMMIT")))
        .run()
        .stdout;
    let commit = version.trim_end().rsplit(' ').next().unwrap().trim_end_matches(')');
    assert!(!score.stdout.contains(&format!("\"{commit}\"")));
}

/// The workflow `init` writes, parsed: its steps by name (or `uses`).
fn init_workflow() -> (Test, serde_json::Value) {
    let test = Test::empty();
    let ws = test.path().join("kota-tual");
    let out = cmd(
        &[
            "init",
            ws.to_str().unwrap(),
            "--city",
            "Kota Tual",
            "--kind",
            "kota",
            "--year",
            "2024",
            "--province",
            "Maluku",
        ],
        test.path(),
    )
    .stdout_snapshot()
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(ws.join(".github/workflows/laporan.yml")).unwrap();
    let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    (test, value)
}

fn steps(workflow: &serde_json::Value) -> Vec<(String, String)> {
    workflow["jobs"]["build"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            // Steps are found by `id` (the names are in the workspace's language).
            let name = s["id"].as_str().or(s["uses"].as_str()).unwrap().to_string();
            (name, s["run"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

/// The city's workflow pins this version, verifies the archive's SHA-256 before using it,
/// runs `validate --format github` then `build`, and compiles nothing.
#[test]
fn init_workflow_pins_a_version_and_verifies_a_checksum() {
    let (test, workflow) = init_workflow();
    assert_eq!(workflow["env"]["SMARTCITY_EVAL_VERSION"], env!("CARGO_PKG_VERSION"));
    // Git for Windows would check files out with CRLF and the manifest's input hashes would
    // differ from CI's: the workspace turns the conversion off.
    let attributes = std::fs::read_to_string(test.path().join("kota-tual/.gitattributes")).unwrap();
    assert!(attributes.lines().any(|l| l.trim() == "* -text"), "{attributes}");
    let steps = steps(&workflow);
    let names: Vec<&str> = steps.iter().map(|(n, _)| n.as_str()).collect();
    let at = |prefix: &str| names.iter().position(|n| n.starts_with(prefix)).unwrap_or_else(|| panic!("{names:?}"));
    let (install, validate, build) = (at("install"), at("validate"), at("build"));
    assert!(install < validate && validate < build, "{names:?}");
    let script = &steps[install].1;
    assert!(script.contains("SHA256SUMS") && script.contains("sha256sum -c expected"), "{script}");
    assert!(script.contains("$SMARTCITY_EVAL_VERSION"), "{script}");
    assert_eq!(steps[validate].1.trim(), "smartcity-eval validate --format github");
    assert_eq!(steps[build].1.trim(), "smartcity-eval build");
    for (name, run) in &steps {
        assert!(!run.lines().any(|l| l.trim_start().starts_with("cargo ")), "step `{name}` compiles: {run}");
    }
    assert!(!names.iter().any(|n| n.contains("rust-toolchain") || n.contains("rust-cache")), "{names:?}");
}

/// The install step run for real against a release laid out as release.yml publishes it (a
/// local folder standing in for GitHub): a matching archive is unpacked onto the PATH, a
/// tampered one stops the job before anything runs.
#[cfg(unix)]
#[test]
fn init_workflow_install_step_refuses_a_tampered_archive() {
    let (test, workflow) = init_workflow();
    let script = steps(&workflow).into_iter().find(|(n, _)| n == "install").unwrap().1;
    let version = env!("CARGO_PKG_VERSION");
    let name = format!("smartcity-eval-v{version}-x86_64-unknown-linux-musl");
    let releases = test.path().join("releases");
    let dir = releases.join(format!("v{version}"));
    std::fs::create_dir_all(dir.join(&name)).unwrap();
    std::fs::write(dir.join(&name).join("smartcity-eval"), "#!/bin/sh\necho stand-in\n").unwrap();
    let sh = |cmd: &str| {
        let ok = std::process::Command::new("bash").args(["-c", cmd]).current_dir(&dir).status().unwrap().success();
        assert!(ok, "{cmd}");
    };
    // macOS has shasum, Linux sha256sum: the same output.
    sh(&format!(
        "tar -czf {name}.tar.gz {name} && (sha256sum {name}.tar.gz || shasum -a 256 {name}.tar.gz) > SHA256SUMS"
    ));
    let install = |label: &str| {
        let temp = test.path().join(label);
        std::fs::create_dir_all(&temp).unwrap();
        let path_file = temp.join("github_path");
        let out = std::process::Command::new("bash")
            .args(["-c", &script])
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("RUNNER_TEMP", &temp)
            .env("GITHUB_PATH", &path_file)
            .env("SMARTCITY_EVAL_VERSION", version)
            .env("SMARTCITY_EVAL_REPO", "example/smartcity-eval")
            .env("SMARTCITY_EVAL_RELEASES", format!("file://{}", releases.display()))
            .output()
            .unwrap();
        (out, std::fs::read_to_string(path_file).unwrap_or_default())
    };
    let (out, path) = install("good");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::path::Path::new(path.trim()).join("smartcity-eval").is_file(), "{path}");

    std::fs::write(dir.join(&name).join("smartcity-eval"), "#!/bin/sh\necho tampered\n").unwrap();
    sh(&format!("tar -czf {name}.tar.gz {name}"));
    let (out, path) = install("tampered");
    assert!(!out.status.success());
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("FAILED"), "{said}");
    assert_eq!(path, "", "a tampered archive reached the PATH");
}

fn workflow(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(repo().join(".github/workflows").join(name)).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

/// The release builds the four platforms cities use, each archive the way its users open it,
/// and the city workflow downloads only archives the release publishes, by the same names.
#[test]
fn release_matrix_covers_the_four_targets_the_city_workflow_downloads() {
    let release = workflow("release.yml");
    let matrix: Vec<(String, String)> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["target"].as_str().unwrap().to_string(), e["archive"].as_str().unwrap().to_string()))
        .collect();
    let targets: std::collections::BTreeSet<&str> = matrix.iter().map(|(t, _)| t.as_str()).collect();
    let wanted =
        ["aarch64-apple-darwin", "aarch64-unknown-linux-musl", "x86_64-pc-windows-msvc", "x86_64-unknown-linux-musl"];
    assert_eq!(targets, wanted.into_iter().collect(), "{matrix:?}");
    for (target, archive) in &matrix {
        assert_eq!(archive, if target.contains("windows") { "zip" } else { "tar.gz" }, "{target}");
    }
    // Nothing to install beside the program: Linux builds are static (musl), and the Windows
    // build links the C runtime in (no Visual C++ Redistributable needed).
    let include = release["jobs"]["build"]["strategy"]["matrix"]["include"].as_array().unwrap();
    for entry in include {
        let target = entry["target"].as_str().unwrap();
        if target.contains("linux") {
            assert!(target.ends_with("-musl"), "{target}");
        }
        if target.contains("windows") {
            assert_eq!(entry["rustflags"], "-C target-feature=+crt-static", "{target}");
        }
    }
    assert_eq!(release["jobs"]["build"]["env"]["RUSTFLAGS"], "${{ matrix.rustflags }}");

    // Every step of the build job, in order: tested on the target before the release build,
    // stripped, archived under the name the city workflow asks for.
    let build = release["jobs"]["build"].clone();
    assert_eq!(build["env"]["CARGO_PROFILE_RELEASE_STRIP"], "symbols");
    let runs: Vec<&str> = build["steps"].as_array().unwrap().iter().filter_map(|s| s["run"].as_str()).collect();
    let at = |needle: &str| runs.iter().position(|r| r.contains(needle)).unwrap_or_else(|| panic!("no `{needle}`"));
    assert!(at("cargo test --locked --target") < at("cargo build --release --locked --target"));
    // The tests need nothing beyond the Rust toolchain on any runner (tests/cli/pdf.rs reads the PDFs).
    for tool in ["poppler", "qpdf"] {
        assert!(!runs.iter().any(|r| r.contains(tool)), "the release job installs {tool}: the tests must not need it");
    }
    let archive = runs[at("name=\"smartcity-eval-$GITHUB_REF_NAME-${{ matrix.target }}\"")];
    for part in ["cp README.md", "cp docs/*.md", "cp docs/img/*.png", "src/render/fonts/LICENSE-*.txt"] {
        assert!(archive.contains(part), "the archive lacks {part}");
    }
    // Every picture the guide shows is one the archive carries (docs/img/*.png).
    let guide = std::fs::read_to_string(repo().join("docs/panduan.md")).unwrap();
    for picture in guide.split("](img/").skip(1).filter_map(|rest| rest.split(')').next()) {
        assert!(picture.ends_with(".png") && repo().join("docs/img").join(picture).is_file(), "{picture}");
    }
    let licences = std::fs::read_dir(repo().join("src/render/fonts"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("LICENSE-"))
        .count();
    let fonts = std::fs::read_dir(repo().join("src/render/fonts"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "ttf"))
        .map(|e| e.unwrap().file_name().to_string_lossy().split(['-', '.']).next().unwrap().to_string())
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(licences, fonts.len(), "one licence file per bundled font family: {fonts:?}");
    assert!(repo().join("docs/panduan.md").is_file() && repo().join("README.md").is_file());
    let publish = release["jobs"]["publish"]["steps"].as_array().unwrap();
    assert!(
        publish
            .iter()
            .any(|s| s["run"].as_str().is_some_and(|r| r.contains("sha256sum -- *.tar.gz *.zip > SHA256SUMS")))
    );

    // The city workflow: every platform it knows is a target of the release, same archive kind.
    let (_test, city) = init_workflow();
    let script = steps(&city).into_iter().find(|(n, _)| n == "install").unwrap().1;
    let known: Vec<(String, String)> = script
        .lines()
        .filter_map(|l| {
            let target = l.split("target=").nth(1)?.split_whitespace().next()?;
            let ext = l.split("ext=").nth(1)?.split_whitespace().next()?;
            Some((target.to_string(), ext.to_string()))
        })
        .collect();
    assert_eq!(known.len(), 4, "{script}");
    for pair in &known {
        assert!(matrix.contains(pair), "the city workflow asks for {pair:?}, the release builds {matrix:?}");
    }
    assert!(script.contains("name=\"smartcity-eval-v$SMARTCITY_EVAL_VERSION-$target\""), "{script}");
}

/// The project's CI: `.ci/run` on Linux on every push and pull request, and the README's test
/// command on Windows and macOS.
#[test]
fn project_ci_runs_the_script_on_linux_and_the_tests_on_windows_and_macos() {
    let ci = workflow("ci.yml");
    for event in ["push", "pull_request"] {
        assert!(ci["on"].get(event).is_some(), "ci.yml does not run on {event}");
    }
    let linux = &ci["jobs"]["ci"];
    assert_eq!(linux["runs-on"], "ubuntu-latest");
    assert!(linux["steps"].as_array().unwrap().iter().any(|s| s["run"] == "bash .ci/run"));
    let other = &ci["jobs"]["test"];
    let oses: Vec<&str> =
        other["strategy"]["matrix"]["os"].as_array().unwrap().iter().filter_map(|o| o.as_str()).collect();
    assert_eq!(oses, ["windows-latest", "macos-latest"]);
    assert!(other["steps"].as_array().unwrap().iter().any(|s| s["run"] == "cargo test --locked"));
    let installs = |job: &serde_json::Value| {
        job["steps"].as_array().unwrap().iter().filter_map(|s| s["run"].as_str()).any(|r| r.contains("install"))
    };
    assert!(!installs(other), "the README's test command needs only the Rust toolchain");
    assert!(!installs(linux), ".ci/run installs its own outside checkers, as on a maintainer's machine");
}

/// A name with spaces, an en dash and a comma, as offices name their files: read, located in
/// diagnostics with `/`, escaped in annotations, listed in the report's sources.
#[test]
fn file_names_with_spaces_and_non_ascii_work() {
    let name = "data/observations/Capaian Indikator Kecamatan Sirimau – 2023, revisi.csv";
    let base = std::fs::read_to_string(crate::harness::corpus().join("_base/data/observations/sampah.csv")).unwrap();
    let test = Test::base().file(name, format!("{base}sampah-diolah,2023-13,5,,,\n"));
    let human = test.cmd(&["validate"]).status(1).stdout_snapshot().run();
    assert_eq!(human.code, 1, "{}", human.stdout);
    assert!(human.stdout.contains(&format!("  --> {name}:")), "{}", human.stdout);
    let github = test.cmd(&["validate", "--format", "github"]).status(1).stdout("::error file=data/observations/Capaian Indikator Kecamatan Sirimau – 2023%2C revisi.csv,line=4,col=2,title=bad-period::bad `period`: `2023-13`: a month is 01 to 12%0Ahelp: use YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD\n1 error, 0 warnings\n").run();
    let escaped = name.replace(',', "%2C");
    assert!(github.stdout.contains(&format!("::error file={escaped},line=")), "{}", github.stdout);

    let clean = Test::base().file(name, base);
    let score = clean.cmd(&["score", "--format", "json"]).stdout_json().run();
    assert_eq!(score.code, 0, "{}", score.stderr);
    assert!(score.stdout.contains(&format!("\"{name}\"")), "the sources do not list {name}");
    assert_eq!(clean.cmd(&["build"]).stdout_snapshot().run().code, 0);
    assert_eq!(clean.cmd(&["build", "--check"]).stdout("up to date: 3 outputs match their inputs\n").run().code, 0);
}

/// Two files whose names differ only in case are one file on Windows and macOS: `validate`
/// warns, naming both, so the data does not silently differ between a desk and CI.
#[test]
fn names_differing_only_in_case_are_flagged() {
    let base = std::fs::read_to_string(crate::harness::corpus().join("_base/data/observations/sampah.csv")).unwrap();
    let test = Test::base().file("data/observations/Sampah.CSV", base);
    let out = test.cmd(&["validate"]).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "warning[case-collision]: `data/observations/Sampah.CSV` and `data/observations/sampah.csv` differ only in case"
        ) || out.stdout.contains(
            "warning[case-collision]: `data/observations/sampah.csv` and `data/observations/Sampah.CSV` differ only in case"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(Test::base().cmd(&["validate"]).stdout("no problems found\n").run().stdout, "no problems found\n");
}
