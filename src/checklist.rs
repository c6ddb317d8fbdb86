//! The bukti dukung checklist (`smartcity-eval evidence`): for each question of the year's
//! instrument its score, its documents with their status (filed / linked / named / missing)
//! and who owes them, with coverage per aspect and per OPD. `--format json` prints this value;
//! the terminal table and the xlsx are made from it.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::evaluation::{Evaluation, QuestionScore, ScoreStatus};
use crate::evidence::{DocStatus, Entry, Owner, Resolver, entries};
use crate::load::LoadedWorkspace;

/// The key of documents and questions no OPD answers for.
pub const NO_OPD: &str = "-";

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Checklist {
    pub city: String,
    pub city_slug: String,
    pub year: i32,
    pub instrument: String,
    /// The evaluation date in city.yaml, `YYYY-MM-DD`.
    pub evaluation_date: Option<String>,
    /// `--opd`: only this OPD's questions and documents. A question's `standing` stays the
    /// question's own (another OPD's filed document counts).
    pub opd_filter: Option<OpdRef>,
    pub questions: Vec<QuestionEvidence>,
    pub programs: Vec<ProgramEvidence>,
    /// Questions: over the questions shown; documents: theirs and the programs'.
    pub totals: Coverage,
    pub aspects: Vec<AspectCoverage>,
    pub opds: Vec<OpdCoverage>,
}

/// An OPD as written or as listed in `indicators/opd.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct OpdRef {
    /// The id in `indicators/opd.yaml`, or the name as written when the list does not know it,
    /// or `-` for "no OPD named".
    pub key: String,
    /// The list's name, or what was written.
    pub name: String,
    /// From `indicators/opd.yaml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// How a question stands: `filed` (at least one document filed or linked), `named` (documents
