//! `pack`: the evidence zip (issue #19) — byte-identical across runs, time zones and locales;
//! read back, its index.html links all resolving in the unzipped folder and its index PDF's
//! text read (Python's zipfile, Chromium and pdftotext check the Ambon pack again in .ci/run);
//! missing documents refused unless allowed; a kill during the pack leaves the previous zip
//! intact.

use std::path::Path;
use std::process::Command;

use crate::harness::{BIN, Run, Test};

const ASSESSMENT: &str = "year: 2023
answers:
  bl-1-1.1.1:
    score: 3.0
    opd: diskominfo
    evidence:
      - file: evidence/1-baseline/perwali.pdf
        title: Perwali 1/2018 tentang Masterplan
        pages: 2-4
      - {file: 'evidence/foto/foto rapat #1.jpg', title: Foto rapat}
      - {url: https://jdih.contoh.go.id/perwali-1-2018, title: Perwali di JDIH}
      - Dokumen Masterplan
  bl-1-1.2.1:
    derive: true
    evidence:
      - file: evidence/1-baseline/perwali.pdf
  im-1-4.1.1: {derive: true}
";

fn workspace() -> Test {
    Test::base()
        .file("indicators/opd.yaml", "opd:\n  - {id: diskominfo, name: Dinas Komunikasi dan Informatika}\n")
        .file("indicators/assessment/2023.yaml", ASSESSMENT)
        .file("evidence/1-baseline/perwali.pdf", "%PDF-1.4\n%ilustrasi perwali\n")
        .file("evidence/foto/foto rapat #1.jpg", b"\xFF\xD8\xFF\xE0 ilustrasi".as_slice())
}

const ZIP: &str = "out/kota-contoh-2023-bukti-dukung.zip";

/// `pack` on the workspace `ws` with `env` set; the caller declares what it prints.
fn pack(ws: &Path, env: &[(&str, &str)]) -> Run {
    let run = crate::harness::cmd(&["pack", "--workspace", ws.to_str().unwrap()], ws).path_as(ws, "[WS]");
    env.iter().fold(run, |run, (k, v)| run.env(k, v))
}

#[test]
fn the_pack_is_byte_identical_across_runs_time_zones_and_locales() {
    let test = workspace();
    pack(test.path(), &[("TZ", "Asia/Jayapura"), ("LANG", "id_ID.UTF-8"), ("LC_ALL", "id_ID.UTF-8")])
        .stdout("wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n")
        .run();
    let a = std::fs::read(test.path().join(ZIP)).unwrap();
    pack(test.path(), &[("TZ", "UTC"), ("LC_ALL", "C")])
        .stdout("wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n")
        .run();
    assert_eq!(std::fs::read(test.path().join(ZIP)).unwrap(), a, "a second run in another TZ/locale changed the zip");
    // Another copy of the same inputs, elsewhere: the same bytes (no absolute paths inside).
    let elsewhere = workspace();
    pack(elsewhere.path(), &[])
        .stdout("wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n")
        .run();
    assert_eq!(std::fs::read(elsewhere.path().join(ZIP)).unwrap(), a);
}

/// The zip reads back (Python's zipfile and Chromium check it again in .ci/run); every relative
/// link of index.html resolves to a file of the unzipped folder (and the SHA-256 it shows is the
/// file's); the index PDF names the documents.
#[test]
fn the_zip_reads_back_its_links_resolve_and_its_index_pdf_lists_the_documents() {
    let test = workspace();
    pack(test.path(), &[])
        .stdout("wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n")
        .run();
    let unzipped = test.path().join("unzipped");
    let zip = std::fs::read(test.path().join(ZIP)).unwrap();
    zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap().extract(&unzipped).unwrap();
    let top = unzipped.join("kota-contoh-2023-bukti-dukung");
    let html = std::fs::read_to_string(top.join("index.html")).unwrap();
    let links = html_links(&html);
    let (local, external): (Vec<&String>, Vec<&String>) =
        links.iter().partition(|l| !l.starts_with("http://") && !l.starts_with("https://"));
    let resolved: std::collections::BTreeMap<&str, bool> =
        local.iter().map(|l| (l.as_str(), top.join(percent_decoded(l)).is_file())).collect();
    let names = zip_names(&zip);
    assert_eq!(
        names,
        [
            "kota-contoh-2023-bukti-dukung/1-Baseline/1.1.1-masterplan-berpayung-hukum/perwali.pdf",
            "kota-contoh-2023-bukti-dukung/1-Baseline/1.1.1-masterplan-berpayung-hukum/foto rapat #1.jpg",
            "kota-contoh-2023-bukti-dukung/1-Baseline/1.2.1-program-lingkungan-berjalan/perwali.pdf",
            "kota-contoh-2023-bukti-dukung/index.html",
            "kota-contoh-2023-bukti-dukung/daftar-bukti-dukung.pdf",
            "kota-contoh-2023-bukti-dukung/kota-contoh-2023-bukti-dukung.xlsx",
        ]
    );
    assert_eq!(resolved.len(), 5, "three documents, the PDF and the xlsx: {resolved:?}");
    assert!(resolved.values().all(|&r| r), "links that do not resolve: {resolved:?}");
    assert!(resolved.contains_key("1-Baseline/1.1.1-masterplan-berpayung-hukum/foto%20rapat%20%231.jpg"));
    assert_eq!(external, ["https://jdih.contoh.go.id/perwali-1-2018"]);
    assert!(!html.contains("<script"), "index.html must work without scripts");
    let text = html_text(&html);
    let perwali =
        sha256_hex(&std::fs::read(top.join("1-Baseline/1.1.1-masterplan-berpayung-hukum/perwali.pdf")).unwrap());
    let perwali = perwali.as_str();
    assert!(text.contains(&format!("SHA-256 {perwali}")), "the page shows each file's hash:\n{text}");
    assert!(text.contains("1.1.1 Perencanaan — Masterplan berpayung hukum?"), "{text}");

    let pdf = unzipped.join("kota-contoh-2023-bukti-dukung/daftar-bukti-dukung.pdf");
    let pdftext = crate::pdf::text(&pdf).replace('\n', " ");
    for expected in [
        "Daftar Bukti Dukung",
        "1.1.1 Perencanaan — Masterplan berpayung hukum?",
        "Perwali 1/2018 tentang Masterplan",
        "1-Baseline/1.1.1-masterplan-berpayung-hukum/perwali.pdf",
        "hlm. 2-4",
        perwali,
        "Perwali di JDIH",
        "baru disebut",
    ] {
        assert!(pdftext.contains(expected), "the index PDF lacks {expected:?}:\n{pdftext}");
    }
}

#[test]
fn a_missing_document_stops_the_pack_unless_allowed_and_the_index_then_says_so() {
    let test = workspace().file(
        "indicators/assessment/2023.yaml",
        ASSESSMENT.replace(
            "  im-1-4.1.1: {derive: true}\n",
            "  im-1-4.1.1: {derive: true, evidence: [{file: evidence/hilang.pdf}]}\n",
        ),
    );
    let out = test.cmd(&["pack"]).status(1).stderr_snapshot().run();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("error[pack-missing]: 1 referenced document(s) are not under evidence/: evidence/hilang.pdf"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--allow-missing"), "{}", out.stderr);
    assert!(!test.path().join(ZIP).exists());
    let allowed = test.cmd(&["pack", "--allow-missing"]).stdout("wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 1 missing)\n").stderr("1 document path(s) lead to no file under evidence/ (shown as missing); run `smartcity-eval validate` to see why\n").run();
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    assert!(allowed.stdout.contains("1 missing"), "{}", allowed.stdout);
    let zip = std::fs::read(test.path().join(ZIP)).unwrap();
    let index = zip_entry(&zip, "kota-contoh-2023-bukti-dukung/index.html");
    assert!(index.contains("berkas hilang") && index.contains("tidak ditemukan: evidence/hilang.pdf"), "{index}");
}

/// One entry of a zip as text.
fn zip_entry(zip: &[u8], name: &str) -> String {
    String::from_utf8(zip_bytes(zip, name)).unwrap()
}

/// The entries' names, in the zip's order.
fn zip_names(zip: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    (0..archive.len()).map(|i| archive.name_for_index(i).unwrap().unwrap().to_string()).collect()
}

/// Every `href` and `src` of a page, as written.
fn html_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            links.push(html_unescaped(&rest[..end]));
            rest = &rest[end..];
        }
    }
    links
}

