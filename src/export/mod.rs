//! `export`: yearly summaries for Bappeda as xlsx (for people), csv, parquet and json (for
//! other tools). Every file is written atomically; the same inputs give the same bytes.

mod areas;
pub mod batch;
pub mod checklist;
mod questions;
pub mod rpjmd;
mod sheet;
pub mod tables;

use std::path::{Path, PathBuf};

use polars::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::diagnostic::{Diagnostic, Location};
use crate::evaluation::Evaluation;
pub(crate) use sheet::{Page, write_sheet};
use tables::{Cell, Kind, Table};

/// The formats of the Bappeda summaries (also the CLI's `export --format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Xlsx,
    Csv,
    Parquet,
    Json,
}

/// How CSV files are written: for programs (`,`, decimal point, no BOM), or for Indonesian
/// Excel, which opens a double-clicked CSV with its locale's list separator and decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CsvDialect {
    /// `,` between fields, `1234.5`, UTF-8 without BOM: for pandas, R, polars, databases.
    #[default]
    Machine,
    /// `;` between fields, `1234,5`, a UTF-8 BOM and CRLF: what Excel in Indonesian reads as
    /// columns and numbers (and as UTF-8, so `–` and names stay intact).
    ExcelId,
}

/// Writes the summary in `format` under `out/`, named after the years it covers
/// (`names::export_stem`); returns the files written.
pub fn export(
    root: &Path,
    evaluations: &[Evaluation],
    years: &[i32],
    format: ExportFormat,
    dialect: CsvDialect,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let Some(latest) = evaluations.last() else {
        return Err(Diagnostic::error("nothing-to-export", "no year could be scored").help("add an assessment file"));
    };
    let tables = tables::tables(evaluations, years);
    let (first, last) = (years.first().copied().unwrap_or(latest.year), years.last().copied().unwrap_or(latest.year));
    let stem = crate::names::export_stem(&latest.city_slug, first, last);
    let out = root.join("out");
    let mut written = Vec::new();
    match format {
        ExportFormat::Xlsx => {
            let bytes = xlsx(latest, evaluations, &tables).map_err(|e| failed(&out, &e.to_string()))?;
            written.push(write(&out.join(format!("{stem}.xlsx")), &bytes)?);
        }
        ExportFormat::Json => {
            let bytes = json(latest, &tables).map_err(|e| failed(&out, &e.to_string()))?;
            written.push(write(&out.join(format!("{stem}.json")), &bytes)?);
        }
        ExportFormat::Csv => {
            for table in &tables {
                let bytes = csv(table, dialect).map_err(|e| failed(&out, &e.to_string()))?;
                written.push(write(&out.join(format!("{stem}-{}.csv", table.name)), &bytes)?);
            }
        }
        ExportFormat::Parquet => {
            for table in &tables {
                let bytes = parquet(table).map_err(|e| failed(&out, &e.to_string()))?;
                written.push(write(&out.join(format!("{stem}-{}.parquet", table.name)), &bytes)?);
            }
        }
    }
    Ok(written)
}

/// The workbook of `build`: this evaluation's summary, `out/<slug>-<year>-ringkasan.xlsx`
/// (`names::build_summary`), its data tables from the first year with data to the evaluation
/// year. A name of its own: `export` never replaces it, nor does next year's build.
pub fn build_workbook(root: &Path, ev: &Evaluation) -> Result<PathBuf, Diagnostic> {
    let years = tables::default_years(ev);
    let tables = tables::tables(std::slice::from_ref(ev), &years);
    let out = root.join("out");
    let bytes = xlsx(ev, std::slice::from_ref(ev), &tables).map_err(|e| failed(&out, &e.to_string()))?;
    write(&out.join(crate::names::build_summary(&ev.city_slug, ev.year)), &bytes)
}

fn failed(out: &Path, message: &str) -> Diagnostic {
    Diagnostic::error("export-failed", format!("cannot build the export: {message}")).at(Location::file(out))
}

pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<PathBuf, Diagnostic> {
    crate::outdir::write_output(path, bytes)?;
    Ok(path.to_path_buf())
}

fn write_table(sheet: &mut Worksheet, table: &Table, city: &str) -> Result<(), XlsxError> {
    write_sheet(sheet, table.name, &table.columns, &table.rows, &Page { title: table.title, city })
}

