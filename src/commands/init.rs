//! `init`: a new workspace that validates clean — the shipped dimensions and instruments, a
//! city.yaml from the arguments, empty programs and assessment, and a README for the team.
//! It never overwrites: an existing, non-empty folder is refused.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Outcome, print, schemas};
use crate::cli::{InitArgs, Kind};
use crate::diagnostic::{Diagnostic, Location};
use crate::outdir::write_atomic;

/// The shipped reference files, embedded so `init` works from the binary alone.
pub const SHIPPED: &[(&str, &str)] = &[
    ("indicators/dimensions.yaml", include_str!("../../indicators/dimensions.yaml")),
    ("indicators/framework/kominfo-2022.yaml", include_str!("../../indicators/framework/kominfo-2022.yaml")),
    (
        "indicators/framework/kominfo-2023-kppn-ikn.yaml",
        include_str!("../../indicators/framework/kominfo-2023-kppn-ikn.yaml"),
    ),
    (
        "indicators/framework/kominfo-2023-reguler.yaml",
        include_str!("../../indicators/framework/kominfo-2023-reguler.yaml"),
    ),
];

const FRAMEWORKS: &[&str] = &["kominfo-2022", "kominfo-2023-kppn-ikn", "kominfo-2023-reguler"];

pub fn run(args: &InitArgs) -> Outcome {
    let dir = &args.dir;
    refuse_existing(dir)?;
    if crate::slug::slugify(&args.city).is_empty() {
        return Err(Box::new(
            Diagnostic::error("bad-id", format!("`{}` cannot be a city name: it has no letters or digits", args.city))
                .help("give the region's name, e.g. --city \"Kota Ambon\""),
        ));
    }
    let (framework, why) = choose_instrument(args.framework.as_deref(), args.year)?;
    let mut files: Vec<(PathBuf, String)> = SHIPPED
        .iter()
        .chain(crate::render::templates::SHIPPED)
        .map(|(p, c)| (PathBuf::from(p), (*c).to_string()))
        .collect();
    files.push(("indicators/city.yaml".into(), city_yaml(args, &framework)));
    files.push((format!("indicators/assessment/{}.yaml", args.year).into(), assessment_yaml(args.year)));
    files.push(("indicators/programs/README.md".into(), PROGRAMS_README.into()));
    files.push(("data/README.md".into(), DATA_README.into()));
    for kind in crate::workspace::DataKind::ALL {
        files.push((format!("data/{}/.gitkeep", kind.folder()).into(), String::new()));
    }
    files.push(("templates/assets/.gitkeep".into(), String::new()));
    files.push(("out/.gitkeep".into(), String::new()));
    files.push(("README.md".into(), team_readme(args)));
    files.push((".github/workflows/laporan.yml".into(), super::city_workflow::workflow()));
    files.push((".gitignore".into(), GITIGNORE.into()));
    files.push((".gitattributes".into(), GITATTRIBUTES.into()));
    for (name, json) in schemas()? {
        files.push((PathBuf::from("schemas").join(name), json));
    }
    write_all_or_nothing(dir, &files)?;
    print(&format!(
        "created workspace {} for {} ({}) with instrument {framework}: {why}\nnext: add programs under indicators/programs/, then run `smartcity-eval validate -w {}`\n",
        dir.display(),
        args.city,
        args.year,
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// Writes every file into a temporary folder beside `dir`, then renames it into place: a failed
/// init (a full disk) leaves nothing behind, and running it again works.
fn write_all_or_nothing(dir: &Path, files: &[(PathBuf, String)]) -> Result<(), Box<Diagnostic>> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "workspace".into());
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let staging = parent.join(format!(".{name}.init-tmp-{}", std::process::id()));
    let failed = |path: &Path, e: std::io::Error| {
        Box::new(
            Diagnostic::error("write-failed", format!("cannot write: {e}"))
                .at(Location::file(path))
                .help("check that the folder can be written; nothing was left behind"),
        )
    };
    let result = (|| {
        for (rel, content) in files {
            let path = staging.join(rel);
            write_atomic(&path, content.as_bytes()).map_err(|e| failed(&dir.join(rel), e))?;
        }
        // An empty folder given as the target is replaced by the staged one.
        if dir.is_dir() {
            std::fs::remove_dir(dir).map_err(|e| failed(dir, e))?;
        }
        std::fs::rename(&staging, dir).map_err(|e| failed(dir, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

const GITIGNORE: &str =
    "# smartcity-eval: temporary files of a build in progress and its lock\n*.tmp-*\nout/.lock\nout/*.typ\n";

/// No CRLF conversion in checkouts (Git for Windows converts by default): the input hashes in
/// out/manifest.json then agree between a Windows desk and Linux CI (docs/ci.md).
const GITATTRIBUTES: &str =
    "# smartcity-eval: files byte for byte on every platform (out/manifest.json hashes them)\n* -text\n";

/// The shipped instrument for `year` (or the one asked for), and why, in words for the user.
/// No instrument after 2023 is published in detail: a later year takes the 2023 REGULER one
/// as an assumption, and says so.
fn choose_instrument(asked: Option<&str>, year: i32) -> Result<(String, String), Box<Diagnostic>> {
    match asked {
        Some(f) if FRAMEWORKS.contains(&f) => Ok((f.to_string(), "as asked".to_string())),
        Some(f) => Err(Box::new(Diagnostic::error("dangling-reference", format!("unknown instrument `{f}`")).help(
            instrument_hint(f, FRAMEWORKS, &format!("smartcity-eval instrument new {f} --from kominfo-2023-reguler")),
        ))),
        None if year <= 2022 => Ok(("kominfo-2022".into(), "the instrument of 2022".into())),
        None if year == 2023 => Ok(("kominfo-2023-reguler".into(), "the 2023 instrument of the REGULER cohort".into())),
        None => Ok((
            "kominfo-2023-reguler".into(),
            format!(
                "no instrument for {year} is published in detail, so the 2023 REGULER one is used as an assumption \
                 (validate and the report say so); when Kominfo sends the {year} instrument, add it with \
                 `smartcity-eval instrument new kominfo-{year} --from kominfo-2023-reguler` and edit it"
            ),
        )),
    }
}

/// The help for an unknown instrument id. A "did you mean" never steers silently to an
/// instrument with other weights: `kominfo-2024` is not a typo of `kominfo-2022`.
pub fn instrument_hint(wanted: &str, known: &[&str], create: &str) -> String {
    let asks_year = wanted.split('-').any(|part| part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit()));
    match crate::diagnostic::suggest(wanted, known.iter().copied()) {
        Some(s) if !asks_year || year_of(s) == year_of(wanted) => {
            format!("did you mean `{s}`? (instruments: {})", known.join(", "))
        }
        _ if asks_year => format!(
            "no instrument of that year is here ({}); each has its own weights and questions. To start one \
             from the latest, run `{create}` and edit it",
            known.join(", ")
        ),
        _ => format!("instruments: {}", known.join(", ")),
    }
}

/// The first four-digit part of an instrument id: `kominfo-2025` → `2025`.
pub(super) fn year_of(id: &str) -> Option<&str> {
    id.split('-').find(|part| part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit()))
}

fn refuse_existing(dir: &Path) -> Result<(), Box<Diagnostic>> {
    if dir.is_file() || dir.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) && !dir.is_dir() {
        return Err(Box::new(
            Diagnostic::error("would-overwrite", "a file (or a link) of that name exists; init never overwrites")
                .at(Location::file(dir))
                .help("choose a new folder name"),
        ));
    }
    if dir.exists() {
        let empty = dir.is_dir() && std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return Err(Box::new(
                Diagnostic::error(
                    "would-overwrite",
                    "the folder already exists and is not empty; init never overwrites",
                )
                .at(Location::file(dir))
                .help("choose a new folder name, or empty this one first"),
            ));
        }
    }
    Ok(())
}

/// YAML double-quoted string (names come from the command line).
fn city_yaml(args: &InitArgs, framework: &str) -> String {
    let kind = match args.kind {
        Kind::Kota => "kota",
        Kind::Kabupaten => "kabupaten",
    };
    let province = args.province.as_str();
    format!(
        "# yaml-language-server: $schema=../schemas/city.schema.json\n\
         # The city and the evaluation being prepared. See docs/format.md §2.\n\
         city: {city}\n\
         kind: {kind}\n\
         province: {province}\n\
         evaluation:\n  year: {year}\n  stage: tahap-1          # tahap-1 | tahap-2\n  framework: {framework}\n  \
         # date: {year}-06-13      # the evaluation meeting (YYYY-MM-DD); also the documents' date\n  \
         # mode: daring            # daring | luring | hybrid\n\
         delegation: []            # - {{name: …, role: …}}\n\
         institutions: []          # - {{id: dewan, name: Dewan Smart City, basis: \"…\", established: 2018}}\n\
         strengths: []\n\
         weaknesses: []\n\
         follow_ups: []\n",
        city = super::yaml_quoted(&args.city),
        province = super::yaml_quoted(province),
        year = args.year,
    )
}

fn assessment_yaml(year: i32) -> String {
    format!(
        "# yaml-language-server: $schema=../../schemas/assessment.schema.json\n\
         # Self-assessment answers for {year}. See docs/format.md §7.\n\
         # answers:\n#   bl-1-1.1.1:\n#     score: 3.0\n#     evidence: [\"Perwali tentang Masterplan Smart City\"]\n\
         year: {year}\n\
         answers: {{}}\n"
    )
}

const PROGRAMS_README: &str = "# Programs\n\n\
One YAML file per program (or several programs in one file as a list), in any sub-folder.\n\
See docs/format.md §5 of smartcity-eval for the fields. A minimal program:\n\n\
```yaml\n\
# yaml-language-server: $schema=../../schemas/program.schema.json\n\
id: contoh-program\nname: Contoh Program\ndimension: governance\nsubdimension: layanan-publik\n\
opd: Dinas Komunikasi dan Informatika\nperiod: {start: 2024, end: 2026}\nstatus: rencana\n\
indicators:\n  - {id: contoh-indikator, name: Contoh indikator, unit: layanan, direction: up, aggregate: last, targets: {2024: 10}}\n\
```\n";

const DATA_README: &str = "# Data\n\n\
- `observations/`: indicator time series, columns `indicator,period,value[,area,source,note]`\n\
- `budget/`: `program,year,source,planned,realized` (Rupiah; source apbd|apbn|csr|swasta|lainnya)\n\
- `survey/`: `respondent,question,score`\n\
- `cohort/`: published results of other cities (optional)\n\n\
CSV (UTF-8), xlsx or parquet. A sidecar `<file>.yaml` beside a file maps its headers and number format.\n";

fn team_readme(args: &InitArgs) -> String {
    format!(
        "# Evaluasi Smart City {year} — {city}\n\n\
Workspace smartcity-eval untuk menyiapkan Evaluasi Smart City Kominfo.\n\n\
1. Lengkapi `indicators/city.yaml` (delegasi, kelembagaan, kekuatan, kendala, tindak lanjut).\n\
2. Tulis program masterplan di `indicators/programs/` (satu berkas YAML per program).\n\
3. Isi data capaian indikator di `data/observations/`, anggaran di `data/budget/`, survei di `data/survey/`.\n\
4. Isi jawaban penilaian mandiri di `indicators/assessment/{year}.yaml`.\n\
5. Periksa: `smartcity-eval validate` — setiap kesalahan menunjukkan berkas, baris dan cara memperbaikinya.\n\n\
Editor dengan YAML language server memakai skema di `schemas/` untuk melengkapi dan memeriksa isian.\n",
        year = args.year,
        city = args.city
    )
}
