//! Escaping user text for Typst markup, so that `#`, `$`, `@`, `<`, `[`, `]`, `*`, `_`, `\`
//! and friends print as written and can never run code or read files.
//!
//! A backslash before a punctuation character makes it literal in Typst markup; letters are
//! never escaped (`\u{…}` is an escape sequence). Line starts (`=`, `-`, `+`, `/`, `1.`),
//! `//` comments, `--`/`...` typography, smart quotes, `~` and URLs are all neutralised by
//! escaping their punctuation. Line breaks become Typst line breaks.

use std::io::Write;

/// Characters with a meaning somewhere in Typst markup.
const SPECIAL: &[char] = &[
    '\\', '#', '$', '*', '_', '`', '<', '>', '@', '[', ']', '~', '\'', '"', ':', '/', '=', '-', '+', '.', '{', '}',
    ';', '(', ')', ',',
];

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        c if SPECIAL.contains(&c) => {
            out.push('\\');
            out.push(c);
        }
        '\n' => out.push_str("\\\n"),
        '\r' => {}
        '\t' => out.push(' '),
        // Other control characters have no business in a document.
        c if c.is_control() => {}
        c => out.push(c),
    }
}

/// The tera escape function for `.typ` templates.
pub fn escape_fn(input: &str, output: &mut dyn Write) -> std::io::Result<()> {
    output.write_all(escape(input).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_but_not_letters() {
        assert_eq!(escape("#read(\"/etc/passwd\")"), "\\#read\\(\\\"\\/etc\\/passwd\\\"\\)");
        assert_eq!(escape("Rp 1.234,5 ~ 2.915 KK"), "Rp 1\\.234\\,5 \\~ 2\\.915 KK");
        assert_eq!(escape("\\u{41}"), "\\\\u\\{41\\}");
        assert_eq!(escape("baris 1\r\nbaris 2"), "baris 1\\\nbaris 2");
    }
}
