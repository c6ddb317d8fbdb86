//! Synthetic workspace generator for the benchmark (docs/performance.md).
//!
//! ```text
//! cargo run --release --example synth -- --dir /tmp/bench-ws --indicators 500 --years 5 --areas 11 --format csv
//! ```
//!
//! Writes a complete, valid workspace: the shipped dimensions and instruments, a `city.yaml`,
//! programs holding the indicators (10 per program, every aggregate kind and both directions)
//! with baselines and targets, a self-assessment answering every question (rule questions are
//! derived from the data), a small budget, and one big observation file with daily values for
//! every indicator and area: `indicators × days × areas` rows (500 × 1826 × 11 ≈ 10 million,
//! ≈ 500 MB as CSV). About one value in 200 is empty (not measured).
//!
//! The output is deterministic (a fixed-seed hash, no `rand`): the same arguments always give
//! the same bytes.

// A command-line generator: printing is its interface.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use polars::prelude::*;
use smartcity_eval::model::{Dimensions, Framework, Rule};

const DIMENSIONS: &str = include_str!("../indicators/dimensions.yaml");
const FRAMEWORKS: &[(&str, &str)] = &[
    ("kominfo-2022.yaml", include_str!("../indicators/framework/kominfo-2022.yaml")),
    ("kominfo-2023-kppn-ikn.yaml", include_str!("../indicators/framework/kominfo-2023-kppn-ikn.yaml")),
    ("kominfo-2023-reguler.yaml", include_str!("../indicators/framework/kominfo-2023-reguler.yaml")),
];
const AGGREGATES: [&str; 5] = ["sum", "mean", "last", "max", "min"];

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Csv,
    Parquet,
}

struct Args {
    dir: PathBuf,
    indicators: usize,
    years: i32,
    areas: usize,
    format: Format,
    decimal_comma: bool,
    year: i32,
    force: bool,
    /// Indicators per program.
    per_program: usize,
    /// One observation per month instead of per day.
    monthly: bool,
    city: String,
}

const USAGE: &str = "usage: synth --dir DIR [--indicators 500] [--years 5] [--areas 11] [--format csv|parquet] \
                     [--decimal point|comma] [--year 2023] [--per-program 10] [--period day|month] \
                     [--city NAME] [--force]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        dir: PathBuf::new(),
        indicators: 500,
        years: 5,
        areas: 11,
        format: Format::Csv,
        decimal_comma: false,
        year: 2023,
        force: false,
        per_program: 10,
        monthly: false,
        city: "Kota Sintetis".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| v.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--dir" => args.dir = PathBuf::from(value()?),
            "--indicators" => args.indicators = number(value()?)?.max(1),
            "--years" => args.years = number(value()?)?.clamp(1, 50) as i32,
            "--areas" => args.areas = number(value()?)?,
            "--year" => args.year = number(value()?)?.clamp(1950, 2100) as i32,
            "--format" => {
                args.format = match value()?.as_str() {
                    "csv" => Format::Csv,
                    "parquet" => Format::Parquet,
                    other => return Err(format!("unknown format `{other}`")),
                }
            }
            "--decimal" => args.decimal_comma = value()? == "comma",
            "--per-program" => args.per_program = number(value()?)?.max(1),
            "--period" => {
                args.monthly = match value()?.as_str() {
                    "day" => false,
                    "month" => true,
                    other => return Err(format!("unknown period `{other}` (day or month)")),
                }
            }
            "--city" => args.city = value()?,
            "--force" => args.force = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if args.dir.as_os_str().is_empty() {
        return Err(USAGE.into());
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::FAILURE
        }
    }
}

/// SplitMix64: a fixed-seed hash of a few integers.
fn hash(parts: &[u64]) -> u64 {
    let mut x = 0x5EED_CAFE_F00D_u64;
    for p in parts {
        x ^= p.wrapping_add(0x9E37_79B9_7F4A_7C15).wrapping_add(x << 6).wrapping_add(x >> 2);
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x = z ^ (z >> 31);
    }
    x
}

