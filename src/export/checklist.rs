//! The bukti dukung checklist as xlsx: what a coordinator sends to each OPD. Sheets: `Ringkasan`
//! (coverage per OPD), `Aspek` (coverage per aspect), `Semua` (every question and document),
//! then one sheet per OPD with the documents it owes. The same inputs give the same bytes.

use std::collections::BTreeSet;

use rust_xlsxwriter::XlsxError;

use super::tables::{Cell, Kind};
use super::{Page, write_sheet};
use crate::checklist::{Checklist, Coverage, DocumentEvidence, NO_OPD, OpdRef, QuestionEvidence, Standing};
use crate::evaluation::{Evaluation, ScoreStatus};
use crate::evidence::DocStatus;

/// Status words, as the terminal checklist prints them in Indonesian.
pub fn doc_status_id(status: DocStatus) -> &'static str {
    match status {
        DocStatus::Filed => "ada berkas",
        DocStatus::Linked => "tautan",
        DocStatus::Named => "baru disebut",
        DocStatus::Missing => "berkas hilang",
    }
}

fn answer_word(status: ScoreStatus) -> &'static str {
    match status {
        ScoreStatus::Manual => "dinilai",
        ScoreStatus::Derived => "diturunkan dari data",
        ScoreStatus::Underivable => "tidak dapat diturunkan",
        ScoreStatus::Unanswered => "belum dijawab",
    }
}

const ROW_COLUMNS: [(&str, Kind); 14] = [
    ("No.", Kind::Text),
    ("Indikator", Kind::Text),
    ("Pertanyaan", Kind::Text),
    ("Aspek", Kind::Text),
    ("Jawaban", Kind::Text),
    ("Nilai", Kind::Number),
    ("Status dokumen", Kind::Text),
    ("Dokumen", Kind::Text),
    ("Berkas / tautan", Kind::Text),
    ("OPD", Kind::Text),
    ("Tanggal", Kind::Text),
    ("Halaman", Kind::Text),
    ("Catatan", Kind::Text),
    ("id", Kind::Text),
];

fn opd_cell(o: &OpdRef) -> Cell {
    if o.key == NO_OPD { Cell::Text("(belum ditentukan)".into()) } else { Cell::Text(o.name.clone()) }
}

fn question_cells(q: &QuestionEvidence) -> Vec<Cell> {
    vec![
        q.number.as_str().into(),
        q.indicator_name.as_str().into(),
        q.text.as_str().into(),
        q.aspect_name.as_str().into(),
        answer_word(q.status).into(),
        q.score.into(),
    ]
}

fn document_cells(d: &DocumentEvidence) -> Vec<Cell> {
    vec![
        doc_status_id(d.status).into(),
        d.title.as_str().into(),
        d.file.clone().or_else(|| d.url.clone()).into(),
        opd_cell(&d.opd),
        d.date.clone().into(),
        d.pages.clone().into(),
        d.note.clone().into(),
    ]
}

/// Rows of the questions and program documents `keep` selects; a question with no document
/// (of those kept) is one row saying so, when `bare` accepts it.
fn rows(
    list: &Checklist,
    keep: &dyn Fn(&DocumentEvidence) -> bool,
    bare: &dyn Fn(&QuestionEvidence) -> bool,
) -> Vec<Vec<Cell>> {
    let mut out = Vec::new();
    for q in &list.questions {
        let docs: Vec<&DocumentEvidence> = q.documents.iter().filter(|d| keep(d)).collect();
        if docs.is_empty() {
            if bare(q) {
                let mut row = question_cells(q);
                let owner = q.answer_opd.as_ref().map_or_else(|| Cell::Text("(belum ditentukan)".into()), opd_cell);
                let status = if q.standing == Standing::Unanswered { "—" } else { "tanpa bukti dukung" };
                row.extend([status.into(), Cell::Empty, Cell::Empty, owner, Cell::Empty, Cell::Empty, Cell::Empty]);
                row.push(q.id.as_str().into());
                out.push(row);
            }
            continue;
        }
        for d in docs {
            let mut row = question_cells(q);
            row.extend(document_cells(d));
            row.push(q.id.as_str().into());
            out.push(row);
        }
    }
    for p in &list.programs {
        for d in p.documents.iter().filter(|d| keep(d)) {
            let mut row: Vec<Cell> =
                vec!["Program".into(), p.name.as_str().into(), Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty];
            row.extend(document_cells(d));
            row.push(p.id.as_str().into());
            out.push(row);
        }
    }
    out
}

