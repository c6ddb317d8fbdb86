//! Indicator trend charts, drawn here as small SVG files that documents embed with
//! `image("/charts/trend-<n>.svg")` (`n`: the indicator's position in `ev.indicators`).
//!
//! Why not in Typst like the other charts: a report has one trend chart per indicator (200 in a
//! large city), and Typst lays out each chart's ~20 placed lines, marks and labels one by one.
//! One SVG image per chart costs it a fraction of that; the 100-city batch of issue #5 went
//! from 60 s to 56 s with this alone (docs/performance.md). The drawing matches
//! `trend()` in `templates/lib/charts.typ` (which stays for templates that want to restyle it),
//! plus round tick steps (1-2-5 × 10^k) with faint grid lines and the latest value labelled.
//!
//! Only numbers and years reach the SVG (formatted like the rest of the document), never user
//! text, so nothing here needs escaping. Coordinates are printed with two decimals: the same
//! evaluation gives the same bytes.

use std::fmt::Write;

use super::format::{Lang, num};
use crate::evaluation::{Evaluation, IndicatorSeries};

/// Size of a chart in points (7.6 cm × 3.5 cm): two fit side by side on an A4 page.
pub const WIDTH: f64 = 215.4;
pub const HEIGHT: f64 = 99.2;
// The plot area inside the chart: room for the value labels on the left and the years below.
const LEFT: f64 = 28.0;
const RIGHT: f64 = WIDTH - 9.0;
const TOP: f64 = 6.0;
const BOTTOM: f64 = HEIGHT - 17.0;

// The colours of templates/lib/style.typ: accent (values), warn (targets), muted (axes).
const ACCENT: &str = "#0b5394";
const WARN: &str = "#b26a00";
const MUTED: &str = "#5f6b7a";
const FONT: &str = "Open Sans";

/// The virtual path of indicator `index`'s chart.
pub fn trend_path(index: usize) -> String {
    format!("/charts/trend-{index}.svg")
}

/// Whether an indicator gets a trend chart: a value in more than one year.
pub fn charted(series: &IndicatorSeries) -> bool {
    series.years.iter().filter(|y| y.value.is_some_and(f64::is_finite)).count() > 1
}

/// Every chart a document may embed, by virtual path.
pub fn trend_files(ev: &Evaluation, lang: Lang) -> impl Iterator<Item = (String, String)> + '_ {
    ev.indicators.iter().enumerate().filter(|(_, s)| charted(s)).map(move |(i, s)| (trend_path(i), trend_svg(s, lang)))
}

/// The smallest round step (1, 2 or 5 × 10^k) of at least `raw`.
fn round_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// The value axis: from 0 (or below, for negative values) to above the highest value or target
/// with some headroom, in round steps (1-2-5 × 10^k) of which there are at most six, so every
/// tick reads as a round number (`0 · 50 · 100 · 150`, never `0 · 115`).
fn axis(values: impl Iterator<Item = f64>) -> Axis {
    let (mut lo, mut hi) = (0.0_f64, 0.0_f64);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        hi = lo + 1.0;
    }
    // 10 % headroom, so a line never touches the top.
    let span = (hi - lo) * 1.1;
    let mut step = round_step(span / 4.0);
    let ticks = |step: f64| ((hi + (hi - lo) * 0.1) / step).ceil() - (lo / step).floor();
    while ticks(step) > 6.0 {
        step = round_step(step * 1.5);
    }
    let (lo, hi) = ((lo / step).floor() * step, ((hi + (hi - lo) * 0.1) / step).ceil() * step);
    Axis { lo, hi, step }
}

struct Axis {
    lo: f64,
    hi: f64,
    step: f64,
}

impl Axis {
    /// The tick values, bottom to top.
    fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as usize;
        (0..=n).map(|i| self.lo + i as f64 * self.step).collect()
    }

    /// Decimals for the tick labels: as many as the step has (0,2 → 1; 50 → 0).
    fn decimals(&self) -> usize {
        (-self.step.log10().floor()).max(0.0) as usize
    }
}