/// What an `Info` sheet says for a date city.yaml does not give.
pub(crate) const NO_DATE: &str = "belum ditentukan (evaluation.date di city.yaml)";

/// The evaluation date as written in city.yaml (`YYYY-MM-DD`), when it is a date.
pub(crate) fn stated_date(ev: &Evaluation) -> Option<String> {
    let (y, m, d) = ev.city.evaluation.date.as_ref().and_then(|d| crate::period::parse_date(d).ok())?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// A workbook whose properties carry the evaluation date (never the clock): the same inputs give
/// the same bytes.
pub(crate) fn dated_workbook(ev: &Evaluation, title: String) -> Result<(Workbook, (i32, u8, u8)), XlsxError> {
    let mut workbook = Workbook::new();
    let (y, m, d) =
        ev.city.evaluation.date.as_ref().and_then(|d| crate::period::parse_date(d).ok()).unwrap_or((ev.year, 1, 1));
    let created = ExcelDateTime::from_ymd(y as u16, m, d)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("smartcity-eval")
            .set_company(ev.city.city.value.clone())
            .set_creation_datetime(&created),
    );
    Ok((workbook, (y, m, d)))
}

fn xlsx(latest: &Evaluation, evaluations: &[Evaluation], tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let (mut workbook, _) =
        dated_workbook(latest, format!("Ringkasan Evaluasi Smart City — {}", latest.city.city.value))?;
    let city = latest.city.city.value.as_str();
    for table in tables {
        write_table(workbook.add_worksheet(), table, city)?;
    }
    let info = workbook.add_worksheet();
    info.set_name("Info")?;
    let bold = Format::new().set_bold();
    let mut rows: Vec<(String, String)> = vec![
        ("kota".into(), latest.city.city.value.clone()),
        ("provinsi".into(), latest.city.province.value.clone()),
        ("tahun_evaluasi".into(), latest.year.to_string()),
        ("instrumen".into(), format!("{} — {}", latest.instrument.id, latest.instrument.name)),
        ("tahun_dinilai".into(), evaluations.iter().map(|e| e.year.to_string()).collect::<Vec<_>>().join(", ")),
        ("pertanyaan_dijawab".into(), format!("{} / {}", tables::answered(latest), latest.scorecard.questions.len())),
        // The evaluation date, the documents' date; without one in city.yaml it is not given,
        // never made up (the file's hidden properties still need a fixed date: 1 January).
        ("tanggal_dibuat".into(), stated_date(latest).unwrap_or_else(|| NO_DATE.into())),
        ("dibuat_dengan".into(), format!("smartcity-eval {}", latest.tool_version)),
        ("kolom".into(), "arti setiap kolom: `smartcity-eval docs export`".into()),
    ];
    // A data table has rows; a YAML file has none worth counting ("0 baris" would read as empty).
    rows.extend(latest.sources.iter().map(|s| {
        let what = if s.is_yaml() { s.kind.clone() } else { format!("{}, {} baris", s.kind, s.rows) };
        ("sumber".to_string(), format!("{} ({what})", s.path))
    }));
    for (r, (key, value)) in rows.iter().enumerate() {
        info.write_string_with_format(r as u32, 0, key, &bold)?;
        info.write_string(r as u32, 1, value)?;
    }
    info.set_column_width(0, 22)?;
    info.set_column_width(1, 90)?;
    sheet::page_layout(info, &Page { title: "Tentang ringkasan ini", city }, false, false)?;
    workbook.save_to_buffer()
}