/// A number in [0, 1) from the hash.
fn unit(parts: &[u64]) -> f64 {
    (hash(parts) >> 11) as f64 / (1u64 << 53) as f64
}

struct Indicator {
    id: String,
    aggregate: &'static str,
    down: bool,
    /// Typical daily value.
    level: f64,
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let dir = &args.dir;
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        if !args.force {
            return Err(format!("{} exists and is not empty (pass --force to replace it)", dir.display()).into());
        }
        std::fs::remove_dir_all(dir)?;
    }
    let first_year = args.year - args.years + 1;
    let framework_id = if args.year <= 2022 { "kominfo-2022" } else { "kominfo-2023-reguler" };
    let dimensions: Dimensions =
        smartcity_eval::load::yaml::parse(DIMENSIONS, Path::new("dimensions.yaml")).map_err(|d| d.message)?;
    write(&dir.join("indicators/dimensions.yaml"), DIMENSIONS)?;
    for (name, text) in FRAMEWORKS {
        write(&dir.join("indicators/framework").join(name), text)?;
    }
    let framework_text = FRAMEWORKS.iter().find(|(n, _)| n.starts_with(framework_id)).map(|(_, t)| *t).unwrap_or("");
    let framework: Framework =
        smartcity_eval::load::yaml::parse(framework_text, Path::new("framework.yaml")).map_err(|d| d.message)?;

    let decimal = if args.decimal_comma { "comma" } else { "point" };
    write(
        &dir.join("indicators/city.yaml"),
        &format!(
            "# Synthetic workspace for the benchmark (examples/synth.rs).\n\
             city: {city}\nkind: kota\nprovince: Maluku\n\
             evaluation:\n  year: {year}\n  stage: tahap-1\n  framework: {framework_id}\n  date: {year}-06-13\n  mode: daring\n\
             data:\n  decimal: {decimal}\n",
            year = args.year,
            city = args.city,
        ),
    )?;

    // Programs: args.per_program indicators each, spread over every sub-dimension.
    let subdimensions: Vec<(&str, &str)> = dimensions
        .dimensions
        .iter()
        .flat_map(|d| d.subdimensions.iter().map(move |s| (d.id.as_str(), s.id.as_str())))
        .collect();
    let mut indicators: Vec<Indicator> = Vec::with_capacity(args.indicators);
    let programs = args.indicators.div_ceil(args.per_program);
    let mut budget = String::from("program,year,source,planned,realized\n");
    for p in 0..programs {
        let (dimension, subdimension) = subdimensions[p % subdimensions.len()];
        let program = format!("program-{:03}", p + 1);
        let mut yaml = format!(
            "id: {program}\nname: Program sintetis {n}\ndimension: {dimension}\nsubdimension: {subdimension}\n\
             opd: Dinas Sintetis {n}\nquick_win: {qw}\ncollaboration: {collab}\n\
             period: {{start: {first_year}, end: {end}}}\nstatus: berjalan\nlaunched: {first_year}-01-15\n\
             evidence: [\"Laporan kinerja sintetis {n}\"]\nindicators:\n",
            n = p + 1,
            qw = p % 7 == 0,
            collab = p % 5 == 0,
            end = args.year + 2,
        );
        for k in 0..args.per_program {
            let i = p * args.per_program + k;
            if i >= args.indicators {
                break;
            }
            let level = 10.0 + (unit(&[1, i as u64]) * 1000.0).round();
            let indicator = Indicator {
                id: format!("{dimension}-{:04}", i + 1),
                aggregate: AGGREGATES[i % AGGREGATES.len()],
                down: i % 4 == 3,
                level,
            };
            let per_year = if args.monthly { 12.0 } else { 365.0 };
            let year_value = |y: i32| yearly(&indicator, y, args.areas.max(1), per_year);
            let mut targets = String::new();
            for y in first_year + 1..=args.year + 1 {
                let factor = if indicator.down { 0.97 } else { 1.03 };
                let _ = write!(
                    targets,
                    "{}{y}: {}",
                    if targets.is_empty() { "" } else { ", " },
                    round2(year_value(y) * factor)
                );
            }
            let _ = writeln!(
                yaml,
                "  - {{id: {id}, name: Indikator sintetis {n}, unit: unit, direction: {dir}, aggregate: {agg}, \
                 baseline: {{year: {first_year}, value: {base}}}, targets: {{{targets}}}}}",
                id = indicator.id,
                n = i + 1,
                dir = if indicator.down { "down" } else { "up" },
                agg = indicator.aggregate,
                base = round2(year_value(first_year)),
            );
            indicators.push(indicator);
        }
        write(&dir.join("indicators/programs").join(dimension).join(format!("{program}.yaml")), &yaml)?;
        for y in first_year..=args.year {
            let planned = 100_000_000 + (unit(&[2, p as u64, y as u64]) * 900_000_000.0) as u64;
            let realized = planned / 100 * (80 + (unit(&[3, p as u64, y as u64]) * 20.0) as u64);
            let _ = writeln!(budget, "{program},{y},apbd,{planned},{realized}");
        }
    }
    write(&dir.join("data/budget/anggaran.csv"), &budget)?;

    // Assessment: rule questions derived (survey rules excepted: there is no survey), the rest
    // answered with a score and evidence.
    let mut assessment = format!("year: {}\nanswers:\n", args.year);
    for (n, (_, _, q)) in framework.questions().enumerate() {
        let derivable = q.rule.as_ref().is_some_and(|r| !matches!(r.value, Rule::Survey { .. }));
        if derivable {
            let _ =
                writeln!(assessment, "  {}: {{derive: true, evidence: [\"Data capaian sintetis\"]}}", q.id.as_str());
        } else {
            let score = 1.0 + (unit(&[4, n as u64]) * 30.0).round() / 10.0;
            let _ = writeln!(
                assessment,
                "  {}: {{score: {score}, evidence: [\"Dokumen sintetis {}\"]}}",
                q.id.as_str(),
                n + 1
            );
        }
    }
    write(&dir.join(format!("indicators/assessment/{}.yaml", args.year)), &assessment)?;

    std::fs::create_dir_all(dir.join("data/observations"))?;
    let days = periods_between(first_year, args.year, args.monthly);
    let areas: Vec<String> = (1..=args.areas).map(|a| format!("Kecamatan {a:02}")).collect();
    let rows = match args.format {
        Format::Csv => {
            write_csv(&dir.join("data/observations/observations.csv"), &indicators, &days, &areas, args.decimal_comma)?
        }
        Format::Parquet => {
            write_parquet(&dir.join("data/observations/observations.parquet"), &indicators, &days, &areas)?
        }
    };
    if args.format == Format::Csv && args.decimal_comma {
        write(&dir.join("data/observations/observations.csv.yaml"), "decimal: comma\n")?;
    }
    println!(
        "wrote {} ({} indicators in {programs} programs, {} periods, {} areas: {rows} observation rows)",
        dir.display(),
        indicators.len(),
        days.len(),
        areas.len()
    );
    Ok(())
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Roughly what the indicator's aggregate gives for a year (for targets and baselines).
fn yearly(ind: &Indicator, year: i32, areas: usize, per_year: f64) -> f64 {
    let trend = 1.0 + 0.05 * f64::from(year - 2000) * if ind.down { -0.2 } else { 1.0 };
    let daily = ind.level * trend;
    match ind.aggregate {
        "sum" => daily * per_year * areas as f64,
        "last" => daily * areas as f64,
        _ => daily,
    }
}

