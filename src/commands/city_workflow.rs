//! The CI workflow `init` writes for a city repository (docs/ci.md): download the pinned
//! prebuilt release for the runner's platform, verify its SHA-256 against the release's
//! SHA256SUMS, `validate --format github`, `build`, commit out/ — no compilation, so a data
//! commit is rebuilt in about a minute. The archive names match .github/workflows/release.yml.

/// The release a new workspace pins: the version of the binary that ran `init`. Comments,
/// step names and messages in `lang`; steps are found by their `id`, which never changes.
pub fn workflow(lang: Lang) -> String {
    let mut text = TEMPLATE.to_string();
    if lang == Lang::Id {
        for (en, id) in INDONESIAN {
            text = text.replace(en, id);
        }
    }
    text.replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@REPOSITORY@", &repository().unwrap_or_else(|| "${{ vars.SMARTCITY_EVAL_REPO }}".into()))
}

/// `owner/name` of the repository publishing the releases, from Cargo.toml's `repository`
/// when it is a GitHub address. Without one, the city sets the repository variable
/// SMARTCITY_EVAL_REPO (the step says so when it is empty).
fn repository() -> Option<String> {
    let url = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/').trim_end_matches(".git");
    let path = url.strip_prefix("https://github.com/")?;
    let mut parts = path.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(owner), Some(name), None) if !owner.is_empty() && !name.is_empty() => Some(format!("{owner}/{name}")),
        _ => None,
    }
}

use crate::lang::Lang;

const TEMPLATE: &str = r#"# Regenerates the evaluation report, slides and Bappeda xlsx whenever data is committed, and
# commits out/ only when it changed. `smartcity-eval docs ci` explains it.
#
# It runs smartcity-eval @VERSION@, downloaded prebuilt (no compilation) and checked against
# the SHA-256 sums published with the release. To move to a newer version: read its release
# notes, set SMARTCITY_EVAL_VERSION below to it (without the `v`) and commit this file; the
# run that follows rebuilds every document with the new version and commits out/.
name: laporan
on:
  push:
    paths: ["indicators/**", "data/**", "templates/**", ".github/workflows/laporan.yml"]
  workflow_dispatch:
permissions:
  contents: write
