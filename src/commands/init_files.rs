//! The texts `init` writes into a new workspace, in the language of the run (`--lang`): a
//! team reading Indonesian gets every comment and README in Indonesian, and nothing points to
//! a document they cannot open — the references are `smartcity-eval docs TOPIC`, printed by the
//! binary they have, and the JSON Schemas written beside the files.

use crate::cli::{InitArgs, Kind};
use crate::lang::Lang;

/// `indicators/city.yaml`. `assumed` is the sentence saying which instrument was taken and why,
/// when it is an assumption (a year without a published instrument).
pub fn city_yaml(args: &InitArgs, framework: &str, assumed: Option<&str>) -> String {
    let kind = match args.kind {
        Kind::Kota => "kota",
        Kind::Kabupaten => "kabupaten",
    };
    let id = args.lang == Lang::Id;
    let head = if id {
        "# Kota/kabupaten dan evaluasi yang disiapkan. Setiap kolom dijelaskan oleh\n\
         # `smartcity-eval docs format` (§2, bahasa Inggris) dan skema schemas/city.schema.json\n\
         # (editor dengan YAML language server melengkapi dan memeriksa isian)."
    } else {
        "# The city and the evaluation being prepared. Every field is explained by\n\
         # `smartcity-eval docs format` (§2) and the schema schemas/city.schema.json (an editor\n\
         # with a YAML language server completes and checks the fields)."
    };
    let assumption = assumed.map(|a| comment(a, "  # ")).unwrap_or_default();
    let (date, mode, delegation, institutions, strengths, weaknesses, follow_ups) = if id {
        (
            "tanggal rapat evaluasi (YYYY-MM-DD); juga tanggal dokumen",
            "daring | luring | hybrid",
            "delegasi: - {name: …, role: …}",
            "kelembagaan: - {id: dewan, name: Dewan Smart City, basis: \"…\", established: 2018}",
            "kekuatan",
            "kendala",
            "tindak lanjut",
        )
    } else {
        (
            "the evaluation meeting (YYYY-MM-DD); also the documents' date",
            "daring (online) | luring (on site) | hybrid",
            "delegation: - {name: …, role: …}",
            "institutions: - {id: dewan, name: Dewan Smart City, basis: \"…\", established: 2018}",
            "strengths",
            "weaknesses",
            "follow-ups",
        )
    };
    format!(
        "# yaml-language-server: $schema=../schemas/city.schema.json\n\
         {head}\n\
         city: {city}\n\
         kind: {kind}\n\
         province: {province}\n\
         evaluation:\n  year: {year}\n  stage: tahap-1          # tahap-1 | tahap-2\n{assumption}  framework: {framework}\n  \
         # date: {year}-06-13      # {date}\n  \
         # mode: daring            # {mode}\n\
         delegation: []            # {delegation}\n\
         institutions: []          # {institutions}\n\
         strengths: []             # {strengths}\n\
         weaknesses: []            # {weaknesses}\n\
         follow_ups: []            # {follow_ups}\n",
        city = super::yaml_quoted(&args.city),
        province = super::yaml_quoted(&args.province),
        year = args.year,
    )
}

/// `indicators/assessment/<year>.yaml`: no answer yet, an example in a comment.
pub fn assessment_yaml(year: i32, lang: Lang) -> String {
    let head = if lang == Lang::Id {
        format!(
            "# Jawaban penilaian mandiri {year}: skor setiap pertanyaan instrumen dan bukti dukungnya.\n\
             # Daftar pertanyaan: `smartcity-eval plan`; kolom: `smartcity-eval docs format` (§7)."
        )
    } else {
        format!(
            "# Self-assessment answers for {year}: each question's score and its evidence.\n\
             # The questions: `smartcity-eval plan`; the fields: `smartcity-eval docs format` (§7)."
        )
    };
    format!(
        "# yaml-language-server: $schema=../../schemas/assessment.schema.json\n\
         {head}\n\
         # answers:\n#   bl-1-1.1.1:\n#     score: 3.0\n#     evidence: [\"Perwali tentang Masterplan Smart City\"]\n\
         year: {year}\n\
         answers: {{}}\n"
    )
}

