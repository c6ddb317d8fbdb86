//! Programs and their indicators: ids, dimension links, periods and targets.

use std::collections::BTreeMap;

use super::{Ids, at, check_slug, dangling};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::LoadedWorkspace;
use crate::period::parse_date;

pub(super) fn check(ws: &LoadedWorkspace, ids: &Ids, diagnostics: &mut Diagnostics) {
    let mut programs: BTreeMap<&str, Location> = BTreeMap::new();
    let mut indicators: BTreeMap<&str, Location> = BTreeMap::new();
    for loaded in &ws.programs {
        let path = &loaded.path;
        let p = &loaded.value.value;
        check_slug("program id", &p.id, path, diagnostics);
        if let Some(first) = programs.insert(&p.id.value, at(path, &p.id)) {
            diagnostics.push(
                Diagnostic::error("duplicate-id", format!("program id `{}` is defined twice", p.id.value))
                    .at(at(path, &p.id))
                    .related(first)
                    .help("program ids are unique across all files under indicators/programs/"),
            );
        }
        if !ids.dimensions_known {
            // dimensions.yaml is broken; its error is reported on its own.
        } else if ids.unknown_dimension(&p.dimension.value) {
            diagnostics.push(dangling(
                "dimension",
                &p.dimension,
                ids.dimensions.iter().map(String::as_str),
                at(path, &p.dimension),
            ));
        } else if !ids.subdimensions.contains(&(p.dimension.value.clone(), p.subdimension.value.clone())) {
            let d = super::dangling_subdimension(ids, &p.dimension, &p.subdimension, at(path, &p.subdimension));
            diagnostics.push(d);
        }
        let (start, end) = (&p.period.start, &p.period.end);
        if start.value > end.value {
            diagnostics.push(
                Diagnostic::error(
                    "bad-period",
                    format!("program period starts in {} but ends in {}", start.value, end.value),
                )
                .at(at(path, start))
                .help("`period: {start: YYYY, end: YYYY}` with start ≤ end"),
            );
        }
        for year in [start, end] {
            if !crate::period::YEARS.contains(&year.value) {
                diagnostics.push(
                    Diagnostic::error("bad-year", format!("{} is not a plausible year", year.value))
                        .at(at(path, year))
                        .help("write a four-digit year such as 2023"),
                );
            }
        }
        if let Some(launched) = &p.launched
            && let Err(e) = parse_date(launched)
        {
            diagnostics
                .push(Diagnostic::error("bad-date", e).at(at(path, launched)).help("write `launched:` as YYYY-MM-DD"));
        }
        if p.indicators.is_empty() {
            diagnostics.push(
                Diagnostic::warning("no-indicators", format!("program `{}` has no indicators", p.id.value))
                    .at(at(path, &p.id))
                    .help("without indicators its progress cannot be measured; add at least one with a target"),
            );
        }
        for ind in &p.indicators {
            check_slug("indicator id", &ind.id, path, diagnostics);
            if let Some(first) = indicators.insert(&ind.id.value, at(path, &ind.id)) {
                diagnostics.push(
                    Diagnostic::error("duplicate-id", format!("indicator id `{}` is defined twice", ind.id.value))
                        .at(at(path, &ind.id))
                        .related(first)
                        .help("indicator ids are unique across the workspace (data files refer to them)"),
                );
            }
            for (year, target) in &ind.targets {
                if start.value <= end.value && !p.period.contains(year.value) {
                    diagnostics.push(
                        Diagnostic::error(
                            "target-outside-period",
                            format!(
                                "target for {} is outside the program period {}–{}",
                                year.value, start.value, end.value
                            ),
                        )
                        .at(at(path, year))
                        .help("remove the target or extend the program's `period`"),
                    );
                }
                if !target.value.is_finite() {
                    diagnostics.push(
                        Diagnostic::error("not-a-number", format!("target for {} is not a number", year.value))
                            .help("write a plain number")
                            .at(at(path, target)),
                    );
                }
            }
            if let Some(b) = &ind.baseline {
                if let Some(first_target) = ind.targets.keys().next().filter(|y| y.value <= b.year.value) {
                    diagnostics.push(
                        Diagnostic::warning(
                            "baseline-not-before-targets",
                            format!(
                                "baseline year {} is not before the first target year {}",
                                b.year.value, first_target.value
                            ),
                        )
                        .at(at(path, &b.year))
                        .help("a baseline is the value the targets improve on; use a year before the first target"),
                    );
                }
                if !b.value.is_finite() {
                    diagnostics.push(
                        Diagnostic::error("not-a-number", "baseline value is not a number").at(at(path, &b.year)),
                    );
                }
            }
        }
    }
}
