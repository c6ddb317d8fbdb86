//! city.yaml and dimensions.yaml: the evaluation's framework, dates, institutions and the
//! fixed six dimensions.

use std::collections::BTreeMap;

use super::{Ids, at, check_slug, dangling};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::{Loaded, LoadedWorkspace};
use crate::model::Dimensions;
use crate::model::dimensions::{DEFAULT_SET, FIXED_IDS, SET_SIZE};
use crate::period::parse_date;

pub(super) fn check(ws: &LoadedWorkspace, ids: &Ids, diagnostics: &mut Diagnostics) {
    check_dimensions(ws, diagnostics);
    let Some(city) = &ws.city else { return };
    let path = &city.path;
    let c = &city.value;
    let evaluation = &c.evaluation;
    if ids.frameworks_known && !ids.frameworks.contains(&evaluation.framework.value) {
        diagnostics.push(dangling(
            "framework",
            &evaluation.framework,
            ids.frameworks.iter().map(String::as_str),
            at(path, &evaluation.framework),
        ));
    }
    // An instrument of another year than the evaluation's: the scores rest on an assumption,
    // which the user is told here and the documents state.
    if let Some(framework) = ws.framework()
        && crate::period::YEARS.contains(&evaluation.year.value)
        && let Some(instrument_year) = framework.value.year
        && instrument_year != evaluation.year.value
    {
        let year = evaluation.year.value;
        diagnostics.push(
            Diagnostic::warning(
                "instrument-year",
                format!(
                    "the instrument `{}` is the {instrument_year} one, used for the {year} evaluation (an assumption)",
                    framework.value.id.value
                ),
            )
            .at(at(path, &evaluation.framework))
            .help(format!(
                "when Kominfo sends the {year} instrument, add it with `smartcity-eval instrument new kominfo-{year} \
                 --from {}`, edit its weights and questions, and name it here",
                framework.value.id.value
            )),
        );
    }
    if c.province.trim().is_empty() || c.province.trim() == "Isi nama provinsi" {
        diagnostics.push(
            Diagnostic::error("placeholder", format!("province is `{}`, not a province", c.province.value))
                .at(at(path, &c.province))
                .help("write the province's name, e.g. `province: Maluku`: it is printed on the cover"),
        );
    }
    let year_ok = crate::period::YEARS.contains(&evaluation.year.value);
    if !year_ok {
        diagnostics.push(
            Diagnostic::error("bad-year", format!("evaluation year {} is out of range", evaluation.year.value))
                .at(at(path, &evaluation.year))
                .help("write the four-digit year of the evaluation, e.g. 2023"),
        );
    }
    if let Some(date) = &evaluation.date {
        match parse_date(date) {
            Err(e) => diagnostics
                .push(Diagnostic::error("bad-date", e).at(at(path, date)).help("write the date as YYYY-MM-DD")),
            Ok((y, _, _)) if year_ok && y != evaluation.year.value => diagnostics.push(
                Diagnostic::warning(
                    "date-year-mismatch",
                    format!("evaluation date {} is not in the evaluation year {}", date.value, evaluation.year.value),
                )
                .at(at(path, date))
                .help("check the year of the evaluation and of the meeting date"),
            ),
            Ok(_) => {}
        }
    }
    if let Some(slug) = &c.slug {
        check_slug("slug", slug, path, diagnostics);
    }
    if crate::slug::slugify(&c.city).is_empty() && c.slug.is_none() {
        diagnostics.push(
            Diagnostic::error("bad-id", "the city name gives an empty slug for file names")
                .at(at(path, &c.city))
                .help("add `slug: kota-nama` to city.yaml"),
        );
    }
    if let Some(logo) = &c.logo {
        let file = ws.workspace.templates.join("assets").join(&logo.value);
        let inside = !logo.value.contains("..") && !std::path::Path::new(&logo.value).is_absolute();
        if !inside || !file.is_file() {
            diagnostics.push(
                Diagnostic::error(
                    "missing-file",
                    format!("logo `{}` is not a file under templates/assets/", logo.value),
                )
                .at(at(path, logo))
                .help("put the image in templates/assets/ and give its name relative to that folder"),
            );
        } else if let Some(problem) = logo_problem(&file) {
            // The report's cover and the title slide print it: caught here, not as a typst error.
            diagnostics.push(
                Diagnostic::error("bad-value", format!("logo `{}` {problem}", logo.value))
                    .at(at(path, logo))
                    .help("save the logo as PNG, JPEG, GIF, WebP or SVG (an export from the design program, not a renamed file)"),
            );
        }
    }
    let mut seen: BTreeMap<&str, Location> = BTreeMap::new();
    for inst in &c.institutions {
        check_slug("institution id", &inst.id, path, diagnostics);
        if let Some(first) = seen.insert(&inst.id.value, at(path, &inst.id)) {
            diagnostics.push(
                Diagnostic::error("duplicate-id", format!("institution id `{}` is defined twice", inst.id.value))
                    .at(at(path, &inst.id))
                    .related(first)
                    .help("give each institution its own id"),
            );
        }
    }
    if let Some(previous) = &c.previous {
        if previous.year.value >= evaluation.year.value {
            diagnostics.push(
                Diagnostic::error(
                    "bad-year",
                    format!(
                        "`previous.year` {} is not before the evaluation year {}",
                        previous.year.value, evaluation.year.value
                    ),
                )
                .at(at(path, &previous.year))
                .help("`previous` holds last year's published result"),
            );
        }
        let instrument = ws.previous_instrument(previous);
        match (&previous.framework, instrument) {
            (Some(id), None) if ids.frameworks_known => {
                diagnostics.push(dangling("framework", id, ids.frameworks.iter().map(String::as_str), at(path, id)))
            }
            (None, None) if ids.frameworks_known => diagnostics.push(
                Diagnostic::warning(
                    "no-previous-instrument",
                    format!("no instrument for {}: last year's result is not compared", previous.year.value),
                )
                .at(at(path, &previous.year))
                .help(format!(
                    "add `framework: <id>` under `previous:` (e.g. kominfo-2022), or an instrument with `year: {}` in indicators/framework/",
                    previous.year.value
                )),
            ),
            _ => {}
        }
        let known: Vec<&str> = match instrument {
            Some(f) => f.aspects.iter().map(|a| a.id.value.as_str()).collect(),
            None => ws.frameworks.iter().flat_map(|f| f.value.aspects.iter().map(|a| a.id.value.as_str())).collect(),
        };
        for (aspect, score) in &previous.aspects {
            if !known.contains(&aspect.as_str()) {
                diagnostics.push(dangling("aspect", aspect, known.iter().copied(), at(path, score)));
            }
            if !(0.0..=4.0).contains(&score.value) {
                diagnostics.push(
                    Diagnostic::error(
                        "score-out-of-range",
                        format!("previous `{aspect}` score {} is outside 0–4", score.value),
                    )
                    .at(at(path, score))
                    .help("copy the published aspect score (0 to 4)"),
                );
            }
        }
    }
    if year_ok && !ws.unparsed.assessments && ws.assessment(evaluation.year.value).is_none() {
        let year = evaluation.year.value;
        // `2024.yml`, `2024.yaml.txt`, `penilaian-2024.yaml`: a file meant to be the assessment
        // makes its absence an error, so CI never builds a 0,00 report from a misnamed file.
        match near_miss_assessment(&ws.workspace.root, year) {
            Some(found) => diagnostics.push(
                Diagnostic::error(
                    "missing-assessment",
                    format!("no self-assessment for {year}, but `{found}` looks like it"),
                )
                .at(at(path, &evaluation.year))
                .help(format!("rename it to indicators/assessment/{year}.yaml")),
            ),
            None => diagnostics.push(
                Diagnostic::warning("missing-assessment", format!("no self-assessment for {year}"))
                    .at(at(path, &evaluation.year))
                    .help(format!(
                        "create indicators/assessment/{year}.yaml with the answers (`smartcity-eval docs format`, §7)"
                    )),
            ),
        }
    }
}