/// Every day (or month) from January of `first` to December of `last`, as (year, month, day);
/// day 0 stands for the whole month.
fn periods_between(first: i32, last: i32, monthly: bool) -> Vec<(i32, u8, u8)> {
    let mut days = Vec::new();
    for y in first..=last {
        for m in 1..=12u8 {
            if monthly {
                days.push((y, m, 0));
                continue;
            }
            for d in 1..=smartcity_eval::period::days_in_month(y, m) {
                days.push((y, m, d));
            }
        }
    }
    days
}

/// `2023-06-13`, or `2023-06` for a month.
fn label(&(y, m, d): &(i32, u8, u8)) -> String {
    if d == 0 { format!("{y}-{m:02}") } else { format!("{y}-{m:02}-{d:02}") }
}

/// The value of one observation, or None (not measured) about once in 200.
fn value(ind_index: usize, ind: &Indicator, day_index: usize, year: i32, area: usize) -> Option<f64> {
    let h = unit(&[5, ind_index as u64, day_index as u64, area as u64]);
    if h < 0.005 {
        return None;
    }
    let trend = 1.0 + 0.05 * f64::from(year - 2000) * if ind.down { -0.2 } else { 1.0 };
    Some(round2(ind.level * trend * (0.8 + 0.4 * h)))
}

