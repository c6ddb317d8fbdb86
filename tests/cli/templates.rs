//! The report template in parts (templates/report/<nn-chapter>.typ, included by report.typ):
//! a city overrides one chapter, errors name the chapter's file, the build knows a chapter
//! belongs to the report alone; localised text and the running header.

use crate::harness::{Test, copy_tree, repo};
use crate::pdf;

/// Whitespace-separated words joined by one space: a PDF's lines break where a sentence wraps.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ambon() -> Test {
    let test = Test::empty();
    for dir in ["indicators", "data", "templates", "evidence"] {
        copy_tree(&repo().join(dir), &test.path().join(dir));
    }
    test
}

/// One chapter written by the city replaces the shipped one; the other chapters stay the tool's.
/// Its values are escaped like the main file's (a city name with `#` prints as written).
#[test]
fn a_city_overrides_one_chapter_of_the_report() {
    let test = Test::base().file(
        "templates/report/09-appendix.typ",
        "= Lampiran Kota\nDisusun untuk {{ v.ev.city.city }} #text(fill: red)[sendiri].\n",
    );
    let city = std::fs::read_to_string(test.path().join("indicators/city.yaml")).unwrap();
    let test = test.file("indicators/city.yaml", city.replace("city: Kota Contoh", "city: \"Kota #Contoh\""));
    let out = test.cmd(&["report"]).stdout("wrote out/kota-contoh-2023-laporan.pdf\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = flat(&pdf::text(&test.path().join("out/kota-contoh-2023-laporan.pdf")));
    assert!(text.contains("Lampiran Kota") && text.contains("Disusun untuk Kota #Contoh sendiri."), "{text}");
    // The shipped chapters around it are still there; the shipped appendix is not.
    assert!(text.contains("Ringkasan Eksekutif") && text.contains("Kekuatan"), "{text}");
    assert!(!text.contains("Glosarium"), "the shipped appendix was rendered too: {text}");
}

/// A tera error and a Typst error in a chapter are reported at the chapter's file and line.
#[test]
fn errors_in_a_chapter_name_the_chapter_file() {
    let test = Test::base().file("templates/report/03-profile.typ", "= Profil\n\nbaris tiga {{ v.nosuch.field }}\n");
    let out = test.cmd(&["report"]).status(1).stderr("error[template-error]: error: Field `nosuch` is not defined. Available fields: aspects, constraint_slides, date, dimension_slides, dimensions, empty_dimensions, ev, evidence, follow_up_slides, history_instrument_changed, illustrative, illustrative_gaps, institution_slides, lang, listed_gaps, profile_slide, rpjmd_slides, rpjmd_unaligned, rpjmd_unaligned_more, stage, strength_slides, summary_gaps, unanswered, unanswered_b… (cut)\n  --> templates/report/03-profile.typ:3:17\n  = help: fix the template; values are written `{{ v.ev.city.city }}`, blocks `{% for … %}`\n1 error, 0 warnings\n").run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("error[template-error]"), "{}", out.stderr);
    assert!(out.stderr.contains("templates/report/03-profile.typ:3:"), "{}", out.stderr);

    let test = Test::base().file("templates/report/03-profile.typ", "= Profil\n#tidakada(1)\n");
    let out = test.cmd(&["report"]).status(1).stderr("error[typst-error]: unknown variable: tidakada (in generated line `#tidakada(1)`)\n  --> templates/report/03-profile.typ:2\n  = help: run with --keep-typ to see the generated Typst next to the PDF\n1 error, 0 warnings\n").run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("error[typst-error]"), "{}", out.stderr);
    assert!(out.stderr.contains("templates/report/03-profile.typ:2"), "{}", out.stderr);

    // A main file including a part that does not exist: located in the main file.
    let test = Test::base().file("templates/report.typ", "= Laporan\n{% include \"report/99-tidak-ada.typ\" %}\n");
    let out = test.cmd(&["report"]).status(1).stderr("error[template-error]: error: Unknown template `report/99-tidak-ada.typ`\n  --> templates/report.typ:2:12\n  = help: fix the template; values are written `{{ v.ev.city.city }}`, blocks `{% for … %}`\n1 error, 0 warnings\n").run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("templates/report.typ:2"), "{}", out.stderr);
}