/// The text of a page: tags taken out, entities read.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    html_unescaped(&text)
}

fn html_unescaped(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// `%20` and the like read back (the links' paths are percent-encoded UTF-8).
fn percent_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn a_kill_during_the_pack_leaves_the_previous_zip_intact() {
    let test = workspace();
    pack(test.path(), &[])
        .stdout("wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n")
        .run();
    let before = std::fs::read(test.path().join(ZIP)).unwrap();
    // A changed document makes the next zip differ; the fault pauses it just before the rename.
    std::fs::write(test.path().join("evidence/1-baseline/perwali.pdf"), "%PDF-1.4\n%ilustrasi perwali, revisi\n")
        .unwrap();
    let mut child = Command::new(BIN)
        .args(["pack", "--workspace", test.path().to_str().unwrap()])
        .env("SMARTCITY_EVAL_FAULT", "pause-before-rename")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = test.path().join("out");
    let start = std::time::Instant::now();
    let temp = loop {
        let found = std::fs::read_dir(&out)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with(".kota-contoh-2023-bukti-dukung.zip.tmp-"));
        if let Some(name) = found {
            break name;
        }
        assert!(start.elapsed().as_secs() < 60, "the pack never reached its temporary file");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    // Give the writer time to finish the temporary zip and reach the pause.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(std::fs::read(test.path().join(ZIP)).unwrap(), before, "the kill changed the previous zip");
    assert!(out.join(&temp).exists(), "the temporary zip is where the kill left it");
    // The next pack cleans it and writes the new zip.
    pack(test.path(), &[])
        .stdout("wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n")
        .run();
    assert!(!out.join(&temp).exists(), "the next pack removes what a killed one left");
    assert_ne!(std::fs::read(test.path().join(ZIP)).unwrap(), before);
}

/// The Ambon example packs end to end: its three illustrative documents (evidence/README.md).
#[test]
fn the_ambon_example_packs_its_illustrative_documents() {
    let test = Test::empty();
    for dir in ["indicators", "data", "templates", "evidence"] {
        crate::harness::copy_tree(&crate::harness::repo().join(dir), &test.path().join(dir));
    }
    let out = test
        .cmd(&["pack"])
        .stdout("wrote out/kota-ambon-2023-bukti-dukung.zip (3 documents filed, 0 linked, 138 named only, 0 missing)\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("wrote out/kota-ambon-2023-bukti-dukung.zip (3 documents filed, 0 linked,"),
        "{}",
        out.stdout
    );
    let index = zip_entry(
        &std::fs::read(test.path().join("out/kota-ambon-2023-bukti-dukung.zip")).unwrap(),
        "kota-ambon-2023-bukti-dukung/index.html",
    );
    assert!(index.contains("href=\"2-Output/2.2.1-fungsi-tim-pelaksana-smart-city-sudah-berjalan/keputusan-wali-kota-tim-pelaksana-ilustrasi.pdf\""), "{index}");
}

/// `build --pack` (issue #19): the documents and, after them, the pack; a plain `build` never
/// writes the pack (a city's CI stays light); `--pack` with `--check` is a usage error.
#[test]
fn build_writes_the_pack_only_when_asked() {
    let test = workspace();
    let out = test
        .cmd(&["build"])
        .stdout_snapshot()
        .stderr("1 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(test.path().join("out/kota-contoh-2023-laporan.pdf").is_file());
    assert!(!test.path().join(ZIP).exists(), "a plain build wrote the pack");
    let out = test.cmd(&["build", "--pack"]).stdout("nothing to do: 3 outputs are up to date (use --force to rebuild)\nwrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n").run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("wrote out/kota-contoh-2023-bukti-dukung.zip"), "{}", out.stdout);
    assert!(test.path().join(ZIP).is_file());
    assert_eq!(test.cmd(&["build", "--check", "--pack"]).status(2).stderr_snapshot().run().code, 2);
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn set_time(path: &Path, time: std::time::SystemTime) {
    std::fs::File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
}

/// A rebuild reads no unchanged document: out/.cache/bukti-dukung.json keeps each document's SHA-256 with
/// the size and modification time it had. A document rewritten with other bytes of the same
/// size and given its old time back therefore passes as unchanged — the zip is kept, not
/// rewritten — which only the cache can make happen (reading it would see the new bytes). A
/// new modification time gets it hashed and packed again; `--force` rewrites regardless.
#[test]
fn a_rebuild_takes_unchanged_documents_from_the_hash_cache() {
    let test = workspace();
    let perwali = test.path().join("evidence/1-baseline/perwali.pdf");
    // Documents filed long ago (a file modified in the last seconds is not cached: its time
    // could hide a second change within the file system's time resolution).
    let filed = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    set_time(&perwali, filed);
    set_time(&test.path().join("evidence/foto/foto rapat #1.jpg"), filed);
    let first = test
        .cmd(&["pack"])
        .stdout("wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n")
        .run();
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.starts_with("wrote out/kota-contoh-2023-bukti-dukung.zip"), "{}", first.stdout);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(test.path().join("out/.cache/bukti-dukung.json")).unwrap()).unwrap();
    let cached = &manifest["evidence"]["evidence/1-baseline/perwali.pdf"];
    assert_eq!(cached["sha256"], sha256_hex(&std::fs::read(&perwali).unwrap()), "{manifest:#}");
    assert_eq!(cached["size"], 28);
    assert_eq!(cached["modified"], "1600000000.000000000");
    assert!(manifest["packs"]["kota-contoh-2023-bukti-dukung.zip"]["inputs"].is_string(), "{manifest:#}");
    // One machine's sizes and times stay out of what a city commits: the cache folder ignores
    // itself in git, and pack leaves the build manifest alone.
    let ignore = std::fs::read_to_string(test.path().join("out/.cache/.gitignore")).unwrap();
    assert_eq!(ignore.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>(), ["*"], "{ignore}");
    assert!(!test.path().join("out/manifest.json").exists(), "pack wrote out/manifest.json");
    let before = std::fs::read(test.path().join(ZIP)).unwrap();

    std::fs::write(&perwali, "%PDF-1.4\n%ILUSTRASI PERWALI\n").unwrap();
    set_time(&perwali, filed);
    let second = test.cmd(&["pack"]).stdout("up to date: out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n").run();
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(second.stdout.starts_with("up to date: out/kota-contoh-2023-bukti-dukung.zip ("), "{}", second.stdout);
    assert_eq!(std::fs::read(test.path().join(ZIP)).unwrap(), before, "an unchanged pack was rewritten");

    set_time(&perwali, filed + std::time::Duration::from_secs(60));
    let third = test
        .cmd(&["pack"])
        .stdout("wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n")
        .run();
    assert!(third.stdout.starts_with("wrote out/kota-contoh-2023-bukti-dukung.zip"), "{}", third.stdout);
    let after = std::fs::read(test.path().join(ZIP)).unwrap();
    assert_ne!(after, before, "a document with a new time was not packed again");
    let index = zip_entry(&after, "kota-contoh-2023-bukti-dukung/index.html");
    assert!(index.contains(&sha256_hex(b"%PDF-1.4\n%ILUSTRASI PERWALI\n")), "{index}");

    // The zip itself is recognised by its size and time: replaced, it is written again.
    std::fs::write(test.path().join(ZIP), b"not the pack").unwrap();
    assert!(
        test.cmd(&["pack"])
            .stdout(
                "wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n"
            )
            .run()
            .stdout
            .starts_with("wrote "),
        "a replaced zip was taken as fresh"
    );
    assert!(test.cmd(&["pack"]).stdout("up to date: out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n").run().stdout.starts_with("up to date: "));
    assert!(
        test.cmd(&["pack", "--force"])
            .stdout(
                "wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n"
            )
            .run()
            .stdout
            .starts_with("wrote ")
    );
}

/// `pack --lang en`: index.html, the index PDF and the checklist xlsx in English; the default
/// is Indonesian.
#[test]
fn the_pack_speaks_the_runs_language() {
    let test = workspace();
    assert_eq!(
        test.cmd(&["pack", "--lang", "en"])
            .stdout(
                "wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n"
            )
            .run()
            .code,
        0
    );
    let zip = std::fs::read(test.path().join(ZIP)).unwrap();
    let index = zip_entry(&zip, "kota-contoh-2023-bukti-dukung/index.html");
    for expected in ["<html lang=\"en\">", "Evidence index — Kota Contoh 2023", "named only", "checklist (xlsx)"] {
        assert!(index.contains(expected), "index.html lacks {expected:?}:\n{index}");
    }
    assert!(!index.contains("baru disebut") && !index.contains("ada berkas"), "{index}");
    let workbook = zip_entry_of_entry(&zip, "kota-contoh-2023-bukti-dukung/kota-contoh-2023-bukti-dukung.xlsx");
    assert!(workbook.contains("name=\"Summary\"") && workbook.contains("name=\"All\""), "{workbook}");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("index.pdf");
    std::fs::write(&pdf, zip_bytes(&zip, "kota-contoh-2023-bukti-dukung/daftar-bukti-dukung.pdf")).unwrap();
    let text = crate::pdf::text(&pdf).replace('\n', " ");
    for expected in ["Evidence Index", "named only", "filed", "Page 1 of"] {
        assert!(text.contains(expected), "the index PDF lacks {expected:?}:\n{text}");
    }
    assert!(!text.contains("baru disebut"), "{text}");

    assert_eq!(
        test.cmd(&["pack"])
            .stdout(
                "wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n"
            )
            .run()
            .code,
        0,
        "Indonesian after English: the language is one of the inputs"
    );
    let zip = std::fs::read(test.path().join(ZIP)).unwrap();
    let workbook = zip_entry_of_entry(&zip, "kota-contoh-2023-bukti-dukung/kota-contoh-2023-bukti-dukung.xlsx");
    assert!(workbook.contains("name=\"Ringkasan\"") && workbook.contains("name=\"Semua\""), "{workbook}");
    assert!(zip_entry(&zip, "kota-contoh-2023-bukti-dukung/index.html").contains("<html lang=\"id\">"));
}

/// Without `evaluation.date` the pack's index (HTML and PDF) says the date is not set; it never
/// prints the 1 January the zip's file times fall back to.
#[test]
fn the_pack_index_makes_up_no_date() {
    let test = workspace();
    let city = std::fs::read_to_string(test.path().join("indicators/city.yaml")).unwrap();
    let test = test.file("indicators/city.yaml", city.replace("  date: 2023-06-13\n", ""));
    test.cmd(&["pack"])
        .stdout("wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n")
        .run();
    let zip = std::fs::read(test.path().join(ZIP)).unwrap();
    let index = html_text(&zip_entry(&zip, "kota-contoh-2023-bukti-dukung/index.html"));
    assert!(index.contains("instrumen mini · tanggal belum ditentukan"), "{index}");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("index.pdf");
    std::fs::write(&pdf, zip_bytes(&zip, "kota-contoh-2023-bukti-dukung/daftar-bukti-dukung.pdf")).unwrap();
    let text = crate::pdf::text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("instrumen mini · tanggal belum ditentukan"), "{text}");
    assert!(!text.contains("Januari"), "{text}");
}