const PROGRAM_EXAMPLE: &str = "```yaml\n\
# yaml-language-server: $schema=../../schemas/program.schema.json\n\
id: contoh-program\nname: Contoh Program\ndimension: governance\nsubdimension: layanan-publik\n\
opd: Dinas Komunikasi dan Informatika\nperiod: {start: 2024, end: 2026}\nstatus: rencana\n\
indicators:\n  - {id: contoh-indikator, name: Contoh indikator, unit: layanan, direction: up, aggregate: last, targets: {2024: 10}}\n\
```\n";

/// `indicators/programs/README.md`.
pub fn programs_readme(lang: Lang) -> String {
    let text = if lang == Lang::Id {
        "# Program\n\n\
         Satu berkas YAML per program masterplan (atau beberapa program dalam satu berkas sebagai\n\
         daftar), di sub-folder mana pun. Kolomnya dijelaskan oleh `smartcity-eval docs format`\n\
         (§5, bahasa Inggris) dan skema `schemas/program.schema.json`. Program paling sederhana:\n\n"
    } else {
        "# Programs\n\n\
         One YAML file per masterplan program (or several programs in one file as a list), in any\n\
         sub-folder. The fields are explained by `smartcity-eval docs format` (§5) and the schema\n\
         `schemas/program.schema.json`. A minimal program:\n\n"
    };
    format!("{text}{PROGRAM_EXAMPLE}")
}

/// `data/README.md`.
pub fn data_readme(lang: Lang) -> String {
    if lang == Lang::Id {
        "# Data\n\n\
         - `observations/`: capaian indikator per periode, kolom `indicator,period,value[,area,source,note]`\n\
         - `budget/`: anggaran `program,year,source,planned,realized` (Rupiah; source apbd|apbn|csr|swasta|lainnya)\n\
         - `survey/`: jawaban survei `respondent,question,score`\n\
         - `cohort/`: hasil kota lain yang diumumkan (boleh kosong)\n\n\
         CSV (UTF-8), xlsx atau parquet, juga berkas Excel berformat Indonesia (1.234,5). Berkas\n\
         pendamping `<berkas>.yaml` di sebelahnya memetakan judul kolom dan format angkanya:\n\
         `smartcity-eval docs format` (§4).\n"
            .into()
    } else {
        "# Data\n\n\
         - `observations/`: indicator values per period, columns `indicator,period,value[,area,source,note]`\n\
         - `budget/`: `program,year,source,planned,realized` (Rupiah; source apbd|apbn|csr|swasta|lainnya)\n\
         - `survey/`: survey answers `respondent,question,score`\n\
         - `cohort/`: published results of other cities (optional)\n\n\
         CSV (UTF-8), xlsx or parquet, Indonesian-formatted Excel files too (1.234,5). A sidecar\n\
         `<file>.yaml` beside a file maps its headers and number format: `smartcity-eval docs format` (§4).\n"
            .into()
    }
}

