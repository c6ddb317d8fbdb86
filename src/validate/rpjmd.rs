//! The RPJMD and the programs that say they serve it: ids, references from programs and
//! indicators, budget codes, periods, units, and the alignment gaps assessors ask about.

use std::collections::BTreeMap;

use super::{at, dangling};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::LoadedWorkspace;
use crate::rpjmd::{Plan, same_unit, valid_kode};

pub(super) fn check(ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) {
    let (plan, problems) = crate::rpjmd::plan(ws);
    diagnostics.extend(problems);
    if let Some(plan) = &plan {
        rpjmd_itself(plan, diagnostics);
    }
    programs(ws, plan.as_ref(), diagnostics);
    if let Some(plan) = &plan {
        gaps(ws, plan, diagnostics);
    }
}

/// Duplicate ids and a period that runs backwards.
fn rpjmd_itself(plan: &Plan<'_>, diagnostics: &mut Diagnostics) {
    let period = &plan.rpjmd.period;
    if period.start.value > period.end.value {
        diagnostics.push(
            Diagnostic::error(
                "bad-period",
                format!("the RPJMD period starts in {} but ends in {}", period.start.value, period.end.value),
            )
            .at(at(plan.path, &period.start))
            .help("`period: {start: 2025, end: 2029}` with start ≤ end"),
        );
    }
    let mut seen: BTreeMap<&str, &Location> = BTreeMap::new();
    let structure = plan.rpjmd.misi.iter().flat_map(|m| {
        std::iter::once(&m.id)
            .chain(m.tujuan.iter().flat_map(|t| std::iter::once(&t.id).chain(t.sasaran.iter().map(|s| &s.id))))
    });
    let locations: Vec<(&str, Location)> = structure.map(|id| (id.value.as_str(), at(plan.path, id))).collect();
    for (id, location) in &locations {
        if let Some(first) = seen.insert(id, location) {
            diagnostics.push(
                Diagnostic::error("duplicate-id", format!("RPJMD id `{id}` is defined twice"))
                    .at(location.clone())
                    .related(first.clone())
                    .help("misi, tujuan and sasaran ids are unique within indicators/rpjmd.yaml"),
            );
        }
    }
    let mut indicators: BTreeMap<&str, &Location> = BTreeMap::new();
    let (start, end) = (period.start.value, period.end.value);
    for iku in &plan.indicators {
        // Shown nowhere (the documents cover the period's years): say so rather than drop it.
        for (year, location) in iku.target_locations.iter().filter(|(y, _)| **y < start || **y > end) {
            diagnostics.push(
                Diagnostic::warning(
                    "rpjmd-target-outside-period",
                    format!("RPJMD indicator `{}` has a target for {year}, outside the RPJMD period {start}–{end}", iku.id),
                )
                .at(location.clone())
                .help("the documents show the period's years only: correct the year, or the RPJMD `period` if it runs longer"),
            );
        }
        if let Some(first) = indicators.insert(&iku.id, &iku.location) {
            diagnostics.push(
                Diagnostic::error("duplicate-id", format!("RPJMD indicator `{}` is defined twice", iku.id))
                    .at(iku.location.clone())
                    .related(first.clone())
                    .help("RPJMD indicator ids (kodefikasi) are unique across indicators/rpjmd.yaml and data/rpjmd/"),
            );
        }
    }
}

/// What programs and their indicators say about the RPJMD.
fn programs(ws: &LoadedWorkspace, plan: Option<&Plan<'_>>, diagnostics: &mut Diagnostics) {
    // A broken rpjmd.yaml is reported once, not again at every reference.
    let checkable = !ws.unparsed.rpjmd;
    let sasaran_ids: Vec<&str> = plan.map(|p| p.sasaran.iter().map(|s| s.id.as_str()).collect()).unwrap_or_default();
    let indicator_ids: Vec<&str> =
        plan.map(|p| p.indicators.iter().map(|i| i.id.as_str()).collect()).unwrap_or_default();
    for loaded in &ws.programs {
        let path = &loaded.path;
        let p = &loaded.value.value;
        for kode in &p.kode {
            if !valid_kode(kode) {
                diagnostics.push(
                    Diagnostic::error("bad-kode", format!("`{}` is not a budget nomenclature code", kode.value))
                        .at(at(path, kode))
                        .help("codes follow Kepmendagri: program `U.BB.PP` (2.16.03), kegiatan `U.BB.PP.K.KK` (2.16.03.2.02), sub-kegiatan `U.BB.PP.K.KK.SSSS` (2.16.03.2.02.0035; 2 digits in the nomenclature up to 2021)"),
                );
            }
        }
        if checkable {
            for s in &p.rpjmd {
                if !sasaran_ids.contains(&s.value.as_str()) {
                    let mut d = dangling("RPJMD sasaran", s, sasaran_ids.iter().copied(), at(path, s));
                    if plan.is_none() {
                        d = d.help("the workspace has no indicators/rpjmd.yaml: add it (`smartcity-eval docs format`, §5a) or remove `rpjmd:`");
                    }
                    diagnostics.push(d);
                }
            }
        }
        if let Some(plan) = plan
            && !p.rpjmd.is_empty()
        {
            let (start, end) = (plan.rpjmd.period.start.value, plan.rpjmd.period.end.value);
            if p.period.end.value < start || p.period.start.value > end {
                diagnostics.push(
                    Diagnostic::error(
                        "program-outside-rpjmd",
                        format!(
                            "the program runs {}–{}, outside the RPJMD period {start}–{end}, yet serves its sasaran",
                            p.period.start.value, p.period.end.value
                        ),
                    )
                    .at(at(path, &p.period.start))
                    .related(at(plan.path, &plan.rpjmd.period.start))
                    .help("correct the program's period, or remove `rpjmd:` from a program that does not run in the RPJMD years"),
                );
            }
        }
        for ind in &p.indicators {
            let Some(target) = &ind.contributes_to else { continue };
            if !checkable {
                continue;
            }
            if let Some(conversion) = &ind.conversion
                && !(conversion.value.is_finite() && conversion.value > 0.0)
            {
                diagnostics.push(
                    Diagnostic::error("bad-conversion", format!("conversion {} is not a positive number", conversion.value))
                        .at(at(path, conversion))
                        .help("`conversion:` multiplies this indicator's value into the RPJMD unit: e.g. `0.01` from percent to a share, `1000` from thousands"),
                );
            }
            let Some(iku) = plan.and_then(|plan| plan.indicator(target)) else {
                let mut d = dangling("RPJMD indicator", target, indicator_ids.iter().copied(), at(path, target));
                if plan.is_none() {
                    d = d.help("the workspace has no indicators/rpjmd.yaml: add it (`smartcity-eval docs format`, §5a) or remove `contributes_to:`");
                }
                diagnostics.push(d);
                continue;
            };
            if !same_unit(&ind.unit, &iku.unit) && ind.conversion.is_none() {
                diagnostics.push(
                    Diagnostic::error(
                        "rpjmd-unit-mismatch",
                        format!(
                            "indicator `{}` is in `{}` but RPJMD indicator `{}` is in `{}`",
                            ind.id.value, ind.unit, iku.id, iku.unit
                        ),
                    )
                    .at(at(path, target))
                    .related(iku.location.clone())
                    .help(format!(
                        "state the factor that turns a value in `{}` into `{}` (`conversion: 0.01` for percent to a share), or link an indicator in the same unit",
                        ind.unit, iku.unit
                    )),
                );
            }
        }
    }
}

