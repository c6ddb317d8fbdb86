//! Reading on after a YAML error (ADR 13): the entry an error points at is blanked out of a
//! copy of the text, with spaces so every other line and column stays where it was, and the
//! copy is parsed again. Which entry, and whether the next error is only a consequence of the
//! blanking (a required key that was taken out), is decided here.

use std::collections::HashMap;

use super::yaml_tree::{Kind, Tree};
use crate::diagnostic::suggest;

/// What a typed-parse error says is wrong, as far as masking cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Fault {
    /// An unknown or repeated key: its entry goes.
    Key,
    /// A scalar that does not read as the type (a number, a word of a list): its entry goes.
    Scalar,
    /// A value of the wrong shape (a text where a list belongs): the outermost node that
    /// starts there, with its entry.
    Shape,
    /// A required field is absent from the mapping around the place.
    Missing(String),
}

impl Fault {
    /// `None` for errors that are not about one value (syntax, limits, anything unknown):
    /// reading stops there.
    pub fn of(message: &str) -> Option<Fault> {
        if let Some(rest) = message.strip_prefix("missing field ") {
            return Some(Fault::Missing(rest.trim_matches('`').to_string()));
        }
        if message.starts_with("unknown field") || message.starts_with("duplicate mapping key") {
            return Some(Fault::Key);
        }
        let scalar = ["invalid floating point", "invalid boolean", "unknown variant", "invalid value"];
        let whole = message.starts_with("invalid i") && message != "invalid indentation";
        if whole || message.starts_with("invalid u") || scalar.iter().any(|s| message.starts_with(s)) {
            return Some(Fault::Scalar);
        }
        let shape = [
            "expected mapping start",
            "expected sequence start",
            "expected string scalar",
            "externally tagged enum expected scalar",
            "invalid type",
            "invalid length",
        ];
        shape.iter().any(|s| message.starts_with(s)).then_some(Fault::Shape)
    }
}

pub(super) struct Mask<'t> {
    tree: &'t Tree,
    chars: Vec<char>,
    /// Entries taken out, by the node that stands for them (a mapping's value, a sequence item).
    gone: Vec<bool>,
    /// Nodes inside an entry taken out (its key, its value, anything under them).
    dead: Vec<bool>,
    /// Keys taken out of each mapping: a later "missing field" for one of them is their echo.
    taken: HashMap<usize, Vec<String>>,
}

