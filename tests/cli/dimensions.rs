//! The dimension set is data (issue #20): a workspace whose set has Mobility and no Branding
//! (a 2026 draft regulation) validates against an instrument made for that set, and every
//! output lays out its dimensions; the evaluation's instrument must be made for the set.

use crate::harness::{Test, cmd};

const MOBILITY_SET: &str = "\
set: rancangan-2026
dimensions:
  - {id: governance, number: 1, name: Smart Governance, name_en: Smart Governance, subdimensions: [{id: layanan-publik, name: Layanan Publik, name_en: Public services}, {id: kebijakan-publik, name: Kebijakan Publik, name_en: Public policy}, {id: tata-kelola-birokrasi, name: Tata Kelola Birokrasi, name_en: Bureaucratic governance}]}
  - {id: mobility, number: 2, name: Smart Mobility, name_en: Smart Mobility, subdimensions: [{id: transportasi-publik, name: Transportasi Publik, name_en: Public transport}, {id: lalu-lintas, name: Manajemen Lalu Lintas, name_en: Traffic management}, {id: konektivitas, name: Konektivitas, name_en: Connectivity}]}
  - {id: economy, number: 3, name: Smart Economy, name_en: Smart Economy, subdimensions: [{id: industri, name: Industri, name_en: Industry}, {id: kesejahteraan, name: Kesejahteraan, name_en: Welfare}, {id: transaksi-keuangan, name: Transaksi Keuangan, name_en: Financial transactions}]}
  - {id: living, number: 4, name: Smart Living, name_en: Smart Living, subdimensions: [{id: tata-ruang, name: Tata Ruang, name_en: Spatial planning}, {id: kesehatan, name: Kesehatan, name_en: Health}]}
  - {id: society, number: 5, name: Smart Society, name_en: Smart Society, subdimensions: [{id: komunitas, name: Komunitas, name_en: Community}, {id: pendidikan, name: Pendidikan, name_en: Education}, {id: keamanan, name: Keamanan, name_en: Safety}]}
  - {id: environment, number: 6, name: Smart Environment, name_en: Smart Environment, subdimensions: [{id: proteksi-lingkungan, name: Proteksi Lingkungan, name_en: Environmental protection}, {id: sampah-limbah, name: Sampah dan Limbah, name_en: Waste}, {id: energi, name: Energi, name_en: Energy}]}
";

const BUS_PROGRAM: &str = "\
id: bus-listrik
name: Bus Listrik Kota
opd: Dinas Perhubungan
dimension: mobility
subdimension: transportasi-publik
period: {start: 2025, end: 2027}
status: berjalan
";

