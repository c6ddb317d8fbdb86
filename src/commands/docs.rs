//! `docs`: the user documentation, embedded, printed for the version that runs. A city that
//! installed the binary alone (no source tree, perhaps no network) reads the guide and the
//! format reference the files `init` writes point to, and they always match its version.

use std::process::ExitCode;

use super::{Outcome, print};
use crate::cli::{DocTopic, DocsArgs};

/// (topic, file, what it holds in Indonesian, in English, its text).
const TOPICS: &[(DocTopic, &str, &str, &str, &str)] = &[
    (
        DocTopic::Panduan,
        "panduan.md",
        "panduan cepat dalam bahasa Indonesia: dari unduhan sampai laporan pertama",
        "quick start in Indonesian: from download to the first report",
        include_str!("../../docs/panduan.md"),
    ),
    (
        DocTopic::Format,
        "format.md",
        "rujukan format workspace: setiap berkas dan setiap kolom (bahasa Inggris)",
        "workspace format reference: every file and field",
        include_str!("../../docs/format.md"),
    ),
    (
        DocTopic::Diagnostics,
        "diagnostics.md",
        "setiap kode masalah yang dilaporkan dan cara memperbaikinya (bahasa Inggris)",
        "every diagnostic code and how to fix it",
        include_str!("../../docs/diagnostics.md"),
    ),
    (
        DocTopic::Ci,
        "ci.md",
        "membangun ulang dokumen pada setiap commit data (bahasa Inggris)",
        "rebuilding the documents on every data commit",
        include_str!("../../docs/ci.md"),
    ),
    (
        DocTopic::Export,
        "export.md",
        "ekspor ringkasan untuk Bappeda (bahasa Inggris)",
        "the Bappeda exports",
        include_str!("../../docs/export.md"),
    ),
    (
        DocTopic::Evaluation,
        "evaluation.md",
        "isi keluaran JSON `score --format json` (bahasa Inggris)",
        "the JSON value `score --format json` prints",
        include_str!("../../docs/evaluation.md"),
    ),
];

pub fn run(args: &DocsArgs) -> Outcome {
    match args.topic.and_then(|topic| TOPICS.iter().find(|t| t.0 == topic)) {
        Some(t) => print(t.4),
        None => print(&list(args.lang)),
    }
    Ok(ExitCode::SUCCESS)
}

/// The topics, one a line, in the run's language.
fn list(lang: crate::lang::Lang) -> String {
    let id = lang == crate::lang::Lang::Id;
    let mut text = String::from(if id {
        "Dokumentasi smartcity-eval (sesuai versi program ini). Tampilkan satu topik dengan\n`smartcity-eval docs TOPIK`, simpan dengan `smartcity-eval docs TOPIK > TOPIK.md`.\n\n"
    } else {
        "smartcity-eval's documentation (for this version of the program). Print a topic with\n`smartcity-eval docs TOPIC`, save it with `smartcity-eval docs TOPIC > TOPIC.md`.\n\n"
    });
    for (_, file, about_id, about_en, _) in TOPICS {
        let name = file.trim_end_matches(".md");
        text.push_str(&format!("  {name:<12} {}\n", if id { about_id } else { about_en }));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every user document under docs/ is a topic (the developers' records — decisions,
    /// performance, reliability — are not), so a guide added later cannot be forgotten here.
    #[test]
    fn every_user_document_is_a_topic() {
        let developers = ["decisions.md", "performance.md", "reliability.md"];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md") && !developers.contains(&n.as_str()))
            .collect();
        on_disk.sort();
        let mut topics: Vec<String> = TOPICS.iter().map(|t| t.1.to_string()).collect();
        topics.sort();
        assert_eq!(on_disk, topics);
        // The topic clap accepts is the file's name.
        for (topic, file, ..) in TOPICS {
            assert_eq!(format!("{}.md", topic.name()), *file);
        }
        assert_eq!(TOPICS.len(), <DocTopic as clap::ValueEnum>::value_variants().len());
    }
}
