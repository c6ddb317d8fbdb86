//! Leverage and `--target` against hand computation and brute force (issue #16).

use super::*;
use crate::evaluation::{QuestionScore, Score, ScoreStatus};

fn instrument(yaml: &str) -> Framework {
    crate::load::yaml::parse::<Framework>(yaml, std::path::Path::new("test.yaml")).unwrap()
}

/// Every question of `f` with a score from `score` (None: unanswered), counted per `f`'s policy.
fn answered(f: &Framework, score: impl Fn(usize) -> Option<f64>) -> Vec<QuestionScore> {
    f.questions()
        .enumerate()
        .map(|(i, (a, ind, q))| {
            let s = score(i);
            QuestionScore {
                id: q.id.value.clone(),
                number: q.number.clone(),
                aspect: a.id.value.clone(),
                indicator: ind.id.value.clone(),
                indicator_name: ind.name.clone(),
                subindicator: None,
                text: q.text.clone(),
                dimension: None,
                status: if s.is_some() { ScoreStatus::Manual } else { ScoreStatus::Unanswered },
                score: s.map(|v| Score::from_exact(Exact::from_decimal(v))),
                counted: s.or(if f.missing == MissingPolicy::Zero { Some(0.0) } else { None }),
                derivation: None,
                evidence: Vec::new(),
                note: None,
                illustrative: false,
                origin: None,
            }
        })
        .collect()
}

fn shipped(id: &str) -> Framework {
    let path = format!("{}/indicators/framework/{id}.yaml", env!("CARGO_MANIFEST_DIR"));
    instrument(&std::fs::read_to_string(path).unwrap())
}

/// One point on a question is worth its aspect's weight over the aspect's question count, in
/// the final (missing: zero, every question at 2): the counts and weights of the published
/// instruments, written out by hand.
#[test]
fn leverage_of_the_shipped_instruments_by_hand() {
    let cases: [(&str, &[(&str, f64)]); 3] = [
        (
            "kominfo-2022",
            &[
                ("baseline", 0.10 / 5.0),
                ("output", 0.20 / 7.0),
                ("outcome", 0.30 / 31.0),
                ("impact", 0.10 / 4.0),
                ("quick-win", 0.30 / 12.0),
            ],
        ),
        (
            "kominfo-2023-reguler",
            &[
                ("baseline", 0.10 / 5.0),
                ("output", 0.20 / 7.0),
                ("outcome", 0.30 / 33.0),
                ("impact", 0.20 / 54.0),
                ("quick-win", 0.20 / 12.0),
            ],
        ),
        (
            "kominfo-2023-kppn-ikn",
            &[
                ("baseline", 0.10 / 5.0),
                ("output", 0.20 / 7.0),
                ("outcome", 0.20 / 33.0),
                ("impact", 0.20 / 54.0),
                ("quick-win", 0.20 / 12.0),
                ("kolaborasi", 0.10 / 6.0),
            ],
        ),
    ];
    for (id, per_point) in cases {
        let f = shipped(id);
        let questions = answered(&f, |_| Some(2.0));
        let all = levers(&f, &questions);
        assert_eq!(all.len(), questions.len(), "{id}");
        for l in &all {
            let expected = per_point.iter().find(|(a, _)| *a == l.aspect).map(|(_, g)| *g).unwrap();
            assert!((l.gain_per_point - expected).abs() < 1e-12, "{id} {}: {} vs {expected}", l.id, l.gain_per_point);
            // From 2 to the top (4) is two points.
            assert!((l.gain_to_top - 2.0 * expected).abs() < 1e-12, "{id} {}", l.id);
        }
        // The largest gain per point leads the report's priorities: Output (20 % over 7).
        let top = priorities(&f, &questions, &[]);
        assert_eq!(top[0].aspect, "output", "{id}");
    }
}