fn pdf_text(path: &std::path::Path) -> String {
    crate::pdf::text(path).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_set_with_mobility_and_no_branding_validates_and_renders() {
    let parent = Test::empty();
    let out = cmd(
        &["init", "kota", "--city", "Kota Lintas", "--kind", "kota", "--year", "2026", "--province", "Jawa Barat"],
        parent.path(),
    )
    .stdout_snapshot()
    .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let ws = parent.path().join("kota");
    let ws_arg = ws.to_str().unwrap();
    std::fs::write(ws.join("indicators/dimensions.yaml"), MOBILITY_SET).unwrap();
    std::fs::write(ws.join("indicators/programs/bus-listrik.yaml"), BUS_PROGRAM).unwrap();

    // The 2023 instrument was made for the 2017 set: it cannot evaluate this workspace.
    let out = cmd(&["validate", "--workspace", ws_arg], parent.path()).status(1).stdout_snapshot().run();
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("error[dimension-set-mismatch]")
            && out.stdout.contains("made for the dimension set `kominfo-2017`")
            && out.stdout.contains("set `rancangan-2026`"),
        "{}",
        out.stdout
    );
    // Its other instruments (kept for earlier years) are not checked against the new set.
    assert!(!out.stdout.contains("kominfo-2022.yaml"), "{}", out.stdout);

    // An instrument made for the set: a copy whose Branding questions (and their texts) ask
    // about Mobility, as a city would edit it.
    let out = cmd(
        &[
            "instrument",
            "new",
            "rancangan-2026",
            "--from",
            "kominfo-2023-reguler",
            "--year",
            "2026",
            "--workspace",
            ws_arg,
        ],
        parent.path(),
    )
    .stdout("wrote indicators/framework/rancangan-2026.yaml (a copy of kominfo-2023-reguler for 2026)\nnext: check its weights and questions against Kominfo's 2026 instrument, then set `framework: rancangan-2026` in indicators/city.yaml and run validate\n").run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let path = ws.join("indicators/framework/rancangan-2026.yaml");
    let instrument = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\nyear: 2026\n", "\nyear: 2026\ndimension_set: rancangan-2026\n")
        .replace("dimension: branding", "dimension: mobility")
        .replace("subdimension: pariwisata", "subdimension: transportasi-publik")
        .replace("subdimension: bisnis", "subdimension: lalu-lintas")
        .replace("subdimension: wajah-kota", "subdimension: konektivitas")
        .replace("subdimension: mobilitas", "subdimension: tata-ruang")
        .replace("Branding", "Mobility")
        .replace("branding", "mobility");
    std::fs::write(&path, instrument).unwrap();
    let city = std::fs::read_to_string(ws.join("indicators/city.yaml")).unwrap();
    assert!(city.contains("framework: kominfo-2023-reguler"), "{city}");
    std::fs::write(
        ws.join("indicators/city.yaml"),
        city.replace("framework: kominfo-2023-reguler", "framework: rancangan-2026"),
    )
    .unwrap();
    let out = cmd(&["validate", "--workspace", ws_arg], parent.path()).stdout_snapshot().run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(!out.stdout.contains("dimension"), "{}", out.stdout);

    // Every output lays out the set's dimensions: Mobility, and no Branding.
    let out = cmd(&["build", "--workspace", ws_arg], parent.path())
        .stdout_snapshot()
        .stderr("2 warning(s); run `smartcity-eval validate` to see them\n")
        .run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    for pdf in ["out/kota-lintas-2026-laporan.pdf", "out/kota-lintas-2026-slides.pdf"] {
        let text = pdf_text(&ws.join(pdf));
        assert!(text.contains("Smart Mobility") && text.contains("Bus Listrik Kota"), "{pdf}: {text}");
        assert!(!text.contains("Branding"), "{pdf} still shows Branding");
    }
    let json = cmd(&["score", "--format", "json", "--workspace", ws_arg], parent.path()).stdout_json().run();
    let ev: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let ids: Vec<&str> = ev["dimensions"].as_array().unwrap().iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, ["governance", "mobility", "economy", "living", "society", "environment"]);
    let xlsx = ws.join("out/kota-lintas-2026-ringkasan.xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range("dimensi").unwrap();
    let cells: Vec<String> = sheet.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(cells.iter().any(|c| c == "mobility" || c == "Smart Mobility"), "{cells:?}");
    assert!(!cells.iter().any(|c| c.contains("branding") || c.contains("Branding")), "{cells:?}");
}

#[test]
fn a_set_needs_four_to_eight_dimensions_with_sub_dimensions() {
    let test = Test::base().file(
        "indicators/dimensions.yaml",
        "set: kecil\ndimensions:\n  - {id: satu, name: Satu, name_en: One, subdimensions: []}\n  - {id: dua, name: Dua, name_en: Two, subdimensions: [{id: a, name: A, name_en: A}, {id: a, name: A, name_en: A}]}\n",
    );
    let out = test.cmd(&["validate"]).status(1).stdout_snapshot().run();
    assert_eq!(out.code, 1);
    for wanted in [
        "error[dimension-count]",
        "the dimension set has 2 dimensions; the documents lay out 4 to 8",
        "dimension `satu` has no sub-dimensions",
        "sub-dimension `a` appears twice in `dua`",
    ] {
        assert!(out.stdout.contains(wanted), "lacks `{wanted}`:\n{}", out.stdout);
    }
}