const COVERAGE_COLUMNS: [(&str, Kind); 10] = [
    ("Pertanyaan dijawab", Kind::Int),
    ("Dengan berkas/tautan", Kind::Int),
    ("Hanya disebut", Kind::Int),
    ("Tanpa bukti", Kind::Int),
    ("Belum dijawab", Kind::Int),
    ("Cakupan berkas", Kind::Percent),
    ("Dokumen ada berkas", Kind::Int),
    ("Dokumen tautan", Kind::Int),
    ("Dokumen baru disebut", Kind::Int),
    ("Berkas hilang", Kind::Int),
];

fn coverage_cells(c: &Coverage) -> Vec<Cell> {
    vec![
        c.answered.into(),
        c.filed.into(),
        c.named.into(),
        c.none.into(),
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

pub fn xlsx(list: &Checklist, ev: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    let (mut workbook, _) = super::dated_workbook(ev, format!("Bukti dukung {} {}", list.city, list.year))?;
    let mut taken: BTreeSet<String> = ["ringkasan", "aspek", "semua"].into_iter().map(String::from).collect();

    let mut columns: Vec<(&str, Kind)> = vec![("OPD", Kind::Text), ("Nama", Kind::Text), ("Kontak", Kind::Text)];
    columns.push(("Pertanyaan", Kind::Int));
    columns.extend(COVERAGE_COLUMNS);
    columns.push(("Dokumen terutang", Kind::Int));
    let mut summary: Vec<Vec<Cell>> = list
        .opds
        .iter()
        .map(|o| {
            let mut row: Vec<Cell> = vec![
                if o.opd.key == NO_OPD { "(belum ditentukan)".into() } else { o.opd.key.as_str().into() },
                o.opd.name.as_str().into(),
                o.opd.contact.clone().into(),
                o.questions.into(),
            ];
            row.extend(coverage_cells(&o.coverage));
            row.push(o.coverage.owed().into());
            row
        })
        .collect();
    let mut total: Vec<Cell> = vec!["Jumlah".into(), Cell::Empty, Cell::Empty, list.questions.len().into()];
    total.extend(coverage_cells(&list.totals));
    total.push(list.totals.owed().into());
    summary.push(total);
    let city = list.city.as_str();
    write_sheet(
        workbook.add_worksheet(),
        "Ringkasan",
        &columns,
        &summary,
        &Page { title: "Bukti dukung per OPD", city },
    )?;

    let mut columns: Vec<(&str, Kind)> = vec![("Aspek", Kind::Text), ("Pertanyaan", Kind::Int)];
    columns.extend(COVERAGE_COLUMNS);
    let aspects: Vec<Vec<Cell>> = list
        .aspects
        .iter()
        .map(|a| {
            let mut row: Vec<Cell> = vec![a.name.as_str().into(), a.questions.into()];
            row.extend(coverage_cells(&a.coverage));
            row
        })
        .collect();
    write_sheet(
        workbook.add_worksheet(),
        "Aspek",
        &columns,
        &aspects,
        &Page { title: "Bukti dukung per aspek", city },
    )?;

    let all = rows(list, &|_| true, &|_| true);
    write_sheet(
        workbook.add_worksheet(),
        "Semua",
        &ROW_COLUMNS,
        &all,
        &Page { title: "Bukti dukung, semua pertanyaan", city },
    )?;

    for o in &list.opds {
        let key = o.opd.key.clone();
        let own = rows(list, &|d| d.opd.key == key, &|q| {
            q.documents.is_empty() && q.answer_opd.as_ref().map_or(key == NO_OPD, |a| a.key == key)
        });
        let wanted = if key == NO_OPD { "Tanpa OPD".to_string() } else { key.clone() };
        let title = format!("Bukti dukung {wanted}");
        write_sheet(
            workbook.add_worksheet(),
            &sheet_name(&wanted, &mut taken),
            &ROW_COLUMNS,
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