/// The team's README.md.
pub fn team_readme(args: &InitArgs) -> String {
    let (year, city) = (args.year, &args.city);
    if args.lang == Lang::Id {
        format!(
            "# Evaluasi Smart City {year} — {city}\n\n\
             Workspace smartcity-eval untuk menyiapkan Evaluasi Smart City Kominfo.\n\n\
             1. Lengkapi `indicators/city.yaml` (delegasi, kelembagaan, kekuatan, kendala, tindak lanjut).\n\
             2. Tulis program masterplan di `indicators/programs/` (satu berkas YAML per program).\n\
             3. Isi data capaian indikator di `data/observations/`, anggaran di `data/budget/`, survei di `data/survey/`.\n\
             4. Isi jawaban penilaian mandiri di `indicators/assessment/{year}.yaml`; bukti dukung di `evidence/`.\n\
             5. Periksa: `smartcity-eval validate` — setiap kesalahan menunjukkan berkas, baris dan cara memperbaikinya.\n\
             6. Buat dokumen: `smartcity-eval build` menulis laporan, bahan paparan dan ringkasan xlsx ke `out/`.\n\n\
             Panduan lengkap dalam bahasa Indonesia: `smartcity-eval docs panduan` (juga `panduan.md` di\n\
             arsip unduhan program). Daftar dokumentasi lain: `smartcity-eval docs`. Editor dengan YAML\n\
             language server memakai skema di `schemas/` untuk melengkapi dan memeriksa isian. Rancangan\n\
             laporan dan paparan ada di `templates/` (penjelasan teknisnya, dalam bahasa Inggris, di\n\
             `templates/README.md`).\n"
        )
    } else {
        format!(
            "# Smart City Evaluation {year} — {city}\n\n\
             A smartcity-eval workspace to prepare Kominfo's Smart City evaluation.\n\n\
             1. Complete `indicators/city.yaml` (delegation, institutions, strengths, weaknesses, follow-ups).\n\
             2. Write the masterplan programs under `indicators/programs/` (one YAML file per program).\n\
             3. Put indicator data in `data/observations/`, budgets in `data/budget/`, surveys in `data/survey/`.\n\
             4. Answer the self-assessment in `indicators/assessment/{year}.yaml`; file evidence under `evidence/`.\n\
             5. Check: `smartcity-eval validate` — every problem names its file, line and fix.\n\
             6. Make the documents: `smartcity-eval build` writes the report, the slides and the xlsx summary into `out/`.\n\n\
             The documentation of the version you run: `smartcity-eval docs` lists it (the quick start\n\
             is in Indonesian: `smartcity-eval docs panduan`). An editor with a YAML language server\n\
             uses the schemas in `schemas/` to complete and check the fields. The documents' designs\n\
             are in `templates/` (`templates/README.md` explains them).\n"
        )
    }
}

/// `.gitignore`: a build's temporary files and lock, and the machine's caches.
pub fn gitignore(lang: Lang) -> String {
    let head = if lang == Lang::Id {
        "# smartcity-eval: berkas sementara dari build yang sedang berjalan dan kuncinya"
    } else {
        "# smartcity-eval: temporary files of a build in progress and its lock"
    };
    format!("{head}\n*.tmp-*\nout/.lock\nout/*.typ\nout/.cache/\n")
}

/// `.gitattributes`: no CRLF conversion in checkouts (Git for Windows converts by default), so
/// the input hashes in out/manifest.json agree between a Windows desk and Linux CI.
pub fn gitattributes(lang: Lang) -> String {
    let head = if lang == Lang::Id {
        "# smartcity-eval: berkas apa adanya di setiap sistem operasi (out/manifest.json menghitung hash-nya)"
    } else {
        "# smartcity-eval: files byte for byte on every platform (out/manifest.json hashes them)"
    };
    format!("{head}\n* -text\n")
}

/// `text` as YAML comment lines of at most 96 characters, each starting with `prefix`.
fn comment(text: &str, prefix: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && prefix.len() + line.len() + 1 + word.len() > 96 {
            out.push_str(&format!("{prefix}{line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{prefix}{line}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_wrap_at_word_boundaries_and_keep_every_word() {
        let text = "instrumen 2024 belum diterbitkan rinci, jadi instrumen 2023 REGULER dipakai sebagai asumsi (validate dan laporan menyebutkannya); bila Kominfo mengirim instrumen 2024, tambahkan";
        let wrapped = comment(text, "  # ");
        assert!(wrapped.lines().count() >= 2, "{wrapped}");
        assert!(wrapped.lines().all(|l| l.len() <= 96 && l.starts_with("  # ")), "{wrapped}");
        let words: Vec<&str> = wrapped.lines().flat_map(|l| l[4..].split(' ')).collect();
        assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
        assert_eq!(comment("", "# "), "");
    }
}
