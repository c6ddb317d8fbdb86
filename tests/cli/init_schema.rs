//! `init` makes a workspace that validates clean and never overwrites; `schema` writes
//! schemas that the example YAML files satisfy.

use crate::harness::{Run, Test, cmd, repo};

/// `init DIR --city CITY --kind kota --year YEAR --province Maluku` plus `extra`, run in `cwd`.
fn init(dir: &str, city: &str, year: &str, extra: &[&str], cwd: &std::path::Path) -> Run {
    let mut args = vec!["init", dir, "--city", city, "--kind", "kota", "--year", year, "--province", "Maluku"];
    args.extend_from_slice(extra);
    cmd(&args, cwd)
}

#[test]
fn init_creates_a_valid_workspace() {
    let parent = Test::empty();
    let out = cmd(
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
    )
    .stdout_snapshot()
    .run();
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
        "templates/report/04-aspects.typ",
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
    let out = cmd(&["validate", "--workspace", ws.to_str().unwrap()], parent.path()).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    // Valid, but the empty assessment is reported as unanswered, and the 2023 instrument used
    // for 2024 as an assumption.
    assert!(out.stdout.contains("warning[unanswered]: 111 of 111 questions have no answer"), "{}", out.stdout);
    assert!(out.stdout.contains("warning[instrument-year]"), "{}", out.stdout);
    assert!(out.stdout.ends_with("0 errors, 2 warnings\n"), "{}", out.stdout);
}

/// After an upgrade, the templates an older `init` copied are still what the documents use:
/// validate names the ones nobody changed (a note), not the ones the city edited.
#[test]
fn validate_names_template_copies_an_older_init_left_unchanged() {
    let parent = Test::empty();
    assert_eq!(init("kota", "Kota Baru", "2023", &[], parent.path()).stdout_unchecked("init's lines").run().code, 0);
    let ws = parent.path().join("kota");
    let validate = || {
        cmd(&["validate", "--workspace", ws.to_str().unwrap()], parent.path()).stdout_unchecked("asserted below").run()
    };
    let out = validate();
    assert!(!out.stdout.contains("template-outdated"), "this version's copies: {}", out.stdout);
    // Pretend 0.0.9 wrote slides.typ and report/01-cover.typ as they were then: its record holds
    // the hashes of those texts.
    let record_path = ws.join("templates/.shipped.json");
    let mut record: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&record_path).unwrap()).unwrap();
    record["version"] = "0.0.9".into();
    for (file, old) in
        [("templates/slides.typ", "{# slides 0.0.9 #}\n"), ("templates/report/01-cover.typ", "{# cover 0.0.9 #}\n")]
    {
        record["files"][file] = blake3::hash(old.as_bytes()).to_hex().to_string().into();
        std::fs::write(ws.join(file), old).unwrap();
    }
    std::fs::write(&record_path, serde_json::to_string_pretty(&record).unwrap()).unwrap();
    // The city edited the cover: theirs.
    std::fs::write(ws.join("templates/report/01-cover.typ"), "{# cover 0.0.9, our logo added #}\n").unwrap();
    let out = validate();
    let note = format!(
        "note[template-outdated]: `templates/slides.typ` is the copy smartcity-eval 0.0.9 wrote at `init`, unchanged since; \
         this version ({}) ships a newer one\n  --> templates/slides.typ\n",
        env!("CARGO_PKG_VERSION")
    );
    assert!(out.stdout.contains(&note), "{}", out.stdout);
    assert_eq!(out.stdout.matches("template-outdated").count(), 1, "{}", out.stdout);
    // The fix the help gives: delete it; the shipped template is used and nothing is said.
    std::fs::remove_file(ws.join("templates/slides.typ")).unwrap();
    assert!(!validate().stdout.contains("template-outdated"));
}

#[test]
fn init_picks_the_2022_instrument_for_2022() {
    let parent = Test::empty();
    let out = cmd(
        &["init", "kab", "--city", "Kabupaten Malang", "--kind", "kabupaten", "--year", "2022", "--province", "Maluku"],
        parent.path(),
    )
    .stdout("workspace kab dibuat untuk Kabupaten Malang (2022) dengan instrumen kominfo-2022: instrumen tahun 2022\nberikutnya: tulis program di indicators/programs/, lalu jalankan `smartcity-eval validate -w kab`\npanduan: `smartcity-eval docs panduan`\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let city = std::fs::read_to_string(parent.path().join("kab/indicators/city.yaml")).unwrap();
    assert!(city.contains("framework: kominfo-2022"), "{city}");
}

#[test]
fn init_refuses_to_overwrite() {
    let test = Test::base();
    let before = std::fs::read(test.path().join("indicators/city.yaml")).unwrap();
    let out = init(test.path().to_str().unwrap(), "X", "2024", &[], test.path())
        .status(1)
        .stderr("error[would-overwrite]: the folder already exists and is not empty; init never overwrites\n  --> [CWD]\n  = help: choose a new folder name, or empty this one first\n1 error, 0 warnings\n")
        .run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("error[would-overwrite]"), "{}", out.stderr);
    assert_eq!(std::fs::read(test.path().join("indicators/city.yaml")).unwrap(), before);
}

