//! `report` and `slides`: the PDFs an assessor sees, read with the Rust PDF reader of
//! tests/cli/pdf.rs (poppler and qpdf check them again in .ci/run).

use std::path::Path;

use crate::harness::{Test, cmd, copy_tree, repo};
use crate::pdf;

fn text_of(path: &Path) -> String {
    pdf::text(path)
}

fn pages_of(path: &Path) -> usize {
    pdf::pages(path)
}

/// A copy of the Ambon workspace (the repository's own), to write outputs into.
fn ambon() -> Test {
    let test = Test::empty();
    for dir in ["indicators", "data", "templates", "evidence"] {
        copy_tree(&repo().join(dir), &test.path().join(dir));
    }
    test
}

/// The Ambon report, rendered: the workspace, `report`'s stderr, the PDF's text, and the
/// evaluation (`score --format json`) its figures are checked against.
struct AmbonReport {
    test: Test,
    stderr: String,
    text: String,
    ev: serde_json::Value,
}

fn ambon_report() -> AmbonReport {
    let test = ambon();
    let out = test.cmd(&["report"]).stdout("wrote out/kota-ambon-2023-laporan.pdf\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = text_of(&test.path().join("out/kota-ambon-2023-laporan.pdf"));
    let ev =
        serde_json::from_str(&cmd(&["score", "--format", "json"], test.path()).stdout_json().run().stdout).unwrap();
    AmbonReport { test, stderr: out.stderr, text, ev }
}

#[test]
fn ambon_report_has_the_scores_programs_and_seed_figures() {
    let AmbonReport { test, stderr, text, ev } = ambon_report();
    assert!(stderr.is_empty(), "Typst warnings are errors here:\n{stderr}");
    let pdf = test.path().join("out/kota-ambon-2023-laporan.pdf");
    let final_display = ev["scorecard"]["final_score"]["display"].as_str().unwrap();
    assert!(text.contains(final_display), "final score {final_display} missing");
    for needle in [
        "Kota Ambon",
        "13 Juni 2023",
        "Pabrik Daur Ulang Sampah Plastik",
        "26 Mei 2023",
        "2.915",
        "250",
        "Ringkasan Eksekutif",
        "Daftar Isi",
        "Tabel",
        "Gambar",
        "Halaman 2 dari",
        "Lampiran",
    ] {
        assert!(text.contains(needle), "report lacks `{needle}`");
    }
    let pages = pages_of(&pdf);
    assert!((15..=60).contains(&pages), "report has {pages} pages");
}

/// A program's facts and indicator rows, as an assessor reads them: OPD, status, period,
/// budget and realisation, then one row per indicator (name, unit, target, value, achievement,
/// months with data). The figures are the Ambon workspace's own (data/ and the program YAML).
#[test]
fn program_chapters_give_facts_and_one_row_per_indicator() {
    let AmbonReport { text, ev, .. } = ambon_report();
    for line in [
        "OPD Sekretariat Daerah Kota Ambon · Status berjalan · Periode 2021–2026",
        "Anggaran 2023 Rp 180 juta · Realisasi Rp 171,3 juta (95%)",
        "Indikator (satuan) Baseline Target 2023 Nilai 2023 Capaian Cakupan data",
        // Baseline (its year), target, value, achievement, months with data.
        "Pelaksanaan kegiatan WAJAR (kali) 12 (2022) 12 11† 91,7% 12/12",
        "78,2 (2022) 85 83† 97,6% 12/12",
    ] {
        assert!(text.lines().any(|l| l == line), "report lacks the line `{line}`");
    }
    // The program's own facts: its evidence (bukti dukung) and description.
    assert!(
        text.contains("Bukti dukung Paparan Sekretaris Kota Ambon pada Evaluasi Smart City Tahap I 2023"),
        "no evidence line"
    );
    assert!(text.contains("Kegiatan tatap muka tempat masyarakat bertemu langsung"), "no description");
    // A program without a launch date does not print an empty one.
    assert!(!text.contains("Diluncurkan –"), "an unknown launch date printed as –");
    // A program's indicators (up to 8) are never split across pages: one header per program.
    let programs: std::collections::BTreeSet<&str> =
        ev["indicators"].as_array().unwrap().iter().map(|i| i["program"].as_str().unwrap()).collect();
    let headers = text.lines().filter(|l| l.starts_with("Indikator (satuan) Baseline Target 2023")).count();
    assert_eq!(headers, programs.len(), "an indicator grid was split across pages");
}

#[test]
fn every_indicator_measured_in_two_years_has_its_trend_chart() {
    let AmbonReport { text, ev, .. } = ambon_report();
    // Each chart's year axis is one text line (the SVG's labels are real text in the PDF).
    let mut axes: std::collections::BTreeMap<String, usize> = Default::default();
    for indicator in ev["indicators"].as_array().unwrap() {
        let years = indicator["years"].as_array().unwrap();
        if years.iter().filter(|y| y["value"].is_number()).count() > 1 {
            let axis: Vec<String> = years.iter().map(|y| y["year"].to_string()).collect();
            *axes.entry(axis.join(" ")).or_default() += 1;
        }
    }
    assert!(axes.values().sum::<usize>() >= 5, "the Ambon data has several multi-year indicators: {axes:?}");
    for (axis, charts) in &axes {
        let found = text.lines().filter(|l| l.trim() == axis).count();
        assert_eq!(found, *charts, "charts with the year axis `{axis}`");
    }
}

#[test]
fn ambon_slides_are_16_9_and_never_overflow() {
    let test = ambon();
    let out = test.cmd(&["slides"]).stdout("wrote out/kota-ambon-2023-slides.pdf\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let pdf = test.path().join("out/kota-ambon-2023-slides.pdf");
    let sizes = pdf::page_sizes(&pdf);
    assert!(sizes.iter().all(|&size| size == (960.0, 540.0)), "{sizes:?}");
    let text = text_of(&pdf);
    for needle in ["Kota Ambon", "Agenda", "2.915", "250", "Terima kasih", "Smart Environment", "Kendala"] {
        assert!(text.contains(needle), "slides lack `{needle}`");
    }
    assert!(text.contains("Keselarasan dengan RPJMD 2025–2029"), "slides lack the RPJMD slide");
    // title, agenda, profile, institutions (2: 1 page), strengths (10: 2 pages of 5), scores,
    // 6 dimensions in pages of ≤ 2 programs (governance has 3: two pages), the RPJMD matrix (8
    // sasaran: 1 page), constraints (3 items: 1 page), follow-ups (6 items: 2 pages of ≤ 5),
    // closing — one more page would mean content spilled over.
    assert!(text.contains("Smart Governance (1/2)") && text.contains("Smart Governance (2/2)"), "{text}");
    assert!(text.contains("Profil Kota Ambon") && text.contains("Kekuatan (2/2)"), "{text}");
    assert_eq!(pages_of(&pdf), 19);
    // A key figure short of this year's target says so; figures are rounded by their size.
    assert!(text.contains("(belum tercapai)"), "{text}");
    assert!(!text.contains("78,20"), "{text}");
}

#[test]
fn two_builds_are_byte_identical_and_well_formed() {
    let test = ambon();
    assert_eq!(test.cmd(&["report"]).stdout("wrote out/kota-ambon-2023-laporan.pdf\n").run().code, 0);
    let pdf = test.path().join("out/kota-ambon-2023-laporan.pdf");
    let first = std::fs::read(&pdf).unwrap();
    assert_eq!(test.cmd(&["report"]).stdout("wrote out/kota-ambon-2023-laporan.pdf\n").run().code, 0);
    assert_eq!(first, std::fs::read(&pdf).unwrap(), "the same inputs must give the same bytes");
    pdf::check_structure(&pdf);
}

#[test]
fn archival_pdf_declares_pdf_a_2b() {
    let test = ambon();
    let out =
        test.cmd(&["report", "--pdf-standard", "a-2b"]).stdout("wrote out/kota-ambon-2023-laporan-pdfa.pdf\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Its own name, so that `build` never replaces it with a plain PDF.
    let archival = test.path().join("out/kota-ambon-2023-laporan-pdfa.pdf");
    let xmp = pdf::xmp(&archival).expect("XMP metadata in the catalog");
    assert!(xmp.contains("pdfaid:part") && xmp.contains("pdfaid:conformance"), "no PDF/A identification: {xmp}");
    assert!(xmp.contains(">2<") || xmp.contains("pdfaid:part=\"2\""), "not PDF/A-2: {xmp}");
    let title = pdf::title(&archival).expect("a Title in the document information");
    assert!(title.contains("Kota Ambon"), "{title}");
}

#[test]
fn english_report_uses_english_words_and_numbers() {
    let test = ambon();
    let out = test.cmd(&["report", "--lang", "en"]).stdout("wrote out/kota-ambon-2023-laporan-en.pdf\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = text_of(&test.path().join("out/kota-ambon-2023-laporan-en.pdf"));
    assert!(text.contains("Executive Summary") && text.contains("3,120") && text.contains("billion"), "English report");
}

const HOSTILE: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "tutup ] kurung",
    "$x$ matematika",
    "<l> label",
    "@ref rujukan",
    "emoji 🙂 di sini ✓",
    "- bukan daftar",
    "= bukan judul",
    "// bukan komentar",
    "1. bukan nomor",
    "a*b*c_d_e `kode`",
    "http://contoh.id/x",
    "Rp 1.234,5 ~ 50% \\ {x}",
];

#[test]
fn hostile_user_text_prints_literally_everywhere() {
    let base = crate::harness::corpus().join("_base");
    let program = std::fs::read_to_string(base.join("indicators/programs/sampah.yaml")).unwrap();
    let mut test = Test::base();
    for (i, hostile) in HOSTILE.iter().enumerate() {
        let quoted = serde_json::to_string(hostile).unwrap();
        let p = program
            .replace("id: daur-ulang", &format!("id: p{i}"))
            .replace("name: Pabrik Daur Ulang", &format!("name: {quoted}"))
            .replace("opd: Dinas Lingkungan Hidup", &format!("opd: {quoted}"))
            .replace("id: sampah-diolah", &format!("id: ind{i}"))
            .replace("name: Sampah diolah", &format!("name: {quoted}"));
        test = test.file(&format!("indicators/programs/p{i}.yaml"), p);
    }
    let strengths: Vec<String> = HOSTILE.iter().map(|h| serde_json::to_string(h).unwrap()).collect();
    let city = std::fs::read_to_string(base.join("indicators/city.yaml"))
        .unwrap()
        .replace("strengths: [Komitmen pimpinan]", &format!("strengths: [{}]", strengths.join(", ")));
    let test = test.file("indicators/city.yaml", city);
    let out = test.cmd(&["report"]).stdout("wrote out/kota-contoh-2023-laporan.pdf\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = text_of(&test.path().join("out/kota-contoh-2023-laporan.pdf"));
    // Compared without white space: pdftotext guesses spaces from glyph positions.
    let flat: String = text.split_whitespace().collect();
    for hostile in HOSTILE {
        let wanted: String = hostile.split_whitespace().collect();
        assert!(flat.contains(&wanted), "`{hostile}` did not print literally");
    }
    assert!(!flat.contains("root:x:0"), "a template read /etc/passwd");
}

#[test]
fn templates_cannot_read_outside_the_workspace() {
    let test = Test::base().file("templates/report.typ", "= Laporan\n#read(\"../../../../../../etc/passwd\")\n");
    let out = test.cmd(&["report"]).status(1).stderr_snapshot().run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("templates/report.typ:2"), "{}", out.stderr);
    assert!(out.stderr.contains("outside") || out.stderr.contains("escapes"), "{}", out.stderr);
    assert!(!test.path().join("out/kota-contoh-2023-laporan.pdf").exists());
}

#[test]
fn a_failed_render_keeps_the_previous_pdf() {
    let test = Test::base();
    assert_eq!(test.cmd(&["report"]).stdout("wrote out/kota-contoh-2023-laporan.pdf\n").run().code, 0);
    let pdf = test.path().join("out/kota-contoh-2023-laporan.pdf");
    let before = std::fs::read(&pdf).unwrap();
    let broken = test.file("templates/report.typ", "= Laporan\n#let x = (\n");
    let out = broken.cmd(&["report"]).status(1).stderr_snapshot().run();
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error[typst-error]") && out.stderr.contains("templates/report.typ:"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "the previous PDF must survive a failed render");
}

#[test]
fn keep_typ_writes_the_generated_source() {
    let test = Test::base();
    let out = test.cmd(&["slides", "--keep-typ"]).stdout("wrote out/kota-contoh-2023-slides.pdf\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let typ = std::fs::read_to_string(test.path().join("out/kota-contoh-2023-slides.typ")).unwrap();
    assert!(typ.contains("Kota Contoh") && typ.contains("#slide("), "{typ}");
}

#[test]
fn build_writes_both_documents_and_reports_the_score() {
    let base = crate::harness::corpus().join("_base");
    let city = std::fs::read_to_string(base.join("indicators/city.yaml")).unwrap()
        + "previous:\n  year: 2022\n  framework: mini\n  aspects: {baseline: 1.40, impact: 2.56}\n  final: 2.10\n";
    let test = Test::base().file("indicators/city.yaml", city);
    let out = test.cmd(&["build"]).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.starts_with("Kota Contoh 2023: final score 2,65"), "{}", out.stdout);
    assert!(
        out.stdout.contains("wrote out/kota-contoh-2023-laporan.pdf\nwrote out/kota-contoh-2023-slides.pdf\n"),
        "{}",
        out.stdout
    );
    // The improvement on last year shows on the summary page and the score slide:
    // 2.65 − (0.4·1.40 + 0.6·2.56 = 2.096) = 0.554 → +0,55.
    for pdf in ["out/kota-contoh-2023-laporan.pdf", "out/kota-contoh-2023-slides.pdf"] {
        let text = text_of(&test.path().join(pdf));
        assert!(text.contains("+0,55"), "{pdf} lacks the improvement");
    }
}

#[test]
fn build_stops_on_validation_errors_and_writes_nothing() {
    let test = Test::base()
        .file("data/budget/anggaran.csv", "program,year,source,planned,realized\ndaur-ulang,2023,apbd,-1,0\n");
    let out = test.cmd(&["build"]).status(1).stderr_snapshot().run();
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("error[negative-budget]"), "{}", out.stderr);
    // Nothing but out/'s lock file (outdir.rs).
    let out = test.path().join("out");
    let written: Vec<_> =
        std::fs::read_dir(&out).map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect()).unwrap_or_default();
    assert!(written.iter().all(|n| n == ".lock"), "{written:?}");
}

/// The shipped kabupaten example (2024, partly answered, Indonesian-Excel files) rendered:
/// what a second city's documents must say that Ambon's never exercised (issue #20).
#[test]
fn the_kabupaten_example_states_its_assumption_its_partners_and_unknown_budgets() {
    let test = crate::harness::Test::empty();
    crate::harness::copy_tree(&repo().join("examples/kabupaten-lembah-hijau"), test.path());
    let _ = std::fs::remove_dir_all(test.path().join("out"));
    let out = test
        .cmd(&["build"])
        .stdout_snapshot()
        .stderr("2 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let raw = text_of(&test.path().join("out/kabupaten-lembah-hijau-2024-laporan.pdf"));
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "instrumen 2023 dipakai untuk evaluasi 2024 (asumsi)",
        "KOLABORASI",
        "Mitra BUMDes pengelola 14 desa wisata",
        "Indikator (satuan) Baseline Target 2024",
        "Realisasi – · 1 sumber dana belum melaporkan realisasi",
        "Belum dijawab: 71 pertanyaan",
        // A lower final than last year is a decrease, not an "increase" of −1,07.
        "PENURUNAN DARI 2023",
    ] {
        assert!(text.contains(needle), "the report lacks `{needle}`");
    }
    // Unknown is never Rp 0.
    assert!(!text.contains("Realisasi Rp 0 "), "an unknown realisation printed as Rp 0");
    let slides = text_of(&test.path().join("out/kabupaten-lembah-hijau-2024-slides.pdf"));
    let slides = slides.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(slides.contains("(asumsi)"));
    // The profile slide shows what city.yaml fills in, rounded as a headline figure.
    for needle in
        ["Profil Kabupaten Lembah Hijau", "Penduduk 612.480 jiwa", "Luas wilayah 1.035 km²", "Kelembagaan Smart City"]
    {
        assert!(slides.contains(needle), "the slides lack `{needle}`: {slides}");
    }
    assert!(!slides.contains("Situs web"), "no website in city.yaml, no website line");
    // Bappeda's tables carry the new columns.
    assert_eq!(test.cmd(&["export", "--format", "csv"]).stdout_snapshot().run().code, 0);
    let program =
        std::fs::read_to_string(test.path().join("out/kabupaten-lembah-hijau-ringkasan-2022-2024-program.csv"))
            .unwrap();
    assert!(
        program
            .lines()
            .next()
            .unwrap()
            .ends_with(",realisasi_belum_dilaporkan,kolaborasi,mitra,periode_mulai,periode_selesai"),
        "{program}"
    );
    let indikator =
        std::fs::read_to_string(test.path().join("out/kabupaten-lembah-hijau-ringkasan-2022-2024-indikator.csv"))
            .unwrap();
    assert!(indikator.lines().next().unwrap().ends_with(",baseline,tahun_baseline"), "{indikator}");
}

/// Words in the PDFs are found by a viewer's search as they were typed (issue #20 §6). Every
/// word of every program and dimension name is a word of both documents' text, in the Ambon and
/// the kabupaten workspace. Kerning (pdftotext and viewers read `WAJAR` as `WA JAR`) shifts
/// glyphs by less than this reader's word gap: .ci/check-pdfs repeats this check with pdftotext.
#[test]
fn names_are_found_in_the_pdfs_as_typed() {
    let kabupaten = Test::empty();
    copy_tree(&repo().join("examples/kabupaten-lembah-hijau"), kabupaten.path());
    let _ = std::fs::remove_dir_all(kabupaten.path().join("out"));
    for test in [ambon(), kabupaten] {
        let out = test.cmd(&["build"]).stdout_snapshot().stderr_snapshot().run();
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        let ev: serde_json::Value =
            serde_json::from_str(&test.cmd(&["score", "--format", "json"]).stdout_json().run().stdout).unwrap();
        let names: Vec<&str> = ev["programs"]
            .as_array()
            .unwrap()
            .iter()
            .chain(ev["dimensions"].as_array().unwrap())
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert!(names.len() >= 9, "{names:?}");
        let trim = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        for pdf in std::fs::read_dir(test.path().join("out")).unwrap().map(|e| e.unwrap().path()) {
            if pdf.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            // Words as a text extractor (and so a viewer's search) separates them by glyph gaps.
            let text = pdf::text(&pdf);
            let words: std::collections::BTreeSet<String> = text.split_whitespace().map(trim).collect();
            for name in &names {
                for word in name.split_whitespace().map(trim).filter(|w| w.chars().count() > 1) {
                    assert!(words.contains(&word), "{}: `{word}` of `{name}` is not found as a word", pdf.display());
                }
            }
        }
    }
}

/// `--lang en` prints every number and predicate in English (issue #20 §6): `2.77 — Good`,
/// not `2,77 — Baik`, in the report and the slides alike.
#[test]
fn english_documents_print_english_numbers_and_predicates() {
    let test = ambon();
    let out = test
        .cmd(&["build", "--lang", "en"])
        .stdout_snapshot()
        .stderr("4 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for pdf in ["out/kota-ambon-2023-laporan-en.pdf", "out/kota-ambon-2023-slides-en.pdf"] {
        let text = text_of(&test.path().join(pdf));
        assert!(text.contains("2.77") && text.contains("Good"), "{pdf}: {text}");
        assert!(!text.contains("2,77") && !text.contains("Baik\n"), "{pdf} prints an Indonesian score: {text}");
    }
}

/// `trend()` of templates/lib/charts.typ, for a template that draws the indicator trends in
/// Typst: round ticks (1-2-5 steps from 0 past the highest value or target), the latest value
/// labelled with its unit, the target line named, years under the axis.
#[test]
fn the_typst_trend_chart_has_round_ticks_and_labels_its_latest_value() {
    let template = "#import \"/templates/lib/charts.typ\": *\n\
                    #set text(kerning: false)\n\
                    #trend((2020, 2021, 2022, 2023), (40, none, 120.5, 131), (none, 100, 125, 150), unit: \"orang\")\n\
                    #pagebreak()\n\
                    #trend((2022, 2023), (0.42, 0.7), (none, none), lang: \"en\")\n";
    let test = Test::base().file("templates/report.typ", template);
    let out = test.cmd(&["report"]).stdout("wrote out/kota-contoh-2023-laporan.pdf\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pages = pdf::pages_text(&test.path().join("out/kota-contoh-2023-laporan.pdf"));
    let words = |page: &str| page.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let first = words(&pages[0]);
    // Values and targets up to 150: 165 with headroom, steps of 50 → 0 · 50 · … · 200.
    for tick in ["0", "50", "100", "150", "200"] {
        assert!(first.iter().any(|w| w == tick), "tick {tick}: {first:?}");
    }
    assert!(!first.iter().any(|w| w == "165" || w == "173"), "a tick that is not round: {first:?}");
    assert!(pages[0].contains("131 orang"), "{}", pages[0]);
    assert!(first.iter().any(|w| w == "target"), "{first:?}");
    for year in ["2020", "2021", "2022", "2023"] {
        assert!(first.iter().any(|w| w == year), "{year}: {first:?}");
    }
    // Below 1: ticks of 0.2 with one decimal (English point), the latest value with two.
    let second = words(&pages[1]);
    for tick in ["0.0", "0.2", "0.4", "0.6", "0.8"] {
        assert!(second.iter().any(|w| w == tick), "tick {tick}: {second:?}");
    }
    assert!(second.iter().any(|w| w == "0.7"), "{second:?}");
    assert!(!second.iter().any(|w| w == "target"), "no target, no label: {second:?}");
}

/// The agenda lists exactly the sections the deck has, numbered in order: without weaknesses
/// (kendala) there is no Kendala slide and no agenda item; without follow-ups neither.
#[test]
fn the_agenda_lists_the_sections_the_deck_has() {
    let base = std::fs::read_to_string(crate::harness::corpus().join("_base/indicators/city.yaml")).unwrap();
    assert!(base.contains("weaknesses: [Anggaran terbatas]\nfollow_ups: [Dana CSR]\n"), "{base}");
    for (weaknesses, follow_ups, agenda) in [
        ("[Anggaran terbatas]", "[Dana CSR]", &["Kendala", "Rencana tindak lanjut"][..]),
        ("[]", "[Dana CSR]", &["Rencana tindak lanjut"][..]),
        ("[Anggaran terbatas]", "[]", &["Kendala"][..]),
        ("[]", "[]", &[][..]),
    ] {
        let city = base
            .replace("weaknesses: [Anggaran terbatas]", &format!("weaknesses: {weaknesses}"))
            .replace("follow_ups: [Dana CSR]", &format!("follow_ups: {follow_ups}"));
        let test = Test::base().file("indicators/city.yaml", city);
        test.cmd(&["slides"]).stdout("wrote out/kota-contoh-2023-slides.pdf\n").run();
        let pages = pdf::pages_text(&test.path().join("out/kota-contoh-2023-slides.pdf"));
        let listed: Vec<String> = pages[1]
            .lines()
            .filter_map(|l| l.split_once(". ").filter(|(n, _)| n.parse::<usize>().is_ok()))
            .map(|(n, item)| format!("{n}. {item}"))
            .collect();
        let mut expected: Vec<String> =
            ["Profil daerah", "Nilai evaluasi sementara", "Program per dimensi Smart City"].map(String::from).to_vec();
        expected.extend(agenda.iter().map(|s| (*s).to_string()));
        let expected: Vec<String> = expected.iter().enumerate().map(|(i, s)| format!("{}. {s}", i + 1)).collect();
        assert_eq!(listed, expected, "agenda page:\n{}", pages[1]);
        // Each listed section has its slide; an unlisted one has none.
        let titles: Vec<&str> = pages.iter().filter_map(|p| p.lines().next()).collect();
        for (section, listed) in [
            ("Kendala", agenda.contains(&"Kendala")),
            ("Rencana tindak lanjut", agenda.contains(&"Rencana tindak lanjut")),
        ] {
            assert_eq!(titles.contains(&section), listed, "{section}: {titles:?}");
        }
    }
}

/// A dimension without programs gets no chapter of its own (a page holding one sentence, four
/// of them for a city working in two dimensions): the report names them in one short chapter
/// after the dimensions that have programs, as the slides do, and the table of contents
/// follows. The base workspace has programs in Smart Environment only.
#[test]
fn dimensions_without_programs_share_one_short_chapter() {
    let test = Test::base().file(
        "indicators/programs/e-office.yaml",
        "id: e-office\nname: E-Office Terpadu\ndimension: governance\nsubdimension: layanan-publik\nopd: Diskominfo\nperiod: {start: 2023, end: 2025}\nstatus: berjalan\n",
    );
    for (lang, suffix, chapter, intro) in [
        ("id", "", "Dimensi tanpa program", "Belum ada program Smart City pada dimensi berikut:"),
        ("en", "-en", "Dimensions without programmes", "No smart city programme yet in these dimensions:"),
    ] {
        test.cmd(&["report", "--lang", lang]).stdout(format!("wrote out/kota-contoh-2023-laporan{suffix}.pdf\n")).run();
        let pages = pdf::pages_text(&test.path().join(format!("out/kota-contoh-2023-laporan{suffix}.pdf")));
        let words = |page: &str| page.split_whitespace().collect::<Vec<_>>().join(" ");
        // The table of contents: the two dimensions with programs, then the short chapter, each
        // numbered one after the other.
        let toc = words(&pages[1]);
        let numbered = |title: &str| {
            let at = toc.find(&format!(" {title} ")).unwrap_or_else(|| panic!("{title} not in the contents: {toc}"));
            toc[..at].rsplit(' ').next().unwrap().parse::<usize>().unwrap_or_else(|_| panic!("{title}: {toc}"))
        };
        let governance = numbered("Smart Governance");
        assert_eq!(numbered("Smart Environment"), governance + 1, "{toc}");
        assert_eq!(numbered(chapter), governance + 2, "{toc}");
        for empty in ["Smart Branding", "Smart Economy", "Smart Living", "Smart Society"] {
            assert!(!toc.contains(empty), "{empty} has no chapter: {toc}");
        }
        // Its one page lists the four, and no page says a dimension has nothing.
        let page = pages[2..]
            .iter()
            .map(|p| words(p))
            .find(|p| p.contains(&format!("{governance_next} {chapter}", governance_next = governance + 2)))
            .unwrap_or_else(|| panic!("no {chapter} page"));
        assert!(
            page.contains(&format!("{intro} • Smart Branding • Smart Economy • Smart Living • Smart Society")),
            "{page}"
        );
        let all = pages.join(" ");
        assert!(!all.contains("Belum ada program pada dimensi ini") && !all.contains("No program in this dimension"));
    }
}

/// English counts agree with their noun (`1 programme running`, `2 programmes running`) in the
/// slides, the report and the derivations it quotes; Indonesian has no plural and keeps its
/// one form. Two workspaces: one where every count is 1, one where they are not.
#[test]
fn english_counts_agree_with_their_nouns() {
    let mini = std::fs::read_to_string(crate::harness::corpus().join("_base/indicators/framework/mini.yaml")).unwrap();
    // Every count 1: under `missing: exclude` each aspect counts its one answer (Baseline a
    // manual, illustrative one; Impact one derived from one survey response); one running
    // programme; one funding source without its realisation.
    let one = Test::base()
        .file("indicators/framework/mini.yaml", mini.replace("missing: zero", "missing: exclude"))
        .file(
            "indicators/assessment/2023.yaml",
            "year: 2023\nanswers:\n  bl-1-1.1.1: {score: 3.0, source: ilustrasi}\n  im-1-4.1.1: {derive: true}\n",
        )
        .file(
            "data/budget/anggaran.csv",
            "program,year,source,planned,realized\ndaur-ulang,2023,apbd,1000000,800000\ndaur-ulang,2023,csr,500000,\n",
        )
        .file("data/survey/survei.csv", "respondent,question,score\nr1,im-1-4.1.1,3\n");
    // Counts of 2 and more.
    let many = Test::base()
        .file("indicators/assessment/2023.yaml", "year: 2023\nanswers:\n  bl-1-1.1.1: {score: 3.0, source: ilustrasi}\n  bl-1-1.2.1: {score: 2.0, source: ilustrasi}\n  im-1-4.1.1: {derive: true}\n")
        .file("indicators/programs/kompos.yaml", "id: kompos\nname: Rumah Kompos\ndimension: environment\nsubdimension: sampah-limbah\nopd: Dinas Lingkungan Hidup\nperiod: {start: 2023, end: 2025}\nstatus: berjalan\n")
        .file("data/budget/anggaran.csv", "program,year,source,planned,realized\ndaur-ulang,2023,apbd,1000000,\ndaur-ulang,2023,csr,500000,\n");
    let words = |test: &Test, pdf: &str| {
        crate::pdf::text(&test.path().join("out").join(pdf)).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let run = |test: &Test| {
        test.cmd(&["slides", "--lang", "en"])
            .stdout_unchecked("the file's name")
            .stderr_unchecked("warnings of the workspace")
            .run();
        test.cmd(&["report", "--lang", "en"])
            .stdout_unchecked("the file's name")
            .stderr_unchecked("warnings of the workspace")
            .run();
        (words(test, "kota-contoh-2023-slides-en.pdf"), words(test, "kota-contoh-2023-laporan-en.pdf"))
    };
    let (slides, report) = run(&one);
    assert!(slides.contains("1 programme running ·"), "{slides}");
    for expected in [
        "Baseline Weight 40% · aspect score 3.00 (mean of 1 question score)",
        "Impact Weight 60% · aspect score 3.00 (mean of 1 question score)",
        "1 funding source not yet reporting",
        "mean of 1 survey response to",
        "1 question score rests on illustrative data or scores (marked † in the aspect chapters); replace it with",
    ] {
        assert!(report.contains(expected), "{expected:?} not in:\n{report}");
    }
    let (slides, report) = run(&many);
    assert!(slides.contains("2 programmes running ·"), "{slides}");
    for expected in [
        "Unanswered: 1 question (Impact 1)",
        "0 of 3 answered questions have a document filed or linked",
        "(mean of 2 question scores)",
        "2 funding sources not yet reporting",
        "mean of 2 survey responses to",
        "2 question scores rest on illustrative data",
        "replace them with",
    ] {
        assert!(report.contains(expected), "{expected:?} not in:\n{report}");
    }
    // One answered question, its document named.
    let answered = Test::base().file(
        "indicators/assessment/2023.yaml",
        "year: 2023\nanswers:\n  bl-1-1.1.1: {score: 3.0, evidence: [Perwali]}\n",
    );
    let (_, report) = run(&answered);
    assert!(report.contains("0 of 1 answered question has a document filed or linked; 1 named only"), "{report}");
    // Indonesian: one form whatever the count.
    one.cmd(&["slides"]).stdout_unchecked("the file's name").stderr_unchecked("warnings of the workspace").run();
    assert!(words(&one, "kota-contoh-2023-slides.pdf").contains("1 program berjalan ·"));
}

/// city.yaml's facts reach the report's profile (§2): area, website and the sources the
/// figures come from, each only when given; the slides already show area and website.
#[test]
fn the_report_profile_lists_area_website_and_sources_when_given() {
    let city = std::fs::read_to_string(crate::harness::corpus().join("_base/indicators/city.yaml")).unwrap();
    let given = Test::base().file(
        "indicators/city.yaml",
        format!(
            "{city}area_km2: 98.46\nwebsite: https://banjarmasinkota.go.id\nsources:\n  - Banjarmasin Dalam Angka 2024 (BPS)\n  - \"Data #1 [DLH]\"\n"
        ),
    );
    let profile = |test: &Test, lang: &str| {
        let suffix = if lang == "en" { "-en" } else { "" };
        test.cmd(&["report", "--lang", lang]).stdout(format!("wrote out/kota-contoh-2023-laporan{suffix}.pdf\n")).run();
        let pages = pdf::pages_text(&test.path().join(format!("out/kota-contoh-2023-laporan{suffix}.pdf")));
        let heading = if lang == "en" { "2 City Profile and Institutions" } else { "2 Profil Kota dan Kelembagaan" };
        pages[2..]
            .iter()
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .find(|p| p.contains(heading))
            .unwrap_or_else(|| panic!("no profile page"))
    };
    let page = profile(&given, "id");
    assert!(
        page.contains("Luas wilayah 98,46 km² Situs web https://banjarmasinkota.go.id Instrumen Instrumen uji Sumber data • Banjarmasin Dalam Angka 2024 (BPS) • Data #1 [DLH]"),
        "{page}"
    );
    let page = profile(&given, "en");
    assert!(
        page.contains("Area 98.46 km² Website https://banjarmasinkota.go.id Instrument Instrumen uji Sources • Banjarmasin Dalam Angka 2024 (BPS) • Data #1 [DLH]"),
        "{page}"
    );
    // One source is a line, not a list.
    let one =
        Test::base().file("indicators/city.yaml", format!("{city}sources: [Banjarmasin Dalam Angka 2024 (BPS)]\n"));
    let page = profile(&one, "id");
    assert!(page.contains("Instrumen Instrumen uji Sumber data Banjarmasin Dalam Angka 2024 (BPS) 2.1"), "{page}");
    // Absent, nothing is said about them.
    let page = profile(&Test::base(), "id");
    for absent in ["Luas wilayah", "Situs web", "Sumber data", "km²"] {
        assert!(!page.contains(absent), "{absent}: {page}");
    }
}

/// A 1 × 1 GIF without transparency (so no soft mask beside it): the smallest real image.
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

/// city.yaml's `logo` was checked but printed nowhere (reliability probe 10e): the report's cover
/// and the title slide now show it; a file that is not the image its name says stops validate
/// before any document is made.
#[test]
fn the_city_logo_is_printed_on_the_cover_and_the_title_slide() {
    let test = Test::base();
    test.cmd(&["build"]).stdout_unchecked("wrote lines").run();
    for pdf in ["out/kota-contoh-2023-laporan.pdf", "out/kota-contoh-2023-slides.pdf"] {
        assert_eq!(pdf::images(&test.path().join(pdf)), [], "{pdf}: no logo, no image");
    }
    let city = std::fs::read_to_string(test.path().join("indicators/city.yaml")).unwrap();
    let test = test
        .file("templates/assets/logo kota.gif", GIF)
        .file("indicators/city.yaml", format!("{city}logo: logo kota.gif\n"));
    test.cmd(&["validate"]).stdout("no problems found\n").run();
    test.cmd(&["build"]).stdout_unchecked("wrote lines").run();
    for pdf in ["out/kota-contoh-2023-laporan.pdf", "out/kota-contoh-2023-slides.pdf"] {
        let path = test.path().join(pdf);
        assert_eq!(pdf::images(&path), [(1, 1)], "{pdf}: the logo, once");
        assert!(pdf::pages_text(&path)[0].contains("Kota Contoh"), "{pdf}: the first page is still the title");
    }
    // Text saved as .png: said at city.yaml, not left to a typst error.
    let test = test.file("templates/assets/logo kota.gif", "<html>not found</html>");
    let out = test.cmd(&["validate"]).status(1).stdout_unchecked("asserted below").run();
    assert!(
        out.stdout.starts_with("error[bad-value]: logo `logo kota.gif` is not a GIF image: its content is something else\n  --> indicators/city.yaml:"),
        "{}",
        out.stdout
    );
}
