//! `indicators/opd.yaml` and every reference to an OPD: programs, answers and documents name
//! an OPD by its id (checked, with `did you mean`) or by a plain name (taken as written).

use std::collections::BTreeMap;
use std::path::Path;

use super::{at, check_slug, dangling};
use crate::diagnostic::{Diagnostics, Location};
use crate::load::LoadedWorkspace;
use crate::model::Sp;

pub(super) fn check(ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) {
    if let Some(list) = &ws.opds {
        let mut seen: BTreeMap<&str, Location> = BTreeMap::new();
        for opd in &list.value.opd {
            check_slug("OPD id", &opd.id, &list.path, diagnostics);
            if let Some(first) = seen.insert(&opd.id.value, at(&list.path, &opd.id)) {
                diagnostics.push(
                    crate::diagnostic::Diagnostic::error(
                        "duplicate-id",
                        format!("OPD id `{}` is defined twice", opd.id.value),
                    )
                    .at(at(&list.path, &opd.id))
                    .related(first)
                    .help("each OPD is listed once in indicators/opd.yaml"),
                );
            }
        }
    }
    for p in &ws.programs {
        reference(ws, &p.value.opd, &p.path, diagnostics);
    }
    for a in &ws.assessments {
        for answer in a.value.answers.values() {
            if let Some(opd) = &answer.opd {
                reference(ws, opd, &a.path, diagnostics);
            }
        }
    }
    for entry in crate::evidence::entries(ws) {
        if let Some(opd) = entry.item.document().and_then(|d| d.opd.as_ref()) {
            reference(ws, opd, entry.yaml, diagnostics);
        }
    }
}

/// An OPD written where the list knows neither that id nor that name. Only a value that looks
/// like an id (a slug: `diskominfo`, `dinkes`) is an error — it is a typo of an id; a name with
/// spaces or capitals is a plain name, accepted as it was before the list existed.
fn reference(ws: &LoadedWorkspace, written: &Sp<String>, path: &Path, diagnostics: &mut Diagnostics) {
    let Some(list) = &ws.opds else { return };
    if ws.opd(&written.value).is_some() || !crate::slug::is_slug(written.value.trim()) {
        return;
    }
    let ids = list.value.opd.iter().map(|o| o.id.value.as_str());
    let mut d = dangling("OPD", &written.value, ids, at(path, written));
    d.help = d.help.map(|h| {
        format!(
            "{h} (ids are listed in indicators/opd.yaml; a full name such as `Dinas Kesehatan` is taken as written)"
        )
    });
    diagnostics.push(d);
}
