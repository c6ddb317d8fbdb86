//! The `rpjmd` sheet of the Bappeda workbook: per sasaran, its indicators and their targets
//! per year of the RPJMD period, with the contributing programs, their indicators' values and
//! budget codes; then the programs that serve no sasaran. Long form (one row per indicator,
//! year and contribution) so the columns are the same for every RPJMD period.

use super::tables::{Cell, Kind, Table};
use crate::evaluation::Evaluation;
use crate::rpjmd::alignment::{Alignment, ContributionYear, IkuAlignment};

/// The status words of the sheet (Indonesian, as the other sheets).
fn status_word(status: &str) -> &'static str {
    match status {
        "met" => "tercapai",
        "missed" => "tidak-tercapai",
        "partial" => "tahun-belum-lengkap",
        "no-data" => "belum-ada-data",
        _ => "tanpa-target",
    }
}

pub fn table(ev: &Evaluation) -> Option<Table> {
    let a: &Alignment = ev.rpjmd.as_ref()?;
    use Kind::*;
    let columns = vec![
        ("misi", Text),
        ("tujuan", Text),
        ("sasaran", Text),
        ("nama_sasaran", Text),
        ("program_sasaran", Text),
        ("kode_program_sasaran", Text),
        ("indikator_rpjmd", Text),
        ("nama_indikator_rpjmd", Text),
        ("satuan", Text),
        ("baseline", Number),
        ("tahun_baseline", Year),
        ("tahun", Year),
        ("target", Number),
        ("program", Text),
        ("nama_program", Text),
        ("kode", Text),
        ("indikator_program", Text),
        ("nilai", Number),
        ("status", Text),
        ("ilustrasi", Bool),
    ];
    debug_assert_eq!(columns.len(), COLUMNS);
    let name_of = |id: &str| a.programs.iter().find(|p| p.id == id).map_or(id.to_string(), |p| p.name.clone());
    let codes_of = |id: &str| a.programs.iter().find(|p| p.id == id).map_or(String::new(), |p| p.kode.join("; "));
    let mut rows = Vec::new();
    // Misi → tujuan (its own indicators, sasaran empty) → its sasaran, as the RPJMD reads.
    for m in &a.misi {
        for t in &m.tujuan {
            let tujuan_head: Vec<Cell> = vec![
                m.number.as_str().into(),
                t.id.as_str().into(),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ];
            for iku in a.indicators.iter().filter(|i| i.sasaran == t.id) {
                indicator_rows(a, iku, &tujuan_head, &codes_of, &mut rows);
            }
            for s in a.sasaran.iter().filter(|s| s.tujuan == t.id) {
                let head: Vec<Cell> = vec![
                    s.misi_number.as_str().into(),
                    s.tujuan.as_str().into(),
                    s.id.as_str().into(),
                    s.text.as_str().into(),
                    s.programs.iter().map(|p| name_of(p)).collect::<Vec<_>>().join("; ").into(),
                    s.programs
                        .iter()
                        .map(|p| codes_of(p))
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                        .join("; ")
                        .into(),
                ];
                let indicators: Vec<_> = a.indicators.iter().filter(|i| i.sasaran == s.id).collect();
                if indicators.is_empty() {
                    let mut row = head.clone();
                    row.extend(std::iter::repeat_n(Cell::Empty, COLUMNS - head.len() - 1));
                    row.push(a.illustrative.into());
                    rows.push(row);
                }
                for iku in indicators {
                    indicator_rows(a, iku, &head, &codes_of, &mut rows);
                }
            }
        }
    }
    // The programs serving no sasaran: what assessors question.
    for id in &a.unaligned_programs {
        let mut row: Vec<Cell> = std::iter::repeat_n(Cell::Empty, 13).collect();
        row.extend([id.as_str().into(), name_of(id).into(), codes_of(id).into(), Cell::Empty, Cell::Empty]);
        row.push("tanpa-sasaran".into());
        row.push(a.illustrative.into());
        rows.push(row);
    }
    Some(Table { name: "rpjmd", title: "Keselarasan dengan RPJMD", columns, rows })
}

/// Columns of the sheet.
const COLUMNS: usize = 20;

/// One row per year of the period and contributing indicator (one per year without any).
fn indicator_rows(
    a: &Alignment,
    iku: &IkuAlignment,
    head: &[Cell],
    codes_of: &dyn Fn(&str) -> String,
    rows: &mut Vec<Vec<Cell>>,
) {
    for t in &iku.targets {
        let mut start = head.to_vec();
        start.extend([
            iku.id.as_str().into(),
            iku.name.as_str().into(),
            iku.unit.as_str().into(),
            iku.baseline.as_ref().map(|b| b.value).into(),
            iku.baseline.as_ref().map_or(Cell::Empty, |b| b.year.into()),
            t.year.into(),
            t.target.into(),
        ]);
        if iku.contributions.is_empty() {
            let mut row = start.clone();
            row.extend(std::iter::repeat_n(Cell::Empty, 5));
            row.push(if t.target.is_some() { Cell::Empty } else { status_word("no-target").into() });
            row.push(a.illustrative.into());
            rows.push(row);
        }
        for c in &iku.contributions {
            let y: Option<&ContributionYear> = c.years.iter().find(|y| y.year == t.year);
            let mut row = start.clone();
            row.extend([
                c.program.as_str().into(),
                c.program_name.as_str().into(),
                codes_of(&c.program).into(),
                c.indicator.as_str().into(),
                y.and_then(|y| y.value).into(),
                y.map_or(Cell::Empty, |y| status_word(&y.status).into()),
                a.illustrative.into(),
            ]);
            rows.push(row);
        }
    }
}
