//! Robustness: no input makes the crate panic, and every result keeps the method's invariants
//! (score within [−5, 5]; a score exactly when a status other than `not_available` is given;
//! a refusal never comes with a progress value).

use ecociv_progress::{Direction, Observation, SeriesInput, Status, evaluate};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(100.0),
        Just(-1.0),
        -1e6..1e6f64,
        -1.0..1.0f64,
        proptest::num::f64::NORMAL,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
    #[test]
    fn never_panics_and_keeps_invariants(
        points in proptest::collection::vec((2000i32..2040, value()), 0..8),
        higher in any::<bool>(),
        base_year in 2000i32..2035,
        span in 1i32..20,
        target in proptest::option::of(value()),
        limit in proptest::option::of(value()),
    ) {
        let input = SeriesInput {
            points: points.iter().map(|&(y, v)| Observation::new(y, v)).collect(),
            direction: if higher { Direction::HigherIsBetter } else { Direction::LowerIsBetter },
            base_year,
            target_year: base_year + span,
            target,
            natural_limit: limit,
        };
        if let Ok(row) = evaluate(&input) {
            let p = &row.progress;
            if let Some(s) = p.score {
                prop_assert!((-5.0..=5.0).contains(&s), "score {s}");
            }
            prop_assert_eq!(p.score.is_some(), p.status != Status::NotAvailable);
            if p.refusal.is_some() {
                prop_assert!(p.progress_value.is_none());
            }
            if let Some(v) = p.progress_value {
                prop_assert!(v.is_finite());
            }
            if let Some(c) = p.limit_coefficient {
                prop_assert!((0.0..=1.0).contains(&c), "coefficient {c}");
            }
            if p.status == Status::TargetAchieved {
                prop_assert_eq!(p.score, Some(5.0));
            }
        }
    }
}