#[test]
fn init_rejects_unknown_instrument_with_suggestion() {
    let parent = Test::empty();
    let out = init("x", "X", "2023", &["--framework", "kominfo-2023-regular"], parent.path())
        .status(1)
        .stderr("error[dangling-reference]: unknown instrument `kominfo-2023-regular`\n  = help: did you mean `kominfo-2023-reguler`? (instruments: kominfo-2022, kominfo-2023-kppn-ikn, kominfo-2023-reguler)\n1 error, 0 warnings\n")
        .run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("did you mean `kominfo-2023-reguler`?"), "{}", out.stderr);
    assert!(!parent.path().join("x").exists());
}

#[test]
fn schema_writes_every_kind_and_they_match_the_committed_ones() {
    let test = Test::empty();
    let out_dir = test.path().join("schemas");
    let out = cmd(&["schema", "--out", out_dir.to_str().unwrap()], test.path()).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    for kind in [
        "city",
        "dimensions",
        "framework",
        "program",
        "rpjmd",
        "results",
        "scenario",
        "assessment",
        "opd",
        "data-sidecar",
        "evaluation",
    ] {
        let name = format!("{kind}.schema.json");
        let fresh = std::fs::read_to_string(out_dir.join(&name)).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&fresh).unwrap();
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{name}");
        let committed = std::fs::read_to_string(repo().join("schemas").join(&name)).unwrap_or_default();
        assert_eq!(fresh, committed, "schemas/{name} is stale: run `cargo run -- schema`");
        // The second example's copy too: its editor help must describe the same fields.
        let example = repo().join("examples/kabupaten-lembah-hijau/schemas").join(&name);
        let committed = std::fs::read_to_string(&example).unwrap_or_default();
        assert_eq!(
            fresh,
            committed,
            "{} is stale: run `cargo run -- schema --workspace examples/kabupaten-lembah-hijau`",
            example.display()
        );
    }
}

#[test]
fn program_schema_rejects_unknown_keys() {
    let test = Test::empty();
    let out_dir = test.path().join("s");
    cmd(&["schema", "--out", out_dir.to_str().unwrap()], test.path()).stdout_snapshot().run();
    let text = std::fs::read_to_string(out_dir.join("program.schema.json")).unwrap();
    assert!(text.contains("\"additionalProperties\": false"), "{text}");
}