fn check_dimensions(ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) {
    let Some(dims) = &ws.dimensions else { return };
    let path = &dims.path;
    let mut seen: BTreeMap<&str, Location> = BTreeMap::new();
    for d in &dims.value.dimensions {
        if let Some(first) = seen.insert(&d.id.value, at(path, &d.id)) {
            diagnostics.push(
                Diagnostic::error("duplicate-id", format!("dimension `{}` is defined twice", d.id.value))
                    .at(at(path, &d.id))
                    .related(first),
            );
        }
    }
    if dims.value.set_id() == DEFAULT_SET {
        check_fixed_set(dims, &seen, diagnostics);
    } else {
        check_declared_set(dims, diagnostics);
    }
}

/// The 2017 set: its six dimensions and their sub-dimensions have fixed ids.
fn check_fixed_set(dims: &Loaded<Dimensions>, seen: &BTreeMap<&str, Location>, diagnostics: &mut Diagnostics) {
    let path = &dims.path;
    for d in &dims.value.dimensions {
        let Some((_, subs)) = FIXED_IDS.iter().find(|(id, _)| *id == d.id.value) else {
            diagnostics.push(
                super::dangling("dimension", &d.id, FIXED_IDS.iter().map(|(id, _)| *id), at(path, &d.id)).also_help(
                    format!(
                        "the six dimension ids of the `{DEFAULT_SET}` set are fixed: governance, branding, economy, \
                         living, society, environment; another set (e.g. with mobility) is declared with `set:` \
                         (`smartcity-eval docs format`, §3)"
                    ),
                ),
            );
            continue;
        };
        for s in &d.subdimensions {
            if !subs.contains(&s.id.value.as_str()) {
                diagnostics.push(
                    super::dangling("sub-dimension", &s.id, subs.iter().copied(), at(path, &s.id)).also_help(format!(
                        "the sub-dimensions of {} are fixed: {}",
                        d.id.value,
                        subs.join(", ")
                    )),
                );
            }
        }
        for sub in subs {
            if !d.subdimensions.iter().any(|s| s.id.value == *sub) {
                diagnostics.push(
                    Diagnostic::error(
                        "missing-id",
                        format!("dimension `{}` lacks its sub-dimension `{sub}`", d.id.value),
                    )
                    .at(at(path, &d.id))
                    .help("restore it from the shipped dimensions.yaml"),
                );
            }
        }
    }
    for (id, _) in FIXED_IDS {
        if !seen.contains_key(id) {
            diagnostics.push(
                Diagnostic::error("missing-id", format!("dimension `{id}` is missing"))
                    .at(Location::file(path))
                    .help("the six dimensions are fixed by the contract; restore it from the shipped dimensions.yaml"),
            );
        }
    }
}