/// Decimals for the latest value's label: whole numbers from 100 on, at most one decimal from 1
/// on and two below, fewer when the value has fewer.
fn value_decimals(v: f64) -> usize {
    let most = if v.abs() >= 100.0 {
        0
    } else if v.abs() >= 1.0 {
        1
    } else {
        2
    };
    // No trailing zero: 0,4 rather than 0,40.
    (0..most).find(|&d| ((v * 10f64.powi(d as i32)).fract()).abs() < 1e-9).unwrap_or(most)
}

/// One indicator's yearly values (solid line, dots) and targets (dashed line, ticks) on a shared
/// scale. A year without a value breaks the line rather than bridging it.
pub fn trend_svg(series: &IndicatorSeries, lang: Lang) -> String {
    let years = &series.years;
    let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
    let axis = axis(years.iter().flat_map(|y| [finite(y.value), finite(y.target)]).flatten());
    let (lo, hi) = (axis.lo, axis.hi);
    let n = years.len();
    let x = |i: usize| if n <= 1 { (LEFT + RIGHT) / 2.0 } else { LEFT + i as f64 * (RIGHT - LEFT) / (n - 1) as f64 };
    let y = |v: f64| BOTTOM - (v - lo) / (hi - lo) * (BOTTOM - TOP);

    let mut svg = String::with_capacity(2048);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}pt" height="{HEIGHT}pt" viewBox="0 0 {WIDTH} {HEIGHT}">"#
    );
    // Axes: the value axis on the left, the zero line (the bottom unless values go negative).
    let zero = y(0.0);
    let _ = write!(
        svg,
        r#"<path d="M{LEFT} {TOP}V{BOTTOM}M{LEFT} {zero:.2}H{RIGHT}" fill="none" stroke="{MUTED}" stroke-width="0.5"/>"#
    );
    // A tick label and a faint grid line at every round step.
    let decimals = axis.decimals();
    for tick in axis.ticks() {
        let at = y(tick);
        let _ = write!(
            svg,
            r#"<path d="M{LEFT} {at:.2}H{RIGHT}" fill="none" stroke="{MUTED}" stroke-width="0.2" stroke-opacity="0.5"/>"#
        );
        let _ = write!(
            svg,
            r#"<text x="{:.2}" y="{:.2}" font-family="{FONT}" font-size="6" fill="{MUTED}" text-anchor="end">{}</text>"#,
            LEFT - 3.0,
            at + 2.0,
            num(tick, decimals, lang)
        );
    }
    for (i, year) in years.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<text x="{:.2}" y="{:.2}" font-family="{FONT}" font-size="6.5" text-anchor="middle">{}</text>"#,
            x(i),
            BOTTOM + 10.0,
            year.year
        );
    }

    let targets: Vec<(f64, f64)> =
        years.iter().enumerate().filter_map(|(i, t)| finite(t.target).map(|t| (x(i), y(t)))).collect();
    if targets.len() > 1 {
        let _ = write!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{WARN}" stroke-width="1" stroke-dasharray="3 2"/>"#,
            points(&targets)
        );
    }
    for (tx, ty) in &targets {
        let _ = write!(svg, r#"<path d="M{:.2} {ty:.2}h5" fill="none" stroke="{WARN}" stroke-width="1.2"/>"#, tx - 2.5);
    }

    // Values: a line through each run of consecutive measured years, a dot on every value.
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    for (i, year) in years.iter().enumerate() {
        match finite(year.value) {
            Some(v) => run.push((x(i), y(v))),
            None => runs.push(std::mem::take(&mut run)),
        }
    }
    runs.push(run);
    for run in runs.iter().filter(|r| r.len() > 1) {
        let _ = write!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{ACCENT}" stroke-width="1.4" stroke-linejoin="round"/>"#,
            points(run)
        );
    }
    for (px, py) in runs.iter().flatten() {
        let _ = write!(svg, r#"<circle cx="{px:.2}" cy="{py:.2}" r="2" fill="{ACCENT}"/>"#);
    }
    // The latest value, written beside its dot: the figure a reader looks for first. Above the
    // dot, or below it near the top; towards the inside of the chart, never past its edge.
    if let Some((i, v)) = years.iter().enumerate().rev().find_map(|(i, yr)| finite(yr.value).map(|v| (i, v))) {
        let (px, py) = (x(i), y(v));
        let ly = if py - 5.0 < TOP + 6.0 { py + 9.0 } else { py - 5.0 };
        let (lx, anchor) = if px > (LEFT + RIGHT) / 2.0 { (px + 2.0, "end") } else { (px - 2.0, "start") };
        let _ = write!(
            svg,
            r#"<text x="{lx:.2}" y="{ly:.2}" font-family="{FONT}" font-size="6.5" font-weight="bold" fill="{ACCENT}" text-anchor="{anchor}">{}</text>"#,
            num(v, value_decimals(v), lang)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn points(points: &[(f64, f64)]) -> String {
    points.iter().map(|(x, y)| format!("{x:.2},{y:.2}")).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::IndicatorYear;
    use crate::model::program::{Aggregate, Direction};

    fn series(points: &[(i32, Option<f64>, Option<f64>)]) -> IndicatorSeries {
        IndicatorSeries {
            id: "i".into(),
            program: "p".into(),
            name: "n".into(),
            unit: "u".into(),
            direction: Direction::Up,
            aggregate: Aggregate::Sum,
            baseline: None,
            illustrative: false,
            years: points
                .iter()
                .map(|&(year, value, target)| IndicatorYear {
                    year,
                    value,
                    target,
                    achievement: None,
                    change_previous: None,
                    change_baseline: None,
                    months_with_data: 12,
                    coverage: 1.0,
                    observations: 12,
                    illustrative: false,
                    areas: Vec::new(),
                    provenance: Vec::new(),
                })
                .collect(),
        }
    }

    fn attr_values<'a>(svg: &'a str, element: &str) -> Vec<&'a str> {
        svg.match_indices(&format!("<{element} ")).map(|(i, _)| &svg[i..i + svg[i..].find('>').unwrap()]).collect()
    }

    /// The tick labels of a chart, bottom to top.
    fn tick_labels(svg: &str) -> Vec<&str> {
        svg.split("text-anchor=\"end\">").skip(1).filter_map(|t| t.split("</text>").next()).collect()
    }

    #[test]
    fn values_and_targets_on_a_shared_scale_from_zero() {
        let s = series(&[(2021, Some(50.0), None), (2022, Some(100.0), Some(80.0)), (2023, Some(80.0), Some(100.0))]);
        let svg = trend_svg(&s, Lang::Id);
        // Round steps of 50 up to 150, so 100 sits 100/150 of the way up the plot area.
        let y100 = BOTTOM - 100.0 / 150.0 * (BOTTOM - TOP);
        assert!(svg.contains(&format!("{RIGHT:.2},{y100:.2}")), "{svg}");
        assert_eq!(tick_labels(&svg), ["0", "50", "100", "150", "80"], "ticks, then the latest value (end-anchored)");
        for year in ["2021", "2022", "2023"] {
            assert!(svg.contains(&format!(">{year}</text>")));
        }
        assert_eq!(attr_values(&svg, "circle").len(), 3);
        let lines = attr_values(&svg, "polyline");
        assert_eq!(lines.len(), 2, "one target line, one value line");
        assert!(lines[0].contains("stroke-dasharray"), "targets dashed: {}", lines[0]);
        assert_eq!(svg.matches("h5\"").count(), 2, "a tick per target");
    }

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(round_step(27.5), 50.0);
        assert_eq!(round_step(8.25), 10.0);
        assert_eq!(round_step(1.2), 2.0);
        assert_eq!(round_step(0.11), 0.2);
        assert_eq!(round_step(3000.0), 5000.0);
        assert_eq!(round_step(1.0), 1.0);
        for values in [[0.0, 25_066.67], [12.0, 13.5], [-3.0, 7.0], [0.02, 0.05], [1e9, 1.1e9]] {
            let a = axis(values.into_iter());
            let mantissa = a.step / 10f64.powf(a.step.log10().floor());
            assert!([1.0, 2.0, 5.0].iter().any(|m| (m - mantissa).abs() < 1e-9), "{values:?}: step {}", a.step);
            let ticks = a.ticks();
            assert!((2..=7).contains(&ticks.len()), "{values:?}: {ticks:?}");
            assert!(a.lo <= values[0].min(0.0) && a.hi > values[1], "{values:?}: {}..{}", a.lo, a.hi);
            // Every tick is a whole multiple of the step: a round number.
            assert!(ticks.iter().all(|t| ((t / a.step).round() * a.step - t).abs() < a.step * 1e-9), "{ticks:?}");
        }
    }

    #[test]
    fn the_latest_value_is_labelled_as_its_unit_deserves() {
        let s = series(&[(2021, Some(18_000.0), None), (2022, Some(25_066.666), None), (2023, None, Some(30_000.0))]);
        let svg = trend_svg(&s, Lang::Id);
        // 2023 has a target only: the label goes to 2022's dot, in the middle, reading rightwards.
        assert!(svg.contains("font-weight=\"bold\" fill=\"#0b5394\" text-anchor=\"start\">25.067</text>"), "{svg}");
        assert_eq!(value_decimals(0.4), 1);
        assert_eq!(value_decimals(62.5), 1);
        assert_eq!(value_decimals(4.56789), 1);
        assert_eq!(value_decimals(0.125), 2);
        assert_eq!(value_decimals(160.0), 0);
    }

    #[test]
    fn a_missing_year_breaks_the_line() {
        let s =
            series(&[(2019, Some(1.0), None), (2020, Some(2.0), None), (2021, None, None), (2022, Some(3.0), None)]);
        let svg = trend_svg(&s, Lang::Id);
        assert_eq!(attr_values(&svg, "polyline").len(), 1, "2019–2020 joined; 2022 alone is a dot");
        assert_eq!(attr_values(&svg, "circle").len(), 3);
    }

    #[test]
    fn negative_values_move_the_zero_line_up_and_label_the_bottom() {
        let s = series(&[(2022, Some(-20.0), None), (2023, Some(10.0), None)]);
        let svg = trend_svg(&s, Lang::Id);
        assert_eq!(tick_labels(&svg)[..5], ["-20", "-10", "0", "10", "20"], "{svg}");
        let zero = BOTTOM - 20.0 / 40.0 * (BOTTOM - TOP);
        assert!(svg.contains(&format!("M{LEFT} {zero:.2}H{RIGHT}")), "{svg}");
        for circle in attr_values(&svg, "circle") {
            let cy: f64 = circle.split("cy=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
            assert!((TOP..=BOTTOM).contains(&cy), "inside the plot: {circle}");
        }
    }

    #[test]
    fn small_and_flat_series_keep_readable_labels() {
        let small = trend_svg(&series(&[(2022, Some(0.2), None), (2023, Some(0.4), None)]), Lang::Id);
        assert_eq!(tick_labels(&small), ["0,0", "0,2", "0,4", "0,6", "0,4"], "decimal comma: {small}");
        let english = trend_svg(&series(&[(2022, Some(0.2), None), (2023, Some(0.4), None)]), Lang::En);
        assert!(english.contains(">0.6</text>"));
        let zeros = trend_svg(&series(&[(2022, Some(0.0), None), (2023, Some(0.0), None)]), Lang::Id);
        assert!(!zeros.contains("NaN") && !zeros.contains("inf"), "{zeros}");
        assert!(zeros.contains(">1,5</text>"), "an all-zero series still has a range: {zeros}");
    }

    #[test]
    fn only_series_with_two_measured_years_are_charted() {
        assert!(!charted(&series(&[(2022, Some(1.0), Some(2.0)), (2023, None, Some(3.0))])));
        assert!(!charted(&series(&[(2022, Some(f64::NAN), None), (2023, Some(1.0), None)])));
        assert!(charted(&series(&[(2022, Some(1.0), None), (2023, Some(1.0), None)])));
    }

    #[test]
    fn the_svg_parses_and_is_deterministic() {
        let s = series(&[(2020, Some(1.5), Some(2.0)), (2021, Some(1e9), None), (2022, None, Some(3.0))]);
        let (a, b) = (trend_svg(&s, Lang::Id), trend_svg(&s, Lang::Id));
        assert_eq!(a, b);
        let tree = usvg::Tree::from_str(&a, &usvg::Options::default());
        assert!(tree.is_ok(), "{a}");
    }
}
