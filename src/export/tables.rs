//! The yearly summary tables for Bappeda, built from evaluations: scores, dimensions,
//! programs, indicators. Column names are stable (docs/export.md): other sheets link to them.

use crate::evaluation::{Evaluation, ScoreStatus};
use crate::model::program::Status;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Year,
    /// A count (`#,##0`).
    Int,
    /// A score or a plain number (`0.00`).
    Number,
    /// Rupiah (`"Rp" #,##0`).
    Rupiah,
    /// A ratio shown as percent (`0.0%`); values are fractions (0.95).
    Percent,
    /// A weight in percent points (`10` is 10 %), shown with a `%` sign by its number format
    /// alone: the value stays the instrument's number, so `bobot × nilai / 100` still holds.
    Weight,
    Bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Cell {
        if v.is_finite() { Cell::Number(v) } else { Cell::Empty }
    }
}

impl From<i32> for Cell {
    fn from(v: i32) -> Cell {
        Cell::Number(f64::from(v))
    }
}

impl From<usize> for Cell {
    fn from(v: usize) -> Cell {
        Cell::Number(v as f64)
    }
}

impl From<bool> for Cell {
    fn from(v: bool) -> Cell {
        Cell::Bool(v)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Sheet name and file suffix (`nilai`).
    pub name: &'static str,
    /// What the sheet holds, for the printed page header (`Nilai per aspek`).
    pub title: &'static str,
    pub columns: Vec<(&'static str, Kind)>,
    pub rows: Vec<Vec<Cell>>,
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Rencana => "rencana",
        Status::Berjalan => "berjalan",
        Status::Selesai => "selesai",
        Status::Tertunda => "tertunda",
        Status::Dihentikan => "dihentikan",
    }
}

pub const BUDGET_SOURCES: [&str; 5] = ["apbd", "apbn", "csr", "swasta", "lainnya"];

/// `evaluations`: one per scored year (ascending); `years`: the years the data tables cover.
pub fn tables(evaluations: &[Evaluation], years: &[i32]) -> Vec<Table> {
    let Some(latest) = evaluations.last() else { return Vec::new() };
    let mut all = vec![
        scores(evaluations),
        super::questions::table(evaluations),
        dimensions(latest, years),
        programs(latest, years),
        indicators(latest, years),
    ];
    // Only when some data rows carry an area (kecamatan).
    all.extend(super::areas::table(latest, years));
    // Only for a workspace with indicators/rpjmd.yaml.
    all.extend(super::rpjmd::table(latest));
    // Only with published results of earlier years (indicators/results/ or `previous:`).
    if !latest.history.is_empty() {
        all.push(history(latest));
    }
    all
}

/// The finals across evaluations, this year's projection last.
fn history(ev: &Evaluation) -> Table {
    use Kind::*;
    let columns = vec![
        ("tahun", Year),
        ("nilai_akhir", Number),
        ("perubahan", Number),
        ("proyeksi", Bool),
        ("instrumen", Text),
        ("instrumen_berubah", Bool),
        ("tahap", Text),
        ("predikat", Text),
        ("peringkat", Text),
        ("sumber", Text),
    ];
    let rows = ev
        .history
        .iter()
        .map(|h| {
            vec![
                h.year.into(),
                h.final_score.value.into(),
                h.change.as_ref().map(|c| c.value).into(),
                h.projected.into(),
                h.instrument.clone().into(),
                h.instrument_changed.into(),
                h.stage.clone().into(),
                h.predicate.clone().into(),
                h.rank.clone().into(),
                h.source.clone().into(),
            ]
        })
        .collect();
    Table { name: "riwayat", title: "Riwayat nilai akhir", columns, rows }
}

fn scores(evaluations: &[Evaluation]) -> Table {
    use Kind::*;
    let columns = vec![
        ("tahun", Year),
        ("instrumen", Text),
        ("aspek", Text),
        ("nama_aspek", Text),
        ("bobot", Weight),
        ("nilai", Number),
        ("nilai_tertimbang", Number),
        ("pertanyaan", Int),
        ("dijawab", Int),
        ("nilai_akhir", Number),
        ("predikat", Text),
        ("peningkatan", Number),
    ];
    let mut rows = Vec::new();
    for ev in evaluations {
        let card = &ev.scorecard;
        for a in &card.aspects {
            rows.push(vec![
                ev.year.into(),
                ev.instrument.id.as_str().into(),
                a.id.as_str().into(),
                a.name.as_str().into(),
                a.weight.into(),
                a.score.value.into(),
                a.weighted.value.into(),
                a.questions.into(),
                a.answered.into(),
                card.final_score.value.into(),
                card.predicate.as_ref().map(|p| p.label.clone()).into(),
                card.previous.as_ref().map(|p| p.improvement.value).into(),
            ]);
        }
    }
    Table { name: "nilai", title: "Nilai per aspek", columns, rows }
}

fn dimensions(ev: &Evaluation, years: &[i32]) -> Table {
    use Kind::*;
    let mut columns = vec![
        ("tahun", Year),
        ("dimensi", Text),
        ("nama_dimensi", Text),
        ("program_berjalan", Int),
        ("quick_win", Int),
        ("capaian_rata_rata", Percent),
        ("anggaran_rencana", Rupiah),
        ("anggaran_realisasi", Rupiah),
        ("realisasi", Percent),
    ];
    const STATUS_COLUMNS: [(&str, Status); 5] = [
        ("program_rencana", Status::Rencana),
        ("program_status_berjalan", Status::Berjalan),
        ("program_selesai", Status::Selesai),
        ("program_tertunda", Status::Tertunda),
        ("program_dihentikan", Status::Dihentikan),
    ];
    columns.extend(STATUS_COLUMNS.iter().map(|(name, _)| (*name, Int)));
    // Funding sources whose realisation is not yet reported: left out of the realisation (and
    // its rate), never counted as Rp 0.
    columns.push(("realisasi_belum_dilaporkan", Int));
    let mut rows = Vec::new();
    for &year in years {
        for d in &ev.dimensions {
            let Some(y) = d.years.iter().find(|y| y.year == year) else { continue };
            let mut row: Vec<Cell> = vec![
                year.into(),
                d.id.as_str().into(),
                d.name.as_str().into(),
                y.running.into(),
                y.quick_wins.into(),
                y.progress.map(|p| p / 100.0).into(),
                y.budget.planned.into(),
                y.budget.realized.into(),
                y.budget.rate.into(),
            ];
            row.extend(STATUS_COLUMNS.iter().map(|(_, status)| {
                Cell::from(y.by_status.iter().find(|c| c.status == *status).map_or(0, |c| c.count))
            }));
            row.push((y.budget.unknown_sources as usize).into());
            rows.push(row);
        }
    }
    Table { name: "dimensi", title: "Program dan anggaran per dimensi", columns, rows }
}

fn programs(ev: &Evaluation, years: &[i32]) -> Table {
    use Kind::*;
    let mut columns = vec![
        ("tahun", Year),
        ("program", Text),
        ("nama_program", Text),
        ("opd", Text),
        ("dimensi", Text),
        ("subdimensi", Text),
        ("status", Text),
        ("quick_win", Bool),
        ("capaian", Percent),
        ("anggaran_rencana", Rupiah),
        ("anggaran_realisasi", Rupiah),
        ("realisasi", Percent),
    ];
    const SOURCE_COLUMNS: [(&str, &str); 10] = [
        ("apbd_rencana", "apbd"),
        ("apbd_realisasi", "apbd"),
        ("apbn_rencana", "apbn"),
        ("apbn_realisasi", "apbn"),
        ("csr_rencana", "csr"),
        ("csr_realisasi", "csr"),
        ("swasta_rencana", "swasta"),
        ("swasta_realisasi", "swasta"),
        ("lainnya_rencana", "lainnya"),
        ("lainnya_realisasi", "lainnya"),
    ];
    columns.extend(SOURCE_COLUMNS.iter().map(|(name, _)| (*name, Rupiah)));
    columns.push(("ilustrasi", Bool));
    columns.push(("realisasi_belum_dilaporkan", Int));
    columns.push(("kolaborasi", Bool));
    columns.push(("mitra", Text));
    // The program's period (programs.yaml `period`), so a filter shows what runs in a year.
    columns.push(("periode_mulai", Year));
    columns.push(("periode_selesai", Year));
    let mut rows = Vec::new();
    for &year in years {
        for p in &ev.programs {
            let Some(y) = p.years.iter().find(|y| y.year == year) else { continue };
            let mut row: Vec<Cell> = vec![
                year.into(),
                p.id.as_str().into(),
                p.name.as_str().into(),
                p.opd.as_str().into(),
                p.dimension.as_str().into(),
                p.subdimension.as_str().into(),
                status_word(p.status).into(),
                p.quick_win.into(),
                y.progress.map(|v| v / 100.0).into(),
                y.budget.planned.into(),
                y.budget.realized.into(),
                y.budget.rate.into(),
            ];
            for (name, source) in SOURCE_COLUMNS {
                let s = y.budget.by_source.iter().find(|s| s.source == source);
                let value = s.and_then(|s| if name.ends_with("_rencana") { Some(s.planned) } else { s.realized });
                row.push(value.into());
            }
            row.push(p.illustrative.into());
            row.push((y.budget.unknown_sources as usize).into());
            row.push(p.collaboration.into());
            row.push(p.partners.join("; ").into());
            row.push(p.period_start.into());
            row.push(p.period_end.into());
            rows.push(row);
        }
    }
    Table { name: "program", title: "Program per tahun", columns, rows }
}

fn indicators(ev: &Evaluation, years: &[i32]) -> Table {
    use Kind::*;
    let columns = vec![
        ("tahun", Year),
        ("indikator", Text),
        ("nama_indikator", Text),
        ("program", Text),
        ("satuan", Text),
        ("arah", Text),
        ("nilai", Number),
        ("target", Number),
        ("capaian", Percent),
        ("bulan_berdata", Int),
        ("cakupan", Percent),
        ("ilustrasi", Bool),
        // The baseline RPJMD reviews compare against (added at the end: columns are stable).
        ("baseline", Number),
        ("tahun_baseline", Year),
    ];
    let mut rows = Vec::new();
    for &year in years {
        for i in &ev.indicators {
            let Some(y) = i.years.iter().find(|y| y.year == year) else { continue };
            rows.push(vec![
                year.into(),
                i.id.as_str().into(),
                i.name.as_str().into(),
                i.program.as_str().into(),
                i.unit.as_str().into(),
                (if i.direction == crate::model::program::Direction::Up { "naik" } else { "turun" }).into(),
                y.value.into(),
                y.target.into(),
                y.achievement.map(|a| a / 100.0).into(),
                (y.months_with_data as usize).into(),
                y.coverage.into(),
                (y.illustrative || i.illustrative).into(),
                i.baseline.as_ref().map(|b| b.value).into(),
                i.baseline.as_ref().map_or(Cell::Empty, |b| b.year.into()),
            ]);
        }
    }
    Table { name: "indikator", title: "Indikator per tahun", columns, rows }
}

/// Years the data tables cover by default: from the first year with data or a target up to
/// the evaluation year.
pub fn default_years(ev: &Evaluation) -> Vec<i32> {
    let first = ev
        .indicators
        .iter()
        .flat_map(|i| i.years.iter().filter(|y| y.value.is_some() || y.target.is_some()).map(|y| y.year))
        .chain(ev.programs.iter().map(|p| p.period_start))
        .min()
        .unwrap_or(ev.year)
        .min(ev.year);
    (first..=ev.year).collect()
}

/// Count of answered questions per status, for the Info sheet.
pub fn answered(ev: &Evaluation) -> usize {
    ev.scorecard.questions.iter().filter(|q| matches!(q.status, ScoreStatus::Manual | ScoreStatus::Derived)).count()
}