/// A declared set: its ids are the workspace's own; it needs 4 to 8 dimensions, each with
/// sub-dimensions of its own.
fn check_declared_set(dims: &Loaded<Dimensions>, diagnostics: &mut Diagnostics) {
    let path = &dims.path;
    let set = dims.value.set.as_ref();
    let count = dims.value.dimensions.len();
    if !SET_SIZE.contains(&count) {
        let place = set.map_or_else(|| Location::file(path), |s| at(path, s));
        diagnostics.push(
            Diagnostic::error(
                "dimension-count",
                format!("the dimension set has {count} dimensions; the documents lay out 4 to 8"),
            )
            .at(place)
            .help("list between 4 and 8 dimensions under `dimensions:`"),
        );
    }
    for d in &dims.value.dimensions {
        check_slug("dimension id", &d.id, path, diagnostics);
        if d.subdimensions.is_empty() {
            diagnostics.push(
                Diagnostic::error("missing-id", format!("dimension `{}` has no sub-dimensions", d.id.value))
                    .at(at(path, &d.id))
                    .help("list at least one under `subdimensions:` (programs name one of them)"),
            );
        }
        let mut subs: BTreeMap<&str, Location> = BTreeMap::new();
        for s in &d.subdimensions {
            check_slug("sub-dimension id", &s.id, path, diagnostics);
            if let Some(first) = subs.insert(&s.id.value, at(path, &s.id)) {
                diagnostics.push(
                    Diagnostic::error(
                        "duplicate-id",
                        format!("sub-dimension `{}` appears twice in `{}`", s.id.value, d.id.value),
                    )
                    .at(at(path, &s.id))
                    .related(first),
                );
            }
        }
    }
}