/// named but none filed), `none` (a manual score without any document: bukti dukung owed),
/// `derived` (a score derived from data, without any document: its data is its support, no
/// document is owed), `unanswered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    Filed,
    Named,
    None,
    Derived,
    Unanswered,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QuestionEvidence {
    pub id: String,
    /// As printed (repeats across indicators: tell questions apart by `label`).
    pub number: String,
    /// `number indicator — text`, as every output names a question.
    pub label: String,
    pub aspect: String,
    pub aspect_name: String,
    pub indicator: String,
    pub indicator_name: String,
    pub text: String,
    pub status: ScoreStatus,
    pub score: Option<f64>,
    pub score_display: Option<String>,
    pub standing: Standing,
    /// Who answers for it: the answer's `opd`, then each document's.
    pub opd: Vec<OpdRef>,
    /// The answer's own `opd`, if it names one.
    pub answer_opd: Option<OpdRef>,
    pub documents: Vec<DocumentEvidence>,
    /// `file:line` of the answer.
    pub origin: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DocumentEvidence {
    /// The text, the title, else the file's name, else the url.
    pub title: String,
    pub status: DocStatus,
    pub file: Option<String>,
    pub url: Option<String>,
    /// Who owes it: its own `opd`, else the answer's (the program's).
    pub opd: OpdRef,
    pub date: Option<String>,
    pub pages: Option<String>,
    pub note: Option<String>,
    /// `file:line` of the entry.
    pub origin: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProgramEvidence {
    pub id: String,
    pub name: String,
    pub opd: OpdRef,
    pub documents: Vec<DocumentEvidence>,
}

/// Counts: questions by standing, documents by status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Coverage {
    /// Answered questions (manual or derived).
    pub answered: usize,
    /// Answered, with at least one document filed or linked.
    pub filed: usize,
    /// Answered, with documents named but none filed or linked.
    pub named: usize,
    /// Answered with a manual score, without any document (bukti dukung owed).
    pub none: usize,
    /// Derived from data, without any document (none owed).
    pub derived: usize,
    pub unanswered: usize,
    /// Documents by status.
    pub documents_filed: usize,
    pub documents_linked: usize,
    pub documents_named: usize,
    pub documents_missing: usize,
}

impl Coverage {
    fn add_question(&mut self, standing: Standing) {
        match standing {
            Standing::Unanswered => self.unanswered += 1,
            answered => {
                self.answered += 1;
                match answered {
                    Standing::Filed => self.filed += 1,
                    Standing::Named => self.named += 1,
                    Standing::Derived => self.derived += 1,
                    _ => self.none += 1,
                }
            }
        }
    }

    fn add_document(&mut self, status: DocStatus) {
        match status {
            DocStatus::Filed => self.documents_filed += 1,
            DocStatus::Linked => self.documents_linked += 1,
            DocStatus::Named => self.documents_named += 1,
            DocStatus::Missing => self.documents_missing += 1,
        }
    }

    /// Documents still owed: named only, or missing.
    pub fn owed(&self) -> usize {
        self.documents_named + self.documents_missing
    }

    /// Share of the answered questions that owe a document (all but `derived` ones without any)
    /// with a filed (or linked) one, 0–1; `None` when none owes one.
    pub fn share_filed(&self) -> Option<f64> {
        let owing = self.answered - self.derived;
        (owing > 0).then(|| self.filed as f64 / owing as f64)
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AspectCoverage {
    pub id: String,
    pub name: String,
    pub questions: usize,
    #[serde(flatten)]
    pub coverage: Coverage,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct OpdCoverage {
    pub opd: OpdRef,
    /// Questions this OPD answers for (by the answer's `opd` or a document's).
    pub questions: usize,
    /// Over those questions; documents are the ones this OPD owes (programs' included).
    #[serde(flatten)]
    pub coverage: Coverage,
}

/// The OPD reference for what was written (`None`: nothing written).
pub fn opd_ref(ws: &LoadedWorkspace, written: Option<&str>) -> OpdRef {
    let Some(written) = written.map(str::trim).filter(|w| !w.is_empty()) else {
        return OpdRef { key: NO_OPD.into(), name: String::new(), contact: None };
    };
    match ws.opd(written) {
        Some(o) => OpdRef { key: o.id.value.clone(), name: o.name.clone(), contact: o.contact.clone() },
        None => OpdRef { key: written.to_string(), name: written.to_string(), contact: None },
    }
}

fn document(ws: &LoadedWorkspace, resolver: &mut Resolver, entry: &Entry<'_>) -> DocumentEvidence {
    let item = &entry.item.value;
    let doc = item.document();
    DocumentEvidence {
        title: item.label(),
        status: resolver.status(item),
        file: doc.and_then(|d| d.file.as_ref()).map(|f| crate::evidence::normalized(&f.value)),
        url: doc.and_then(|d| d.url.as_ref()).map(|u| u.value.clone()),
        opd: opd_ref(ws, entry.opd().map(|o| o.value.as_str())),
        date: doc.and_then(|d| d.date.as_ref()).map(|d| d.value.clone()),
        pages: doc.and_then(|d| d.pages.as_ref()).map(ToString::to_string),
        note: doc.and_then(|d| d.note.clone()),
        origin: format!("{}:{}", entry.yaml.display(), entry.item.line),
    }
}

fn standing(q: &QuestionScore, documents: &[DocumentEvidence]) -> Standing {
    if !matches!(q.status, ScoreStatus::Manual | ScoreStatus::Derived) {
        Standing::Unanswered
    } else if documents.iter().any(|d| matches!(d.status, DocStatus::Filed | DocStatus::Linked)) {
        Standing::Filed
    } else if !documents.is_empty() {
        Standing::Named
    } else if crate::score::card::owes_evidence(q) {
        Standing::None
    } else {
        Standing::Derived
    }
}

/// The checklist of `evaluation.year`, for every OPD or only `opd` (a key from `opd_ref`).
pub fn checklist(ws: &LoadedWorkspace, evaluation: &Evaluation, opd: Option<&OpdRef>) -> Checklist {
    let mut resolver = Resolver::new(&ws.workspace.root);
    let all = entries(ws);
    let answers = ws.assessment(evaluation.year);
    let aspect_names: BTreeMap<&str, &str> =
        evaluation.scorecard.aspects.iter().map(|a| (a.id.as_str(), a.name.as_str())).collect();
    let mut questions = Vec::new();
    for q in &evaluation.scorecard.questions {
        let answer = answers.and_then(|a| a.value.answers.iter().find(|(k, _)| k.value == q.id)).map(|(_, a)| a);
        let own_opd = answer.and_then(|a| a.opd.as_ref()).map(|o| opd_ref(ws, Some(&o.value)));
        let documents: Vec<DocumentEvidence> = all
            .iter()
            .filter(
                |e| matches!(e.owner, Owner::Answer { year, question } if year == evaluation.year && question == q.id),
            )
            .map(|e| document(ws, &mut resolver, e))
            .collect();
        let mut opds: Vec<OpdRef> = own_opd.iter().cloned().collect();
        for d in &documents {
            if d.opd.key != NO_OPD && !opds.contains(&d.opd) {
                opds.push(d.opd.clone());
            }
        }
        let standing = standing(q, &documents);
        questions.push(QuestionEvidence {
            id: q.id.clone(),
            number: q.number.clone(),
            label: crate::score::card::label(q),
            aspect: q.aspect.clone(),
            aspect_name: aspect_names.get(q.aspect.as_str()).map_or_else(|| q.aspect.clone(), |n| (*n).to_string()),
            indicator: q.indicator.clone(),
            indicator_name: q.indicator_name.clone(),
            text: q.text.clone(),
            status: q.status,
            score: q.score.as_ref().map(|s| s.value),
            score_display: q.score.as_ref().map(|s| s.display.clone()),
            standing,
            opd: opds,
            answer_opd: own_opd,
            documents,
            origin: q.origin.clone(),
        });
    }
    let mut programs: Vec<ProgramEvidence> = ws
        .programs
        .iter()
        .map(|p| ProgramEvidence {
            id: p.value.id.value.clone(),
            name: p.value.name.clone(),
            opd: opd_ref(ws, Some(&p.value.opd.value)),
            documents: all
                .iter()
                .filter(|e| matches!(e.owner, Owner::Program { id } if id == p.value.id.value))
                .map(|e| document(ws, &mut resolver, e))
                .collect(),
        })
        .filter(|p| !p.documents.is_empty())
        .collect();
    programs.sort_by(|a, b| a.id.cmp(&b.id));

    if let Some(only) = opd {
        // The OPD's own documents; a question it answers for with no document of its own stays
        // listed (it owes that question's evidence).
        for q in &mut questions {
            q.documents.retain(|d| d.opd.key == only.key);
        }
        questions.retain(|q| q.answer_opd.as_ref().is_some_and(|o| o.key == only.key) || !q.documents.is_empty());
        for q in &mut questions {
            q.opd = vec![only.clone()];
        }
        for p in &mut programs {
            p.documents.retain(|d| d.opd.key == only.key);
        }
        programs.retain(|p| !p.documents.is_empty());
    }

    let mut totals = Coverage::default();
    let mut aspects: Vec<AspectCoverage> = evaluation
        .scorecard
        .aspects
        .iter()
        .map(|a| AspectCoverage { id: a.id.clone(), name: a.name.clone(), questions: 0, coverage: Coverage::default() })
        .collect();
    let mut by_opd: BTreeMap<OpdRef, OpdCoverage> = BTreeMap::new();
    for q in &questions {
        totals.add_question(q.standing);
        if let Some(a) = aspects.iter_mut().find(|a| a.id == q.aspect) {
            a.questions += 1;
            a.coverage.add_question(q.standing);
            for d in &q.documents {
                a.coverage.add_document(d.status);
            }
        }
        for d in &q.documents {
            totals.add_document(d.status);
        }
        let owners: Vec<OpdRef> = if q.opd.is_empty() { vec![opd_ref(ws, None)] } else { q.opd.clone() };
        for o in owners {
            let c = by_opd.entry(o.clone()).or_insert_with(|| OpdCoverage {
                opd: o,
                questions: 0,
                coverage: Coverage::default(),
            });
            c.questions += 1;
            c.coverage.add_question(q.standing);
        }
        for d in &q.documents {
            by_opd
                .entry(d.opd.clone())
                .or_insert_with(|| OpdCoverage { opd: d.opd.clone(), questions: 0, coverage: Coverage::default() })
                .coverage
                .add_document(d.status);
        }
    }
    for p in &programs {
        for d in &p.documents {
            totals.add_document(d.status);
            by_opd
                .entry(d.opd.clone())
                .or_insert_with(|| OpdCoverage { opd: d.opd.clone(), questions: 0, coverage: Coverage::default() })
                .coverage
                .add_document(d.status);
        }
    }
    if let Some(only) = opd {
        by_opd.retain(|k, _| k.key == only.key);
        aspects.retain(|a| a.questions > 0);
    }
    // Named OPDs by key, "no OPD" last.
    let mut opds: Vec<OpdCoverage> = by_opd.into_values().collect();
    opds.sort_by(|a, b| (a.opd.key == NO_OPD, &a.opd.key).cmp(&(b.opd.key == NO_OPD, &b.opd.key)));
    Checklist {
        city: evaluation.city.city.value.clone(),
        city_slug: evaluation.city_slug.clone(),
        year: evaluation.year,
        instrument: evaluation.instrument.id.clone(),
        evaluation_date: evaluation.city.evaluation.date.as_ref().map(|d| d.value.clone()),
        opd_filter: opd.cloned(),
        questions,
        programs,
        totals,
        aspects,
        opds,
    }
}

/// Every OPD the workspace names (listed ones first), for `--opd` and its `did you mean`.
pub fn known_opds(ws: &LoadedWorkspace) -> Vec<OpdRef> {
    let mut known: Vec<OpdRef> = ws
        .opds
        .iter()
        .flat_map(|l| &l.value.opd)
        .map(|o| OpdRef { key: o.id.value.clone(), name: o.name.clone(), contact: o.contact.clone() })
        .collect();
    let written = ws
        .programs
        .iter()
        .map(|p| p.value.opd.value.clone())
        .chain(
            ws.assessments
                .iter()
                .flat_map(|a| a.value.answers.values().filter_map(|x| x.opd.as_ref().map(|o| o.value.clone()))),
        )
        .chain(
            entries(ws)
                .into_iter()
                .filter_map(|e| e.item.document().and_then(|d| d.opd.as_ref()).map(|o| o.value.clone())),
        );
    for w in written {
        let r = opd_ref(ws, Some(&w));
        if r.key != NO_OPD && !known.contains(&r) {
            known.push(r);
        }
    }
    known
}

/// `--opd X`: an OPD id, a listed name, or a name as written in the workspace (any case).
pub fn find_opd<'a>(known: &'a [OpdRef], wanted: &str) -> Option<&'a OpdRef> {
    let wanted = wanted.trim();
    known
        .iter()
        .find(|o| o.key == wanted)
        .or_else(|| known.iter().find(|o| o.key.eq_ignore_ascii_case(wanted) || o.name.eq_ignore_ascii_case(wanted)))
}
