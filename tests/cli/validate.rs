//! `validate` on the real Ambon workspace and on small cases built in code.

use crate::harness::{Test, cmd, diagnostic_lines, repo};

#[test]
fn ambon_workspace_validates_without_errors() {
    let out = cmd(&["validate"], &repo()).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.ends_with("0 errors, 4 warnings, 1 note\n"), "{}", out.stdout);
    // The deliberate gaps of the illustrative RPJMD: a program that ends before it, a sasaran
    // no program serves.
    assert!(
        out.stdout.contains("warning[program-without-sasaran]: program `cctv-pusat-pasar` serves no RPJMD sasaran")
    );
    assert!(out.stdout.contains("note[sasaran-without-program]: no smart city program serves sasaran `sasaran-4-1-2`"));
    // The deliberate gaps of the example: two unanswered questions, two answers without evidence.
    assert!(out.stdout.contains("warning[unanswered]: 2 of 111 questions have no answer: oc-1-3.7.2, oc-1-3.12.1"));
    assert!(
        out.stdout.contains(
            "warning[no-evidence]: answer `op-2-2.4.1` has no evidence\n  --> indicators/assessment/2023.yaml:"
        )
    );
}

#[test]
fn json_output_counts_and_locates() {
    let test = Test::base().file(
        "indicators/programs/sampah.yaml",
        std::fs::read_to_string(crate::harness::corpus().join("_base/indicators/programs/sampah.yaml"))
            .unwrap()
            .replace("status: berjalan", "status: jalan"),
    );
    let out = test.cmd(&["validate", "--format", "json"]).status(1).stdout_snapshot().run();
    assert_eq!(out.code, 1);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(value["errors"], 1);
    assert_eq!(value["warnings"], 0);
    let d = &value["diagnostics"][0];
    assert_eq!(d["code"], "bad-value");
    assert_eq!(d["location"]["path"], "indicators/programs/sampah.yaml");
    assert_eq!(d["location"]["line"], 7);
    assert!(
        d["help"].as_str().unwrap().starts_with("did you mean `selesai`?")
            || d["help"].as_str().unwrap().contains("berjalan"),
        "{d}"
    );
}

#[test]
fn human_output_is_plain_when_not_a_terminal() {
    let out = Test::base()
        .file("data/budget/anggaran.csv", "program,year,source,planned,realized\ndaur-ulang,2023,apbd,-5,0\n")
        .cmd(&["validate"])
        .status(1)
        .stdout_snapshot()
        .run();
    assert_eq!(out.code, 1);
    assert!(!out.stdout.contains('\u{1b}'), "colour codes in piped output");
    assert_eq!(
        out.stdout,
        "error[negative-budget]: `planned` is negative (-5)\n  --> data/budget/anggaran.csv:2:4\n  = help: budgets are amounts in Rupiah, zero or more\n1 error, 0 warnings\n"
    );
}

