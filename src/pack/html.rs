//! `index.html` of the pack: every document linked by its relative path, in the run's language.
//! Plain HTML and inline CSS: no scripts, no remote resources, so it works offline from the
//! unzipped folder.

use std::fmt::Write as _;

use super::INDEX_PDF;
use super::layout::{IndexQuestion, PackIndex};
use crate::checklist::Standing;
use crate::evidence::DocStatus;
use crate::lang::Lang;

/// The page's own words (the status words come with each document, from `DocStatus::word`).
struct Words {
    title: &'static str,
    evaluation: &'static str,
    instrument: &'static str,
    date: &'static str,
    /// After `date`, when city.yaml gives none.
    no_date: &'static str,
    counts: &'static str,
    pdf: &'static str,
    xlsx: &'static str,
    score: &'static str,
    unanswered: &'static str,
    pages: &'static str,
    not_found: &'static str,
    programs: &'static str,
}

const ID: Words = Words {
    title: "Daftar bukti dukung",
    evaluation: "Evaluasi Smart City",
    instrument: "instrumen",
    date: "tanggal",
    no_date: "belum ditentukan",
    counts: "{filed} dokumen ada berkas, {linked} tautan, {named} baru disebut, {missing} berkas hilang",
    pdf: "daftar (PDF)",
    xlsx: "daftar periksa (xlsx)",
    score: "nilai",
    unanswered: "belum dijawab",
    pages: "hlm.",
    not_found: "tidak ditemukan",
    programs: "Program",
};

const EN: Words = Words {
    title: "Evidence index",
    evaluation: "Smart City evaluation",
    instrument: "instrument",
    date: "date",
    no_date: "not set yet",
    counts: "{filed} {documents} filed, {linked} linked, {named} named only, {missing} missing",
    pdf: "index (PDF)",
    xlsx: "checklist (xlsx)",
    score: "score",
    unanswered: "unanswered",
    pages: "p.",
    not_found: "not found",
    programs: "Programs",
};

/// `&`, `<`, `>`, `"` and `'` as HTML entities.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A relative link: each path segment percent-encoded (RFC 3986 unreserved characters kept).
fn href(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            let mut out = String::new();
            for b in segment.bytes() {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    out.push(b as char);
                } else {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// An external link only when it is a web address (validated before; checked again here).
fn web(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn documents(out: &mut String, q: &IndexQuestion, w: &Words, lang: Lang) {
    if q.documents.is_empty() {
        match q.standing {
            Standing::None => {
                let _ = writeln!(out, "<p class=\"none\">{}</p>", esc(crate::evidence::no_evidence_word(lang)));
            }
            Standing::Derived => {
                let _ = writeln!(out, "<p>{}</p>", esc(crate::evidence::derived_word(lang)));
            }
            _ => {}
        }
        return;
    }
    out.push_str("<ul>\n");
    for d in &q.documents {
        let _ = write!(
            out,
            "<li class=\"{}\"><span class=\"status\">{}</span> ",
            esc(&format!("{:?}", d.status).to_lowercase()),
            esc(d.word)
        );
        match (&d.path, &d.url) {
            (Some(path), _) => {
                let _ = write!(out, "<a href=\"{}\">{}</a>", esc(&href(path)), esc(&d.title));
            }
            (None, Some(url)) if web(url) => {
                let _ = write!(out, "<a href=\"{}\" rel=\"noreferrer\">{}</a>", esc(url), esc(&d.title));
            }
            _ => out.push_str(&esc(&d.title)),
        }
        let mut facts: Vec<String> = Vec::new();
        if let Some(p) = &d.pages {
            facts.push(format!("{} {}", w.pages, esc(p)));
        }
        if let Some(date) = &d.date {
            facts.push(esc(date));
        }
        if let Some(opd) = &d.opd {
            facts.push(format!("OPD: {}", esc(opd)));
        }
        if let Some(bytes) = d.bytes {
            facts.push(crate::evidence::size(bytes));
        }
        if d.status == DocStatus::Missing
            && let Some(source) = &d.source
        {
            facts.push(format!("{}: {}", w.not_found, esc(source)));
        }
        if !facts.is_empty() {
            let _ = write!(out, " <span class=\"facts\">— {}</span>", facts.join(" · "));
        }
        if let Some(hash) = &d.sha256 {
            let _ = write!(out, "<br><code>SHA-256 {hash}</code>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// The index page: plain HTML and inline CSS, no scripts, no remote resources.
pub fn html(index: &PackIndex) -> String {
    let lang = if index.lang == "en" { Lang::En } else { Lang::Id };
    let w = if lang == Lang::En { &EN } else { &ID };
    let mut out = String::new();
    let title = format!("{} — {} {}", w.title, index.city, index.year);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>\nbody{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2733;line-height:1.4}}\n\
         h1{{color:#0b5394}} h2{{border-bottom:2px solid #dbe7f5;margin-top:2rem}} h3{{font-size:1rem;margin:1.2rem 0 .3rem}}\n\
         .meta,.facts{{color:#5f6b7a}} .status{{display:inline-block;min-width:7.5rem;font-size:.85em;color:#5f6b7a}}\n\
         .missing .status,.none{{color:#b3261e}} .filed .status{{color:#2e7d32}} code{{font-size:.75em;color:#5f6b7a}}\n\
         ul{{margin:.2rem 0 .6rem;padding-left:1.2rem}}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        index.lang,
        esc(&title),
        esc(&title)
    );
    let counts = w
        .counts
        .replace("{filed}", &index.filed.to_string())
        .replace("{documents}", if index.filed == 1 { "document" } else { "documents" })
        .replace("{linked}", &index.linked.to_string())
        .replace("{named}", &index.named.to_string())
        .replace("{missing}", &index.missing.to_string());
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} {} · {} {} · {} {}<br>{counts} · <a href=\"{}\">{}</a> · <a href=\"{}\">{}</a></p>",
        w.evaluation,
        index.year,
        w.instrument,
        esc(&index.instrument),
        w.date,
        index.date.as_deref().map_or_else(|| w.no_date.to_string(), esc),
        href(INDEX_PDF),
        w.pdf,
        esc(&href(&index.xlsx)),
        w.xlsx
    );
    for a in &index.aspects {
        let _ = writeln!(out, "<h2>{}</h2>", esc(&a.name));
        for q in &a.questions {
            let _ = writeln!(out, "<h3 id=\"{}\">{}</h3>", esc(&q.id), esc(&q.label));
            let score =
                q.score.as_ref().map_or_else(|| w.unanswered.to_string(), |s| format!("{} {}", w.score, esc(s)));
            let opd = if q.opd.is_empty() { String::new() } else { format!(" · OPD: {}", esc(&q.opd.join("; "))) };
            let _ = writeln!(out, "<p class=\"meta\">{score}{opd}</p>");
            documents(&mut out, q, w, lang);
        }
    }
    if !index.programs.is_empty() {
        let _ = writeln!(out, "<h2>{}</h2>", w.programs);
        for p in &index.programs {
            let _ = writeln!(out, "<h3 id=\"program-{}\">{}</h3>", esc(&p.id), esc(&p.label));
            if !p.opd.is_empty() {
                let _ = writeln!(out, "<p class=\"meta\">OPD: {}</p>", esc(&p.opd.join("; ")));
            }
            documents(&mut out, p, w, lang);
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_encoded_and_text_escaped() {
        assert_eq!(href("1-Baseline/1.1.1-x/foto rapat #1.jpg"), "1-Baseline/1.1.1-x/foto%20rapat%20%231.jpg");
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }
}
