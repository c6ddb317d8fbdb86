//! The `wilayah` sheet: an indicator's value per area (kecamatan, kelurahan) beside the total
//! of the whole city, for data whose rows carry an `area` (docs/format.md §6.1). Long form (one
//! row per indicator, year and area) so the columns stay the same whatever the areas are.

use super::tables::{Kind, Table};
use crate::evaluation::Evaluation;

/// `None` when no indicator has a per-area value in `years` (the sheet is then left out).
pub fn table(ev: &Evaluation, years: &[i32]) -> Option<Table> {
    use Kind::*;
    let columns = vec![
        ("tahun", Year),
        ("indikator", Text),
        ("nama_indikator", Text),
        ("program", Text),
        ("satuan", Text),
        ("wilayah", Text),
        ("nilai", Number),
        // The city's value the areas combine into (the `indikator` sheet's `nilai`).
        ("nilai_total", Number),
        ("ilustrasi", Bool),
    ];
    let mut rows = Vec::new();
    for &year in years {
        for i in &ev.indicators {
            let Some(y) = i.years.iter().find(|y| y.year == year) else { continue };
            for a in &y.areas {
                rows.push(vec![
                    year.into(),
                    i.id.as_str().into(),
                    i.name.as_str().into(),
                    i.program.as_str().into(),
                    i.unit.as_str().into(),
                    a.area.as_str().into(),
                    a.value.into(),
                    y.value.into(),
                    (y.illustrative || i.illustrative).into(),
                ]);
            }
        }
    }
    (!rows.is_empty()).then_some(Table { name: "wilayah", title: "Nilai indikator per wilayah", columns, rows })
}