fn write_csv(
    path: &Path,
    indicators: &[Indicator],
    days: &[(i32, u8, u8)],
    areas: &[String],
    comma: bool,
) -> std::io::Result<usize> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let sep = if comma { ';' } else { ',' };
    writeln!(out, "indicator{sep}period{sep}value{sep}area{sep}source{sep}note")?;
    let mut rows = 0;
    let mut line = String::with_capacity(128);
    for (i, ind) in indicators.iter().enumerate() {
        for (d, period) in days.iter().enumerate() {
            let y = period.0;
            let period = label(period);
            for (a, area) in areas.iter().enumerate() {
                line.clear();
                let _ = write!(line, "{}{sep}{period}{sep}", ind.id);
                if let Some(v) = value(i, ind, d, y, a) {
                    let start = line.len();
                    let _ = write!(line, "{v}");
                    if comma {
                        line.replace_range(start.., &line[start..].replace('.', ","));
                    }
                }
                let _ = writeln!(line, "{sep}{area}{sep}{sep}");
                out.write_all(line.as_bytes())?;
                rows += 1;
            }
        }
    }
    out.flush()?;
    Ok(rows)
}

fn write_parquet(
    path: &Path,
    indicators: &[Indicator],
    days: &[(i32, u8, u8)],
    areas: &[String],
) -> PolarsResult<usize> {
    let schema = Schema::from_iter([
        Field::new("indicator".into(), DataType::String),
        Field::new("period".into(), DataType::String),
        Field::new("value".into(), DataType::Float64),
        Field::new("area".into(), DataType::String),
        Field::new("source".into(), DataType::String),
        Field::new("note".into(), DataType::String),
    ]);
    let file = std::fs::File::create(path)?;
    let mut writer = ParquetWriter::new(file).batched(&schema)?;
    let periods: Vec<String> = days.iter().map(label).collect();
    let mut rows = 0;
    // One indicator per batch (≈ 20 000 rows).
    for (i, ind) in indicators.iter().enumerate() {
        let n = days.len() * areas.len();
        let mut period = Vec::with_capacity(n);
        let mut values = Vec::with_capacity(n);
        let mut area = Vec::with_capacity(n);
        for (d, &(y, _, _)) in days.iter().enumerate() {
            for (a, name) in areas.iter().enumerate() {
                period.push(periods[d].as_str());
                values.push(value(i, ind, d, y, a));
                area.push(name.as_str());
            }
        }
        let df = DataFrame::new_infer_height(vec![
            Column::new("indicator".into(), vec![ind.id.as_str(); n]),
            Column::new("period".into(), period),
            Column::new("value".into(), values),
            Column::new("area".into(), area),
            Column::full_null("source".into(), n, &DataType::String),
            Column::full_null("note".into(), n, &DataType::String),
        ])?;
        writer.write_batch(&df)?;
        rows += n;
    }
    writer.finish()?;
    Ok(rows)
}
