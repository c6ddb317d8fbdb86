//! The RPJMD as one list of sasaran and indicators: `indicators/rpjmd.yaml` plus the IKU tables
//! of `data/rpjmd/` (read by the ordinary data loader), each item with the place it was written.
//! Validation reports the problems found while merging; the evaluation uses the merged plan.

pub mod alignment;

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

use crate::diagnostic::{Diagnostic, Location};
use crate::load::{Loaded, LoadedWorkspace, Table};
use crate::model::DataOptions;
use crate::model::rpjmd::{Rpjmd, RpjmdIndicator};
use crate::workspace::DataKind;

/// One sasaran with the misi and tujuan above it.
#[derive(Debug, Clone)]
pub struct SasaranEntry {
    pub misi: usize,
    pub tujuan: usize,
    pub id: String,
    pub text: String,
    pub location: Location,
}

/// An RPJMD indicator, from the YAML or a table row.
#[derive(Debug, Clone)]
pub struct Iku {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub baseline: Option<(i32, f64)>,
    pub targets: BTreeMap<i32, f64>,
    /// Where each target is written.
    pub target_locations: BTreeMap<i32, Location>,
    pub definition: Option<String>,
    pub data_source: Option<String>,
    pub producer: Option<String>,
    /// The sasaran (or tujuan) it measures.
    pub owner: String,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub rpjmd: &'a Rpjmd,
    pub path: &'a Path,
    pub sasaran: Vec<SasaranEntry>,
    pub indicators: Vec<Iku>,
}

impl Plan<'_> {
    pub fn sasaran(&self, id: &str) -> Option<&SasaranEntry> {
        self.sasaran.iter().find(|s| s.id == id)
    }

    pub fn indicator(&self, id: &str) -> Option<&Iku> {
        self.indicators.iter().find(|i| i.id == id)
    }
}

/// The merged RPJMD, or `None` when the workspace has none (or it did not parse), and the
/// problems met in its tables.
pub fn plan(ws: &LoadedWorkspace) -> (Option<Plan<'_>>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let Some(Loaded { path, value: rpjmd }) = &ws.rpjmd else {
        for table in ws.tables.iter().filter(|t| t.kind == DataKind::Rpjmd) {
            if !ws.unparsed.rpjmd {
                diagnostics.push(
                    Diagnostic::error("rpjmd-missing", "an RPJMD indicator table without indicators/rpjmd.yaml")
                        .at(Location::file(&table.path))
                        .help("state the RPJMD's period, visi, misi, tujuan and sasaran in indicators/rpjmd.yaml (`smartcity-eval docs format`, §5a); the table's `sasaran` column names them"),
                );
            }
        }
        return (None, diagnostics);
    };
    let mut plan = Plan { rpjmd, path, sasaran: Vec::new(), indicators: Vec::new() };
    for (mi, misi) in rpjmd.misi.iter().enumerate() {
        for (ti, tujuan) in misi.tujuan.iter().enumerate() {
            for ind in &tujuan.indicators {
                plan.indicators.push(from_yaml(ind, &tujuan.id.value, path));
            }
            for sasaran in &tujuan.sasaran {
                plan.sasaran.push(SasaranEntry {
                    misi: mi,
                    tujuan: ti,
                    id: sasaran.id.value.clone(),
                    text: sasaran.text.clone(),
                    location: Location::at(path, sasaran.id.line, sasaran.id.column),
                });
                for ind in &sasaran.indicators {
                    plan.indicators.push(from_yaml(ind, &sasaran.id.value, path));
                }
            }
        }
    }
    for table in ws.tables.iter().filter(|t| t.kind == DataKind::Rpjmd) {
        if let Err(e) = from_table(ws, table, &mut plan, &mut diagnostics) {
            diagnostics.push(
                Diagnostic::error("internal", format!("could not read the RPJMD table: {e}"))
                    .at(table.location(0, None)),
            );
        }
    }
    (Some(plan), diagnostics)
}

fn from_yaml(ind: &RpjmdIndicator, owner: &str, path: &Path) -> Iku {
    Iku {
        id: ind.id.value.clone(),
        name: ind.name.clone(),
        unit: ind.unit.value.clone(),
        baseline: ind.baseline.as_ref().map(|b| (b.year.value, b.value)),
        targets: ind.targets.iter().map(|(y, v)| (y.value, v.value)).collect(),
        target_locations: ind.targets.keys().map(|y| (y.value, Location::at(path, y.line, y.column))).collect(),
        definition: ind.definition.clone(),
        data_source: ind.data_source.clone(),
        producer: ind.producer.clone(),
        owner: owner.to_string(),
        location: Location::at(path, ind.id.line, ind.id.column),
    }
}

/// The baseline year of a table without a `baseline_year` column: the year written in the
/// header its sidecar maps to `baseline` (`BASELINE 2024`), as regions print it.
fn baseline_year_from_header(ws: &LoadedWorkspace, table: &Table) -> Option<i32> {
    let mut name = ws.workspace.root.join(&table.path).into_os_string();
    name.push(".yaml");
    let text = std::fs::read_to_string(name).ok()?;
    let options: DataOptions = crate::load::yaml::parse(&text, &table.path).ok()?;
    let header = options.columns.get("baseline")?;
    let digits: Vec<i32> = header
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse().ok())
        .filter(|y| crate::period::YEARS.contains(y))
        .collect();
    match digits.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