#[test]
fn every_problem_in_a_run_is_reported_not_just_the_first() {
    let test = Test::base()
        .file(
            "data/observations/extra.csv",
            "indicator,period,value\nsampah-diolah,2023-13,1\nsampah-diolh,2023-08,2\n",
        )
        .file("data/budget/anggaran.csv", "program,year,source,planned,realized\ndaur-ulang,2023,apbd,100,200\n");
    let out = test.cmd(&["validate", "--format", "json"]).status(1).stdout_snapshot().run();
    assert_eq!(out.code, 1);
    assert_eq!(
        diagnostic_lines(&out.stdout),
        vec![
            "error[bad-period] data/observations/extra.csv:2:2: bad `period`: `2023-13`: a month is 01 to 12",
            "error[dangling-reference] data/observations/extra.csv:3:1: unknown indicator `sampah-diolh`",
            "warning[realized-over-planned] data/budget/anggaran.csv:2:5: realized 200 is more than planned 100",
        ]
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = cmd(&["validate", "--format", "yaml"], &repo()).status(2).stderr_snapshot().run();
    assert_eq!(out.code, 2);
    let out = cmd(&["no-such-command"], &repo()).status(2).stderr_snapshot().run();
    assert_eq!(out.code, 2);
}

#[test]
fn a_folder_that_is_not_a_workspace_is_explained() {
    let test = Test::empty();
    let out = test.cmd(&["validate"]).status(1).stderr_snapshot().run();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error[workspace-not-found]: this folder is not a smartcity-eval workspace"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("smartcity-eval init"), "{}", out.stderr);
}

#[test]
fn the_indonesian_words_the_tool_writes_are_accepted_back() {
    // The Bappeda export writes `arah: naik/turun`; people type `Berjalan`, `jumlah`.
    let program = std::fs::read_to_string(crate::harness::corpus().join("_base/indicators/programs/sampah.yaml"))
        .unwrap()
        .replace("status: berjalan", "status: Berjalan")
        .replace("direction: up", "direction: naik")
        .replace("aggregate: mean", "aggregate: rata-rata");
    assert!(program.contains("naik") && program.contains("Berjalan") && program.contains("rata-rata"));
    let test = Test::base().file("indicators/programs/sampah.yaml", program);
    let out = test.cmd(&["validate"]).stdout("no problems found\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn commands_run_inside_a_workspace_find_it_above() {
    let test = Test::base();
    for sub in ["indicators", "data/observations"] {
        let out = cmd(&["validate"], &test.path().join(sub)).stdout("no problems found\n").run();
        assert_eq!(out.code, 0, "from {sub}: {}{}", out.stdout, out.stderr);
        assert!(!out.stderr.contains("workspace-not-found"), "{}", out.stderr);
    }
    // `build` from a sub-folder writes the workspace's out/, not one in the sub-folder.
    assert_eq!(cmd(&["build"], &test.path().join("indicators")).stdout_snapshot().run().code, 0);
    assert!(test.path().join("out/kota-contoh-2023-laporan.pdf").is_file());
    assert!(!test.path().join("indicators/out").exists());
}

#[test]
fn a_printed_number_as_an_answer_key_names_the_questions_that_carry_it() {
    // `1.1.1` is how the question is printed, not its id: the help names every question with
    // that number (with its indicator), not one picked by edit distance.
    let assessment = std::fs::read_to_string(crate::harness::corpus().join("_base/indicators/assessment/2023.yaml"))
        .unwrap()
        .replace("bl-1-1.1.1:", "1.1.1:");
    let test = Test::base().file("indicators/assessment/2023.yaml", assessment);
    let out = test.cmd(&["validate"]).status(1).stdout_snapshot().run();
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("unknown question `1.1.1`"), "{}", out.stdout);
    assert!(
        out.stdout.contains("`1.1.1` is the printed number of 1 question(s); answers are keyed by the question's id: `bl-1-1.1.1` (Perencanaan: Masterplan berpayung hukum?)"),
        "{}",
        out.stdout
    );
}

/// `--format github`: one workflow command per diagnostic, placed by its path from the
/// repository root (the workspace may be a sub-folder), and the exit status of `validate`.
#[test]
fn github_format_annotates_files_from_the_repository_root() {
    let repo_dir = Test::empty();
    std::fs::create_dir_all(repo_dir.path().join(".git")).unwrap();
    let ws = repo_dir.path().join("kota/ambon");
    crate::harness::copy_tree(&crate::harness::corpus().join("_base"), &ws);
    let program = ws.join("indicators/programs/sampah.yaml");
    let text = std::fs::read_to_string(&program).unwrap().replace("status: berjalan", "status: jalan");
    std::fs::write(&program, text).unwrap();
    let out = cmd(&["validate", "--format", "github", "--workspace", ws.to_str().unwrap()], &repo())
        .env_remove("GITHUB_WORKSPACE")
        .path_as(repo_dir.path(), "[TMP]")
        .status(1)
        .stdout_snapshot()
        .run();
    let stdout = out.stdout;
    let first = stdout.lines().next().unwrap();
    assert!(first.starts_with("::error file=kota/ambon/indicators/programs/sampah.yaml,line=7,col="), "{stdout}");
    assert!(first.contains(",title=bad-value::"), "{first}");
    assert!(first.contains("%0Ahelp: "), "{first}");
    assert!(stdout.ends_with("1 error, 0 warnings\n"), "{stdout}");

    // A clean workspace: no annotations, exit 0.
    let clean = Test::base().cmd(&["validate", "--format", "github"]).stdout("0 errors, 0 warnings\n").run();
    assert_eq!(clean.code, 0, "{}", clean.stdout);
    assert_eq!(clean.stdout, "0 errors, 0 warnings\n");
}

/// OPDs by id (`indicators/opd.yaml`): an id resolves to its name in the outputs, a typo of an id
/// gets the nearest one, a plain name stays valid (issue #19).
#[test]
fn opd_ids_resolve_typos_are_caught_and_plain_names_stay_valid() {
    let opd = "opd:\n  - {id: dlh, name: Dinas Lingkungan Hidup dan Persampahan, contact: Bidang Kebersihan}\n";
    let program =
        std::fs::read_to_string(crate::harness::corpus().join("_base/indicators/programs/sampah.yaml")).unwrap();
    let typo = Test::base()
        .file("indicators/opd.yaml", opd)
        .file("indicators/programs/sampah.yaml", program.replace("opd: Dinas Lingkungan Hidup", "opd: dhl"));
    let out = typo.cmd(&["validate"]).status(1).stdout_snapshot().run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("error[dangling-reference]: unknown OPD `dhl`\n  --> indicators/programs/sampah.yaml:5:6\n  = help: did you mean `dlh`?"), "{}", out.stdout);
    // By id: the name is what the outputs show.
    let by_id = Test::base()
        .file("indicators/opd.yaml", opd)
        .file("indicators/programs/sampah.yaml", program.replace("opd: Dinas Lingkungan Hidup", "opd: dlh"));
    let out = by_id.cmd(&["score", "--format", "json"]).stdout_json().run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(value["programs"][0]["opd"], "Dinas Lingkungan Hidup dan Persampahan");
    // A plain name the list does not know, and no list at all: valid as before.
    let out = Test::base().file("indicators/opd.yaml", opd).cmd(&["validate"]).stdout("no problems found\n").run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(Test::base().cmd(&["validate"]).stdout("no problems found\n").run().code, 0);
}