const SMALL: &str = "
id: kecil
name: Kecil
scale: {min: 0, max: 4}
missing: MISSING
aspects:
  - id: a
    name: A
    weight: 60
    indicators:
      - {id: ia, number: 1, name: IA, questions: [{id: a1, number: '1', text: a1}, {id: a2, number: '2', text: a2}]}
  - id: b
    name: B
    weight: 40
    indicators:
      - id: ib
        number: 2
        name: IB
        questions: [{id: b1, number: '3', text: b1}, {id: b2, number: '4', text: b2}, {id: b3, number: '5', text: b3}]
";

/// The fewest points (then the fewest questions) that reach `target`, by trying every
/// combination of whole points on every question (scores stay whole here).
fn brute_force(f: &Framework, start: &[Option<f64>], target: f64) -> Option<(f64, usize)> {
    let max = f.scale.max as i64;
    let n = start.len();
    let from: Vec<i64> = start.iter().map(|s| s.unwrap_or(0.0) as i64).collect();
    let mut best: Option<(f64, usize)> = None;
    let mut raise = vec![0_i64; n];
    loop {
        let scores: Vec<Option<f64>> =
            (0..n).map(|i| if raise[i] > 0 { Some((from[i] + raise[i]) as f64) } else { start[i] }).collect();
        let questions = answered(f, |i| scores[i]);
        let counted: Vec<Option<Exact>> = questions.iter().map(|q| q.counted.map(Exact::from_decimal)).collect();
        let reached = final_of(f, &questions, &counted);
        if reached >= Exact::from_decimal(target) {
            let points = raise.iter().sum::<i64>() as f64;
            let changed = raise.iter().filter(|r| **r > 0).count();
            if best.is_none_or(|(p, c)| points < p || (points == p && changed < c)) {
                best = Some((points, changed));
            }
        }
        // The next combination (an odometer over each question's room to the top).
        let mut i = 0;
        loop {
            if i == n {
                return best;
            }
            if from[i] + raise[i] < max {
                raise[i] += 1;
                break;
            }
            raise[i] = 0;
            i += 1;
        }
    }
}

/// `reach` against brute force: under `missing: zero` every point of an aspect adds the same,
/// so raising the best point each time is the fewest points; the plan must find exactly that
/// count of points and of questions, for every target from today's final to the top.
#[test]
fn target_agrees_with_brute_force_on_a_small_instrument() {
    let f = instrument(&SMALL.replace("MISSING", "zero"));
    for start in [
        [Some(1.0), Some(3.0), Some(2.0), None, Some(0.0)],
        [Some(4.0), None, Some(1.0), Some(1.0), Some(4.0)],
        [None, None, None, None, None],
    ] {
        let questions = answered(&f, |i| start[i]);
        for tenth in 0..=40 {
            let target = f64::from(tenth) / 10.0;
            let plan = reach(&f, &questions, target);
            match brute_force(&f, &start, target) {
                Some((points, changed)) => {
                    assert!(plan.target_met, "{start:?} → {target}: reachable, the plan says not");
                    assert_eq!((plan.points, plan.changes.len()), (points, changed), "{start:?} → {target}");
                }
                None => assert!(!plan.target_met, "{start:?} → {target}: unreachable"),
            }
        }
    }
}

/// Under `missing: exclude` answering a question changes its aspect's denominator; the plan is
/// exact step by step. On this instrument it still finds the brute-force optimum.
#[test]
fn target_under_exclude_agrees_with_brute_force_here() {
    let f = instrument(&SMALL.replace("MISSING", "exclude"));
    let start = [Some(2.0), None, Some(3.0), None, Some(1.0)];
    let questions = answered(&f, |i| start[i]);
    for tenth in 0..=40 {
        let target = f64::from(tenth) / 10.0;
        let plan = reach(&f, &questions, target);
        match brute_force(&f, &start, target) {
            Some((points, changed)) => {
                assert!(plan.target_met, "→ {target}");
                assert_eq!((plan.points, plan.changes.len()), (points, changed), "→ {target}");
            }
            None => assert!(!plan.target_met, "→ {target}"),
        }
    }
}