fn from_table(
    ws: &LoadedWorkspace,
    table: &Table,
    plan: &mut Plan<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> PolarsResult<()> {
    let f = &table.frame;
    let text = |name: &str| -> PolarsResult<Vec<Option<String>>> {
        Ok(f.column(name)?.str()?.iter().map(|v| v.map(str::to_string)).collect())
    };
    let rows: Vec<u32> = f.column("_row")?.u32()?.into_no_null_iter().collect();
    let sasaran = text("sasaran")?;
    let ids = text("indicator")?;
    let names = text("name")?;
    let units = text("unit")?;
    let definitions = text("definition")?;
    let data_sources = text("data_source")?;
    let producers = text("producer")?;
    let baselines: Vec<Option<f64>> = f.column("baseline")?.f64()?.iter().collect();
    let baseline_years: Vec<Option<i32>> = f.column("baseline_year")?.i32()?.iter().collect();
    let mut years: Vec<(i32, Vec<Option<f64>>)> = Vec::new();
    for year in crate::load::columns::RPJMD_YEARS {
        years.push((year, f.column(&year.to_string())?.f64()?.iter().collect()));
    }
    let header_year = baseline_year_from_header(ws, table);
    for (i, &row) in rows.iter().enumerate() {
        let owner = sasaran[i].clone().unwrap_or_default();
        let location = table.location(row, Some("indicator"));
        if plan.sasaran(&owner).is_none() {
            let known: Vec<&str> = plan.sasaran.iter().map(|s| s.id.as_str()).collect();
            let mut d = crate::validate::dangling("RPJMD sasaran", &owner, known, table.location(row, Some("sasaran")));
            d.help = d.help.map(|h| format!("{h} (sasaran are defined in {})", plan.path.display()));
            diagnostics.push(d);
        }
        let baseline = match (baselines[i], baseline_years[i].or(header_year)) {
            (Some(value), Some(year)) => Some((year, value)),
            (Some(_), None) => {
                diagnostics.push(
                    Diagnostic::error("rpjmd-baseline-year", "the baseline has no year")
                        .at(table.location(row, Some("baseline")))
                        .help("write the year in the header the sidecar maps to `baseline` (`baseline: BASELINE 2024`), or add a `baseline_year` column"),
                );
                None
            }
            (None, _) => None,
        };
        plan.indicators.push(Iku {
            id: ids[i].clone().unwrap_or_default(),
            name: names[i].clone().unwrap_or_default(),
            unit: units[i].clone().unwrap_or_default(),
            baseline,
            targets: years.iter().filter_map(|(y, v)| v[i].map(|v| (*y, v))).collect(),
            target_locations: years
                .iter()
                .filter(|(_, v)| v[i].is_some())
                .map(|(y, _)| (*y, table.location(row, Some(&y.to_string()))))
                .collect(),
            definition: definitions[i].clone(),
            data_source: data_sources[i].clone(),
            producer: producers[i].clone(),
            owner,
            location,
        });
    }
    Ok(())
}

/// A unit name as compared: lower case, spaces collapsed, `persen`/`percent`/`prosen` as `%`.
fn unit_key(u: &str) -> String {
    let u = u.trim().to_lowercase();
    match u.as_str() {
        "persen" | "percent" | "prosen" => "%".to_string(),
        _ => u.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Whether two unit names mean the same unit (`%` and `persen` do).
pub fn same_unit(a: &str, b: &str) -> bool {
    unit_key(a) == unit_key(b)
}

/// Whether a unit is a percentage: `%`, `persen`, `percent`, `prosen`, `persentase`, also
/// naming what it is a percentage of (`% penduduk`, `persen KK`).
pub fn is_percent_unit(unit: &str) -> bool {
    let key = unit_key(unit);
    key.starts_with('%')
        || ["persen", "percent", "prosen", "persentase"]
            .iter()
            .any(|p| key == *p || key.strip_prefix(p).is_some_and(|rest| rest.starts_with(' ')))
}

/// Whether `code` has the Kepmendagri nomenclature shape `U.BB.PP[.K.KK[.SSSS]]`: program
/// (`2.16.03`), kegiatan (`2.16.03.2.02`) or sub-kegiatan, whose last part has 2 digits in the
/// nomenclature up to 2021 and 4 from 2023. `U` may be `X` (cross-cutting programs).
pub fn valid_kode(code: &str) -> bool {
    let parts: Vec<&str> = code.split('.').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    // Cross-cutting support programs are numbered `X.XX.01…` in the nomenclature.
    let cross = parts.first() == Some(&"X") && parts.get(1) == Some(&"XX");
    let widths: &[&[usize]] = &[&[1], &[2], &[2], &[1], &[2], &[2, 4]];
    matches!(parts.len(), 3 | 5 | 6)
        && parts.iter().zip(widths).enumerate().all(|(i, (p, w))| (cross && i < 2) || w.iter().any(|&n| digits(p, n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kode_shapes() {
        for ok in ["2.16.03", "2.16.03.2.02", "2.16.03.2.02.0035", "2.16.03.2.02.35", "X.XX.01", "X.XX.01.2.01.0001"] {
            assert!(valid_kode(ok), "{ok}");
        }
        for bad in [
            "2.16",
            "2.16.3",
            "2.16.03.2",
            "2.16.03.2.02.035",
            "02.16.03",
            "2.16.03.2.02.0035.1",
            "2,16,03",
            "",
            "X.16.03",
            "2.XX.03",
        ] {
            assert!(!valid_kode(bad), "{bad}");
        }
    }

    #[test]
    fn units() {
        assert!(same_unit("%", "Persen"));
        assert!(same_unit(" unit  kerja ", "Unit Kerja"));
        assert!(!same_unit("%", "orang"));
        for unit in ["%", " Persen ", "percent", "prosen", "persentase", "% penduduk", "persen KK", "%KK"] {
            assert!(is_percent_unit(unit), "{unit}");
        }
        for unit in ["orang", "ton", "persenan", "rasio", "", "per 1000 penduduk"] {
            assert!(!is_percent_unit(unit), "{unit}");
        }
    }
}
