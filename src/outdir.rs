//! Writing files, the one low-level place every stage writes through (render, export, manifest,
//! commands): atomically (a temporary file, then a rename), and into an `out/` folder with one
//! writer at a time (an advisory lock on `out/.lock`, released when the process ends, however it
//! ends), temporary files that belong to one writer, and a folder that stays inside the
//! workspace.
//!
//! Two builds of one workspace happen: a user and CI in one checkout, two terminals, an editor
//! hook beside a manual run. Without the lock one build could rename its older PDF over the
//! other's newer one and the manifest would call it fresh, or delete the other's temporary file
//! mid-write.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostic::{Diagnostic, Location};

/// Held while a command writes `out/`; dropping it releases the lock.
#[derive(Debug)]
pub struct OutLock {
    _file: File,
}

/// Checks that `out/` (and `templates/`) resolve inside the workspace, creates `out/` and takes
/// its lock. With `wait`, queues behind a running build; otherwise says who holds it.
pub fn lock(root: &Path, wait: bool) -> Result<OutLock, Diagnostic> {
    check_inside(root)?;
    let out = root.join("out");
    let failed = |e: std::io::Error| {
        Diagnostic::error("write-failed", format!("cannot lock out/ for writing: {e}"))
            .at(Location::file("out/.lock"))
            .help("check that out/ can be written")
    };
    if out.exists() && !out.is_dir() {
        return Err(Diagnostic::error(
            "write-failed",
            "`out` is a file, not a folder; move it away so outputs can be written",
        )
        .at(Location::file("out"))
        .help("the outputs go into the folder out/ of the workspace"));
    }
    std::fs::create_dir_all(&out).map_err(failed)?;
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(out.join(".lock"))
        .map_err(failed)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) if wait => file.lock().map_err(failed)?,
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            let who = if holder.is_empty() { String::new() } else { format!(" (pid {holder})") };
            return Err(Diagnostic::error(
                "build-running",
                format!("another build is writing this workspace's out/ folder{who}"),
            )
            .at(Location::file("out/.lock"))
            .help("wait for it to finish, or add `--wait` to queue behind it"));
        }
        Err(TryLockError::Error(e)) => return Err(failed(e)),
    }
    // Who holds it, for the message above; the lock itself is the kernel's.
    let _ = file.set_len(0).and_then(|()| file.rewind()).and_then(|()| writeln!(file, "{}", std::process::id()));
    Ok(OutLock { _file: file })
}

/// `out` or `templates` may be symlinks (a workspace kept on another disk), but must resolve to
/// a folder inside the workspace: a link to `..` or `/` would let a template read, and a build
/// write, files far outside it.
pub fn check_inside(root: &Path) -> Result<(), Diagnostic> {
    let Ok(root_real) = root.canonicalize() else { return Ok(()) };
    for name in ["out", "templates"] {
        let path = root.join(name);
        if !path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
            continue;
        }
        let target = path.canonicalize().ok();
        if target.as_ref().is_none_or(|t| !t.starts_with(&root_real) || *t == root_real) {
            let shown = std::fs::read_link(&path).map(|t| t.display().to_string()).unwrap_or_default();
            return Err(Diagnostic::error(
                "outside-workspace",
                format!("`{name}` is a link to `{shown}`, which is not a folder inside the workspace"),
            )
            .at(Location::file(name))
            .help(format!(
                "replace the link with a real `{name}/` folder (or a link to a folder inside the workspace)"
            )));
        }
    }
    Ok(())
}

/// [`write_atomic`] for an output in `out/`, its failure a `write-failed` diagnostic.
pub fn write_output(path: &std::path::Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_atomic(path, bytes).map_err(|e| write_failed(path, &e))
}

fn write_failed(path: &Path, e: &std::io::Error) -> Diagnostic {
    // Said only when there is a previous file: on a first build there is none to keep.
    let kept = if path.is_file() { "; the previous file was left as it was" } else { "" };
    let help = if is_held_open(e) {
        format!("close the file in the other program and run again{kept}")
    } else {
        format!("check that out/ can be written and has room{kept}")
    };
    Diagnostic::error("write-failed", format!("cannot write: {e}")).at(Location::file(path)).help(help)
}

/// Replacing a file another program holds open: Windows refuses to rename over a PDF open in a
/// viewer or an xlsx open in Excel (access denied, sharing or lock violation); elsewhere a busy
/// file says so. The message names the file and what to do.
#[derive(Debug)]
struct HeldOpen {
    file: PathBuf,
    cause: std::io::Error,
}