/// The bytes of one entry of a zip.
fn zip_bytes(zip: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut entry = archive.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
    bytes
}

/// `xl/workbook.xml` (the sheet names) of the xlsx stored in the zip as `name`.
fn zip_entry_of_entry(zip: &[u8], name: &str) -> String {
    zip_entry(&zip_bytes(zip, name), "xl/workbook.xml")
}

/// The report shows each document with the checklist's status and, when filed, the path the
/// pack gives it (one layout for both): every document in the zip is named in the report by its
/// path there; named-only and linked documents say so, and the gap table lists the answered
/// questions that owe a filed document (im-1-4.1.2, scored by hand without any; never
/// im-1-4.1.1, derived from data). In English too.
#[test]
fn the_report_shows_each_documents_status_and_its_path_in_the_pack() {
    let test =
        workspace().file("indicators/assessment/2023.yaml", format!("{ASSESSMENT}  im-1-4.1.2: {{score: 2.0}}\n"));
    assert_eq!(
        test.cmd(&["pack"])
            .stdout(
                "wrote out/kota-contoh-2023-bukti-dukung.zip (3 documents filed, 1 linked, 1 named only, 0 missing)\n"
            )
            .run()
            .code,
        0
    );
    let listing = zip_names(&std::fs::read(test.path().join(ZIP)).unwrap()).join("\n");
    let documents: Vec<&str> = listing
        .lines()
        .filter_map(|n| n.strip_prefix("kota-contoh-2023-bukti-dukung/"))
        .filter(|n| n.contains('/'))
        .collect();
    assert_eq!(documents.len(), 3, "{listing}");
    for (lang, filed, named, linked, none) in [
        ("id", "ada berkas", "baru disebut", "tautan", "tanpa bukti dukung"),
        ("en", "filed", "named only", "linked", "no evidence"),
    ] {
        let suffix = if lang == "en" { "-en" } else { "" };
        let out = test
            .cmd(&["report", "--keep-typ", "--lang", lang])
            .stdout(format!("wrote out/kota-contoh-2023-laporan{suffix}.pdf\n"))
            .run();
        assert_eq!(out.code, 0, "{}", out.stderr);
        let typ_path = out.stdout.trim().strip_prefix("wrote ").unwrap().replace(".pdf", ".typ");
        // The Typst source, its escapes undone: what the page says.
        let typ = std::fs::read_to_string(test.path().join(typ_path)).unwrap().replace('\\', "");
        for d in &documents {
            assert!(typ.contains(&format!("[{filed}: {d}]")), "the report ({lang}) does not give {d}:\n{typ}");
        }
        assert!(typ.contains(&format!("Dokumen Masterplan #ev-named[{named}]")), "{typ}");
        assert!(typ.contains(&format!("Perwali di JDIH #ev-linked[{linked}]")), "{typ}");
        assert!(
            typ.contains(&format!("#ev-none[{none}] (1)], [*Impact*: #text(size: 8pt)[4.1.2 Survei]]")),
            "no gap row for an answer without evidence:\n{typ}"
        );
        assert!(!typ.contains("4.1.1 Survei]"), "a derived answer owes no document:\n{typ}");
    }
}

