//! Reading the rendered PDFs in tests with lopdf, so the README's `cargo test` needs nothing
//! installed beside the Rust toolchain (issue #18). poppler's pdftotext and qpdf stay as
//! outside checks in `.ci/run` (.ci/check-pdfs).
//!
//! lopdf parses the file and decodes each font's ToUnicode map; this module places the text
//! runs as `pdftotext -raw` does: in content order, runs on one baseline joined (with a space
//! where the gap between them is wider than a fraction of the font size), a new line where the
//! baseline changes. lopdf's own `extract_text` ends a line after every text object, and Typst
//! writes one text object per run, so a table row would come out one cell per line.

use std::collections::BTreeMap;
use std::path::Path;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

fn load(pdf: &Path) -> Document {
    Document::load(pdf).unwrap_or_else(|e| panic!("{}: not a readable PDF: {e}", pdf.display()))
}

/// The text of every page, pages separated by a form feed (as pdftotext separates them).
pub fn text(pdf: &Path) -> String {
    pages_text(pdf).join("\u{c}")
}

/// The text of each page.
pub fn pages_text(pdf: &Path) -> Vec<String> {
    let doc = load(pdf);
    doc.get_pages()
        .values()
        .map(|&id| page_text(&doc, id).unwrap_or_else(|e| panic!("{}: {e}", pdf.display())))
        .collect()
}

/// How many pages the document has.
pub fn pages(pdf: &Path) -> usize {
    load(pdf).get_pages().len()
}

/// Every page's size in points (width, height), from its MediaBox (inherited from the page
/// tree where the page has none).
pub fn page_sizes(pdf: &Path) -> Vec<(f64, f64)> {
    let doc = load(pdf);
    doc.get_pages()
        .values()
        .map(|&id| {
            let mut dict = doc.get_dictionary(id).unwrap();
            loop {
                if let Ok(Object::Array(rect)) = dict.get(b"MediaBox") {
                    let n: Vec<f64> = rect.iter().map(number).collect();
                    return (n[2] - n[0], n[3] - n[1]);
                }
                let parent = dict.get(b"Parent").and_then(Object::as_reference).expect("MediaBox in the page tree");
                dict = doc.get_dictionary(parent).unwrap();
            }
        })
        .collect()
}

