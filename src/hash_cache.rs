//! The evidence hash cache (`out/.cache/bukti-dukung.json`): the SHA-256 of each document
//! `pack` hashed, under its path from the workspace with the size and modification time it had,
//! and what each pack was made from. A rebuild of an unchanged pack reads none of its documents
//! (a gigabyte, for a large city).
//!
//! Sizes and times belong to one machine's copy of the files, so the cache lives apart from
//! `out/manifest.json` (which a city commits and CI compares) in a folder that ignores itself
//! in git: a `pack` run never changes a committed file (ADR 12).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The cache's folder in out/, and its file there.
pub const FOLDER: &str = ".cache";
pub const FILE: &str = "bukti-dukung.json";

/// Written beside the cache so git (a city's repository or this one) never offers it for a commit.
const GITIGNORE: &str = "# Written by smartcity-eval: caches of this machine, never committed.\n*\n";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct HashCache {
    /// Evidence document (path from the workspace, `evidence/…`) → its SHA-256 and the size and
    /// modification time it had when hashed. A file with another size or time is hashed again.
    #[serde(default)]
    pub evidence: BTreeMap<String, Hashed>,
    /// Evidence pack (relative to out/) → what it was made from. The zip itself is recognised by
    /// its size and modification time: hashing a gigabyte to find it intact would cost what
    /// the cache saves.
    #[serde(default)]
    pub packs: BTreeMap<String, PackEntry>,
}

/// A file's size and modification time (seconds.nanoseconds since 1970), as `stat` gives them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Stamp {
    pub size: u64,
    pub modified: String,
}

impl Stamp {
    /// The stamp of the file at `path` (links followed); `None` when it cannot be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let since = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(Stamp { size: meta.len(), modified: format!("{}.{:09}", since.as_secs(), since.subsec_nanos()) })
    }

    /// Modified so recently that another change within the file system's time resolution (2 s
    /// on FAT/exFAT) would leave the same stamp: not cached (git's "racily clean" rule).
    fn racy(&self) -> bool {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let secs: u64 = self.modified.split('.').next().and_then(|s| s.parse().ok()).unwrap_or(u64::MAX);
        secs.saturating_add(RACY_SECONDS) >= now
    }
}

const RACY_SECONDS: u64 = 2;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Hashed {
    #[serde(flatten)]
    pub stamp: Stamp,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PackEntry {
    pub inputs: String,
    #[serde(flatten)]
    pub stamp: Stamp,
}

/// The cache file of the output folder `out`.
pub fn path(out: &Path) -> PathBuf {
    out.join(FOLDER).join(FILE)
}

/// The cache in `out`; empty when there is none or it cannot be read (it is only a cache: the
/// documents are then hashed again).
pub fn read(out: &Path) -> HashCache {
    std::fs::read(path(out)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

/// Writes the cache (atomically) with the folder's `.gitignore`.
pub fn write(out: &Path, cache: &HashCache) -> std::io::Result<()> {
    let folder = out.join(FOLDER);
    std::fs::create_dir_all(&folder)?;
    let ignore = folder.join(".gitignore");
    if std::fs::read(&ignore).ok().as_deref() != Some(GITIGNORE.as_bytes()) {
        crate::outdir::write_atomic(&ignore, GITIGNORE.as_bytes())?;
    }
    let mut bytes = serde_json::to_vec_pretty(cache).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    crate::outdir::write_atomic(&path(out), &bytes)
}

impl HashCache {
    /// The SHA-256 recorded for `written` when the file still has this stamp.
    pub fn cached_sha256(&self, written: &str, stamp: &Stamp) -> Option<&str> {
        self.evidence.get(written).filter(|h| &h.stamp == stamp).map(|h| h.sha256.as_str())
    }

    /// Records a document's hash (not when it was modified too recently to trust its stamp).
    pub fn remember(&mut self, written: &str, stamp: &Stamp, sha256: &str) {
        if stamp.racy() {
            self.evidence.remove(written);
        } else {
            self.evidence.insert(written.to_string(), Hashed { stamp: stamp.clone(), sha256: sha256.to_string() });
        }
    }

    /// Records the pack `name` (in `out`) as made from `inputs`.
    pub fn record_pack(&mut self, out: &Path, name: &str, inputs: String) {
        match Stamp::of(&out.join(name)) {
            Some(stamp) => self.packs.insert(portable(name), PackEntry { inputs, stamp }),
            None => self.packs.remove(&portable(name)),
        };
    }

    /// Whether the pack `name` in `out` was made from `inputs` and is the file then written.
    pub fn pack_is_fresh(&self, out: &Path, name: &str, inputs: &str) -> bool {
        self.packs
            .get(&portable(name))
            .is_some_and(|p| p.inputs == inputs && Stamp::of(&out.join(name)).as_ref() == Some(&p.stamp))
    }
}

/// A name relative to out/, with `/` between folders whatever wrote it.
fn portable(name: &str) -> String {
    name.replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cache answers only for a file with the very size and time it was hashed at, and
    /// does not keep a file modified in the last seconds (a second change within the file
    /// system's time resolution would leave the same stamp).
    #[test]
    fn the_hash_cache_answers_only_for_the_same_stamp() {
        let mut cache = HashCache::default();
        let old = Stamp { size: 9, modified: "1600000000.000000000".into() };
        cache.remember("evidence/a.pdf", &old, "aa");
        assert_eq!(cache.cached_sha256("evidence/a.pdf", &old), Some("aa"));
        assert_eq!(cache.cached_sha256("evidence/b.pdf", &old), None);
        assert_eq!(cache.cached_sha256("evidence/a.pdf", &Stamp { size: 10, ..old.clone() }), None);
        let touched = Stamp { size: 9, modified: "1600000000.000000001".into() };
        assert_eq!(cache.cached_sha256("evidence/a.pdf", &touched), None);
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let fresh = Stamp { size: 9, modified: format!("{now}.000000000") };
        cache.remember("evidence/a.pdf", &fresh, "bb");
        assert_eq!(cache.cached_sha256("evidence/a.pdf", &fresh), None, "a just-modified file was cached");
        assert_eq!(cache.cached_sha256("evidence/a.pdf", &old), None, "the stale entry was kept");
    }

    /// The cache folder ignores itself in git, and a damaged cache file reads as empty (the
    /// documents are hashed again) rather than failing the pack.
    #[test]
    fn the_cache_folder_ignores_itself_and_a_damaged_file_reads_empty() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let mut cache = HashCache::default();
        cache.remember("evidence/a.pdf", &Stamp { size: 9, modified: "1600000000.000000000".into() }, "aa");
        write(out, &cache).unwrap();
        assert_eq!(read(out), cache);
        assert_eq!(std::fs::read_to_string(out.join(".cache/.gitignore")).unwrap().lines().last(), Some("*"));
        std::fs::write(path(out), "{ not json").unwrap();
        assert_eq!(read(out), HashCache::default());
    }
}