/// `validate` (which `pack` runs first) hashes files of equal size to find duplicates; it too
/// takes an unchanged file's hash from the pack's cache instead of reading it. Shown with a
/// cache that claims two different files of one size have the same content: the duplicate
/// warning can only come from the cache; once a file's time changes, it is read again.
#[test]
fn validate_takes_unchanged_files_hashes_from_the_pack_cache() {
    let test =
        workspace().file("evidence/a.pdf", "%PDF-1.4\n%satu\n").file("evidence/b.pdf", "%PDF-1.4\n%dua!\n").file(
            "indicators/assessment/2023.yaml",
            ASSESSMENT.replace(
                "  im-1-4.1.1: {derive: true}\n",
                "  im-1-4.1.1: {derive: true, evidence: [{file: evidence/a.pdf}, {file: evidence/b.pdf}]}\n",
            ),
        );
    let filed = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    for f in ["evidence/a.pdf", "evidence/b.pdf"] {
        set_time(&test.path().join(f), filed);
    }
    let clean = test.cmd(&["validate"]).stdout_snapshot().run();
    assert!(clean.code == 0 && clean.stdout.contains("0 errors"), "{}{}", clean.stdout, clean.stderr);
    assert!(!clean.stdout.contains("evidence-duplicate"), "{}", clean.stdout);
    let entry = r#"{"size": 15, "modified": "1600000000.000000000", "sha256": "same"}"#;
    std::fs::create_dir_all(test.path().join("out/.cache")).unwrap();
    std::fs::write(
        test.path().join("out/.cache/bukti-dukung.json"),
        format!(r#"{{"evidence": {{"evidence/a.pdf": {entry}, "evidence/b.pdf": {entry}}}}}"#),
    )
    .unwrap();
    let cached = test.cmd(&["validate"]).stdout_snapshot().run();
    assert!(
        cached.stdout.contains("warning[evidence-duplicate]")
            && cached.stdout.contains("`evidence/b.pdf` has the same content as `evidence/a.pdf`"),
        "{}",
        cached.stdout
    );
    set_time(&test.path().join("evidence/b.pdf"), filed + std::time::Duration::from_secs(1));
    let reread = test.cmd(&["validate"]).stdout_snapshot().run();
    assert!(reread.stdout.contains("0 errors") && !reread.stdout.contains("evidence-duplicate"), "{}", reread.stdout);
}

/// One filed document is "1 document filed" in English: on the command line, in index.html and
/// in the index PDF.
#[test]
fn one_filed_document_is_singular_in_english() {
    let test = workspace().file(
        "indicators/assessment/2023.yaml",
        "year: 2023\nanswers:\n  bl-1-1.1.1:\n    score: 3.0\n    evidence:\n      - file: evidence/1-baseline/perwali.pdf\n",
    );
    test.cmd(&["pack", "--lang", "en"])
        .stdout("wrote out/kota-contoh-2023-bukti-dukung.zip (1 document filed, 0 linked, 0 named only, 0 missing)\n")
        .run();
    let zip = std::fs::read(test.path().join(ZIP)).unwrap();
    let index = html_text(&zip_entry(&zip, "kota-contoh-2023-bukti-dukung/index.html"));
    assert!(index.contains("1 document filed, 0 linked"), "{index}");
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("index.pdf");
    std::fs::write(&pdf, zip_bytes(&zip, "kota-contoh-2023-bukti-dukung/daftar-bukti-dukung.pdf")).unwrap();
    let text = crate::pdf::text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("1 document filed, 0 linked"), "{text}");
}