/// The pixel sizes (width, height) of the raster images the document holds, in object order;
/// an image's alpha channel (its `SMask`, itself an image object) is not counted apart.
pub fn images(pdf: &Path) -> Vec<(i64, i64)> {
    let doc = load(pdf);
    let images: Vec<(ObjectId, &lopdf::Stream)> = doc
        .objects
        .iter()
        .filter_map(|(&id, o)| Some((id, o.as_stream().ok()?)))
        .filter(|(_, s)| s.dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Image"))
        .collect();
    let masks: Vec<ObjectId> =
        images.iter().filter_map(|(_, s)| s.dict.get(b"SMask").and_then(Object::as_reference).ok()).collect();
    images
        .iter()
        .filter(|(id, _)| !masks.contains(id))
        .filter_map(|(_, s)| {
            Some((s.dict.get(b"Width").ok()?.as_i64().ok()?, s.dict.get(b"Height").ok()?.as_i64().ok()?))
        })
        .collect()
}

/// The document information dictionary's `Title`, decoded.
pub fn title(pdf: &Path) -> Option<String> {
    let doc = load(pdf);
    let info = match doc.trailer.get(b"Info").ok()? {
        Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    lopdf::decode_text_string(info.get(b"Title").ok()?).ok()
}

/// The catalog's XMP metadata packet (`/Metadata`), as text.
pub fn xmp(pdf: &Path) -> Option<String> {
    let doc = load(pdf);
    let id = doc.catalog().ok()?.get(b"Metadata").ok()?.as_reference().ok()?;
    let stream = doc.get_object(id).ok()?.as_stream().ok()?;
    let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The part of `qpdf --check` a test can do in-process: every object the cross-reference
/// table lists is readable, and every page's content decodes and its text can be placed.
pub fn check_structure(pdf: &Path) {
    let doc = load(pdf);
    for &id in doc.objects.keys() {
        doc.get_object(id).unwrap_or_else(|e| panic!("{}: object {id:?} unreadable: {e}", pdf.display()));
    }
    for (page, &id) in &doc.get_pages() {
        page_text(&doc, id).unwrap_or_else(|e| panic!("{}: page {page}: {e}", pdf.display()));
    }
}

/// One font of a page: how its codes become text and how wide each glyph is.
struct Font<'a> {
    encoding: lopdf::Encoding<'a>,
    /// Bytes per code: 2 for Typst's Type0 (Identity-H) fonts, 1 for simple and Type 3 fonts.
    code_bytes: usize,
    /// Glyph widths in text space units per code, and the default.
    widths: BTreeMap<u32, f64>,
    default_width: f64,
}

impl<'a> Font<'a> {
    fn new(doc: &'a Document, dict: &'a Dictionary) -> Result<Self, String> {
        let encoding = dict.get_font_encoding(doc).map_err(|e| format!("font encoding: {e}"))?;
        let mut widths = BTreeMap::new();
        if dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Type0") {
            let descendant = match dict.get(b"DescendantFonts").map_err(|e| e.to_string())? {
                Object::Array(a) => a.first().cloned(),
                Object::Reference(id) => doc.get_object(*id).ok().and_then(|o| o.as_array().ok()?.first().cloned()),
                _ => None,
            };
            let descendant = match descendant {
                Some(Object::Reference(id)) => doc.get_dictionary(id).map_err(|e| e.to_string())?,
                _ => return Err("a Type0 font without a descendant font".into()),
            };
            let default_width = descendant.get(b"DW").map(number).unwrap_or(1000.0) / 1000.0;
            if let Ok(w) = descendant.get(b"W").and_then(|o| deref(doc, o).as_array()) {
                let mut i = 0;
                while i + 1 < w.len() {
                    let first = number(&w[i]) as u32;
                    match deref(doc, &w[i + 1]) {
                        Object::Array(list) => {
                            for (k, width) in list.iter().enumerate() {
                                widths.insert(first + k as u32, number(width) / 1000.0);
                            }
                            i += 2;
                        }
                        last => {
                            let width = number(&w[i + 2]) / 1000.0;
                            for code in first..=number(last) as u32 {
                                widths.insert(code, width);
                            }
                            i += 3;
                        }
                    }
                }
            }
            return Ok(Font { encoding, code_bytes: 2, widths, default_width });
        }
        // Simple and Type 3 fonts: Widths from FirstChar, in glyph space (FontMatrix for Type 3).
        let scale = match dict.get(b"FontMatrix").and_then(Object::as_array) {
            Ok(m) => number(&m[0]),
            Err(_) => 0.001,
        };
        let first = dict.get(b"FirstChar").map(number).unwrap_or(0.0) as u32;
        if let Ok(list) = dict.get(b"Widths").and_then(|o| deref(doc, o).as_array()) {
            for (k, width) in list.iter().enumerate() {
                widths.insert(first + k as u32, number(width) * scale);
            }
        }
        Ok(Font { encoding, code_bytes: 1, widths, default_width: 0.0 })
    }

    /// The text of a string and its width in text space units (before scaling by the size).
    fn show(&self, bytes: &[u8]) -> Result<(String, f64), String> {
        let text = self.encoding.bytes_to_string(bytes).map_err(|e| format!("text: {e}"))?;
        let width = bytes
            .chunks(self.code_bytes)
            .map(|c| c.iter().fold(0u32, |code, &b| code << 8 | u32::from(b)))
            .map(|code| self.widths.get(&code).copied().unwrap_or(self.default_width))
            .sum();
        Ok((text, width))
    }
}

/// A 2-D affine matrix `[a b c d e f]` as PDF writes it.
type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n` (PDF's order: a point is transformed by `m` first).
fn multiply(m: Matrix, n: Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn matrix(operands: &[Object]) -> Matrix {
    let n: Vec<f64> = operands.iter().map(number).collect();
    [n[0], n[1], n[2], n[3], n[4], n[5]]
}

/// Places the page's text runs into lines (see the module comment).
fn page_text(doc: &Document, page: ObjectId) -> Result<String, String> {
    // lopdf prefers a font's /Encoding to its ToUnicode map; Typst's Type 3 fonts (colour
    // emoji) carry both, and only the map gives the characters: read those without /Encoding.
    let mut dicts = Vec::new();
    for (name, dict) in doc.get_page_fonts(page).map_err(|e| e.to_string())? {
        let mut dict = dict.clone();
        if dict.has(b"ToUnicode") && dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s != b"Type0") {
            dict.remove(b"Encoding");
        }
        dicts.push((name, dict));
    }
    let mut fonts = BTreeMap::new();
    for (name, dict) in &dicts {
        fonts.insert(name.clone(), Font::new(doc, dict)?);
    }
    let data = doc.get_page_content(page).map_err(|e| format!("content: {e}"))?;
    let content = Content::decode(&data).map_err(|e| format!("content: {e}"))?;
    let mut out = String::new();
    let (mut stack, mut ctm) = (Vec::new(), IDENTITY);
    let (mut tm, mut line_start) = (IDENTITY, IDENTITY);
    let (mut font, mut size): (Option<&Font>, f64) = (None, 0.0);
    // The end of the last run: its device position and the baseline it sat on.
    let mut last: Option<(f64, f64)> = None;
    for op in &content.operations {
        let args = &op.operands;
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(IDENTITY),
            "cm" => ctm = multiply(matrix(args), ctm),
            "BT" => (tm, line_start) = (IDENTITY, IDENTITY),
            "Tm" => (tm, line_start) = (matrix(args), matrix(args)),
            "Td" | "TD" => {
                line_start = multiply([1.0, 0.0, 0.0, 1.0, number(&args[0]), number(&args[1])], line_start);
                tm = line_start;
            }
            "Tf" => {
                let name = args[0].as_name().map_err(|e| e.to_string())?;
                font = fonts.get(name);
                size = number(&args[1]);
            }
            "Tj" | "TJ" => {
                let Some(font) = font else { return Err("text shown without a font".into()) };
                let start = multiply(tm, ctm);
                let (x, y) = (start[4], start[5]);
                let height = (size * (start[2].powi(2) + start[3].powi(2)).sqrt()).max(1.0);
                // The same baseline: a space where the gap is a word gap; else a new line.
                match last {
                    Some((end_x, end_y)) if (y - end_y).abs() < 0.3 * height => {
                        let word_gap = x - end_x > 0.15 * height;
                        if word_gap && !out.ends_with(' ') {
                            out.push(' ');
                        }
                    }
                    Some(_) => out.push('\n'),
                    None => {}
                }
                let mut advance = 0.0;
                let items: &[Object] = match &args[0] {
                    Object::Array(items) => items,
                    _ => args,
                };
                for item in items {
                    match item {
                        Object::String(bytes, _) => {
                            let (text, width) = font.show(bytes)?;
                            out.push_str(&text);
                            advance += width * size;
                        }
                        adjust => {
                            let shift = -number(adjust) / 1000.0 * size;
                            if shift > 0.15 * size && !out.ends_with(' ') {
                                out.push(' ');
                            }
                            advance += shift;
                        }
                    }
                }
                tm = multiply([1.0, 0.0, 0.0, 1.0, advance, 0.0], tm);
                let end = multiply(tm, ctm);
                last = Some((end[4], y));
            }
            _ => {}
        }
    }
    Ok(out)
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(object),
        _ => object,
    }
}

fn number(object: &Object) -> f64 {
    match object {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => f64::from(*r),
        _ => 0.0,
    }
}

#[test]
fn matrices_compose_in_pdf_order() {
    // Scale by 2, then move by (10, 5): the origin lands at (10, 5), (1, 0) at (12, 5).
    let m = multiply([2.0, 0.0, 0.0, 2.0, 0.0, 0.0], [1.0, 0.0, 0.0, 1.0, 10.0, 5.0]);
    assert_eq!(m, [2.0, 0.0, 0.0, 2.0, 10.0, 5.0]);
    let flipped = multiply([1.0, 0.0, 0.0, -1.0, 0.0, 0.0], [1.0, 0.0, 0.0, -1.0, 70.0, 692.0]);
    assert_eq!(flipped, [1.0, 0.0, 0.0, 1.0, 70.0, 692.0]);
}
