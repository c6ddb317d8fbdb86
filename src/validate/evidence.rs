//! Bukti dukung entries: the shape of each document, and the files they name under
//! `evidence/` (docs/format.md §7.1).

use super::at;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::evidence::entries;
use crate::load::LoadedWorkspace;
use crate::model::Evidence;
use crate::period::parse_date;

pub(super) fn check(ws: &LoadedWorkspace, diagnostics: &mut Diagnostics) {
    for entry in entries(ws) {
        let Evidence::Document(doc) = &entry.item.value else { continue };
        let path = entry.yaml;
        if doc.file.is_none() && doc.url.is_none() && doc.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            diagnostics.push(
                Diagnostic::error("bad-evidence", "a document needs `file`, `url` or `title`")
                    .at(at(path, entry.item))
                    .help("file it (`file: evidence/…`), link it (`url: https://…`), or name it (`title: …`) until it is filed"),
            );
        }
        if let Some(url) = &doc.url
            && !(url.value.starts_with("https://") || url.value.starts_with("http://"))
        {
            diagnostics.push(
                Diagnostic::error("bad-evidence", format!("`{}` is not a web address", url.value))
                    .at(at(path, url))
                    .help("write the whole address, starting with https:// (a document on disk goes under `file:`)"),
            );
        }
        if let Some(date) = &doc.date
            && let Err(e) = parse_date(&date.value)
        {
            diagnostics.push(
                Diagnostic::error("bad-date", e).at(at(path, date)).help("write the document's date as YYYY-MM-DD"),
            );
        }
    }
}