/// Programs serving no sasaran, sasaran no program serves, and RPJMD targets that the
/// contributing indicators miss in fully covered years.
fn gaps(ws: &LoadedWorkspace, plan: &Plan<'_>, diagnostics: &mut Diagnostics) {
    for loaded in &ws.programs {
        let p = &loaded.value.value;
        if p.rpjmd.is_empty() {
            let start = plan.rpjmd.period.start.value;
            let help = if p.period.end.value < start {
                format!(
                    "it ends in {}, before the RPJMD period starts ({start}): if it continues, extend its `period` and list the sasaran it serves (`rpjmd: [sasaran-id]`)",
                    p.period.end.value
                )
            } else {
                "list the sasaran it serves (`rpjmd: [sasaran-id]`): assessors ask how each program serves the RPJMD"
                    .to_string()
            };
            diagnostics.push(
                Diagnostic::warning(
                    "program-without-sasaran",
                    format!("program `{}` serves no RPJMD sasaran", p.id.value),
                )
                .at(at(&loaded.path, &p.id))
                .help(help),
            );
        }
    }
    // A program naming a sasaran that does not exist probably meant one of these: its error
    // comes first, and "no program serves" would be a follow-on.
    let dangling = ws.programs.iter().any(|p| p.value.value.rpjmd.iter().any(|r| plan.sasaran(r).is_none()));
    for s in plan.sasaran.iter().filter(|_| !dangling) {
        if !ws.programs.iter().any(|p| p.value.value.rpjmd.iter().any(|r| r.value == s.id)) {
            diagnostics.push(
                Diagnostic::note("sasaran-without-program", format!("no smart city program serves sasaran `{}`", s.id))
                    .at(s.location.clone())
                    .help("listed in the report's RPJMD chapter: name it in the `rpjmd:` of a program that serves it, if one does"),
            );
        }
    }
    let linked = ws.programs.iter().any(|p| p.value.value.indicators.iter().any(|i| i.contributes_to.is_some()));
    if !linked || ws.unparsed.observations {
        return;
    }
    let kinds = ws
        .programs
        .iter()
        .flat_map(|p| p.value.value.indicators.iter().map(|i| (i.id.value.clone(), i.aggregate)))
        .collect();
    let values = match crate::aggregate::indicators::yearly_values(&ws.tables, &kinds, &[]) {
        Ok(values) => values,
        Err(e) => {
            diagnostics.push(Diagnostic::error("internal", format!("could not compute indicator values: {e}")));
            return;
        }
    };
    let series = crate::progress::indicator_series(ws, &values);
    let alignment = crate::rpjmd::alignment::alignment(ws, plan, &series);
    for iku in &alignment.indicators {
        for c in &iku.contributions {
            let Some(location) = ws.programs.iter().find_map(|p| {
                p.value
                    .value
                    .indicators
                    .iter()
                    .find(|i| i.id.value == c.indicator)
                    .and_then(|i| i.contributes_to.as_ref().map(|t| at(&p.path, t)))
            }) else {
                continue;
            };
            for y in c.years.iter().filter(|y| y.status == "missed") {
                let (Some(value), Some(target)) = (y.value, y.target) else { continue };
                diagnostics.push(
                    Diagnostic::warning(
                        "rpjmd-target-missed",
                        format!(
                            "indicator `{}` reached {value} in {}, missing RPJMD indicator `{}`'s target of {target} {}",
                            c.indicator, y.year, iku.id, iku.unit
                        ),
                    )
                    .at(location.clone())
                    .help("a warning for the RPJMD chapter: the target is Bappeda's; check the data or explain the gap in the report"),
                );
            }
        }
    }
}