/// Without a limit in city.yaml, a document above 10 MB is a warning (upload portals refuse it).
#[test]
fn evidence_above_the_default_ten_megabytes_is_a_warning() {
    let mut big = b"%PDF-1.4\n%".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b'x');
    let assessment = "year: 2023\nanswers:\n  bl-1-1.1.1: {score: 3.0, evidence: [{file: evidence/besar.pdf}, {file: evidence/pas.pdf}]}\n  bl-1-1.2.1: {derive: true}\n  im-1-4.1.1: {derive: true}\n  im-1-4.1.2: {derive: true}\n";
    let test = Test::base()
        .file("indicators/assessment/2023.yaml", assessment)
        .file("evidence/besar.pdf", &big)
        .file("evidence/pas.pdf", &big[..10 * 1024 * 1024]);
    let out = test.cmd(&["validate"]).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "warning[evidence-too-large]: `evidence/besar.pdf` is 10485761 bytes, above the 10 MB the upload portal takes"
        ),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("pas.pdf"), "exactly 10 MB is within the limit:\n{}", out.stdout);
}

/// The Kominfo 2023 instrument prints `5.1.1` on ten questions (one per Quick Win indicator):
/// the help names all ten ids with their indicators, shortening each question rather than
/// cutting the list, in the human and the JSON output alike.
#[test]
fn a_printed_number_of_ten_questions_names_all_ten() {
    let parent = Test::empty();
    cmd(
        &[
            "init",
            "kota",
            "--city",
            "Kota Banjarmasin",
            "--kind",
            "kota",
            "--year",
            "2023",
            "--province",
            "Kalimantan Selatan",
        ],
        parent.path(),
    )
    .stdout_unchecked("init's own output is held by init_schema.rs")
    .run();
    let ws = parent.path().join("kota");
    std::fs::write(ws.join("indicators/assessment/2023.yaml"), "year: 2023\nanswers:\n  \"5.1.1\": {score: 3}\n")
        .unwrap();
    let ws_arg = ws.to_str().unwrap();
    let human = cmd(&["validate", "--workspace", ws_arg], parent.path())
        .status(1)
        .stdout_unchecked("checked below: the line of the unknown question")
        .run();
    let help = human
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("error[dangling-reference]: unknown question `5.1.1`"))
        .find_map(|l| l.strip_prefix("  = help: "))
        .expect("the help of the unknown question");
    let json =
        cmd(&["validate", "--workspace", ws_arg, "--format", "json"], parent.path()).status(1).stdout_json().run();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["message"] == "unknown question `5.1.1`").unwrap();
    assert_eq!(d["help"].as_str(), Some(help), "the same help in both outputs");
    assert!(
        help.starts_with("`5.1.1` is the printed number of 10 question(s); answers are keyed by the question's id: ")
    );
    assert!(!help.contains("(cut)"), "{help}");
    for (i, indicator) in [
        "Perumusan inovasi",
        "Daya tarik inovasi",
        "Manfaat inovasi",
        "Keunikan inovasi",
        "Peluang kemitraan",
        "Potensi pengembangan",
        "Keberlangsungan",
        "Sumber daya",
        "Manajemen Risiko",
        "Keberlanjutan",
    ]
    .iter()
    .enumerate()
    {
        let entry = format!("`qw-{}-5.1.1` ({indicator}: ", i + 1);
        assert!(help.contains(&entry), "{entry} missing from {help}");
    }
    assert!(help.ends_with(')'), "the last entry is whole: {help}");
}
