//! `evidence`: the bukti dukung checklist (issue #19) — statuses, who owes what, coverage per
//! aspect and per OPD, the `--opd` filter, and the xlsx read back with calamine.

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::harness::{Output, Test};

const OPD: &str = "opd:
  - {id: diskominfo, name: Dinas Komunikasi dan Informatika, contact: Bidang Aptika 0911-1}
  - {id: dlh, name: Dinas Lingkungan Hidup}
";

/// bl-1-1.1.1: one filed, one linked, one named (owed by dlh), one plain text; bl-1-1.2.1
/// (derived): a file named but missing; im-1-4.1.1: derived, no evidence (none owed: its data is
/// its support); im-1-4.1.2: unanswered.
const ASSESSMENT: &str = "year: 2023
answers:
  bl-1-1.1.1:
    score: 3.0
    opd: diskominfo
    evidence:
      - file: evidence/1-baseline/perwali.pdf
        title: Perwali 1/2018 tentang Masterplan
        date: 2018-03-01
        pages: 2-4
      - {url: https://jdih.contoh.go.id/perwali-1-2018, title: Perwali di JDIH}
      - {title: Notulen rapat Dewan Smart City 2023, opd: dlh}
      - Dokumen Masterplan
  bl-1-1.2.1:
    derive: true
    opd: Dinas Lingkungan Hidup
    evidence:
      - file: evidence/1-baseline/foto-rapat.jpg
  im-1-4.1.1: {derive: true}
";

fn workspace() -> Test {
    Test::base()
        .file("indicators/opd.yaml", OPD)
        .file("indicators/assessment/2023.yaml", ASSESSMENT)
        .file("evidence/1-baseline/perwali.pdf", "%PDF-1.4\n%ilustrasi\n")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}{}", out.stdout, out.stderr))
}

