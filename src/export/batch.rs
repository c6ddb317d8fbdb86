//! The combined cross-city summary of a batch (`build --workspaces`): the same tables as one
//! city's export with the city's name in front of every row, plus a `kota` table with one row
//! per workspace (final score, predicate, or the error that stopped it). Written as
//! `ringkasan-gabungan.xlsx` and `ringkasan-gabungan-<table>.parquet` (docs/export.md).

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

use super::tables::{self, Cell, Kind, Table};
use super::{failed, parquet, write, write_table};
use crate::diagnostic::Diagnostic;
use crate::evaluation::Evaluation;

/// One workspace of the batch.
pub struct City<'a> {
    /// The folder, as given.
    pub workspace: String,
    pub name: String,
    /// `None` when the workspace could not be scored.
    pub evaluation: Option<&'a Evaluation>,
    /// Why the workspace failed, if it did.
    pub error: Option<String>,
}

pub const STEM: &str = "ringkasan-gabungan";

/// The combined tables: `kota`, then each city table with a leading `kota` column.
pub fn combined_tables(cities: &[City]) -> Vec<Table> {
    let mut out = vec![overview(cities)];
    let mut merged: Vec<Table> = Vec::new();
    for city in cities {
        let Some(ev) = city.evaluation else { continue };
        let years = tables::default_years(ev);
        // By name, not position: optional tables (rpjmd, wilayah, riwayat) differ per city.
        for table in tables::tables(std::slice::from_ref(ev), &years) {
            let i = match merged.iter().position(|m| m.name == table.name) {
                Some(i) => i,
                None => {
                    let mut columns = vec![("kota", Kind::Text)];
                    columns.extend(table.columns.iter().copied());
                    merged.push(Table { name: table.name, title: table.title, columns, rows: Vec::new() });
                    merged.len() - 1
                }
            };
            merged[i].rows.extend(table.rows.into_iter().map(|row| {
                let mut with_city = vec![Cell::from(city.name.as_str())];
                with_city.extend(row);
                with_city
            }));
        }
    }
    out.extend(merged);
    out
}

fn overview(cities: &[City]) -> Table {
    use Kind::*;
    let columns = vec![
        ("kota", Text),
        ("ruang_kerja", Text),
        ("slug", Text),
        ("provinsi", Text),
        ("tahun", Year),
        ("instrumen", Text),
        ("nilai_akhir", Number),
        ("predikat", Text),
        ("peningkatan", Number),
        ("status", Text),
        ("galat", Text),
    ];
    let rows = cities
        .iter()
        .map(|c| {
            let ev = c.evaluation;
            vec![
                Cell::from(c.name.as_str()),
                Cell::from(c.workspace.as_str()),
                Cell::from(ev.map(|e| e.city_slug.clone())),
                Cell::from(ev.map(|e| e.city.province.value.clone())),
                Cell::from(ev.map(|e| e.year)),
                Cell::from(ev.map(|e| e.instrument.id.clone())),
                Cell::from(ev.map(|e| e.scorecard.final_score.value)),
                Cell::from(ev.and_then(|e| e.scorecard.predicate.as_ref()).map(|p| p.label.clone())),
                Cell::from(ev.and_then(|e| e.scorecard.previous.as_ref()).map(|p| p.improvement.value)),
                Cell::from(if c.error.is_some() { "gagal" } else { "ok" }),
                Cell::from(c.error.clone()),
            ]
        })
        .collect();
    Table { name: "kota", title: "Kota dan kabupaten dalam ringkasan", columns, rows }
}

/// Writes the combined xlsx and parquet files into `dir`; returns the files written.
pub fn write_combined(dir: &Path, cities: &[City]) -> Result<Vec<PathBuf>, Diagnostic> {
    let tables = combined_tables(cities);
    let mut written = Vec::new();
    let bytes = xlsx(cities, &tables).map_err(|e| failed(dir, &e.to_string()))?;
    written.push(write(&dir.join(format!("{STEM}.xlsx")), &bytes)?);
    for table in &tables {
        let bytes = parquet(table).map_err(|e| failed(dir, &e.to_string()))?;
        written.push(write(&dir.join(format!("{STEM}-{}.parquet", table.name)), &bytes)?);
    }
    Ok(written)
}

fn xlsx(cities: &[City], tables: &[Table]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    // The latest evaluation date of the batch: the same inputs give the same bytes.
    let latest = cities
        .iter()
        .filter_map(|c| c.evaluation)
        .filter_map(|e| e.city.evaluation.date.as_ref().and_then(|d| crate::period::parse_date(d).ok()))
        .max();
    // The file's hidden properties need a fixed date; the Info sheet says when none is given.
    let (y, m, d) = latest.unwrap_or((2000, 1, 1));
    workbook.set_properties(
        &DocProperties::new()
            .set_title("Ringkasan Gabungan Evaluasi Smart City")
            .set_author("smartcity-eval")
            .set_creation_datetime(&ExcelDateTime::from_ymd(y as u16, m, d)?),
    );
    for table in tables {
        write_table(workbook.add_worksheet(), table, "Gabungan")?;
    }
    let info = workbook.add_worksheet();
    info.set_name("Info")?;
    let bold = Format::new().set_bold();
    let scored = cities.iter().filter(|c| c.evaluation.is_some()).count();
    let rows: Vec<(&str, String)> = vec![
        ("ringkasan", "gabungan beberapa ruang kerja (smartcity-eval build --workspaces)".into()),
        ("ruang_kerja", cities.len().to_string()),
        ("dinilai", scored.to_string()),
        ("gagal", cities.iter().filter(|c| c.error.is_some()).count().to_string()),
        (
            "tanggal_dibuat",
            latest.map_or_else(|| super::NO_DATE.to_string(), |(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        ),
        ("dibuat_dengan", format!("smartcity-eval {}", env!("CARGO_PKG_VERSION"))),
        ("kolom", "arti setiap kolom: `smartcity-eval docs export`".into()),
    ];
    for (r, (key, value)) in rows.iter().enumerate() {
        info.write_string_with_format(r as u32, 0, *key, &bold)?;
        info.write_string(r as u32, 1, value)?;
    }
    info.set_column_width(0, 22)?;
    info.set_column_width(1, 70)?;
    super::sheet::page_layout(info, &super::Page { title: "Tentang ringkasan ini", city: "Gabungan" }, false, false)?;
    workbook.save_to_buffer()
}
