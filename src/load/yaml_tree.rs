//! The shape of a YAML text with the place of every node, read from the parser's events: which
//! node an error points at and which characters to blank to take its entry out (yaml_mask.rs).
//! Aliases stay one node (`*name`) and are never expanded, so building is linear in the text.

use granit_parser::{Event, Parser, StructureStyle};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Scalar,
    Sequence,
    Mapping,
}

#[derive(Debug)]
pub(super) struct Node {
    pub kind: Kind,
    pub flow: bool,
    /// Characters (not bytes) from the start of the text: start inclusive, end exclusive.
    pub start: usize,
    pub end: usize,
    /// 1-based, as serde-saphyr reports errors.
    pub line: u32,
    pub column: u32,
    /// The collection that holds this node.
    pub parent: Option<usize>,
    /// True for a mapping's key.
    pub is_key: bool,
    /// For a mapping's value: its key node.
    pub key: Option<usize>,
    /// A key's text (plain keys only), to tell which fields masking took out of a mapping.
    pub text: Option<String>,
    /// Items of a sequence; keys and values alternating in a mapping.
    pub children: Vec<usize>,
    /// This node's place in its parent's `children`.
    pub slot: usize,
    /// The last node under this one (nodes are in text order: a subtree is a range).
    pub last: usize,
}

#[derive(Debug)]
pub(super) struct Tree {
    pub nodes: Vec<Node>,
    /// The text uses aliases (`*name`).
    pub aliases: bool,
}

impl Tree {
    /// `None` when the text is not one readable YAML document (that error is reported as
    /// it is; nothing can be masked).
    pub fn build(text: &str) -> Option<Tree> {
        let mut parser = Parser::new_from_str(text);
        let mut nodes: Vec<Node> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        let mut documents = 0;
        let mut aliases = false;
        while let Some(event) = parser.next_event() {
            let (event, span) = event.ok()?;
            aliases |= matches!(event, Event::Alias(_));
            let (kind, flow) = match event {
                Event::Scalar(..) | Event::Alias(_) => (Kind::Scalar, false),
                Event::SequenceStart(style, ..) => (Kind::Sequence, style == StructureStyle::Flow),
                Event::MappingStart(style, ..) => (Kind::Mapping, style == StructureStyle::Flow),
                Event::SequenceEnd | Event::MappingEnd => {
                    let index = open.pop()?;
                    nodes[index].last = nodes.len() - 1;
                    let node = &nodes[index];
                    // A block collection ends where its last entry does; its end event sits at
                    // the next token, maybe lines further on.
                    let end = if node.flow {
                        span.end.index()
                    } else {
                        node.children.last().map_or(node.start, |&c| nodes[c].end)
                    };
                    nodes[index].end = end;
                    continue;
                }
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents > 1 {
                        return None;
                    }
                    continue;
                }
                _ => continue,
            };
            let index = nodes.len();
            let parent = open.last().copied();
            let slot = parent.map_or(0, |p| nodes[p].children.len());
            let (is_key, key) = match parent {
                Some(p) if nodes[p].kind == Kind::Mapping => {
                    let siblings = &nodes[p].children;
                    if siblings.len().is_multiple_of(2) { (true, None) } else { (false, siblings.last().copied()) }
                }
                _ => (false, None),
            };
            let text = match (&event, is_key) {
                (Event::Scalar(value, ..), true) => Some(value.to_string()),
                _ => None,
            };
            nodes.push(Node {
                kind,
                flow,
                start: span.start.index(),
                end: span.end.index(),
                line: span.start.line() as u32,
                column: span.start.col() as u32 + 1,
                parent,
                is_key,
                key,
                text,
                children: Vec::new(),
                slot,
                last: index,
            });
            if let Some(p) = parent {
                nodes[p].children.push(index);
            }
            if kind != Kind::Scalar {
                open.push(index);
            }
        }
        open.is_empty().then_some(Tree { nodes, aliases })
    }

    /// The nodes that start at (line, column), outermost first.
    pub fn at(&self, line: u32, column: u32) -> Vec<usize> {
        let mut found: Vec<usize> =
            (0..self.nodes.len()).filter(|&i| self.nodes[i].line == line && self.nodes[i].column == column).collect();
        found.sort_by_key(|&i| self.depth(i));
        found
    }

    fn depth(&self, mut i: usize) -> usize {
        let mut depth = 0;
        while let Some(p) = self.nodes[i].parent {
            depth += 1;
            i = p;
        }
        depth
    }

    /// The mapping serde means by a missing field at (line, column): it reports it at the
    /// mapping's last key.
    pub fn mapping_around(&self, line: u32, column: u32) -> Option<usize> {
        let inner = *self.at(line, column).last()?;
        let n = &self.nodes[inner];
        if n.kind == Kind::Mapping {
            return Some(inner);
        }
        n.parent.filter(|&p| self.nodes[p].kind == Kind::Mapping)
    }

    /// The entry a node belongs to, as the node that stands for it in its collection: the
    /// value of a mapping entry (for a key or a value) or the sequence item.
    pub fn entry_of(&self, node: usize) -> usize {
        let n = &self.nodes[node];
        match n.parent {
            Some(p) if n.is_key => self.nodes[p].children.get(n.slot + 1).copied().unwrap_or(node),
            _ => node,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_block_flow_and_empty_values() {
        let text = "a: 1\nb:\n  - x\n  - {c: 2, d: [3]}\ne:\nf: |\n  line\n  two\ng: h\n";
        let tree = Tree::build(text).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let slice = |i: usize| chars[tree.nodes[i].start..tree.nodes[i].end].iter().collect::<String>();
        // The root mapping; the block sequence under `b` ends with its last item.
        let seq = tree.at(3, 3)[0];
        assert_eq!(tree.nodes[seq].kind, Kind::Sequence);
        assert_eq!(slice(seq), "- x\n  - {c: 2, d: [3]}");
        let flow = tree.at(4, 5)[0];
        assert_eq!(slice(flow), "{c: 2, d: [3]}");
        // `e:` has an empty value, at the colon.
        let e_value = tree.entry_of(tree.at(5, 1)[0]);
        assert_eq!(tree.nodes[e_value].end, tree.nodes[e_value].start);
        // A block scalar's span covers its lines (not its `|`, which stays between key and text).
        let f_value = tree.entry_of(tree.at(6, 1)[0]);
        assert_eq!(slice(f_value), "line\n  two\n");
        assert_eq!(tree.mapping_around(4, 12), Some(flow));
        assert_eq!(tree.nodes[tree.at(9, 1)[0]].text.as_deref(), Some("g"));
    }

    #[test]
    fn not_yaml_or_several_documents_gives_no_tree() {
        assert!(Tree::build("a: [1, 2\n").is_none());
        assert!(Tree::build("a: 1\n---\nb: 2\n").is_none());
    }
}
