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

/// Compiles `escape(text)` as a Typst document in the sandbox and returns the text it shows:
/// the proof that escaping keeps the text and runs nothing.
#[cfg(test)]
mod typst_tests {
    use proptest::prelude::*;
    use typst::layout::{Frame, FrameItem};

    use super::escape;
    use crate::render::world::SandboxWorld;

    fn shown_text(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => shown_text(&group.frame, out),
                FrameItem::Text(text) => out.push_str(&text.text),
                _ => {}
            }
        }
    }

    fn render(markup: &str) -> Result<String, String> {
        let source = format!(
            "#set page(width: 2000pt, height: auto, margin: 1pt)\n#set text(font: (\"Open Sans\", \"Noto Color Emoji\", \"DejaVu Sans\"))\n{markup}\n"
        );
        let dir = std::env::temp_dir();
        let world = SandboxWorld::new(&dir, source, Default::default(), (2023, 6, 13)).map_err(|d| d.message)?;
        let doc = typst::compile::<typst_layout::PagedDocument>(&world)
            .output
            .map_err(|e| e.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; "))?;
        let mut out = String::new();
        for page in doc.pages() {
            shown_text(&page.frame, &mut out);
        }
        Ok(out)
    }

    fn without_space(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn hostile_strings_print_as_written() {
        for s in [
            "#read(\"/etc/passwd\")",
            "]",
            "$x$",
            "<l>",
            "@ref",
            "= judul",
            "- a",
            "+ b",
            "/ t: d",
            "1. x",
            "http://a.id",
            "a -- b --- c ... d",
            "\\u{41}",
            "'kutip' \"dua\"",
            "~",
            "// c",
            "/* c */",
            "`r`",
            "*b* _i_",
        ] {
            assert_eq!(without_space(&render(&escape(s)).unwrap()), without_space(s), "{s}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// Any printable text shows exactly (spaces aside: Typst collapses runs of them).
        #[test]
        fn render_of_escape_shows_the_text(s in "[ -~À-ÿ🙂✓—–…]{1,60}") {
            let shown = render(&escape(&s)).map_err(|e| TestCaseError::fail(format!("{s:?}: {e}")))?;
            prop_assert_eq!(without_space(&shown), without_space(&s));
        }
    }
}
