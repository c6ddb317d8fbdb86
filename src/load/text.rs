//! Reading a text file as UTF-8, with a diagnostic that names the encoding when it is not.
//!
//! Files saved from Excel on Windows are often Windows-1252 or UTF-16; decoding them silently
//! would turn `é` into mojibake in an assessor's report, so they are refused with the fix.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};

/// Data files (CSV, xlsx, parquet) larger than this are refused before they are read: a file
/// this large is a mistake, and would otherwise use memory without bound.
pub const MAX_TEXT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Hand-written files (YAML, sidecars, templates) larger than this are refused. Ambon's largest
/// is 40 KB and 10,000 programs take about 3 MB; parsing a 100 MB YAML file would take minutes.
pub const MAX_YAML_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a hand-written text file (at most [`MAX_YAML_BYTES`]) as UTF-8.
pub fn read_utf8(path: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = read_bytes(path, shown, MAX_YAML_BYTES)?;
    decode_utf8(bytes, shown)
}

pub fn read_bytes(path: &Path, shown: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| unreadable(shown, &e))?;
    if meta.len() > limit {
        return Err(Diagnostic::error(
            "file-too-large",
            format!("file is {} bytes; the limit for this kind of file is {limit} bytes", meta.len()),
        )
        .at(Location::file(shown))
        .help("split the file, or check that it is the file you meant"));
    }
    std::fs::read(path).map_err(|e| unreadable(shown, &e))
}

pub fn unreadable(shown: &Path, err: &std::io::Error) -> Diagnostic {
    let help = match err.kind() {
        std::io::ErrorKind::NotFound => "create the file, or check its name",
        std::io::ErrorKind::PermissionDenied => "check the file's permissions (it must be readable)",
        _ => "check that the file exists and can be read",
    };
    Diagnostic::error("unreadable", format!("cannot read file: {err}")).at(Location::file(shown)).help(help)
}

/// UTF-8 with or without BOM is accepted (the BOM is dropped); anything else is an error.
pub fn decode_utf8(mut bytes: Vec<u8>, shown: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let which = if bytes[0] == 0xFF { "UTF-16LE" } else { "UTF-16BE" };
        return Err(not_utf8(shown, which, None));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    // NUL bytes: UTF-16 without a byte-order mark (every other byte NUL in ASCII text), or a
    // binary file. Text files never hold NUL.
    let head = &bytes[..bytes.len().min(4096)];
    if let Some(first_nul) = head.iter().position(|&b| b == 0) {
        let (even, odd) = head
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == 0)
            .fold((0, 0), |(e, o), (i, _)| if i % 2 == 0 { (e + 1, o) } else { (e, o + 1) });
        let half = head.len() / 2;
        if odd * 10 >= half * 8 {
            return Err(not_utf8(shown, "UTF-16LE", None));
        }
        if even * 10 >= half * 8 {
            return Err(not_utf8(shown, "UTF-16BE", None));
        }
        let (line, column) = line_col(&head[..first_nul]);
        return Err(Diagnostic::error("binary-file", "the file holds binary data (NUL bytes), not text")
            .at(Location::at(shown, line, column))
            .help("save it as a text file (UTF-8); a spreadsheet belongs in an .xlsx file"));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let (line, column) = line_col(&bytes[..valid]);
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(bytes, true);
        let guess = detector.guess(None, true).name();
        not_utf8(shown, guess, Some((line, column)))
    })
}

fn line_col(valid_prefix: &[u8]) -> (u32, u32) {
    // The prefix is valid UTF-8 by construction, so counting chars is safe.
    let text = String::from_utf8_lossy(valid_prefix);
    let line = text.matches('\n').count() as u32 + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, column)
}

fn not_utf8(shown: &Path, encoding: &str, at: Option<(u32, u32)>) -> Diagnostic {
    let location = match at {
        Some((line, column)) => Location::at(shown, line, column),
        None => Location::file(shown),
    };
    let iconv = encoding.to_ascii_uppercase();
    Diagnostic::error("not-utf8", format!("file is not UTF-8; it looks like {encoding}")).at(location).help(format!(
        "convert it to UTF-8, e.g. `iconv -f {iconv} -t UTF-8 FILE > FILE.utf8` or in Excel \"Save As → CSV UTF-8\""
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_bom_and_names_windows_1252() {
        let shown = Path::new("x.csv");
        assert_eq!(decode_utf8(b"\xEF\xBB\xBFa,b\n".to_vec(), shown).unwrap(), "a,b\n");
        let err = decode_utf8(b"name\nCaf\xE9 Ambon\n".to_vec(), shown).unwrap_err();
        assert_eq!(err.message, "file is not UTF-8; it looks like windows-1252");
        assert_eq!(err.location.unwrap().to_string(), "x.csv:2:4");
        let err = decode_utf8(b"\xFF\xFEa\x00".to_vec(), shown).unwrap_err();
        assert!(err.message.contains("UTF-16LE"), "{}", err.message);
        let err = decode_utf8(b"a\x00b\x00,\x00c\x00\n\x00".to_vec(), shown).unwrap_err();
        assert!(err.message.contains("UTF-16LE"), "{}", err.message);
        let err = decode_utf8(b"abc\x00\x01\x02def".to_vec(), shown).unwrap_err();
        assert_eq!(err.code, "binary-file");
    }
}
