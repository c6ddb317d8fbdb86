//! docs/panduan.md stays true (issue #18): its commands run in order in a temp folder. `sh`
//! blocks are run (`smartcity-eval`, `cd`, `git`; a line whose comment says `keluar dengan kode
//! 1` must exit 1, every other must succeed); a block `berkas=PATH` is written to PATH; a hidden
//! `<!-- uji: ganti "A" dengan "B" di PATH -->` makes the edit the prose describes; a `text`
//! block shows lines the command before it printed. `console` blocks (downloads, GitHub) are
//! not run.

use std::path::{Path, PathBuf};

use crate::harness::{BIN, repo};

/// Words of a command line, with "double quotes" grouping; a ` #` outside quotes starts a comment.
fn words(line: &str) -> (Vec<String>, String) {
    let (mut words, mut word, mut quoted, mut started) = (Vec::new(), String::new(), false, false);
    for (at, c) in line.char_indices() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            '#' if !quoted && !started => return (words, line[at..].to_string()),
            c if c.is_whitespace() && !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    assert!(!quoted, "unbalanced quotes: {line}");
    if started {
        words.push(word);
    }
    (words, String::new())
}

fn run(cwd: &Path, words: &[String]) -> (i32, String) {
    let (program, args) = words.split_first().unwrap();
    let mut command = match program.as_str() {
        "smartcity-eval" => std::process::Command::new(BIN),
        "git" => {
            let mut git = std::process::Command::new("git");
            for (k, v) in [("GIT_AUTHOR_NAME", "Uji"), ("GIT_COMMITTER_NAME", "Uji")] {
                git.env(k, v);
            }
            for k in ["GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"] {
                git.env(k, "uji@example.org");
            }
            git
        }
        other => panic!("the guide runs `{other}`, which this test does not know: {words:?}"),
    };
    let out = command.args(args).current_dir(cwd).env("NO_COLOR", "1").output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!text.contains("panicked at"), "{words:?} panicked:\n{text}");
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn the_indonesian_guide_runs_as_written() {
    let guide = std::fs::read_to_string(repo().join("docs/panduan.md")).unwrap();
    let temp = tempfile::tempdir().unwrap();
    let mut cwd: PathBuf = temp.path().to_path_buf();
    let mut last_output = String::new();
    let (mut commands, mut files, mut edits, mut shown) = (0, 0, 0, 0);
    let mut lines = guide.lines();
    while let Some(line) = lines.next() {
        if let Some(edit) = line.trim().strip_prefix("<!-- uji: ganti \"") {
            let (from, rest) = edit.split_once("\" dengan \"").unwrap();
            let (to, path) = rest.split_once("\" di ").unwrap();
            let path = cwd.join(path.trim_end_matches("-->").trim());
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{} has no `{from}`", path.display());
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            edits += 1;
            continue;
        }
        let Some(info) = line.strip_prefix("```").filter(|i| !i.is_empty()) else { continue };
        let body: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("```")).collect();
        if let Some(path) = info.split_whitespace().find_map(|w| w.strip_prefix("berkas=")) {
            let path = cwd.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, body.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
            files += 1;
        } else if info == "sh" {
            for line in body.iter().filter(|l| !l.trim().is_empty()) {
                let (words, comment) = words(line);
                if words.is_empty() {
                    continue;
                }
                if words[0] == "cd" {
                    cwd = cwd.join(&words[1]);
                    continue;
                }
                let want = if comment.contains("keluar dengan kode 1") { 1 } else { 0 };
                let (code, output) = run(&cwd, &words);
                assert_eq!(code, want, "`{line}` in {}:\n{output}", cwd.display());
                last_output = output;
                commands += 1;
            }
        } else if info == "text" {
            for shown_line in body.iter().filter(|l| !l.trim().is_empty()) {
                assert!(
                    last_output.contains(shown_line),
                    "the guide shows `{shown_line}`; the command printed:\n{last_output}"
                );
                shown += 1;
            }
        }
    }
    assert!(commands >= 8 && files >= 3 && edits == 2 && shown >= 2, "{commands} {files} {edits} {shown}");

    // The documents the guide names are where it says, and its pictures are small.
    for name in guide.split('`').filter(|w| w.starts_with("kota-contoh-") && !w.contains(' ')) {
        assert!(cwd.join("out").join(name).is_file(), "the guide names out/{name}, which build did not write");
    }
    for link in guide.split("](img/").skip(1) {
        let file = repo().join("docs/img").join(link.split(')').next().unwrap());
        let size = std::fs::metadata(&file).unwrap_or_else(|_| panic!("{} is missing", file.display())).len();
        assert!(size < 60_000, "{} is {size} bytes", file.display());
    }
}

/// The README's first screen offers the guide beside the two developer commands.
#[test]
fn the_readme_links_the_guide_on_its_first_screen() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let first_screen: String = readme.lines().take(30).collect::<Vec<_>>().join("\n");
    assert!(first_screen.contains("(docs/panduan.md)"), "{first_screen}");
    assert!(first_screen.contains("cargo run --release -- build") && first_screen.contains("cargo test"));
}