/// A file under `indicators/` (not a program) whose name has the year and looks like YAML or an
/// assessment, shown relative to the workspace.
fn near_miss_assessment(root: &std::path::Path, year: i32) -> Option<String> {
    let indicators = root.join("indicators");
    walkdir::WalkDir::new(&indicators)
        .max_depth(3)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !crate::workspace::is_lock_file(e.file_name()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.path().starts_with(indicators.join("programs")))
        .map(|e| e.into_path())
        .find(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
            name.contains(&year.to_string())
                && (name.contains(".yml")
                    || name.contains(".yaml")
                    || name.contains("penilaian")
                    || name.contains("assessment"))
                && !name.ends_with(&format!("{year}.yaml"))
        })
        .map(|p| p.strip_prefix(root).unwrap_or(&p).to_string_lossy().replace('\\', "/"))
}

/// What keeps the logo at `file` from printing: an image type documents cannot show, or bytes
/// that are not the image its extension names (a renamed .bmp, a saved web page).
fn logo_problem(file: &std::path::Path) -> Option<String> {
    use std::io::Read;
    let ext = file.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let mut head = Vec::with_capacity(1024);
    if let Err(e) = std::fs::File::open(file).and_then(|f| f.take(1024).read_to_end(&mut head)) {
        return Some(format!("cannot be read: {e}"));
    }
    let is = |kind: &str| match kind {
        "png" => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        "jpeg" => head.starts_with(&[0xFF, 0xD8, 0xFF]),
        "gif" => head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a"),
        "webp" => head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP",
        _ => String::from_utf8_lossy(&head).contains("<svg"),
    };
    let kind = match ext.as_str() {
        "png" => "png",
        "jpg" | "jpeg" => "jpeg",
        "gif" => "gif",
        "webp" => "webp",
        "svg" => "svg",
        _ => return Some(format!("is a .{ext} file; the documents show PNG, JPEG, GIF, WebP and SVG images")),
    };
    (!is(kind)).then(|| format!("is not a {} image: its content is something else", kind.to_uppercase()))
}

#[cfg(test)]
mod logo_tests {
    use super::logo_problem;

    #[test]
    fn a_logo_is_an_image_of_the_kind_its_name_says() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        assert_eq!(logo_problem(&write("a.png", b"\x89PNG\r\n\x1a\n rest")), None);
        assert_eq!(logo_problem(&write("a.JPG", &[0xFF, 0xD8, 0xFF, 0xE0])), None);
        assert_eq!(logo_problem(&write("a.svg", b"<?xml version=\"1.0\"?>\n<svg xmlns=\"x\"></svg>")), None);
        assert_eq!(logo_problem(&write("a.webp", b"RIFF\0\0\0\0WEBPVP8 ")), None);
        let text = logo_problem(&write("b.png", b"not an image")).unwrap();
        assert_eq!(text, "is not a PNG image: its content is something else");
        let bmp = logo_problem(&write("c.bmp", b"BM")).unwrap();
        assert!(bmp.starts_with("is a .bmp file"), "{bmp}");
    }
}