fn json(latest: &Evaluation, tables: &[Table]) -> Result<Vec<u8>, serde_json::Error> {
    let mut map = serde_json::Map::new();
    for table in tables {
        let rows: Vec<serde_json::Value> = table
            .rows
            .iter()
            .map(|row| {
                let obj: serde_json::Map<String, serde_json::Value> = table
                    .columns
                    .iter()
                    .zip(row)
                    .map(|((name, kind), cell)| {
                        let value = match cell {
                            Cell::Text(s) => serde_json::Value::from(s.clone()),
                            Cell::Number(n) if *kind == Kind::Year || *kind == Kind::Int => {
                                serde_json::Value::from(*n as i64)
                            }
                            Cell::Number(n) => serde_json::Value::from(*n),
                            Cell::Bool(b) => serde_json::Value::from(*b),
                            Cell::Empty => serde_json::Value::Null,
                        };
                        ((*name).to_string(), value)
                    })
                    .collect();
                serde_json::Value::Object(obj)
            })
            .collect();
        map.insert(table.name.to_string(), serde_json::Value::Array(rows));
    }
    let doc = serde_json::json!({
        "kota": latest.city.city.value,
        "slug": latest.city_slug,
        "tahun_evaluasi": latest.year,
        "instrumen": latest.instrument.id,
        "dibuat_dengan": format!("smartcity-eval {}", latest.tool_version),
        "tabel": map,
    });
    let mut bytes = serde_json::to_vec_pretty(&doc)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Text that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1+cmd|…`, `-2+3`,
/// `@SUM(…)`, or a tab/CR first) gets a leading `'`, as OWASP advises for CSV: Excel then shows
/// it as text. Numbers are never text cells, so a negative number is not touched.
fn defused(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() }
}

fn csv(table: &Table, dialect: CsvDialect) -> Result<Vec<u8>, csv::Error> {
    let excel = dialect == CsvDialect::ExcelId;
    let mut builder = csv::WriterBuilder::new();
    if excel {
        builder.delimiter(b';').terminator(csv::Terminator::CRLF);
    }
    let start: Vec<u8> = if excel { "\u{FEFF}".as_bytes().to_vec() } else { Vec::new() };
    let mut writer = builder.from_writer(start);
    writer.write_record(table.columns.iter().map(|(n, _)| *n))?;
    for row in &table.rows {
        writer.write_record(row.iter().zip(&table.columns).map(|(cell, (_, kind))| match cell {
            Cell::Text(s) => defused(s),
            Cell::Number(n) if matches!(kind, Kind::Year | Kind::Int) => format!("{}", *n as i64),
            // No grouping: Excel reads `1234,5` as a number in the Indonesian locale.
            Cell::Number(n) if excel => format!("{n}").replace('.', ","),
            Cell::Number(n) => format!("{n}"),
            Cell::Bool(b) => b.to_string(),
            Cell::Empty => String::new(),
        }))?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

fn parquet(table: &Table) -> PolarsResult<Vec<u8>> {
    let columns: Vec<Column> = table
        .columns
        .iter()
        .enumerate()
        .map(|(c, (name, kind))| {
            let cells = table.rows.iter().map(|row| &row[c]);
            match kind {
                Kind::Text => Column::new(
                    (*name).into(),
                    cells
                        .map(|v| match v {
                            Cell::Text(s) => Some(s.clone()),
                            _ => None,
                        })
                        .collect::<Vec<Option<String>>>(),
                ),
                Kind::Bool => Column::new(
                    (*name).into(),
                    cells
                        .map(|v| match v {
                            Cell::Bool(b) => Some(*b),
                            _ => None,
                        })
                        .collect::<Vec<Option<bool>>>(),
                ),
                Kind::Year | Kind::Int => Column::new(
                    (*name).into(),
                    cells
                        .map(|v| match v {
                            Cell::Number(n) => Some(*n as i64),
                            _ => None,
                        })
                        .collect::<Vec<Option<i64>>>(),
                ),
                Kind::Number | Kind::Rupiah | Kind::Percent | Kind::Weight => Column::new(
                    (*name).into(),
                    cells
                        .map(|v| match v {
                            Cell::Number(n) => Some(*n),
                            _ => None,
                        })
                        .collect::<Vec<Option<f64>>>(),
                ),
            }
        })
        .collect();
    let mut frame = DataFrame::new_infer_height(columns)?;
    let mut buffer = Vec::new();
    ParquetWriter::new(&mut buffer).finish(&mut frame)?;
    Ok(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_defused_in_csv() {
        assert_eq!(defused("=HYPERLINK(\"http://x\",\"klik\")"), "'=HYPERLINK(\"http://x\",\"klik\")");
        assert_eq!(defused("+1+cmd|\" /C calc\"!A0"), "'+1+cmd|\" /C calc\"!A0");
        assert_eq!(defused("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defused("-2+3"), "'-2+3");
        assert_eq!(defused("Dinas Kominfo"), "Dinas Kominfo");
    }
}
