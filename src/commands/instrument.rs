//! `instrument new ID --from SOURCE [--year Y]`: the documented way to add the year's
//! instrument when Kominfo sends it — a copy of a shipped (or the workspace's) instrument under
//! a new id and year, with a note that its weights and questions are to be checked. The copy
//! keeps the source's text (comments, order, quoting): only `id:` and `year:` change.

use std::path::Path;
use std::process::ExitCode;

use super::init::{SHIPPED, instrument_hint};
use super::{Outcome, print};
use crate::cli::InstrumentNewArgs;
use crate::diagnostic::{Diagnostic, Location};
use crate::outdir::write_atomic;

pub fn new(root: &Path, args: &InstrumentNewArgs) -> Outcome {
    if !crate::slug::is_slug(&args.id) {
        return Err(Box::new(
            Diagnostic::error("bad-id", format!("`{}` is not a valid instrument id", args.id))
                .help(format!("use lowercase letters, digits and dashes, e.g. `{}`", crate::slug::slugify(&args.id))),
        ));
    }
    let folder = root.join("indicators/framework");
    let target = folder.join(format!("{}.yaml", args.id));
    if target.exists() {
        return Err(Box::new(
            Diagnostic::error("would-overwrite", format!("indicators/framework/{}.yaml already exists", args.id))
                .at(Location::file(format!("indicators/framework/{}.yaml", args.id)))
                .help("choose another id, or edit that file"),
        ));
    }
    let year = match args.year.or_else(|| year_in(&args.id)) {
        Some(year) => year,
        None => {
            return Err(Box::new(
                Diagnostic::error("missing-key", format!("which evaluation year is `{}` for?", args.id))
                    .help("add `--year 2025`, or put the year in the id (`kominfo-2025`)"),
            ));
        }
    };
    let source = source_text(root, &args.from)?;
    let text = retarget(&source, &args.id, year, &args.from);
    write_atomic(&target, text.as_bytes()).map_err(|e| {
        Box::new(
            Diagnostic::error("write-failed", format!("cannot write: {e}"))
                .at(Location::file(format!("indicators/framework/{}.yaml", args.id))),
        )
    })?;
    print(&format!(
        "wrote indicators/framework/{id}.yaml (a copy of {from} for {year})\nnext: check its weights and questions \
         against Kominfo's {year} instrument, then set `framework: {id}` in indicators/city.yaml and run validate\n",
        id = args.id,
        from = args.from,
    ));
    Ok(ExitCode::SUCCESS)
}

fn year_in(id: &str) -> Option<i32> {
    super::init::year_of(id).and_then(|y| y.parse().ok())
}

/// The workspace's own `indicators/framework/<from>.yaml`, else the shipped one.
fn source_text(root: &Path, from: &str) -> Result<String, Box<Diagnostic>> {
    let own = root.join("indicators/framework").join(format!("{from}.yaml"));
    if own.is_file() {
        return crate::load::text::read_utf8(&own, Path::new(&format!("indicators/framework/{from}.yaml")))
            .map_err(Box::new);
    }
    let shipped = format!("indicators/framework/{from}.yaml");
    if let Some((_, text)) = SHIPPED.iter().find(|(path, _)| *path == shipped) {
        return Ok((*text).to_string());
    }
    let known: Vec<&str> = SHIPPED
        .iter()
        .filter_map(|(p, _)| p.strip_prefix("indicators/framework/").and_then(|n| n.strip_suffix(".yaml")))
        .collect();
    Err(Box::new(
        Diagnostic::error("dangling-reference", format!("unknown instrument `{from}`")).help(instrument_hint(
            from,
            &known,
            "smartcity-eval instrument new … --from kominfo-2023-reguler",
        )),
    ))
}

/// `source` with its `id:`, `name:` and `year:` replaced and a first note saying where it comes
/// from. The name is printed on the documents' covers: the copy's must not claim to be the
/// instrument it was copied from.
fn retarget(source: &str, id: &str, year: i32, from: &str) -> String {
    let mut out = String::new();
    let mut year_written = false;
    for line in source.lines() {
        if line.starts_with("id:") {
            out.push_str(&format!(
                "# Copied from `{from}` by `smartcity-eval instrument new`: check the weights, the questions and\n\
                 # the notes against Kominfo's {year} instrument before relying on the scores.\nid: {id}\n"
            ));
        } else if line.starts_with("name:") {
            let name = format!("Instrumen {year} ({id}, disalin dari {from})");
            out.push_str(&format!("name: {}\n", super::yaml_quoted(&name)));
        } else if line.starts_with("year:") {
            out.push_str(&format!("year: {year}\n"));
            year_written = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !year_written {
        out.push_str(&format!("year: {year}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_changes_only_id_name_and_year() {
        let source = "# header\nid: kominfo-2023-reguler\nname: X\nyear: 2023\naspects: []\n";
        let copy = retarget(source, "kominfo-2025", 2025, "kominfo-2023-reguler");
        assert!(copy.contains("\nid: kominfo-2025\n") && copy.contains("\nyear: 2025\n"), "{copy}");
        assert!(
            copy.contains("\nname: \"Instrumen 2025 (kominfo-2025, disalin dari kominfo-2023-reguler)\"\n"),
            "{copy}"
        );
        assert!(copy.starts_with("# header\n# Copied from `kominfo-2023-reguler`"), "{copy}");
        assert!(copy.ends_with("aspects: []\n"));
        assert_eq!(year_in("kominfo-2025"), Some(2025));
        assert_eq!(year_in("kominfo-baru"), None);
    }
}