#[test]
fn every_document_has_its_status_and_its_opd_and_a_missing_file_does_not_stop_the_checklist() {
    let test = workspace();
    let out = test.cmd(&["evidence", "--format", "json"]).stdout_snapshot().stderr("1 document path(s) lead to no file under evidence/ (shown as missing); run `smartcity-eval validate` to see why\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("1 document path(s) lead to no file under evidence/"), "{}", out.stderr);
    let v = json(&out);
    let q = &v["questions"][0];
    assert_eq!(q["id"], "bl-1-1.1.1");
    assert_eq!(q["label"], "1.1.1 Perencanaan — Masterplan berpayung hukum?");
    assert_eq!(q["score"], 3.0);
    assert_eq!(q["standing"], "filed");
    let statuses: Vec<&str> =
        q["documents"].as_array().unwrap().iter().map(|d| d["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["filed", "linked", "named", "named"]);
    let owners: Vec<&str> =
        q["documents"].as_array().unwrap().iter().map(|d| d["opd"]["key"].as_str().unwrap()).collect();
    assert_eq!(owners, ["diskominfo", "diskominfo", "dlh", "diskominfo"], "a document's own opd wins");
    assert_eq!(q["documents"][0]["file"], "evidence/1-baseline/perwali.pdf");
    assert_eq!(q["documents"][0]["pages"], "2-4");
    assert_eq!(q["documents"][3]["title"], "Dokumen Masterplan");
    assert_eq!(q["opd"].as_array().unwrap().len(), 2);
    // A plain name that is a listed name resolves to the id.
    let derived = &v["questions"][1];
    assert_eq!(derived["answer_opd"]["key"], "dlh");
    assert_eq!(derived["documents"][0]["status"], "missing");
    assert_eq!(derived["standing"], "named");
    assert_eq!(v["questions"][2]["standing"], "derived", "a derived score owes no document");
    assert_eq!(v["questions"][3]["standing"], "unanswered");
    let t = &v["totals"];
    assert_eq!(
        (
            t["answered"].as_u64(),
            t["filed"].as_u64(),
            t["named"].as_u64(),
            t["none"].as_u64(),
            t["derived"].as_u64(),
            t["unanswered"].as_u64()
        ),
        (Some(3), Some(1), Some(1), Some(0), Some(1), Some(1))
    );
    assert_eq!(
        (
            t["documents_filed"].as_u64(),
            t["documents_linked"].as_u64(),
            t["documents_named"].as_u64(),
            t["documents_missing"].as_u64()
        ),
        (Some(1), Some(1), Some(2), Some(1))
    );
    let baseline = &v["aspects"][0];
    assert_eq!(
        (baseline["id"].as_str(), baseline["questions"].as_u64(), baseline["answered"].as_u64()),
        (Some("baseline"), Some(2), Some(2))
    );
    // Per OPD: listed ids first (by id), "no OPD" last.
    let keys: Vec<&str> = v["opds"].as_array().unwrap().iter().map(|o| o["opd"]["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["diskominfo", "dlh", "-"]);
    let dlh = v["opds"].as_array().unwrap().iter().find(|o| o["opd"]["key"] == "dlh").unwrap();
    assert_eq!(
        (dlh["questions"].as_u64(), dlh["documents_named"].as_u64(), dlh["documents_missing"].as_u64()),
        (Some(2), Some(1), Some(1))
    );
    let none = v["opds"].as_array().unwrap().iter().find(|o| o["opd"]["key"] == "-").unwrap();
    assert_eq!(none["questions"], 2, "the derived question without evidence and the unanswered one");
}

#[test]
fn the_terminal_checklist_names_questions_documents_and_coverage() {
    let out = workspace().cmd(&["evidence"]).stdout_snapshot().stderr("1 document path(s) lead to no file under evidence/ (shown as missing); run `smartcity-eval validate` to see why\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = &out.stdout;
    for expected in [
        "Bukti dukung · Kota Contoh 2023 · instrumen mini",
        "  1.1.1 Perencanaan — Masterplan berpayung hukum?\n      nilai 3,00 · OPD: Dinas Komunikasi dan Informatika; Dinas Lingkungan Hidup\n",
        "      ✓ ada berkas    Perwali 1/2018 tentang Masterplan — evidence/1-baseline/perwali.pdf, hlm. 2-4, 1 Maret 2018\n",
        "      ↗ tautan        Perwali di JDIH — https://jdih.contoh.go.id/perwali-1-2018\n",
        "      ○ baru disebut  Notulen rapat Dewan Smart City 2023 — OPD: Dinas Lingkungan Hidup\n",
        "      ✗ berkas hilang foto-rapat.jpg — evidence/1-baseline/foto-rapat.jpg\n",
        "  4.1.1 Survei — Layanan daring\n      nilai 3,50 · OPD belum ditentukan\n      · dari data (dokumen tidak wajib)\n",
        "Cakupan per aspek",
        "Cakupan per OPD",
        "  OPD belum ditentukan",
        "Jumlah: 3 pertanyaan dijawab — 1 dengan berkas atau tautan, 1 hanya disebut, 0 tanpa bukti, 1 diturunkan dari data tanpa dokumen (tidak wajib); 1 belum dijawab",
        "Dokumen (program termasuk): 1 ada berkas, 1 tautan, 2 baru disebut, 1 berkas hilang — 3 masih terutang",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let en = workspace().cmd(&["evidence", "--lang", "en"]).stdout_snapshot().stderr("1 document path(s) lead to no file under evidence/ (shown as missing); run `smartcity-eval validate` to see why\n").run();
    assert!(en.stdout.contains("✗ missing"), "{}", en.stdout);
    assert!(en.stdout.contains("      · from data (no document required)\n"), "{}", en.stdout);
}

#[test]
fn opd_shows_only_what_that_opd_owes_and_a_typo_gets_the_nearest_id() {
    let test = workspace();
    let out = test.cmd(&["evidence", "--format", "json", "--opd", "dlh"]).stdout_snapshot().stderr("1 document path(s) lead to no file under evidence/ (shown as missing); run `smartcity-eval validate` to see why\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = json(&out);
    assert_eq!(v["opd_filter"]["key"], "dlh");
    let ids: Vec<&str> = v["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["bl-1-1.1.1", "bl-1-1.2.1"]);
    let docs = v["questions"][0]["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["title"], "Notulen rapat Dewan Smart City 2023");
    assert_eq!(v["opds"].as_array().unwrap().len(), 1);
    // By name, any case.
    let by_name = test.cmd(&["evidence", "--format", "json", "--opd", "dinas lingkungan hidup"]).stdout_snapshot().stderr("1 document path(s) lead to no file under evidence/ (shown as missing); run `smartcity-eval validate` to see why\n").run();
    assert_eq!(json(&by_name)["opd_filter"]["key"], "dlh");
    let typo = test.cmd(&["evidence", "--opd", "diskominf"]).status(1).stderr("error[dangling-reference]: unknown OPD `diskominf`\n  = help: did you mean `diskominfo`?\n1 error, 0 warnings\n").run();
    assert_eq!(typo.code, 1);
    assert!(
        typo.stderr.contains("unknown OPD `diskominf`") && typo.stderr.contains("did you mean `diskominfo`?"),
        "{}",
        typo.stderr
    );
}

#[test]
fn other_errors_stop_the_checklist() {
    let test = workspace().file("indicators/opd.yaml", "opd:\n  - {id: dlh}\n");
    let out = test.cmd(&["evidence"]).status(1).stderr_snapshot().run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("missing-key"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

fn cells(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_xlsx_has_a_sheet_per_opd_and_the_same_bytes_every_time() {
    let test = workspace();
    let out = test.cmd(&["evidence", "--format", "xlsx"]).stdout("wrote out/kota-contoh-2023-bukti-dukung.xlsx\n").stderr("1 document path(s) lead to no file under evidence/ (shown as missing); run `smartcity-eval validate` to see why\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "wrote out/kota-contoh-2023-bukti-dukung.xlsx\n");
    let path = test.path().join("out/kota-contoh-2023-bukti-dukung.xlsx");
    let first = std::fs::read(&path).unwrap();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["Ringkasan", "Aspek", "Semua", "diskominfo", "dlh", "Tanpa OPD"]);
    let all = cells(&mut book, "Semua");
    assert_eq!(
        all[0][..8],
        ["No.", "Indikator", "Pertanyaan", "Aspek", "Jawaban", "Nilai", "Status dokumen", "Dokumen"]
    );
    assert_eq!(all.len(), 1 + 5 + 2, "five documents, one derived question without evidence, one unanswered");
    assert_eq!(
        all[1][..9],
        [
            "1.1.1",
            "Perencanaan",
            "Masterplan berpayung hukum?",
            "Baseline",
            "dinilai",
            "3",
            "ada berkas",
            "Perwali 1/2018 tentang Masterplan",
            "evidence/1-baseline/perwali.pdf"
        ]
    );
    let dlh = cells(&mut book, "dlh");
    let owed: Vec<(&str, &str)> = dlh[1..].iter().map(|r| (r[6].as_str(), r[7].as_str())).collect();
    assert_eq!(owed, [("baru disebut", "Notulen rapat Dewan Smart City 2023"), ("berkas hilang", "foto-rapat.jpg")]);
    let nobody = cells(&mut book, "Tanpa OPD");
    assert_eq!(nobody.len(), 3, "{nobody:?}");
    assert_eq!(nobody[1][6], "dari data (dokumen tidak wajib)", "a derived score owes no document");
    let summary = cells(&mut book, "Ringkasan");
    assert_eq!(summary[1][..3], ["diskominfo", "Dinas Komunikasi dan Informatika", "Bidang Aptika 0911-1"]);
    assert_eq!(summary.last().unwrap()[0], "Jumlah");
    // Same inputs, same bytes; --opd writes its own file.
    test.cmd(&["evidence", "--format", "xlsx"]).stdout("wrote out/kota-contoh-2023-bukti-dukung.xlsx\n").stderr("1 document path(s) lead to no file under evidence/ (shown as missing); run `smartcity-eval validate` to see why\n").run();
    assert_eq!(std::fs::read(&path).unwrap(), first);
    let one = test.cmd(&["evidence", "--format", "xlsx", "--opd", "dlh"]).stdout("wrote out/kota-contoh-2023-bukti-dukung-dlh.xlsx\n").stderr("1 document path(s) lead to no file under evidence/ (shown as missing); run `smartcity-eval validate` to see why\n").run();
    assert_eq!(one.stdout, "wrote out/kota-contoh-2023-bukti-dukung-dlh.xlsx\n");
}

/// The help is the user's own path with `/` (it was a fixed example), and the file it names is
/// not also listed as unreferenced.
#[test]
fn a_backslash_path_is_answered_with_the_same_path_written_with_slashes() {
    let test = Test::base().file("evidence/dok/sk.pdf", "%PDF-1.4\n").file(
        "indicators/assessment/2023.yaml",
        "year: 2023\nanswers:\n  bl-1-1.1.1:\n    score: 3.0\n    evidence:\n      - file: evidence\\dok\\sk.pdf\n  \
         bl-1-1.2.1: {derive: true}\n  im-1-4.1.1: {derive: true}\n  im-1-4.1.2: {derive: true}\n",
    );
    test.cmd(&["validate"])
        .status(1)
        .stdout(
            "error[bad-evidence]: `evidence\\dok\\sk.pdf` separates folders with `\\`\n  --> \
             indicators/assessment/2023.yaml:6:15\n  = help: write folders with `/`: `evidence/dok/sk.pdf`\n\
             1 error, 0 warnings\n",
        )
        .run();
    // The help, followed.
    let fixed = std::fs::read_to_string(test.path().join("indicators/assessment/2023.yaml"))
        .unwrap()
        .replace("evidence\\dok\\sk.pdf", "evidence/dok/sk.pdf");
    let test = test.file("indicators/assessment/2023.yaml", fixed);
    test.cmd(&["validate"]).stdout("no problems found\n").run();
}

/// bl-1-1.1.1 scored by hand without evidence: it owes bukti dukung. bl-1-1.2.1 and im-1-4.1.1
/// derived without evidence: their data is their support, nothing is owed (format.md §7,
/// diagnostics.md `no-evidence`). im-1-4.1.2 scored with a document named.
const OWED: &str = "year: 2023
answers:
  bl-1-1.1.1: {score: 3.0}
  bl-1-1.2.1: {derive: true}
  im-1-4.1.1: {derive: true}
  im-1-4.1.2: {score: 1.0, evidence: [Laporan DLH]}
";

#[test]
fn every_output_counts_the_same_answers_without_evidence_and_derived_ones_owe_none() {
    let test = Test::base().file("indicators/assessment/2023.yaml", OWED);
    let warning = "1 warning(s); run `smartcity-eval validate` to see them\n";
    test.cmd(&["validate"])
        .stdout(
            "warning[no-evidence]: answer `bl-1-1.1.1` has no evidence\n  --> indicators/assessment/2023.yaml:3:3\n  = help: Tahap II checks bukti dukung: list the documents under `evidence:`\n0 errors, 1 warning\n",
        )
        .run();
    // The CLI summary.
    let score = test.cmd(&["score"]).stdout_unchecked("the whole table is checked elsewhere").stderr(warning).run();
    assert!(score.stdout.contains("\n  1 tanpa bukti dukung: bl-1-1.1.1\n"), "{}", score.stdout);
    // The evaluation JSON.
    let ev = json(&test.cmd(&["score", "--format", "json"]).stdout_json().run());
    let gaps: Vec<&str> = ev["scorecard"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["kind"] == "no-evidence")
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(gaps, ["bl-1-1.1.1"]);
    let derived: Vec<&str> = ev["scorecard"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["status"] == "derived")
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(derived, ["bl-1-1.2.1", "im-1-4.1.1"], "both derive, so both owe nothing");
    // The checklist.
    let list = json(&test.cmd(&["evidence", "--format", "json"]).stdout_json().run());
    let standings: Vec<(&str, &str)> = list["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| (q["id"].as_str().unwrap(), q["standing"].as_str().unwrap()))
        .collect();
    assert_eq!(
        standings,
        [("bl-1-1.1.1", "none"), ("bl-1-1.2.1", "derived"), ("im-1-4.1.1", "derived"), ("im-1-4.1.2", "named")]
    );
    let t = &list["totals"];
    assert_eq!((t["answered"].as_u64(), t["none"].as_u64(), t["derived"].as_u64()), (Some(4), Some(1), Some(2)));

    // The report, the slides and the Bappeda workbook of one build.
    test.cmd(&["build"])
        .stdout("Kota Contoh 2023: final score 2,35 (–)\nwrote out/kota-contoh-2023-laporan.pdf\nwrote out/kota-contoh-2023-slides.pdf\nwrote out/kota-contoh-2023-ringkasan.xlsx\n")
        .stderr(warning)
        .run();
    let report = crate::pdf::text(&test.path().join("out/kota-contoh-2023-laporan.pdf"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        report.contains(
            "Bukti dukung: 0 dari 4 pertanyaan yang dijawab punya berkas atau tautan; 1 baru disebut, 1 tanpa bukti dukung (rinciannya di Lampiran); 2 nilai diturunkan dari data tanpa dokumen"
        ),
        "{report}"
    );
    // The appendix's gap table lists the one manual answer, never a derived one; the aspect
    // table says "tanpa bukti dukung" once, under 1.1.1.
    assert!(report.contains("Bukti dukung (tanpa bukti dukung) (1) Baseline: 1.1.1 Perencanaan"), "{report}");
    assert!(!report.contains("1.2.1 Perencanaan Bukti"), "{report}");
    assert_eq!(report.matches("tanpa bukti dukung").count(), 3, "summary, aspect table, appendix:\n{report}");
    let slides = crate::pdf::text(&test.path().join("out/kota-contoh-2023-slides.pdf"));
    assert!(!slides.contains("tanpa bukti"), "the slides count no evidence gaps: {slides}");
    let mut book: Xlsx<_> = open_workbook(test.path().join("out/kota-contoh-2023-ringkasan.xlsx")).unwrap();
    let rows = cells(&mut book, "pertanyaan");
    let id = rows[0].iter().position(|h| h == "pertanyaan").unwrap();
    let gap = rows[0].iter().position(|h| h == "celah").unwrap();
    let owed: Vec<&str> =
        rows[1..].iter().filter(|r| r[gap].contains("tanpa bukti dukung")).map(|r| r[id].as_str()).collect();
    assert_eq!(owed, ["bl-1-1.1.1"]);

    // In English, the same counts.
    test.cmd(&["report", "--lang", "en"]).stdout("wrote out/kota-contoh-2023-laporan-en.pdf\n").run();
    let en = crate::pdf::text(&test.path().join("out/kota-contoh-2023-laporan-en.pdf"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        en.contains("named only, 1 no evidence (listed in the appendix); 2 derived from data without a document"),
        "{en}"
    );
}