/// An evaluation year without a published instrument (2024): init, validate, the documents and
/// `instrument new` say and handle the assumption (issue #20).
#[test]
fn a_2024_workspace_states_its_instrument_assumption_and_can_add_the_real_one() {
    let parent = Test::empty();
    let args =
        ["init", "kota", "--city", "Kota Baru", "--kind", "kota", "--year", "2024", "--province", "Kalimantan Selatan"];
    let out = cmd(&args, parent.path()).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("instrumen 2024 belum diterbitkan rinci") && out.stdout.contains("asumsi"),
        "{}",
        out.stdout
    );
    let ws = parent.path().join("kota");
    // city.yaml says it beside the instrument it names, wrapped as comment lines.
    let city = std::fs::read_to_string(ws.join("indicators/city.yaml")).unwrap();
    let framework = city.lines().position(|l| l.trim() == "framework: kominfo-2023-reguler").unwrap();
    let comment: Vec<&str> = city.lines().take(framework).skip_while(|l| !l.contains("# instrumen 2024")).collect();
    assert!(comment.len() >= 2 && comment.iter().all(|l| l.starts_with("  # ") && l.len() <= 96), "{city}");
    assert!(comment.join(" ").contains("dipakai sebagai asumsi"), "{city}");
    let ws_arg = ws.to_str().unwrap();

    let out = cmd(&["validate", "--workspace", ws_arg], parent.path()).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("warning[instrument-year]")
            && out.stdout.contains("the 2023 one, used for the 2024 evaluation"),
        "{}",
        out.stdout
    );

    // The report's cover and appendix, and the first slide, state it.
    assert_eq!(
        cmd(&["build", "--workspace", ws_arg], parent.path())
            .stdout_snapshot()
            .stderr("2 warning(s); run `smartcity-eval validate` to see them\n")
            .run()
            .code,
        0
    );
    for (pdf, wanted) in [
        ("out/kota-baru-2024-laporan.pdf", "instrumen 2023 dipakai untuk evaluasi 2024 (asumsi)"),
        ("out/kota-baru-2024-slides.pdf", "instrumen 2023 dipakai untuk evaluasi 2024 (asumsi)"),
    ] {
        let text = crate::pdf::text(&ws.join(pdf)).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(wanted), "{pdf} lacks `{wanted}`");
    }

    // "kominfo-2024" is not a typo of kominfo-2022 (other weights): no such "did you mean".
    let out = init("lain", "Kota Lain", "2024", &["--framework", "kominfo-2024"], parent.path())
        .status(1)
        .stderr("error[dangling-reference]: unknown instrument `kominfo-2024`\n  = help: no instrument of that year is here (kominfo-2022, kominfo-2023-kppn-ikn, kominfo-2023-reguler); each has its own weights and questions. To start one from the latest, run `smartcity-eval instrument new kominfo-2024 --from kominfo-2023-reguler` and edit it\n1 error, 0 warnings\n")
        .run();
    assert_eq!(out.code, 1);
    assert!(!out.stderr.contains("did you mean"), "{}", out.stderr);
    assert!(out.stderr.contains("instrument new kominfo-2024 --from kominfo-2023-reguler"), "{}", out.stderr);

    // The real instrument, once Kominfo sends it: a copy to edit, then named in city.yaml.
    let out = cmd(
        &["instrument", "new", "kominfo-2024", "--from", "kominfo-2023-reguler", "--workspace", ws_arg],
        parent.path(),
    )
    .stdout("wrote indicators/framework/kominfo-2024.yaml (a copy of kominfo-2023-reguler for 2024)\nnext: check its weights and questions against Kominfo's 2024 instrument, then set `framework: kominfo-2024` in indicators/city.yaml and run validate\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let copy = std::fs::read_to_string(ws.join("indicators/framework/kominfo-2024.yaml")).unwrap();
    assert!(
        copy.contains("\nid: kominfo-2024\n")
            && copy.contains("\nyear: 2024\n")
            && copy.contains("Copied from `kominfo-2023-reguler`")
    );
    let again = cmd(
        &["instrument", "new", "kominfo-2024", "--from", "kominfo-2023-reguler", "--workspace", ws_arg],
        parent.path(),
    )
    .status(1)
    .stderr_snapshot()
    .run();
    assert_eq!(again.code, 1, "never overwrites");
    let city = std::fs::read_to_string(ws.join("indicators/city.yaml"))
        .unwrap()
        .replace("framework: kominfo-2023-reguler", "framework: kominfo-2024");
    std::fs::write(ws.join("indicators/city.yaml"), city).unwrap();
    let out = cmd(&["validate", "--workspace", ws_arg], parent.path()).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(!out.stdout.contains("instrument-year"), "{}", out.stdout);
}

#[test]
fn a_placeholder_province_is_an_error() {
    let test = Test::base();
    let city = std::fs::read_to_string(test.path().join("indicators/city.yaml"))
        .unwrap()
        .replace("province: Maluku", "province: Isi nama provinsi");
    let test = test.file("indicators/city.yaml", city);
    let out = test.cmd(&["validate"]).status(1).stdout_snapshot().run();
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("error[placeholder]"), "{}", out.stdout);
    // At the value (line 3 `province: Isi nama provinsi`, column 11), not the file alone.
    assert!(
        out.stdout.contains(
            "error[placeholder]: province is `Isi nama provinsi`, not a province\n  --> indicators/city.yaml:3:11\n"
        ),
        "{}",
        out.stdout
    );
    let city = std::fs::read_to_string(test.path().join("indicators/city.yaml"))
        .unwrap()
        .replace("province: Isi nama provinsi", "province: \"\"");
    let test = test.file("indicators/city.yaml", city);
    test.cmd(&["validate"])
        .status(1)
        .stdout(
            "error[placeholder]: province is ``, not a province\n  --> indicators/city.yaml:3:11\n  = help: write the \
             province's name, e.g. `province: Maluku`: it is printed on the cover\n1 error, 0 warnings\n",
        )
        .run();
}

