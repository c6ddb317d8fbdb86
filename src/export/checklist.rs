//! The bukti dukung checklist as xlsx: what a coordinator sends to each OPD. Sheets: `Ringkasan`
//! (coverage per OPD), `Aspek` (coverage per aspect), `Semua` (every question and document),
//! then one sheet per OPD with the documents it owes — in English (`Summary`, `Aspects`, `All`)
//! with `--lang en`. The same inputs give the same bytes.

use std::collections::BTreeSet;

use rust_xlsxwriter::XlsxError;

use super::tables::{Cell, Kind};
use super::{Page, write_sheet};
use crate::checklist::{Checklist, Coverage, DocumentEvidence, NO_OPD, OpdRef, QuestionEvidence, Standing};
use crate::evaluation::{Evaluation, ScoreStatus};
use crate::lang::Lang;

/// The workbook's words in one language (the status words are `DocStatus::word`'s).
struct Words {
    lang: Lang,
    title: &'static str,
    unassigned: &'static str,
    answers: [&'static str; 4],
    rows: [&'static str; 14],
    program: &'static str,
    coverage: [&'static str; 11],
    summary: [&'static str; 5],
    total: &'static str,
    aspect: &'static str,
    sheets: [&'static str; 3],
    no_opd_sheet: &'static str,
}

const ID: Words = Words {
    lang: Lang::Id,
    title: "Bukti dukung",
    unassigned: "(belum ditentukan)",
    answers: ["dinilai", "diturunkan dari data", "tidak dapat diturunkan", "belum dijawab"],
    rows: [
        "No.",
        "Indikator",
        "Pertanyaan",
        "Aspek",
        "Jawaban",
        "Nilai",
        "Status dokumen",
        "Dokumen",
        "Berkas / tautan",
        "OPD",
        "Tanggal",
        "Halaman",
        "Catatan",
        "id",
    ],
    program: "Program",
    coverage: [
        "Pertanyaan dijawab",
        "Dengan berkas/tautan",
        "Hanya disebut",
        "Tanpa bukti",
        "Dari data, tanpa dokumen",
        "Belum dijawab",
        "Cakupan berkas",
        "Dokumen ada berkas",
        "Dokumen tautan",
        "Dokumen baru disebut",
        "Berkas hilang",
    ],
    summary: ["OPD", "Nama", "Kontak", "Pertanyaan", "Dokumen terutang"],
    total: "Jumlah",
    aspect: "Aspek",
    sheets: ["Ringkasan", "Aspek", "Semua"],
    no_opd_sheet: "Tanpa OPD",
};

const EN: Words = Words {
    lang: Lang::En,
    title: "Evidence",
    unassigned: "(not assigned)",
    answers: ["self-assessed", "derived from data", "underivable", "unanswered"],
    rows: [
        "No.",
        "Indicator",
        "Question",
        "Aspect",
        "Answer",
        "Score",
        "Document status",
        "Document",
        "File / link",
        "OPD",
        "Date",
        "Pages",
        "Note",
        "id",
    ],
    program: "Program",
    coverage: [
        "Questions answered",
        "With file/link",
        "Named only",
        "Without evidence",
        "From data, no document",
        "Unanswered",
        "Filed coverage",
        "Documents filed",
        "Documents linked",
        "Documents named only",
        "Documents missing",
    ],
    summary: ["OPD", "Name", "Contact", "Questions", "Documents owed"],
    total: "Total",
    aspect: "Aspect",
    sheets: ["Summary", "Aspects", "All"],
    no_opd_sheet: "No OPD",
};

fn answer_word(w: &Words, status: ScoreStatus) -> &'static str {
    match status {
        ScoreStatus::Manual => w.answers[0],
        ScoreStatus::Derived => w.answers[1],
        ScoreStatus::Underivable => w.answers[2],
        ScoreStatus::Unanswered => w.answers[3],
    }
}

/// The kinds of the row columns (their names are `Words::rows`).
const ROW_KINDS: [Kind; 14] = [
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Number,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
    Kind::Text,
];

fn row_columns(w: &Words) -> Vec<(&'static str, Kind)> {
    w.rows.iter().copied().zip(ROW_KINDS).collect()
}

fn opd_cell(w: &Words, o: &OpdRef) -> Cell {
    if o.key == NO_OPD { Cell::Text(w.unassigned.into()) } else { Cell::Text(o.name.clone()) }
}

fn question_cells(w: &Words, q: &QuestionEvidence) -> Vec<Cell> {
    vec![
        q.number.as_str().into(),
        q.indicator_name.as_str().into(),
        q.text.as_str().into(),
        q.aspect_name.as_str().into(),
        answer_word(w, q.status).into(),
        q.score.into(),
    ]
}

fn document_cells(w: &Words, d: &DocumentEvidence) -> Vec<Cell> {
    vec![
        d.status.word(w.lang).into(),
        d.title.as_str().into(),
        d.file.clone().or_else(|| d.url.clone()).into(),
        opd_cell(w, &d.opd),
        d.date.clone().into(),
        d.pages.clone().into(),
        d.note.clone().into(),
    ]
}

/// Rows of the questions and program documents `keep` selects; a question with no document
/// (of those kept) is one row saying so, when `bare` accepts it.
fn rows(
    w: &Words,
    list: &Checklist,
    keep: &dyn Fn(&DocumentEvidence) -> bool,
    bare: &dyn Fn(&QuestionEvidence) -> bool,
) -> Vec<Vec<Cell>> {
    let mut out = Vec::new();
    for q in &list.questions {
        let docs: Vec<&DocumentEvidence> = q.documents.iter().filter(|d| keep(d)).collect();
        if docs.is_empty() {
            if bare(q) {
                let mut row = question_cells(w, q);
                let owner = q.answer_opd.as_ref().map_or_else(|| Cell::Text(w.unassigned.into()), |o| opd_cell(w, o));
                let status = match q.standing {
                    Standing::Unanswered => "—",
                    Standing::Derived => crate::evidence::derived_word(w.lang),
                    _ => crate::evidence::no_evidence_word(w.lang),
                };
                row.extend([status.into(), Cell::Empty, Cell::Empty, owner, Cell::Empty, Cell::Empty, Cell::Empty]);
                row.push(q.id.as_str().into());
                out.push(row);
            }
            continue;
        }
        for d in docs {
            let mut row = question_cells(w, q);
            row.extend(document_cells(w, d));
            row.push(q.id.as_str().into());
            out.push(row);
        }
    }
    for p in &list.programs {
        for d in p.documents.iter().filter(|d| keep(d)) {
            let mut row: Vec<Cell> =
                vec![w.program.into(), p.name.as_str().into(), Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty];
            row.extend(document_cells(w, d));
            row.push(p.id.as_str().into());
            out.push(row);
        }
    }
    out
}

fn coverage_columns(w: &Words) -> Vec<(&'static str, Kind)> {
    let kinds = [Kind::Int, Kind::Int, Kind::Int, Kind::Int, Kind::Int, Kind::Int, Kind::Percent];
    w.coverage.iter().copied().zip(kinds.into_iter().chain(std::iter::repeat(Kind::Int))).collect()
}

fn coverage_cells(c: &Coverage) -> Vec<Cell> {
    vec![
        c.answered.into(),
        c.filed.into(),
        c.named.into(),
        c.none.into(),
        c.derived.into(),
        c.unanswered.into(),
        c.share_filed().into(),
        c.documents_filed.into(),
        c.documents_linked.into(),
        c.documents_named.into(),
        c.documents_missing.into(),
    ]
}

/// A sheet name Excel takes: at most 31 characters, none of `[]:*?/\`, unique (case-insensitive).
fn sheet_name(wanted: &str, taken: &mut BTreeSet<String>) -> String {
    let clean: String =
        wanted.chars().map(|c| if "[]:*?/\\".contains(c) { '-' } else { c }).collect::<String>().trim().to_string();
    let base: String = clean.trim_matches('\'').chars().take(31).collect();
    let base = if base.is_empty() { "OPD".to_string() } else { base };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", base.chars().take(31 - suffix.chars().count()).collect::<String>());
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

pub fn xlsx(list: &Checklist, ev: &Evaluation, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let w = if lang == Lang::En { &EN } else { &ID };
    let (mut workbook, _) = super::dated_workbook(ev, format!("{} {} {}", w.title, list.city, list.year))?;
    let mut taken: BTreeSet<String> = w.sheets.iter().map(|s| s.to_lowercase()).collect();

    let [opd, name, contact, questions, owed] = w.summary;
    let mut columns: Vec<(&str, Kind)> = vec![(opd, Kind::Text), (name, Kind::Text), (contact, Kind::Text)];
    columns.push((questions, Kind::Int));
    columns.extend(coverage_columns(w));
    columns.push((owed, Kind::Int));
    let mut summary: Vec<Vec<Cell>> = list
        .opds
        .iter()
        .map(|o| {
            let mut row: Vec<Cell> = vec![
                if o.opd.key == NO_OPD { w.unassigned.into() } else { o.opd.key.as_str().into() },
                o.opd.name.as_str().into(),
                o.opd.contact.clone().into(),
                o.questions.into(),
            ];
            row.extend(coverage_cells(&o.coverage));
            row.push(o.coverage.owed().into());
            row
        })
        .collect();
    let mut total: Vec<Cell> = vec![w.total.into(), Cell::Empty, Cell::Empty, list.questions.len().into()];
    total.extend(coverage_cells(&list.totals));
    total.push(list.totals.owed().into());
    summary.push(total);
    let city = list.city.as_str();
    let page = |sheet: &str| format!("{} — {sheet}", w.title);
    write_sheet(workbook.add_worksheet(), w.sheets[0], &columns, &summary, &Page { title: &page(w.sheets[0]), city })?;

    let mut columns: Vec<(&str, Kind)> = vec![(w.aspect, Kind::Text), (questions, Kind::Int)];
    columns.extend(coverage_columns(w));
    let aspects: Vec<Vec<Cell>> = list
        .aspects
        .iter()
        .map(|a| {
            let mut row: Vec<Cell> = vec![a.name.as_str().into(), a.questions.into()];
            row.extend(coverage_cells(&a.coverage));
            row
        })
        .collect();
    write_sheet(workbook.add_worksheet(), w.sheets[1], &columns, &aspects, &Page { title: &page(w.sheets[1]), city })?;

    let row_columns = row_columns(w);
    let all = rows(w, list, &|_| true, &|_| true);
    write_sheet(workbook.add_worksheet(), w.sheets[2], &row_columns, &all, &Page { title: &page(w.sheets[2]), city })?;

    for o in &list.opds {
        let key = o.opd.key.clone();
        let own = rows(w, list, &|d| d.opd.key == key, &|q| {
            q.documents.is_empty() && q.answer_opd.as_ref().map_or(key == NO_OPD, |a| a.key == key)
        });
        let wanted = if key == NO_OPD { w.no_opd_sheet.to_string() } else { key.clone() };
        let title = page(&wanted);
        write_sheet(
            workbook.add_worksheet(),
            &sheet_name(&wanted, &mut taken),
            &row_columns,
            &own,
            &Page { title: &title, city },
        )?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken: BTreeSet<String> = ["semua".to_string()].into_iter().collect();
        assert_eq!(sheet_name("diskominfo", &mut taken), "diskominfo");
        assert_eq!(sheet_name("Semua", &mut taken), "Semua (2)");
        assert_eq!(sheet_name("Dinas P/U [Bina Marga]: Jalan?", &mut taken), "Dinas P-U -Bina Marga-- Jalan-");
        let long = "Dinas Komunikasi, Informatika dan Persandian Kota Ambon";
        let first = sheet_name(long, &mut taken);
        let second = sheet_name(long, &mut taken);
        assert_eq!(first.chars().count(), 31);
        assert!(second.ends_with(" (2)") && second.chars().count() == 31, "{second}");
    }
}
