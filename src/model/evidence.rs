//! Bukti dukung entries (contract §7.1) and the workspace's OPD list (`indicators/opd.yaml`).
//!
//! An evidence entry is either plain text — a document named, not yet filed — or a mapping that
//! files it (`file:` under `evidence/`), links it (`url:`), or at least says who owes it (`opd:`).
//! The two shapes are told apart by hand rather than with `#[serde(untagged)]`: an untagged enum
//! buffers the value, which loses the spans of `file:` and `opd:` and turns a typo such as `fiel:`
//! into "data did not match any variant" instead of "unknown key, did you mean `file`".

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::Sp;

/// One bukti dukung entry.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Evidence {
    /// A document named, not yet filed: `"Perwali No. 12 Tahun 2022 tentang Masterplan"`.
    Named(String),
    /// A document filed under `evidence/`, published at a `url`, or described with who owes it.
    Document(Box<Document>),
}

/// A described document. At least one of `file`, `url` or `title` is required.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("anyOf" = [{"required": ["file"]}, {"required": ["url"]}, {"required": ["title"]}]))]
pub struct Document {
    /// The filed document: a path under `evidence/`, written from the workspace folder
    /// (`evidence/baseline/perwali-masterplan.pdf`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<Sp<String>>,
    /// Where the document is published (`https://…`), instead of or besides a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Sp<String>>,
    /// The document's title as an assessor reads it (default: the file name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Who is responsible for it: an OPD id from `indicators/opd.yaml`, or a plain name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opd: Option<Sp<String>>,
    /// The document's own date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Sp<String>>,
    /// The pages that matter, as written (`12`, `"3-5, 9"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<Pages>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Pages: a number or text such as `"3-5, 9"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Pages {
    Count(u32),
    Text(String),
}

impl fmt::Display for Pages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pages::Count(n) => write!(f, "{n}"),
            Pages::Text(t) => f.write_str(t),
        }
    }
}

impl Evidence {
    /// The filed document's path as written, if any.
    pub fn file(&self) -> Option<&Sp<String>> {
        match self {
            Evidence::Named(_) => None,
            Evidence::Document(d) => d.file.as_ref(),
        }
    }

    pub fn document(&self) -> Option<&Document> {
        match self {
            Evidence::Named(_) => None,
            Evidence::Document(d) => Some(d),
        }
    }

    /// What a person reads: the text, the title, else the file's name, else the url.
    pub fn label(&self) -> String {
        match self {
            Evidence::Named(text) => text.clone(),
            Evidence::Document(d) => d
                .title
                .clone()
                .or_else(|| d.file.as_ref().map(|f| f.value.rsplit('/').next().unwrap_or(&f.value).to_string()))
                .or_else(|| d.url.as_ref().map(|u| u.value.clone()))
                .unwrap_or_default(),
        }
    }
}

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EvidenceVisitor;

        impl<'de> Visitor<'de> for EvidenceVisitor {
            type Value = Evidence;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a document's name (text) or a mapping with `file`, `url` or `title`")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Evidence, E> {
                Ok(Evidence::Named(v.to_string()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Evidence, E> {
                Ok(Evidence::Named(v))
            }

            // A plain scalar that YAML reads as a number or a boolean (`- 2023`) is still a name.
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Evidence, E> {
                Ok(Evidence::Named(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Evidence, E> {
                Ok(Evidence::Named(v.to_string()))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Evidence, E> {
                Ok(Evidence::Named(v.to_string()))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Evidence, A::Error> {
                let document = Document::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Evidence::Document(Box::new(document)))
            }
        }

        deserializer.deserialize_any(EvidenceVisitor)
    }
}

/// `indicators/opd.yaml`: the agencies (Organisasi Perangkat Daerah) that programs and evidence
/// name by id.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpdList {
    pub opd: Vec<Opd>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Opd {
    /// Short id, a slug: `diskominfo`.
    pub id: Sp<String>,
    /// Full name: `Dinas Komunikasi, Informatika dan Persandian Kota Ambon`.
    pub name: String,
    /// Who to ask for the documents (a person, a phone, an e-mail), as the coordinator writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse;
    use std::path::Path;

    #[derive(Debug, Deserialize)]
    struct Holder {
        evidence: Vec<Sp<Evidence>>,
    }

    #[test]
    fn both_shapes_parse_with_spans() {
        let text = "evidence:\n  - Perwali tentang Masterplan\n  - file: evidence/a.pdf\n    opd: diskominfo\n    pages: 3\n  - {title: Notulen, pages: \"3-5\", date: 2023-05-02}\n  - 2023\n";
        let h: Holder = parse(text, Path::new("x.yaml")).unwrap();
        assert_eq!(h.evidence.len(), 4);
        assert!(matches!(&h.evidence[0].value, Evidence::Named(t) if t == "Perwali tentang Masterplan"));
        let d = h.evidence[1].document().unwrap();
        let file = d.file.as_ref().unwrap();
        assert_eq!((file.value.as_str(), file.line, file.column), ("evidence/a.pdf", 3, 11));
        assert_eq!(d.opd.as_ref().unwrap().line, 4);
        assert_eq!(d.pages, Some(Pages::Count(3)));
        assert_eq!(h.evidence[1].line, 3);
        let d = h.evidence[2].document().unwrap();
        assert_eq!(d.pages, Some(Pages::Text("3-5".into())));
        assert_eq!(d.date.as_ref().unwrap().value, "2023-05-02");
        assert_eq!(h.evidence[2].label(), "Notulen");
        assert!(matches!(&h.evidence[3].value, Evidence::Named(t) if t == "2023"));
    }

    #[test]
    fn a_typo_in_a_document_key_is_an_unknown_key_with_its_place() {
        let text = "evidence:\n  - fiel: evidence/a.pdf\n";
        let d = parse::<Holder>(text, Path::new("x.yaml")).unwrap_err();
        assert_eq!(d.code, "unknown-key", "{d:?}");
        assert_eq!(d.location.as_ref().and_then(|l| l.line), Some(2), "{d:?}");
        assert!(d.help.as_deref().unwrap_or("").contains("`file`"), "{d:?}");
    }

    #[test]
    fn a_list_is_not_an_entry() {
        let text = "evidence:\n  - [a, b]\n";
        let d = parse::<Holder>(text, Path::new("x.yaml")).unwrap_err();
        assert_eq!(d.location.as_ref().and_then(|l| l.line), Some(2), "{d:?}");
    }
}
