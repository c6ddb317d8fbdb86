//! `init`: a new workspace that validates clean — the shipped dimensions and instruments, a
//! city.yaml from the arguments, empty programs and assessment, and a README for the team.
//! It never overwrites: an existing, non-empty folder is refused.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::init_files as texts;
use super::{Outcome, print, schemas};
use crate::cli::InitArgs;
use crate::diagnostic::{Diagnostic, Location};
use crate::lang::Lang;
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
    let chosen = choose_instrument(args.framework.as_deref(), args.year)?;
    let framework = chosen.id.clone();
    let mut files: Vec<(PathBuf, String)> = SHIPPED
        .iter()
        .chain(crate::render::templates::SHIPPED)
        .map(|(p, c)| (PathBuf::from(p), (*c).to_string()))
        .collect();
    let assumed = chosen.assumed.then(|| chosen.why(args.lang, args.year));
    files.push(("indicators/city.yaml".into(), texts::city_yaml(args, &framework, assumed.as_deref())));
    files.push((
        format!("indicators/assessment/{}.yaml", args.year).into(),
        texts::assessment_yaml(args.year, args.lang),
    ));
    files.push(("indicators/programs/README.md".into(), texts::programs_readme(args.lang)));
    files.push(("data/README.md".into(), texts::data_readme(args.lang)));
    for kind in crate::workspace::DataKind::ALL {
        files.push((format!("data/{}/.gitkeep", kind.folder()).into(), String::new()));
    }
    files.push(("templates/assets/.gitkeep".into(), String::new()));
    // Which templates are this version's copies, so that after an upgrade validate can say
    // which are still unchanged old ones (render/shipped_copies.rs).
    files.push((crate::render::shipped_copies::RECORD.into(), crate::render::shipped_copies::record()));
    files.push(("out/.gitkeep".into(), String::new()));
    files.push(("README.md".into(), texts::team_readme(args)));
    files.push((".github/workflows/laporan.yml".into(), super::city_workflow::workflow(args.lang)));
    files.push((".gitignore".into(), texts::gitignore(args.lang)));
    files.push((".gitattributes".into(), texts::gitattributes(args.lang)));
    for (name, json) in schemas()? {
        files.push((PathBuf::from("schemas").join(name), json));
    }
    write_all_or_nothing(dir, &files)?;
    let why = chosen.why(args.lang, args.year);
    print(&match args.lang {
        Lang::Id => format!(
            "workspace {} dibuat untuk {} ({}) dengan instrumen {framework}: {why}\nberikutnya: tulis program di indicators/programs/, lalu jalankan `smartcity-eval validate -w {}`\npanduan: `smartcity-eval docs panduan`\n",
            dir.display(),
            args.city,
            args.year,
            dir.display()
        ),
        Lang::En => format!(
            "created workspace {} for {} ({}) with instrument {framework}: {why}\nnext: add programs under indicators/programs/, then run `smartcity-eval validate -w {}`\nguide: `smartcity-eval docs`\n",
            dir.display(),
            args.city,
            args.year,
            dir.display()
        ),
    });
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

/// The instrument `init` puts in city.yaml, and why.
struct Chosen {
    id: String,
    /// Asked for by `--framework`, or the year's own.
    reason: Reason,
    /// Taken for a year whose instrument is not published in detail.
    assumed: bool,
}

enum Reason {
    Asked,
    Year2022,
    Year2023,
    Later,
}

impl Chosen {
    /// Why, in words for the user.
    fn why(&self, lang: Lang, year: i32) -> String {
        match (&self.reason, lang) {
            (Reason::Asked, Lang::Id) => "sesuai permintaan".into(),
            (Reason::Asked, Lang::En) => "as asked".into(),
            (Reason::Year2022, Lang::Id) => "instrumen tahun 2022".into(),
            (Reason::Year2022, Lang::En) => "the instrument of 2022".into(),
            (Reason::Year2023, Lang::Id) => "instrumen 2023 kelompok REGULER".into(),
            (Reason::Year2023, Lang::En) => "the 2023 instrument of the REGULER cohort".into(),
            (Reason::Later, Lang::Id) => format!(
                "instrumen {year} belum diterbitkan rinci, jadi instrumen 2023 REGULER dipakai sebagai asumsi \
                 (validate dan laporan menyebutkannya); bila Kominfo mengirim instrumen {year}, tambahkan dengan \
                 `smartcity-eval instrument new kominfo-{year} --from kominfo-2023-reguler` lalu sunting"
            ),
            (Reason::Later, Lang::En) => format!(
                "no instrument for {year} is published in detail, so the 2023 REGULER one is used as an assumption \
                 (validate and the report say so); when Kominfo sends the {year} instrument, add it with \
                 `smartcity-eval instrument new kominfo-{year} --from kominfo-2023-reguler` and edit it"
            ),
        }
    }
}

/// The shipped instrument for `year` (or the one asked for). No instrument after 2023 is
/// published in detail: a later year takes the 2023 REGULER one as an assumption, and says so.
fn choose_instrument(asked: Option<&str>, year: i32) -> Result<Chosen, Box<Diagnostic>> {
    let chosen = |id: &str, reason| Chosen { id: id.into(), assumed: matches!(reason, Reason::Later), reason };
    match asked {
        Some(f) if FRAMEWORKS.contains(&f) => Ok(chosen(f, Reason::Asked)),
        Some(f) => Err(Box::new(Diagnostic::error("dangling-reference", format!("unknown instrument `{f}`")).help(
            instrument_hint(f, FRAMEWORKS, &format!("smartcity-eval instrument new {f} --from kominfo-2023-reguler")),
        ))),
        None if year <= 2022 => Ok(chosen("kominfo-2022", Reason::Year2022)),
        None if year == 2023 => Ok(chosen("kominfo-2023-reguler", Reason::Year2023)),
        None => Ok(chosen("kominfo-2023-reguler", Reason::Later)),
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
