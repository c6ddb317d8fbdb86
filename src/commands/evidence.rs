//! `evidence`: the bukti dukung checklist — per question its documents (filed / named only /
//! missing) and who owes them, coverage per aspect and per OPD — in the terminal, as JSON, or
//! as the xlsx a coordinator sends to each OPD.
//!
//! Documents that cannot be found do not stop it: finding them is what the checklist is for.
//! Any other error does (the scores would be wrong).

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use super::score::truncate;
use super::{Outcome, print};
use crate::checklist::{Checklist, Coverage, NO_OPD, OpdRef, checklist, find_opd, known_opds};
use crate::cli::{EvidenceArgs, EvidenceFormat, Lang};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, render_human, suggest};
use crate::evidence::DocStatus;

/// Errors about evidence files: the checklist shows those documents as missing.
const EVIDENCE_ERRORS: [&str; 4] = ["evidence-missing", "evidence-outside", "evidence-wrong-case", "bad-evidence"];

pub fn run(root: &Path, args: &EvidenceArgs, wait: bool, color: bool) -> Outcome {
    let _lock = match args.format {
        EvidenceFormat::Xlsx => Some(crate::outdir::lock(root, wait).map_err(Box::new)?),
        _ => None,
    };
    let (list, evaluation) = match prepare(root, args.year, args.opd.as_deref(), color)? {
        Ok(pair) => pair,
        Err(code) => return Ok(code),
    };
    match args.format {
        EvidenceFormat::Json => {
            let json = serde_json::to_string_pretty(&list).map_err(|e| {
                Box::new(Diagnostic::error("internal", format!("cannot write the checklist as JSON: {e}")))
            })?;
            print(&format!("{json}\n"));
        }
        EvidenceFormat::Human => print(&human(&list, args.lang)),
        EvidenceFormat::Xlsx => {
            let out = root.join("out");
            let bytes = crate::export::checklist::xlsx(&list, &evaluation, args.lang).map_err(|e| {
                Box::new(
                    Diagnostic::error("export-failed", format!("cannot build the checklist: {e}"))
                        .at(Location::file(&out)),
                )
            })?;
            let name = match &list.opd_filter {
                Some(o) => {
                    format!("{}-{}-bukti-dukung-{}.xlsx", list.city_slug, list.year, crate::slug::slugify(&o.key))
                }
                None => format!("{}-{}-bukti-dukung.xlsx", list.city_slug, list.year),
            };
            let path = crate::export::write(&out.join(name), &bytes).map_err(Box::new)?;
            print(&format!("wrote {}\n", path.strip_prefix(root).unwrap_or(&path).display()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads, validates and scores the workspace and builds the checklist. Evidence path errors
/// are reported as one line (the documents show as missing); other errors end with exit 1.
pub(super) fn prepare(
    root: &Path,
    year: Option<i32>,
    opd: Option<&str>,
    color: bool,
) -> Result<Result<(Checklist, crate::evaluation::Evaluation), ExitCode>, Box<Diagnostic>> {
    let mut diagnostics = Diagnostics::default();
    let workspace = crate::workspace::Workspace::discover(root, &mut diagnostics).map_err(Box::new)?;
    let loaded = crate::load::load(workspace, &mut diagnostics);
    crate::validate::check(&loaded, &mut diagnostics);
    if diagnostics.iter().any(|d| d.is_error() && !EVIDENCE_ERRORS.contains(&d.code)) {
        super::eprint(&render_human(&diagnostics, color));
        return Ok(Err(ExitCode::from(1)));
    }
    let evaluation = crate::evaluate::evaluate(&loaded, year).map_err(Box::new)?;
    let known = known_opds(&loaded);
    let only = match opd {
        None => None,
        Some(wanted) => Some(find_opd(&known, wanted).cloned().ok_or_else(|| unknown_opd(wanted, &known))?),
    };
    let list = checklist(&loaded, &evaluation, only.as_ref());
    let unfound = diagnostics.iter().filter(|d| d.is_error()).count();
    if unfound > 0 {
        super::eprint(&format!(
            "{unfound} document path(s) lead to no file under evidence/ (shown as missing); run `smartcity-eval validate` to see why\n"
        ));
    }
    Ok(Ok((list, evaluation)))
}

pub(super) fn unknown_opd(wanted: &str, known: &[OpdRef]) -> Box<Diagnostic> {
    let keys: Vec<&str> = known.iter().map(|o| o.key.as_str()).collect();
    let help = match suggest(wanted, keys.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if keys.is_empty() => {
            "no program, answer or document names an OPD yet (`opd:`, `smartcity-eval docs format` §7.2)".into()
        }
        None => format!("OPDs of this workspace: {}", keys.iter().take(20).copied().collect::<Vec<_>>().join(", ")),
    };
    Box::new(Diagnostic::error("dangling-reference", format!("unknown OPD `{wanted}`")).help(help))
}

struct Words {
    title: &'static str,
    instrument: &'static str,
    only: &'static str,
    score: &'static str,
    unanswered: &'static str,
    no_opd: &'static str,
    pages: &'static str,
    programs: &'static str,
    per_aspect: &'static str,
    per_opd: &'static str,
    header: [&'static str; 10],
    total: &'static str,
    /// Added to `total` when scores derived from data have no document.
    derived: &'static str,
    documents: &'static str,
}

const ID: Words = Words {
    title: "Bukti dukung",
    instrument: "instrumen",
    only: "hanya OPD",
    score: "nilai",
    unanswered: "belum dijawab",
    no_opd: "OPD belum ditentukan",
    pages: "hlm.",
    programs: "Bukti dukung program",
    per_aspect: "Cakupan per aspek",
    per_opd: "Cakupan per OPD",
    header: ["pert.", "dijawab", "berkas", "disebut", "tanpa", "belum", "%berkas", "dok.ada", "tautan", "terutang"],
    total: "Jumlah: {answered} pertanyaan dijawab — {filed} dengan berkas atau tautan, {named} hanya disebut, {none} tanpa bukti{derived}; {unanswered} belum dijawab",
    derived: ", {n} diturunkan dari data tanpa dokumen (tidak wajib)",
    documents: "Dokumen (program termasuk): {filed} ada berkas, {linked} tautan, {named} baru disebut, {missing} berkas hilang — {owed} masih terutang",
};

const EN: Words = Words {
    title: "Evidence (bukti dukung)",
    instrument: "instrument",
    only: "only OPD",
    score: "score",
    unanswered: "unanswered",
    no_opd: "no OPD assigned",
    pages: "p.",
    programs: "Program evidence",
    per_aspect: "Coverage per aspect",
    per_opd: "Coverage per OPD",
    header: ["quest.", "answrd", "filed", "named", "none", "unansw", "%filed", "docs", "linked", "owed"],
    total: "Total: {answered} {questions} answered — {filed} with a filed or linked document, {named} named only, {none} without evidence{derived}; {unanswered} unanswered",
    derived: ", {n} derived from data without a document (none required)",
    documents: "Documents (programs included): {filed} filed, {linked} linked, {named} named only, {missing} missing — {owed} still owed",
};

fn opd_name(w: &Words, o: &OpdRef) -> String {
    if o.key == NO_OPD { w.no_opd.to_string() } else { o.name.clone() }
}

/// One document: mark, status, title, then where it is, pages, date and — when another than
/// the answer's (the program's) — its OPD.
fn document_line(w: &Words, d: &crate::checklist::DocumentEvidence, default: Option<&OpdRef>, lang: Lang) -> String {
    let mark = match d.status {
        DocStatus::Filed => "✓",
        DocStatus::Linked => "↗",
        DocStatus::Named => "○",
        DocStatus::Missing => "✗",
    };
    let mut line = format!("{mark} {:<13} {}", d.status.word(lang), truncate(&d.title, 90));
    let mut facts: Vec<String> = Vec::new();
    if let Some(place) = d.file.as_ref().or(d.url.as_ref())
        && *place != d.title
    {
        facts.push(place.clone());
    }
    if let Some(p) = &d.pages {
        facts.push(format!("{} {p}", w.pages));
    }
    if let Some(date) = &d.date {
        facts.push(crate::render::format::date(
            date,
            if lang == Lang::En { crate::render::Lang::En } else { crate::render::Lang::Id },
        ));
    }
    if d.opd.key != NO_OPD && default != Some(&d.opd) {
        facts.push(format!("OPD: {}", d.opd.name));
    }
    if !facts.is_empty() {
        let _ = write!(line, " — {}", facts.join(", "));
    }
    line
}

const ROW: usize = 34;

fn coverage_row(out: &mut String, name: &str, questions: usize, c: &Coverage) {
    let share = c.share_filed().map_or_else(|| "–".to_string(), |s| format!("{:.0}%", s * 100.0));
    let _ = writeln!(
        out,
        "  {:<ROW$} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}",
        truncate(name, ROW),
        questions,
        c.answered,
        c.filed,
        c.named,
        c.none,
        c.unanswered,
        share,
        c.documents_filed,
        c.documents_linked,
        c.owed()
    );
}

fn fill(w: &Words, c: &Coverage) -> String {
    let derived = if c.derived > 0 { w.derived.replace("{n}", &c.derived.to_string()) } else { String::new() };
    // English agrees the noun with its count; `pertanyaan` has no plural form.
    let questions = if c.answered == 1 { "question" } else { "questions" };
    w.total
        .replace("{derived}", &derived)
        .replace("{questions}", questions)
        .replace("{answered}", &c.answered.to_string())
        .replace("{filed}", &c.filed.to_string())
        .replace("{named}", &c.named.to_string())
        .replace("{none}", &c.none.to_string())
        .replace("{unanswered}", &c.unanswered.to_string())
}

fn fill_documents(template: &str, c: &Coverage) -> String {
    template
        .replace("{filed}", &c.documents_filed.to_string())
        .replace("{linked}", &c.documents_linked.to_string())
        .replace("{named}", &c.documents_named.to_string())
        .replace("{missing}", &c.documents_missing.to_string())
        .replace("{owed}", &c.owed().to_string())
}

pub fn human(list: &Checklist, lang: Lang) -> String {
    let w = if lang == Lang::En { &EN } else { &ID };
    let mut out = String::new();
    let _ = writeln!(out, "{} · {} {} · {} {}", w.title, list.city, list.year, w.instrument, list.instrument);
    if let Some(o) = &list.opd_filter {
        let contact = o.contact.as_ref().map(|c| format!(" · {c}")).unwrap_or_default();
        let _ = writeln!(out, "{}: {}{contact}", w.only, opd_name(w, o));
    }
    let mut aspect = "";
    for q in &list.questions {
        if q.aspect != aspect {
            aspect = &q.aspect;
            let _ = writeln!(out, "\n{}", q.aspect_name);
        }
        let _ = writeln!(out, "  {}", truncate(&q.label, 110));
        let score = match (&q.score, &q.score_display) {
            (Some(s), Some(display)) => {
                format!("{} {}", w.score, if lang == Lang::En { format!("{s:.2}") } else { display.clone() })
            }
            _ => w.unanswered.to_string(),
        };
        let opd = if q.opd.is_empty() {
            w.no_opd.to_string()
        } else {
            format!("OPD: {}", q.opd.iter().map(|o| opd_name(w, o)).collect::<Vec<_>>().join("; "))
        };
        let _ = writeln!(out, "      {score} · {opd}");
        if q.documents.is_empty() {
            match q.standing {
                crate::checklist::Standing::Unanswered => {}
                crate::checklist::Standing::Derived => {
                    let _ = writeln!(out, "      · {}", crate::evidence::derived_word(lang));
                }
                _ => {
                    let _ = writeln!(out, "      ! {}", crate::evidence::no_evidence_word(lang));
                }
            }
        }
        for d in &q.documents {
            let _ = writeln!(out, "      {}", document_line(w, d, q.answer_opd.as_ref(), lang));
        }
    }
    if !list.programs.is_empty() {
        let _ = writeln!(out, "\n{}", w.programs);
        for p in &list.programs {
            let _ = writeln!(out, "  {} · OPD: {}", p.name, opd_name(w, &p.opd));
            for d in &p.documents {
                let _ = writeln!(out, "      {}", document_line(w, d, Some(&p.opd), lang));
            }
        }
    }
    let header = |out: &mut String, title: &str| {
        let h = &w.header;
        let _ = writeln!(
            out,
            "\n{title}\n  {:<ROW$} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}",
            "", h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9]
        );
    };
    header(&mut out, w.per_aspect);
    for a in &list.aspects {
        coverage_row(&mut out, &a.name, a.questions, &a.coverage);
    }
    header(&mut out, w.per_opd);
    for o in &list.opds {
        coverage_row(&mut out, &opd_name(w, &o.opd), o.questions, &o.coverage);
    }
    let _ = writeln!(out, "\n{}", fill(w, &list.totals));
    let _ = writeln!(out, "{}", fill_documents(w.documents, &list.totals));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_total_agrees_its_noun_with_the_count() {
        let one = Coverage { answered: 1, filed: 1, ..Coverage::default() };
        assert!(fill(&EN, &one).starts_with("Total: 1 question answered — 1 with"), "{}", fill(&EN, &one));
        let two = Coverage { answered: 2, filed: 2, ..Coverage::default() };
        assert!(fill(&EN, &two).starts_with("Total: 2 questions answered"), "{}", fill(&EN, &two));
        assert!(fill(&ID, &one).starts_with("Jumlah: 1 pertanyaan dijawab"), "{}", fill(&ID, &one));
    }
}