impl<'t> Mask<'t> {
    pub fn new(text: &str, tree: &'t Tree) -> Mask<'t> {
        Mask {
            tree,
            chars: text.chars().collect(),
            gone: vec![false; tree.nodes.len()],
            dead: vec![false; tree.nodes.len()],
            taken: HashMap::new(),
        }
    }

    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// Whether the error only echoes an earlier masking: "missing field" for a key that was
    /// taken out of that very mapping.
    /// A key taken out as unknown counts when it is a near miss of the field (`nama` for
    /// `name`): its report already says "did you mean `name`".
    pub fn echoes(&self, fault: &Fault, line: u32, column: u32) -> bool {
        let Fault::Missing(field) = fault else { return false };
        let mapping = self.tree.mapping_around(line, column);
        mapping
            .and_then(|m| self.taken.get(&m))
            .is_some_and(|keys| keys.contains(field) || suggest(field, keys.iter().map(String::as_str)).is_some())
    }

    /// Whether `masked` (this mask's text, parsed) has exactly the nodes of the original that
    /// were not taken out, at the same places: blanking changed nothing else, so what the
    /// parser says about it next is about text the user wrote.
    pub fn kept_shape(&self, masked: &Tree) -> bool {
        let tree = self.tree;
        let mut kept = (0..tree.nodes.len()).filter(|&i| !self.dead[i]);
        // Original node of each masked one, to compare parents.
        let mut original: Vec<usize> = Vec::with_capacity(masked.nodes.len());
        for m in &masked.nodes {
            let Some(i) = kept.next() else { return false };
            let n = &tree.nodes[i];
            let parent = m.parent.map(|p| original[p]);
            // A collection that lost its first entries starts later; scalars never move.
            let scalar_same = n.kind != Kind::Scalar || (n.start == m.start && n.end == m.end);
            if n.kind != m.kind || n.is_key != m.is_key || parent != n.parent || !scalar_same {
                return false;
            }
            original.push(i);
        }
        kept.next().is_none()
    }

    /// Takes out the entry the error at (line, column) points at. `None` when nothing can be
    /// taken out: the error is about the whole document, or the text is too unusual to blank
    /// safely.
    pub fn take_out(&mut self, fault: &Fault, line: u32, column: u32) -> Option<()> {
        let tree = self.tree;
        let node = match fault {
            // The mapping cannot be built without the key: it goes as a whole.
            Fault::Missing(_) => tree.mapping_around(line, column)?,
            Fault::Key => tree.entry_of(tree.at(line, column).into_iter().rev().find(|&n| tree.nodes[n].is_key)?),
            Fault::Scalar => tree.entry_of(*tree.at(line, column).last()?),
            Fault::Shape => tree.entry_of(*tree.at(line, column).first()?),
        };
        self.remove(node)
    }

    /// Blanks one entry; a collection left empty goes too (an empty block collection would
    /// read as null, a new error the user never wrote).
    fn remove(&mut self, node: usize) -> Option<()> {
        let tree = self.tree;
        let parent = tree.nodes[node].parent?;
        if self.gone[node] {
            return None;
        }
        let ranges = self.ranges(node, parent)?;
        for (start, end) in ranges {
            for c in &mut self.chars[start..end] {
                if *c != '\n' && *c != '\r' {
                    *c = ' ';
                }
            }
        }
        self.gone[node] = true;
        let n = &tree.nodes[node];
        // The key comes right before its value in text order.
        self.dead[n.key.unwrap_or(node)..=n.last].fill(true);
        if let Some(key) = tree.nodes[node].key.and_then(|k| tree.nodes[k].text.clone()) {
            self.taken.entry(parent).or_default().push(key);
        }
        let p = &tree.nodes[parent];
        let entries: Vec<usize> = match p.kind {
            Kind::Mapping => p.children.iter().skip(1).step_by(2).copied().collect(),
            _ => p.children.clone(),
        };
        if entries.iter().all(|&e| self.gone[e]) {
            return self.remove(parent);
        }
        Some(())
    }

    /// The characters that make up the entry of `node` in `parent`.
    fn ranges(&self, node: usize, parent: usize) -> Option<Vec<(usize, usize)>> {
        let tree = self.tree;
        let (n, p) = (&tree.nodes[node], &tree.nodes[parent]);
        let (start, end) = match (p.kind, p.flow) {
            (Kind::Mapping, flow) => {
                let key = &tree.nodes[n.key?];
                let before = self.before(key.start);
                // Only plain `key: value` lines and `{a: 1, b: 2}` entries: anything before the
                // key (an anchor, a tag, `?`) would be left dangling.
                let fits = if flow { matches!(before, Some('{' | ',')) } else { self.line_prefix_ok(key.start) };
                if !fits {
                    return None;
                }
                // An empty value sits at its colon, which goes too (in `{a, b}` it sits at
                // the comma, which is the separator's business).
                let colon = self.chars.get(n.start) == Some(&':');
                (key.start, if colon { n.end.max(n.start + 1) } else { n.end.max(key.end) })
            }
            (Kind::Sequence, true) => {
                if !matches!(self.before(n.start), Some('[' | ',')) {
                    return None;
                }
                (n.start, n.end.max(n.start + 1))
            }
            (Kind::Sequence, false) => {
                let dash = self.dash_before(n.start)?;
                (dash, n.end.max(dash + 1))
            }
            (Kind::Scalar, _) => return None,
        };
        let mut ranges = vec![(start, end)];
        if p.flow {
            // `[a, b, c]` without `b` is `[a, c]`: the comma after it goes, or the one before
            // the last entry.
            ranges.push(self.comma_after(end).or_else(|| self.comma_before(start))?);
        }
        Some(ranges)
    }

    /// The character before `at`, skipping whitespace and line breaks.
    fn before(&self, at: usize) -> Option<char> {
        self.chars[..at].iter().rev().find(|c| !c.is_whitespace()).copied()
    }

    /// Only indentation and sequence dashes precede the key on its line.
    fn line_prefix_ok(&self, at: usize) -> bool {
        self.chars[..at].iter().rev().take_while(|&&c| c != '\n').all(|&c| c == ' ' || c == '-')
    }

    /// The `-` that introduces a block sequence item starting at `at`. Between them only
    /// whitespace, an anchor or tag, or a block scalar header (`|`, `>-`) may stand.
    fn dash_before(&self, at: usize) -> Option<usize> {
        let mut i = at;
        for _ in 0..4 {
            while i > 0 && self.chars[i - 1].is_whitespace() {
                i -= 1;
            }
            let token_end = i;
            while i > 0 && !self.chars[i - 1].is_whitespace() {
                i -= 1;
            }
            let token: String = self.chars[i..token_end].iter().collect();
            if token == "-" {
                return Some(i);
            }
            let property = token.starts_with('&') || token.starts_with('!');
            let header = token.starts_with(['|', '>'])
                && token.chars().skip(1).all(|c| c == '-' || c == '+' || c.is_ascii_digit());
            if !(property || header) || token.is_empty() {
                return None;
            }
        }
        None
    }

    fn comma_after(&self, at: usize) -> Option<(usize, usize)> {
        let offset = self.chars[at..].iter().position(|c| !c.is_whitespace())?;
        (self.chars[at + offset] == ',').then_some((at + offset, at + offset + 1))
    }

    fn comma_before(&self, at: usize) -> Option<(usize, usize)> {
        let i = self.chars[..at].iter().rposition(|c| !c.is_whitespace())?;
        match self.chars[i] {
            ',' => Some((i, i + 1)),
            // The only entry left: nothing to take.
            '[' | '{' => Some((at, at)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str, steps: &[(Fault, u32, u32)]) -> Option<String> {
        let tree = Tree::build(text).unwrap();
        let mut mask = Mask::new(text, &tree);
        for (fault, line, column) in steps {
            mask.take_out(fault, *line, *column)?;
        }
        Some(mask.text())
    }

    #[test]
    fn a_key_goes_with_its_value_and_positions_stay() {
        let text = "a: 1\nskor: 3,5\nb: [x]\n";
        assert_eq!(masked(text, &[(Fault::Key, 2, 1)]).unwrap(), "a: 1\n         \nb: [x]\n");
    }

    #[test]
    fn flow_entries_take_a_comma_with_them() {
        let text = "t: {2023: 5x, 2024: 6}\nl: [a, b, c]\n";
        assert_eq!(masked(text, &[(Fault::Scalar, 1, 11)]).unwrap(), "t: {          2024: 6}\nl: [a, b, c]\n");
        assert_eq!(masked(text, &[(Fault::Scalar, 2, 11)]).unwrap(), "t: {2023: 5x, 2024: 6}\nl: [a, b   ]\n");
        assert_eq!(masked(text, &[(Fault::Scalar, 2, 8)]).unwrap(), "t: {2023: 5x, 2024: 6}\nl: [a,    c]\n");
    }

    #[test]
    fn block_items_lose_their_dash_and_an_emptied_list_its_key() {
        let text = "a:\n  - x\n  - |\n    text\nb: 1\n";
        assert_eq!(masked(text, &[(Fault::Scalar, 4, 5)]).unwrap(), "a:\n  - x\n     \n        \nb: 1\n");
        let emptied = masked(text, &[(Fault::Scalar, 2, 5), (Fault::Scalar, 4, 5)]).unwrap();
        assert_eq!(emptied, "  \n     \n     \n        \nb: 1\n");
    }

    #[test]
    fn a_missing_field_the_mask_took_is_an_echo_and_takes_the_item() {
        let text = "items:\n  - id: a\n    direction: keatas\n    unit: u\n  - id: b\nname: x\n";
        let tree = Tree::build(text).unwrap();
        let mut mask = Mask::new(text, &tree);
        assert_eq!(mask.take_out(&Fault::Scalar, 3, 16), Some(()));
        // serde reports the missing field at the mapping's last key.
        let direction = Fault::Missing("direction".into());
        assert!(mask.echoes(&direction, 4, 5));
        assert!(!mask.echoes(&Fault::Missing("unit".into()), 4, 5));
        assert_eq!(mask.take_out(&direction, 4, 5), Some(()));
        let blank = |n: usize| " ".repeat(n);
        assert_eq!(mask.text(), format!("items:\n{}\n{}\n{}\n  - id: b\nname: x\n", blank(9), blank(21), blank(11)));
        // A field nobody took out is a real error, and its mapping goes too.
        let name = Fault::Missing("name".into());
        assert!(!mask.echoes(&name, 5, 5));
        assert_eq!(mask.take_out(&name, 5, 5), Some(()));
    }

    #[test]
    fn the_whole_document_cannot_be_taken_out() {
        assert_eq!(masked("a: 1\n", &[(Fault::Shape, 1, 1)]), None);
        // Its last entry neither: the document would be empty.
        assert_eq!(masked("a: 1\n", &[(Fault::Key, 1, 1)]), None);
        // An anchored key is left alone.
        assert_eq!(masked("&k a: 1\nb: 2\n", &[(Fault::Key, 1, 4)]), None);
    }

    #[test]
    fn faults_are_read_from_the_messages() {
        assert_eq!(Fault::of("missing field `end`"), Some(Fault::Missing("end".into())));
        assert_eq!(Fault::of("unknown field `skor`, expected one of score"), Some(Fault::Key));
        assert_eq!(Fault::of("invalid floating point"), Some(Fault::Scalar));
        assert_eq!(Fault::of("invalid i32"), Some(Fault::Scalar));
        assert_eq!(Fault::of("expected sequence start"), Some(Fault::Shape));
        assert_eq!(Fault::of("invalid indentation"), None);
        assert_eq!(Fault::of("did not find expected key"), None);
    }
}