/// Editing a chapter makes the report stale, not the slides nor the workbook.
#[test]
fn a_chapter_edit_makes_only_the_report_stale() {
    let test = Test::base();
    assert_eq!(test.cmd(&["build"]).stdout("Kota Contoh 2023: final score 2,65 (–)\nwrote out/kota-contoh-2023-laporan.pdf\nwrote out/kota-contoh-2023-slides.pdf\nwrote out/kota-contoh-2023-ringkasan.xlsx\n").run().code, 0);
    let shipped = std::fs::read_to_string(repo().join("templates/report/07-cohort.typ")).unwrap();
    let test = test.file("templates/report/07-cohort.typ", format!("{shipped}\n"));
    let check = test.cmd(&["build", "--check"]).status(1).stdout("stale (inputs or file changed): out/kota-contoh-2023-laporan.pdf\nrun `smartcity-eval build` to regenerate them\n").run();
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check.stdout.contains("stale (inputs or file changed): out/kota-contoh-2023-laporan.pdf"),
        "{}",
        check.stdout
    );
    assert!(!check.stdout.contains("slides") && !check.stdout.contains("ringkasan"), "{}", check.stdout);
}

/// The English report reads every localised field in English: the aspects' names (the
/// instrument's `name_en`) and the tool's gap sentences (`message`, not `message_id`).
#[test]
fn the_english_report_names_aspects_and_gaps_in_english() {
    let test = ambon();
    let out = test.cmd(&["report", "--lang", "en"]).stdout("wrote out/kota-ambon-2023-laporan-en.pdf\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = flat(&pdf::text(&test.path().join("out/kota-ambon-2023-laporan-en.pdf")));
    let ev: serde_json::Value =
        serde_json::from_str(&test.cmd(&["score", "--format", "json"]).stdout_json().run().stdout).unwrap();
    for aspect in ev["scorecard"]["aspects"].as_array().unwrap() {
        let (name, english) = (aspect["name"].as_str().unwrap(), aspect["name_en"].as_str().unwrap());
        assert!(text.contains(&format!("{english} ")), "no `{english}`");
        assert!(!text.contains(name), "the Indonesian `{name}` in the English report");
    }
    let listed =
        |g: &&serde_json::Value| !matches!(g["kind"].as_str(), Some("illustrative" | "unanswered" | "no-evidence"));
    let gaps: Vec<&serde_json::Value> = ev["scorecard"]["gaps"].as_array().unwrap().iter().filter(listed).collect();
    assert!(!gaps.is_empty(), "Ambon lists gaps");
    for g in gaps {
        let (en, id) = (flat(g["message"].as_str().unwrap()), flat(g["message_id"].as_str().unwrap()));
        assert!(text.contains(&en), "gap `{en}` not in English");
        assert!(en == id || !text.contains(&id), "gap `{id}` in Indonesian");
    }
}

/// The running header names the instrument (not its id), beside the city and year.
#[test]
fn the_page_header_names_the_instrument() {
    let test = ambon();
    let out = test.cmd(&["report"]).stdout("wrote out/kota-ambon-2023-laporan.pdf\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let pages = pdf::pages_text(&test.path().join("out/kota-ambon-2023-laporan.pdf"));
    let ev: serde_json::Value =
        serde_json::from_str(&test.cmd(&["score", "--format", "json"]).stdout_json().run().stdout).unwrap();
    let name = flat(ev["instrument"]["name"].as_str().unwrap());
    let id = ev["instrument"]["id"].as_str().unwrap();
    for page in &pages[1..] {
        let page = flat(page);
        assert!(page.contains(&name) && page.contains("Kota Ambon · Evaluasi Smart City 2023"), "{page}");
        // The id is printed only where the appendix lists the instrument's file.
        assert!(
            page.matches(id).count() == page.matches(&format!("{id}.yaml")).count(),
            "the id in the header: {page}"
        );
    }
}