impl std::fmt::Display for HeldOpen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is open in another program (a PDF viewer, Excel?) or read-only, so it cannot be replaced: \
             close it and run again ({})",
            self.file.display(),
            self.cause
        )
    }
}

impl std::error::Error for HeldOpen {}

pub fn is_held_open(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<HeldOpen>())
}

/// The error of renaming the finished temporary file over `path`, explained when the old file
/// is held open.
fn replace_error(path: &Path, e: std::io::Error) -> std::io::Error {
    let held = e.kind() == std::io::ErrorKind::ResourceBusy
        || (cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33)));
    if held { std::io::Error::new(e.kind(), HeldOpen { file: path.to_path_buf(), cause: e }) } else { e }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// failure never leaves a half-written file in place of a good one.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, bytes, |from, to| std::fs::rename(from, to))
}

/// [`write_atomic`] with the final rename given, so a test can make it fail as Windows does.
fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    rename: impl Fn(&Path, &Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    if dir.exists() && !dir.is_dir() {
        // create_dir_all would say only "File exists".
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            format!("`{}` is a file, not a folder; move it away so outputs can be written", dir.display()),
        ));
    }
    std::fs::create_dir_all(dir)?;
    let tmp = temp_for(path);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        fault_point(&format!("before-rename:{name}"));
        rename(&tmp, path).map_err(|e| replace_error(path, e))?;
        fault_point(&format!("after-rename:{name}"));
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done(&tmp);
    result
}

