//! The `rpjmd` part of the Evaluation: which sasaran each program serves, per dimension, the
//! programs serving none, the sasaran no program serves, and for linked indicators the RPJMD
//! target beside the program's value in each year of the RPJMD period.

use schemars::JsonSchema;
use serde::Serialize;

use super::Plan;
use crate::evaluation::{BaselineValue, IndicatorSeries};
use crate::load::LoadedWorkspace;
use crate::model::program::Direction;

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Alignment {
    pub period_start: i32,
    pub period_end: i32,
    pub visi: String,
    /// `source: ilustrasi` on indicators/rpjmd.yaml.
    pub illustrative: bool,
    pub sources: Vec<String>,
    /// The matrix's columns: the workspace's dimensions, in order.
    pub dimensions: Vec<DimensionRef>,
    pub misi: Vec<MisiRef>,
    pub sasaran: Vec<SasaranAlignment>,
    /// Every program with the sasaran it serves and its budget codes.
    pub programs: Vec<ProgramRef>,
    /// Ids of the programs that serve no sasaran (what assessors question).
    pub unaligned_programs: Vec<String>,
    /// Ids of the sasaran no smart city program serves.
    pub unserved_sasaran: Vec<String>,
    pub indicators: Vec<IkuAlignment>,
    pub counts: AlignmentCounts,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DimensionRef {
    pub id: String,
    pub name: String,
    pub name_en: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MisiRef {
    pub id: String,
    pub number: String,
    pub text: String,
    pub tujuan: Vec<TujuanRef>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TujuanRef {
    pub id: String,
    pub text: String,
    /// Sasaran ids, in order.
    pub sasaran: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SasaranAlignment {
    pub id: String,
    pub text: String,
    pub misi: String,
    pub misi_number: String,
    pub tujuan: String,
    /// Ids of the programs serving it.
    pub programs: Vec<String>,
    /// One cell per dimension (same order as `dimensions`): the names of its programs there.
    pub cells: Vec<Vec<String>>,
    /// Ids of its RPJMD indicators.
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProgramRef {
    pub id: String,
    pub name: String,
    pub dimension: String,
    pub sasaran: Vec<String>,
    pub kode: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IkuAlignment {
    pub id: String,
    pub name: String,
    pub unit: String,
    /// The sasaran (or tujuan) it measures.
    pub sasaran: String,
    pub baseline: Option<BaselineValue>,
    /// One per year of the RPJMD period; `target` is `null` where the RPJMD sets none.
    pub targets: Vec<IkuTarget>,
    pub definition: Option<String>,
    pub data_source: Option<String>,
    pub producer: Option<String>,
    /// `file:line` or `file (Sheet!B7)` where it is defined.
    pub origin: String,
    pub contributions: Vec<Contribution>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IkuTarget {
    pub year: i32,
    pub target: Option<f64>,
}

/// A program indicator that says `contributes_to:` this RPJMD indicator.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Contribution {
    pub indicator: String,
    pub indicator_name: String,
    pub program: String,
    pub program_name: String,
    /// The program indicator's unit (its values below are converted to the RPJMD unit).
    pub unit: String,
    pub conversion: Option<f64>,
    pub years: Vec<ContributionYear>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ContributionYear {
    pub year: i32,
    pub target: Option<f64>,
    /// The program indicator's value for the year, in the RPJMD unit; `null`: not measured.
    pub value: Option<f64>,
    /// Months of the year with data (a target is judged only on a fully covered year).
    pub months_with_data: u32,
    /// `met`, `missed`, `partial` (year not fully covered), `no-data`, `no-target`.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AlignmentCounts {
    pub misi: usize,
    pub tujuan: usize,
    pub sasaran: usize,
    pub sasaran_served: usize,
    pub programs: usize,
    pub programs_aligned: usize,
    pub programs_unaligned: usize,
    pub indicators: usize,
    pub indicators_linked: usize,
}

/// Whether `value` reaches `target` in the indicator's direction.
fn status(value: Option<f64>, target: Option<f64>, months: u32, direction: Direction) -> &'static str {
    match (value, target) {
        (_, None) => "no-target",
        (None, _) => "no-data",
        (Some(_), Some(_)) if months < 12 => "partial",
        (Some(v), Some(t)) => {
            let met = match direction {
                Direction::Up => v >= t,
                Direction::Down => v <= t,
            };
            if met { "met" } else { "missed" }
        }
    }
}

pub fn alignment(ws: &LoadedWorkspace, plan: &Plan<'_>, series: &[IndicatorSeries]) -> Alignment {
    let rpjmd = plan.rpjmd;
    let dimensions: Vec<DimensionRef> = ws
        .dimensions
        .as_ref()
        .map(|d| {
            d.value
                .dimensions
                .iter()
                .map(|d| DimensionRef { id: d.id.value.clone(), name: d.name.clone(), name_en: d.name_en.clone() })
                .collect()
        })
        .unwrap_or_default();
    let programs: Vec<ProgramRef> = ws
        .programs
        .iter()
        .map(|p| {
            let p = &p.value.value;
            ProgramRef {
                id: p.id.value.clone(),
                name: p.name.clone(),
                dimension: p.dimension.value.clone(),
                sasaran: p.rpjmd.iter().map(|s| s.value.clone()).collect(),
                kode: p.kode.iter().map(|k| k.value.clone()).collect(),
            }
        })
        .collect();
    let sasaran: Vec<SasaranAlignment> = plan
        .sasaran
        .iter()
        .map(|s| {
            let misi = &rpjmd.misi[s.misi];
            let serving: Vec<&ProgramRef> = programs.iter().filter(|p| p.sasaran.contains(&s.id)).collect();
            SasaranAlignment {
                id: s.id.clone(),
                text: s.text.clone(),
                misi: misi.id.value.clone(),
                misi_number: misi.number.value.clone(),
                tujuan: misi.tujuan[s.tujuan].id.value.clone(),
                programs: serving.iter().map(|p| p.id.clone()).collect(),
                cells: dimensions
                    .iter()
                    .map(|d| serving.iter().filter(|p| p.dimension == d.id).map(|p| p.name.clone()).collect())
                    .collect(),
                indicators: plan.indicators.iter().filter(|i| i.owner == s.id).map(|i| i.id.clone()).collect(),
            }
        })
        .collect();
    let years: Vec<i32> = (rpjmd.period.start.value..=rpjmd.period.end.value).collect();
    let indicators: Vec<IkuAlignment> = plan
        .indicators
        .iter()
        .map(|iku| {
            let contributions = ws
                .programs
                .iter()
                .flat_map(|p| p.value.value.indicators.iter().map(move |i| (&p.value.value, i)))
                .filter(|(_, i)| i.contributes_to.as_ref().is_some_and(|c| c.value == iku.id))
                .map(|(program, ind)| {
                    let conversion = ind.conversion.as_ref().map(|c| c.value);
                    let series = series.iter().find(|s| s.id == ind.id.value);
                    Contribution {
                        indicator: ind.id.value.clone(),
                        indicator_name: ind.name.clone(),
                        program: program.id.value.clone(),
                        program_name: program.name.clone(),
                        unit: ind.unit.clone(),
                        conversion,
                        years: years
                            .iter()
                            .map(|&year| {
                                let y = series.and_then(|s| s.years.iter().find(|y| y.year == year));
                                let value = y.and_then(|y| y.value).map(|v| v * conversion.unwrap_or(1.0));
                                let months = y.map_or(0, |y| y.months_with_data);
                                let target = iku.targets.get(&year).copied();
                                ContributionYear {
                                    year,
                                    target,
                                    value,
                                    months_with_data: months,
                                    status: status(value, target, months, ind.direction).to_string(),
                                }
                            })
                            .collect(),
                    }
                })
                .collect();
            IkuAlignment {
                id: iku.id.clone(),
                name: iku.name.clone(),
                unit: iku.unit.clone(),
                sasaran: iku.owner.clone(),
                baseline: iku.baseline.map(|(year, value)| BaselineValue { year, value }),
                targets: years
                    .iter()
                    .map(|&year| IkuTarget { year, target: iku.targets.get(&year).copied() })
                    .collect(),
                definition: iku.definition.clone(),
                data_source: iku.data_source.clone(),
                producer: iku.producer.clone(),
                origin: iku.location.to_string(),
                contributions,
            }
        })
        .collect();
    let unaligned_programs: Vec<String> =
        programs.iter().filter(|p| p.sasaran.is_empty()).map(|p| p.id.clone()).collect();
    let unserved_sasaran: Vec<String> =
        sasaran.iter().filter(|s| s.programs.is_empty()).map(|s| s.id.clone()).collect();
    let counts = AlignmentCounts {
        misi: rpjmd.misi.len(),
        tujuan: rpjmd.misi.iter().map(|m| m.tujuan.len()).sum(),
        sasaran: sasaran.len(),
        sasaran_served: sasaran.len() - unserved_sasaran.len(),
        programs: programs.len(),
        programs_aligned: programs.len() - unaligned_programs.len(),
        programs_unaligned: unaligned_programs.len(),
        indicators: indicators.len(),
        indicators_linked: indicators.iter().filter(|i| !i.contributions.is_empty()).count(),
    };
    Alignment {
        period_start: rpjmd.period.start.value,
        period_end: rpjmd.period.end.value,
        visi: rpjmd.visi.clone(),
        illustrative: rpjmd.source.as_deref().is_some_and(|s| s.trim().eq_ignore_ascii_case("ilustrasi")),
        sources: rpjmd.sources.clone(),
        dimensions,
        misi: rpjmd
            .misi
            .iter()
            .map(|m| MisiRef {
                id: m.id.value.clone(),
                number: m.number.value.clone(),
                text: m.text.clone(),
                tujuan: m
                    .tujuan
                    .iter()
                    .map(|t| TujuanRef {
                        id: t.id.value.clone(),
                        text: t.text.clone(),
                        sasaran: t.sasaran.iter().map(|s| s.id.value.clone()).collect(),
                    })
                    .collect(),
            })
            .collect(),
        sasaran,
        programs,
        unaligned_programs,
        unserved_sasaran,
        indicators,
        counts,
    }
}
