//! Records the commit the binary is built from, for `smartcity-eval --version` only: a city
//! reporting a problem can say exactly which build it runs. The commit never enters outputs
//! (out/manifest.json keys on CARGO_PKG_VERSION), so documents stay byte-identical across commits.

// A build script talks to cargo on stdout.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    // A packager without git (a crates.io tarball, a vendored copy) may say it explicitly.
    println!("cargo:rerun-if-env-changed=SMARTCITY_EVAL_COMMIT");
    let commit = std::env::var("SMARTCITY_EVAL_COMMIT").ok().filter(|c| !c.trim().is_empty()).or_else(git_commit);
    println!("cargo:rustc-env=SMARTCITY_EVAL_COMMIT={}", commit.as_deref().unwrap_or("unknown"));
}

fn git(args: &[&str]) -> Option<String> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let out = Command::new("git").args(args).current_dir(manifest_dir).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// The short commit of HEAD, when this source is its own git checkout (not a folder inside some
/// other repository, as an unpacked source archive may be). Reruns when HEAD moves: HEAD itself
/// (a checkout), the branch it points to (a commit) and packed-refs (a gc), each only if it
/// exists — a missing file would make cargo rerun this script on every build.
fn git_commit() -> Option<String> {
    let toplevel = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    if !same_dir(&toplevel, &manifest_dir) {
        return None;
    }
    let mut watch = vec![git(&["rev-parse", "--git-path", "HEAD"])?, git(&["rev-parse", "--git-path", "packed-refs"])?];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch.extend(git(&["rev-parse", "--git-path", &branch]));
    }
    for path in watch {
        let path = manifest_dir.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    git(&["rev-parse", "--short", "HEAD"])
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