/// Removes temporary files that `write_atomic` left in `dir` when a process was killed
/// mid-write (`.<name>.tmp-<pid>-<n>`). Called with out/'s lock held (`outdir::lock`), so no
/// other build is writing them.
pub fn remove_stale_temps(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_temp_name(&name) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Fault injection for the tests, at each named step of writing outputs (`before-rename:<file>`:
/// the temporary file is complete; `after-rename:<file>`), so that a test stops a build at
/// exactly that step instead of hoping a timed kill lands there. `SMARTCITY_EVAL_FAULT`:
/// - `list`: print `fault point: <name>` to stderr at every step reached;
/// - `exit-at=<name>`: end the process at once at that step, exit status 86, with no clean-up
///   at all (no destructor, no signal handler: what a SIGKILL or a power cut leaves);
/// - `pause-before-rename`: wait 30 s before every rename (a signal can be sent meanwhile).
pub fn fault_point(name: &str) {
    let Ok(fault) = std::env::var("SMARTCITY_EVAL_FAULT") else { return };
    if fault == "list" {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "fault point: {name}");
    } else if fault.strip_prefix("exit-at=") == Some(name) {
        std::process::exit(86);
    } else if fault == "pause-before-rename" && name.starts_with("before-rename:") {
        std::thread::sleep(std::time::Duration::from_secs(30));
    }
}

/// Temporary files being written right now, removed if the process is interrupted.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temporary name beside `path`, unique to this process and call: `.<name>.tmp-<pid>-<n>`.
/// Registered until [`done`] so an interrupt can remove it.
pub fn temp_for(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
    if let Ok(mut list) = IN_FLIGHT.lock() {
        list.push(tmp.clone());
    }
    tmp
}

/// The temporary file was renamed into place or removed.
pub fn done(tmp: &Path) {
    if let Ok(mut list) = IN_FLIGHT.lock() {
        list.retain(|p| p != tmp);
    }
}

/// Removes every temporary file still being written (on Ctrl-C or SIGTERM).
pub fn remove_in_flight() {
    if let Ok(list) = IN_FLIGHT.lock() {
        for tmp in list.iter() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Whether `name` is one of [`temp_for`]'s names (or the older `.<name>.tmp-<pid>`).
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.')
        && name.rsplit_once(".tmp-").is_some_and(|(_, tail)| {
            !tail.is_empty() && tail.split('-').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// On SIGINT/SIGTERM/SIGHUP: remove the temporary files in flight, then exit as the signal
/// asks (130, 143, 129). Without it an interrupt left a partial hidden file in out/.
pub fn remove_temps_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else { return };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                remove_in_flight();
                std::process::exit(128 + signal);
            }
        });
    }
    #[cfg(windows)]
    {
        // Windows: Ctrl-C ends the process; temporary files are removed by the next build.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_unique_and_recognised() {
        let a = temp_for(Path::new("out/x.pdf"));
        let b = temp_for(Path::new("out/x.pdf"));
        assert_ne!(a, b);
        for t in [&a, &b] {
            assert!(is_temp_name(&t.file_name().unwrap().to_string_lossy()), "{t:?}");
        }
        assert!(is_temp_name(".x.pdf.tmp-123"));
        assert!(!is_temp_name("x.pdf"));
        assert!(!is_temp_name(".x.pdf.tmp-"));
        assert!(!is_temp_name(".x.pdf.tmp-12a"));
        done(&a);
        done(&b);
    }

    #[test]
    fn a_second_lock_is_refused_with_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock(dir.path(), false).unwrap();
        let err = lock(dir.path(), false).unwrap_err();
        assert_eq!(err.code, "build-running");
        assert!(err.message.contains(&format!("pid {}", std::process::id())), "{}", err.message);
        drop(first);
        assert!(lock(dir.path(), false).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn out_linked_outside_the_workspace_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("ws");
        std::fs::create_dir_all(ws.join("real-out")).unwrap();
        std::os::unix::fs::symlink("..", ws.join("out")).unwrap();
        assert_eq!(check_inside(&ws).unwrap_err().code, "outside-workspace");
        std::fs::remove_file(ws.join("out")).unwrap();
        std::os::unix::fs::symlink("/", ws.join("out")).unwrap();
        assert_eq!(check_inside(&ws).unwrap_err().code, "outside-workspace");
        std::fs::remove_file(ws.join("out")).unwrap();
        std::os::unix::fs::symlink("real-out", ws.join("out")).unwrap();
        assert!(check_inside(&ws).is_ok());
        std::os::unix::fs::symlink(".", ws.join("templates")).unwrap();
        assert_eq!(check_inside(&ws).unwrap_err().code, "outside-workspace");
    }

    /// A PDF open in a viewer on Windows: the rename over it fails. The error names the file and
    /// says to close it and run again; the old file is intact and no temporary file is left.
    #[test]
    fn replacing_a_file_held_open_says_close_it_and_keeps_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kota-ambon-2023-laporan.pdf");
        std::fs::write(&path, "old").unwrap();
        let busy = |_: &Path, _: &Path| Err(std::io::Error::from(std::io::ErrorKind::ResourceBusy));
        let e = write_atomic_with(&path, b"new", busy).unwrap_err();
        assert!(is_held_open(&e));
        let text = e.to_string();
        assert!(text.contains("kota-ambon-2023-laporan.pdf") && text.contains("close it and run again"), "{text}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from("kota-ambon-2023-laporan.pdf")]);

        let d = write_failed(&path, &e);
        assert_eq!(d.code, "write-failed");
        assert!(d.message.contains("close it and run again"), "{}", d.message);
        assert_eq!(
            d.help.as_deref(),
            Some("close the file in the other program and run again; the previous file was left as it was")
        );
    }

    /// A first build that cannot write (a full disk) does not claim to have kept a previous file.
    #[test]
    fn a_failed_first_write_does_not_speak_of_a_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kota-ambon-2023-laporan.pdf");
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert_eq!(write_failed(&path, &full).help.as_deref(), Some("check that out/ can be written and has room"));
        std::fs::write(&path, "old").unwrap();
        assert_eq!(
            write_failed(&path, &full).help.as_deref(),
            Some("check that out/ can be written and has room; the previous file was left as it was")
        );
    }

    /// Windows' own codes for a file held open (access denied, sharing and lock violation) read
    /// as held open there; any other failure keeps its own message.
    #[test]
    fn only_a_busy_file_reads_as_held_open() {
        let path = Path::new("out/x.xlsx");
        let other = replace_error(path, std::io::Error::from(std::io::ErrorKind::NotFound));
        assert!(!is_held_open(&other));
        assert!(!write_failed(path, &other).help.unwrap().starts_with("close"));
        for code in [5, 32, 33] {
            let e = replace_error(path, std::io::Error::from_raw_os_error(code));
            assert_eq!(is_held_open(&e), cfg!(windows), "os error {code}");
        }
        // Anywhere, a busy file (EBUSY) is held open.
        assert!(is_held_open(&replace_error(path, std::io::Error::from(std::io::ErrorKind::ResourceBusy))));
    }
}