env:
  SMARTCITY_EVAL_VERSION: "@VERSION@"
  # The GitHub repository (owner/name) that publishes smartcity-eval's releases.
  SMARTCITY_EVAL_REPO: "@REPOSITORY@"
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v5
      - name: Install smartcity-eval (prebuilt, checksum verified)
        id: install
        shell: bash
        run: |
          set -euo pipefail
          case "$RUNNER_OS-$RUNNER_ARCH" in
            Linux-X64) target=x86_64-unknown-linux-musl ext=tar.gz ;;
            Linux-ARM64) target=aarch64-unknown-linux-musl ext=tar.gz ;;
            macOS-ARM64) target=aarch64-apple-darwin ext=tar.gz ;;
            Windows-X64) target=x86_64-pc-windows-msvc ext=zip ;;
            *) echo "::error::no prebuilt smartcity-eval for $RUNNER_OS $RUNNER_ARCH: use the cargo install fallback below"; exit 1 ;;
          esac
          if [ -z "$SMARTCITY_EVAL_REPO" ]; then
            echo "::error::set SMARTCITY_EVAL_REPO (owner/name of smartcity-eval on GitHub) in this file or as a repository variable"
            exit 1
          fi
          name="smartcity-eval-v$SMARTCITY_EVAL_VERSION-$target"
          # SMARTCITY_EVAL_RELEASES: a mirror of the release files, if your network needs one.
          base="${SMARTCITY_EVAL_RELEASES:-https://github.com/$SMARTCITY_EVAL_REPO/releases/download}/v$SMARTCITY_EVAL_VERSION"
          dir="$RUNNER_TEMP/smartcity-eval"
          mkdir -p "$dir"
          cd "$dir"
          curl -fsSL --retry 3 -o "$name.$ext" "$base/$name.$ext"
          curl -fsSL --retry 3 -o SHA256SUMS "$base/SHA256SUMS"
          awk -v file="$name.$ext" '$2 == file || $2 == "*" file' SHA256SUMS > expected
          if [ ! -s expected ]; then
            echo "::error::$name.$ext is not listed in the release's SHA256SUMS"
            exit 1
          fi
          if command -v sha256sum >/dev/null; then sha256sum -c expected; else shasum -a 256 -c expected; fi
          if [ "$ext" = zip ]; then unzip -q "$name.$ext"; else tar -xzf "$name.$ext"; fi
          echo "$dir/$name" >> "$GITHUB_PATH"
      # Fallback, when no prebuilt archive fits (another platform): replace the step above
      # with these two. It compiles the tool on every run (about 25 minutes).
      # - uses: dtolnay/rust-toolchain@stable
      # - run: cargo install --locked --git "https://github.com/$SMARTCITY_EVAL_REPO" --tag "v$SMARTCITY_EVAL_VERSION" smartcity-eval
      - name: Validate (problems appear on the files in the pull request)
        id: validate
        run: smartcity-eval validate --format github
      - name: Build the documents
        id: build
        run: smartcity-eval build
      - uses: actions/upload-artifact@v6
        with:
          name: laporan
          path: |
            out/*.pdf
            out/*.xlsx
      - name: Commit out/ when it changed
        id: commit
        run: |
          git add out
          if git diff --cached --quiet; then echo "out/ unchanged"; exit 0; fi
          git config user.name "smartcity-eval"
          git config user.email "smartcity-eval@users.noreply.github.com"
          git commit -m "Regenerate out/ from ${GITHUB_SHA::8}"
          git push
"#;

/// The template's English phrases and their Indonesian (each occurs once in the template: a
/// unit test holds that, so an edit of the template cannot leave a phrase untranslated unseen).
const INDONESIAN: &[(&str, &str)] = &[
    (
        "# Regenerates the evaluation report, slides and Bappeda xlsx whenever data is committed, and\n\
         # commits out/ only when it changed. `smartcity-eval docs ci` explains it.",
        "# Membuat ulang laporan evaluasi, bahan paparan dan xlsx Bappeda setiap kali data di-commit,\n\
         # dan meng-commit out/ hanya bila berubah. Penjelasan: `smartcity-eval docs ci`.",
    ),
    (
        "# It runs smartcity-eval @VERSION@, downloaded prebuilt (no compilation) and checked against\n\
         # the SHA-256 sums published with the release. To move to a newer version: read its release\n\
         # notes, set SMARTCITY_EVAL_VERSION below to it (without the `v`) and commit this file; the\n\
         # run that follows rebuilds every document with the new version and commits out/.",
        "# Menjalankan smartcity-eval @VERSION@ yang diunduh siap pakai (tanpa kompilasi) dan diperiksa\n\
         # dengan SHA-256 yang diterbitkan bersama rilisnya. Untuk pindah ke versi baru: baca catatan\n\
         # rilisnya, isi SMARTCITY_EVAL_VERSION di bawah dengan versi itu (tanpa `v`) lalu commit berkas\n\
         # ini; proses berikutnya membuat ulang setiap dokumen dengan versi baru dan meng-commit out/.",
    ),
    (
        "# The GitHub repository (owner/name) that publishes smartcity-eval's releases.",
        "# Repositori GitHub (pemilik/nama) yang menerbitkan rilis smartcity-eval.",
    ),
    (
        "name: Install smartcity-eval (prebuilt, checksum verified)",
        "name: Pasang smartcity-eval (siap pakai, checksum diperiksa)",
    ),
    (
        "no prebuilt smartcity-eval for $RUNNER_OS $RUNNER_ARCH: use the cargo install fallback below",
        "tidak ada smartcity-eval siap pakai untuk $RUNNER_OS $RUNNER_ARCH: pakai cara cadangan cargo install di bawah",
    ),
    (
        "set SMARTCITY_EVAL_REPO (owner/name of smartcity-eval on GitHub) in this file or as a repository variable",
        "isi SMARTCITY_EVAL_REPO (pemilik/nama smartcity-eval di GitHub) di berkas ini atau sebagai variabel repositori",
    ),
    (
        "# SMARTCITY_EVAL_RELEASES: a mirror of the release files, if your network needs one.",
        "# SMARTCITY_EVAL_RELEASES: cermin (mirror) berkas rilis, bila jaringan Anda memerlukannya.",
    ),
    ("is not listed in the release's SHA256SUMS", "tidak tercantum di SHA256SUMS rilis"),
    (
        "# Fallback, when no prebuilt archive fits (another platform): replace the step above\n      \
         # with these two. It compiles the tool on every run (about 25 minutes).",
        "# Cara cadangan, bila tidak ada arsip siap pakai yang cocok (platform lain): ganti langkah di\n      \
         # atas dengan dua baris ini. Program dikompilasi pada setiap proses (sekitar 25 menit).",
    ),
    (
        "name: Validate (problems appear on the files in the pull request)",
        "name: Periksa (masalah tampil pada berkasnya di pull request)",
    ),
    ("name: Build the documents", "name: Buat dokumen"),
    ("name: Commit out/ when it changed", "name: Commit out/ bila berubah"),
    ("echo \"out/ unchanged\"", "echo \"out/ tidak berubah\""),
    (
        "git commit -m \"Regenerate out/ from ${GITHUB_SHA::8}\"",
        "git commit -m \"Buat ulang out/ dari ${GITHUB_SHA::8}\"",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Each English phrase occurs exactly once, so the Indonesian workflow has no English left
    /// behind by an edit of the template; the two differ only in words, never in what they run.
    #[test]
    fn every_phrase_is_translated_once_and_the_steps_keep_their_ids() {
        for (en, _) in INDONESIAN {
            assert_eq!(TEMPLATE.matches(en).count(), 1, "{en}");
        }
        let id = workflow(Lang::Id);
        let en = workflow(Lang::En);
        for (english, _) in INDONESIAN {
            assert!(!id.contains(english), "{english}");
        }
        let ids = |text: &str| -> Vec<String> {
            text.lines().filter(|l| l.trim_start().starts_with("id: ")).map(|l| l.trim().to_string()).collect()
        };
        assert_eq!(ids(&id), ["id: install", "id: validate", "id: build", "id: commit"]);
        assert_eq!(ids(&id), ids(&en));
        assert_eq!(id.lines().count(), en.lines().count());
    }
}