/// The files `init` writes speak the language asked for (Indonesian by default) and point only
/// to documentation the binary itself prints (`smartcity-eval docs TOPIC`), never to a docs/
/// folder of the source tree a city does not have (issue #20 §6).
#[test]
fn init_writes_its_files_in_one_language_pointing_to_docs_the_binary_prints() {
    let parent = Test::empty();
    let written = |lang: &str| -> (String, Vec<(String, String)>) {
        let dir = format!("kota-{lang}");
        let out = cmd(
            &[
                "init",
                &dir,
                "--city",
                "Kota Baru",
                "--kind",
                "kota",
                "--year",
                "2025",
                "--province",
                "Maluku",
                "--lang",
                lang,
            ],
            parent.path(),
        )
        .stdout_snapshot()
        .run();
        assert_eq!(out.code, 0, "{}", out.stderr);
        let ws = parent.path().join(&dir);
        let texts = [
            "README.md",
            "indicators/city.yaml",
            "indicators/assessment/2025.yaml",
            "indicators/programs/README.md",
            "data/README.md",
            ".github/workflows/laporan.yml",
            ".gitignore",
            ".gitattributes",
        ]
        .map(|rel| (rel.to_string(), std::fs::read_to_string(ws.join(rel)).unwrap()));
        // The templates' technical README is English in both (it explains tera and Typst to
        // whoever restyles the documents; the team README says so), but it too must not send
        // a city to files it lacks.
        let templates = std::fs::read_to_string(ws.join("templates/README.md")).unwrap();
        assert!(!names_a_source_doc(&templates), "templates/README.md:\n{templates}");
        (out.stdout, texts.to_vec())
    };
    // Words only the other language uses (the program example's data, an Indonesian program
    // name and OPD, is the same in both and left out by choosing these).
    let english = [" the ", "See ", " when ", " every ", "Complete ", "Regenerates", "created workspace", "next:"];
    let indonesian = ["Lengkapi", " yang ", " bila ", "berikutnya", "Periksa", "dibuat untuk", "berkas"];
    for (lang, foreign) in [("id", &english[..]), ("en", &indonesian[..])] {
        let (stdout, files) = written(lang);
        for (rel, text) in files.iter().chain([&("stdout".to_string(), stdout)]) {
            for word in foreign {
                assert!(!text.contains(word), "--lang {lang}: `{word}` in {rel}:\n{text}");
            }
            assert!(!names_a_source_doc(text), "--lang {lang}: {rel} points to the source tree's docs/:\n{text}");
            // Every topic named exists and prints its document.
            for topic in text
                .split("smartcity-eval docs ")
                .skip(1)
                .filter_map(|rest| rest.split(|c: char| !c.is_ascii_alphanumeric()).next())
            {
                if topic.is_empty() {
                    continue;
                }
                // `docs TOPIC` prints docs/TOPIC.md, embedded, exactly.
                let embedded = std::fs::read_to_string(repo().join(format!("docs/{topic}.md"))).unwrap();
                let doc = cmd(&["docs", topic], parent.path()).stdout(embedded).run();
                assert_eq!(doc.code, 0, "{rel} names `smartcity-eval docs {topic}`: {}", doc.stderr);
                assert!(doc.stdout.starts_with("# ") && doc.stdout.len() > 1000, "docs {topic}: {}", doc.stdout);
            }
        }
    }
}

/// `docs` without a topic lists them in the language asked for; an unknown topic is a usage
/// error that lists the real ones.
#[test]
fn docs_lists_its_topics_and_refuses_an_unknown_one() {
    let test = Test::empty();
    let id = cmd(&["docs"], test.path()).stdout_snapshot().run();
    assert_eq!(id.code, 0, "{}", id.stderr);
    assert!(id.stdout.starts_with("Dokumentasi smartcity-eval"), "{}", id.stdout);
    for topic in ["panduan", "format", "diagnostics", "ci", "export", "evaluation"] {
        assert!(id.stdout.lines().any(|l| l.trim_start().starts_with(topic)), "{topic}: {}", id.stdout);
    }
    let en = cmd(&["docs", "--lang", "en"], test.path()).stdout_snapshot().run();
    assert!(en.stdout.starts_with("smartcity-eval's documentation"), "{}", en.stdout);
    let panduan = std::fs::read_to_string(repo().join("docs/panduan.md")).unwrap();
    cmd(&["docs", "panduan"], test.path()).stdout(panduan).run();
    let wrong = cmd(&["docs", "fromat"], test.path()).status(2).stderr_snapshot().run();
    assert_eq!(wrong.code, 2, "{}", wrong.stderr);
    assert!(wrong.stderr.contains("format"), "{}", wrong.stderr);
}

/// Whether `text` names a page of the source tree's documentation (`docs/format.md`), which a
/// city with only the binary does not have (a web address such as typst.app/docs/ is fine).
fn names_a_source_doc(text: &str) -> bool {
    text.match_indices("docs/").any(|(i, _)| {
        let before = text[..i].chars().last();
        let name: String = text[i + 5..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '-').collect();
        before != Some('/') && !name.is_empty() && text[i + 5 + name.len()..].starts_with(".md")
    })
}
