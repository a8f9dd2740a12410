//! Runs every case of `data/bands.csv`, `data/series.toml`, `data/aggregate.toml` and
//! `data/forecast.toml` (provenance in `data/README.md`).

use std::path::PathBuf;

use ecociv_progress::statcan::{self, METHOD1_THRESHOLDS, METHOD2_THRESHOLDS, Thresholds};
use ecociv_progress::{
    Aggregand, Direction, InputError, Method, Observation, SeriesInput, Status, UnsdBand, aggregate, evaluate, measure,
    status_from_score,
};
use serde::Deserialize;

fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data").join(name)
}

fn close(actual: f64, expected: f64, tol: f64) -> bool {
    (actual - expected).abs() <= tol.max(1e-12 * expected.abs())
}

// ---------- bands.csv ----------

#[derive(Deserialize)]
struct BandCase {
    case: String,
    kind: String,
    value: f64,
    coefficient: Option<f64>,
    expected_status: String,
    expected_score: Option<f64>,
    score_tolerance: Option<f64>,
    #[allow(dead_code)]
    source: String,
}

#[test]
fn band_edges_and_published_score_points() {
    let mut rdr = csv::Reader::from_path(data_path("bands.csv")).expect("bands.csv readable");
    let mut n = 0;
    for row in rdr.deserialize::<BandCase>() {
        let c = row.expect("bands.csv row parses");
        let expected = Status::parse(&c.expected_status).expect("known status");
        let (status, score) = match c.kind.as_str() {
            "method1" => {
                let k = c.coefficient.expect("coefficient");
                let t = Thresholds {
                    high: METHOD1_THRESHOLDS.high * k,
                    med: METHOD1_THRESHOLDS.med * k,
                    low: METHOD1_THRESHOLDS.low * k,
                };
                (
                    statcan::status_from_value(c.value, t),
                    Some(statcan::score_method1(c.value, t, k)),
                )
            }
            "method2" => (
                statcan::status_from_value(c.value, METHOD2_THRESHOLDS),
                Some(statcan::score_method2(c.value)),
            ),
            "score" => (status_from_score(Some(c.value), false), None),
            other => panic!("{}: unknown kind {other}", c.case),
        };
        assert_eq!(status, expected, "case {}: status", c.case);
        if let (Some(exp), Some(got)) = (c.expected_score, score) {
            let tol = c.score_tolerance.unwrap_or(0.0);
            assert!(
                close(got, exp, tol),
                "case {}: score {got} expected {exp} ± {tol}",
                c.case
            );
        }
        n += 1;
    }
    assert!(n >= 39, "all band cases read ({n})");
}

// ---------- series.toml ----------

#[derive(Deserialize)]
struct SeriesFile {
    case: Vec<SeriesCase>,
}

#[derive(Deserialize)]
struct SeriesCase {
    id: String,
    points: Vec<(i32, f64)>,
    direction: String,
    base_year: i32,
    target_year: i32,
    target: Option<f64>,
    natural_limit: Option<f64>,
    expected: SeriesExpected,
}

#[derive(Deserialize)]
struct SeriesExpected {
    error: Option<String>,
    method: Option<String>,
    status: Option<String>,
    score: Option<f64>,
    progress_value: Option<f64>,
    refusal: Option<String>,
    base_year: Option<i32>,
    sign: Option<f64>,
    limit_coefficient: Option<f64>,
    threshold_high: Option<f64>,
    threshold_med: Option<f64>,
    target_achieved: Option<bool>,
    base_value_used: Option<f64>,
    cagr_observed: Option<f64>,
    cagr_required: Option<f64>,
}

fn direction(s: &str) -> Direction {
    match s {
        "higher_is_better" => Direction::HigherIsBetter,
        "lower_is_better" => Direction::LowerIsBetter,
        other => panic!("unknown direction {other}"),
    }
}

fn input_of(points: &[(i32, f64)], dir: &str, by: i32, ty: i32, target: Option<f64>, lim: Option<f64>) -> SeriesInput {
    SeriesInput {
        points: points.iter().map(|&(y, v)| Observation::new(y, v)).collect(),
        direction: direction(dir),
        base_year: by,
        target_year: ty,
        target,
        natural_limit: lim,
    }
}

fn check_opt(id: &str, field: &str, got: Option<f64>, exp: Option<f64>) {
    if let Some(e) = exp {
        let g = got.unwrap_or_else(|| panic!("case {id}: {field} missing, expected {e}"));
        assert!(close(g, e, 1e-12), "case {id}: {field} = {g}, expected {e}");
    }
}

#[test]
fn series_cases() {
    let text = std::fs::read_to_string(data_path("series.toml")).expect("series.toml readable");
    let file: SeriesFile = toml::from_str(&text).expect("series.toml parses");
    assert!(file.case.len() >= 30);
    for c in &file.case {
        let input = input_of(
            &c.points,
            &c.direction,
            c.base_year,
            c.target_year,
            c.target,
            c.natural_limit,
        );
        let e = &c.expected;
        let result = measure(&input);
        if let Some(err) = &e.error {
            assert_eq!(err, "duplicate_year", "case {}", c.id);
            assert!(
                matches!(result, Err(InputError::DuplicateYear { year: 2020, .. })),
                "case {}: {result:?}",
                c.id
            );
            continue;
        }
        let r = result.unwrap_or_else(|err| panic!("case {}: unexpected error {err}", c.id));
        let method = match r.method {
            Method::Method1NoTarget => "method1_no_target",
            Method::Method2Target => "method2_target",
        };
        assert_eq!(Some(method), e.method.as_deref(), "case {}: method", c.id);
        assert_eq!(Some(r.status.as_str()), e.status.as_deref(), "case {}: status", c.id);
        assert_eq!(
            r.refusal.as_ref().map(|n| n.code),
            e.refusal.as_deref(),
            "case {}: refusal",
            c.id
        );
        if e.score.is_none() {
            assert_eq!(r.score, None, "case {}: score", c.id);
        }
        if e.progress_value.is_none() {
            assert_eq!(r.progress_value, None, "case {}: progress value", c.id);
        }
        check_opt(&c.id, "score", r.score, e.score);
        check_opt(&c.id, "progress_value", r.progress_value, e.progress_value);
        check_opt(&c.id, "sign", r.sign, e.sign);
        check_opt(&c.id, "limit_coefficient", r.limit_coefficient, e.limit_coefficient);
        check_opt(&c.id, "threshold_high", Some(r.thresholds.high), e.threshold_high);
        check_opt(&c.id, "threshold_med", Some(r.thresholds.med), e.threshold_med);
        check_opt(&c.id, "base_value_used", r.base_value_used, e.base_value_used);
        check_opt(&c.id, "cagr_observed", r.cagr_observed, e.cagr_observed);
        check_opt(&c.id, "cagr_required", r.cagr_required, e.cagr_required);
        if let Some(by) = e.base_year {
            assert_eq!(r.base_year, Some(by), "case {}: base year", c.id);
        }
        if let Some(a) = e.target_achieved {
            assert_eq!(r.target_achieved, a, "case {}: target achieved", c.id);
        }
        // A refusal always comes with a message in both languages, and never with a progress value.
        if let Some(n) = &r.refusal {
            assert!(!n.message_zh.is_empty() && !n.message_en.is_empty(), "case {}", c.id);
            assert!(r.progress_value.is_none(), "case {}", c.id);
        }
    }
}

#[test]
fn series_warnings_are_named() {
    let zero_base = measure(&input_of(
        &[(2015, 0.0), (2020, 5.0)],
        "higher_is_better",
        2015,
        2030,
        Some(10.0),
        None,
    ))
    .expect("valid input");
    assert!(zero_base.warnings.iter().any(|w| w.code == "zero_base_replaced"));
    assert_eq!(zero_base.base_value, Some(0.0));
    assert_eq!(zero_base.base_value_used, Some(0.001));

    let zero_target = measure(&input_of(
        &[(2015, 10.0), (2020, 5.0)],
        "lower_is_better",
        2015,
        2030,
        Some(0.0),
        None,
    ))
    .expect("valid input");
    assert!(zero_target.warnings.iter().any(|w| w.code == "zero_target_replaced"));
    assert_eq!(zero_target.target_used, Some(0.001));

    let moved = measure(&input_of(
        &[(2016, 100.0), (2020, 110.0)],
        "higher_is_better",
        2015,
        2030,
        None,
        None,
    ))
    .expect("valid input");
    assert!(moved.warnings.iter().any(|w| w.code == "base_year_moved"));

    let ignored = measure(&input_of(
        &[(2015, 100.0), (2020, 110.0)],
        "higher_is_better",
        2015,
        2030,
        Some(120.0),
        Some(150.0),
    ))
    .expect("valid input");
    assert!(ignored.warnings.iter().any(|w| w.code == "limit_ignored_with_target"));
    assert_eq!(ignored.limit_coefficient, None);

    let above = measure(&input_of(
        &[(2021, 101.0), (2022, 101.0)],
        "higher_is_better",
        2021,
        2030,
        None,
        Some(100.0),
    ))
    .expect("valid input");
    assert!(above.warnings.iter().any(|w| w.code == "base_above_maximum_limit"));
}

#[test]
fn malformed_inputs_are_errors_with_messages() {
    let dup = measure(&input_of(
        &[(2020, 1.0), (2020, 2.0)],
        "higher_is_better",
        2015,
        2030,
        None,
        None,
    ));
    let err = dup.expect_err("duplicate year refused");
    assert!(err.to_string().contains("2020"), "{err}");
    assert!(err.to_string().contains("duplicate"), "{err}");

    let nan = measure(&input_of(
        &[(2020, f64::NAN), (2021, 2.0)],
        "higher_is_better",
        2015,
        2030,
        None,
        None,
    ));
    assert_eq!(nan, Err(InputError::NonFiniteValue { year: 2020 }));

    let years = measure(&input_of(
        &[(2020, 1.0), (2021, 2.0)],
        "higher_is_better",
        2025,
        2025,
        None,
        None,
    ));
    assert!(matches!(years, Err(InputError::TargetYearNotAfterBaseYear { .. })));

    let inf_target = measure(&input_of(
        &[(2020, 1.0), (2021, 2.0)],
        "higher_is_better",
        2020,
        2025,
        Some(f64::INFINITY),
        None,
    ));
    assert_eq!(inf_target, Err(InputError::NonFiniteParameter { field: "target" }));
}

// ---------- aggregate.toml ----------

#[derive(Deserialize)]
struct AggFile {
    case: Vec<AggCase>,
}

#[derive(Deserialize)]
struct AggChild {
    score: Option<f64>,
    achieved: bool,
}

#[derive(Deserialize)]
struct AggCase {
    id: String,
    groups: Vec<Vec<AggChild>>,
    expected_score: Option<f64>,
    expected_status: String,
    expected_target_achieved: bool,
}

#[test]
fn aggregation_cases() {
    let text = std::fs::read_to_string(data_path("aggregate.toml")).expect("aggregate.toml readable");
    let file: AggFile = toml::from_str(&text).expect("aggregate.toml parses");
    assert!(file.case.len() >= 7);
    for c in &file.case {
        let groups: Vec<Aggregand> = c
            .groups
            .iter()
            .map(|g| {
                let children: Vec<Aggregand> = g
                    .iter()
                    .map(|ch| Aggregand {
                        score: ch.score,
                        target_achieved: ch.achieved,
                    })
                    .collect();
                Aggregand::from(&aggregate(&children))
            })
            .collect();
        let top = aggregate(&groups);
        assert_eq!(top.status.as_str(), c.expected_status, "case {}", c.id);
        assert_eq!(top.target_achieved, c.expected_target_achieved, "case {}", c.id);
        match (top.score, c.expected_score) {
            (Some(g), Some(e)) => assert!(close(g, e, 1e-12), "case {}: {g} vs {e}", c.id),
            (None, None) => {}
            (g, e) => panic!("case {}: score {g:?} expected {e:?}", c.id),
        }
    }
}

// ---------- forecast.toml ----------

#[derive(Deserialize)]
struct ForecastFile {
    case: Vec<ForecastCase>,
}

#[derive(Deserialize)]
struct ForecastCase {
    id: String,
    points: Vec<(i32, f64)>,
    direction: String,
    base_year: i32,
    target_year: i32,
    target: Option<f64>,
    unsd_cagr: Option<f64>,
    unsd_expected: Option<f64>,
    unsd_gap: Option<f64>,
    unsd_meets: Option<bool>,
    unsd_share: Option<f64>,
    unsd_band: Option<String>,
    linear_slope: Option<f64>,
    linear_expected: Option<f64>,
    linear_meets: Option<bool>,
    anticipated_gap_share: Option<f64>,
    years_remaining: Option<i32>,
    required_yearly_change: Option<f64>,
    required_yearly_growth_rate: Option<f64>,
    observed_yearly_change: Option<f64>,
    status: String,
    at_risk: bool,
    assessable: Option<bool>,
    reasons: Vec<String>,
}

#[test]
fn forecast_and_warning_cases() {
    let text = std::fs::read_to_string(data_path("forecast.toml")).expect("forecast.toml readable");
    let file: ForecastFile = toml::from_str(&text).expect("forecast.toml parses");
    assert!(file.case.len() >= 7);
    for c in &file.case {
        let input = input_of(&c.points, &c.direction, c.base_year, c.target_year, c.target, None);
        let row = evaluate(&input).unwrap_or_else(|e| panic!("case {}: {e}", c.id));
        let f = &row.forecast;
        let id = c.id.as_str();
        assert_eq!(row.progress.status.as_str(), c.status, "case {id}: status");
        check_opt(id, "unsd_cagr", f.unsd.as_ref().map(|u| u.cagr), c.unsd_cagr);
        check_opt(
            id,
            "unsd_expected",
            f.unsd.as_ref().map(|u| u.expected_value),
            c.unsd_expected,
        );
        check_opt(
            id,
            "unsd_gap",
            f.unsd.as_ref().and_then(|u| u.gap_to_target),
            c.unsd_gap,
        );
        check_opt(
            id,
            "unsd_share",
            f.unsd.as_ref().and_then(|u| u.expected_share_of_required_change),
            c.unsd_share,
        );
        if let Some(m) = c.unsd_meets {
            assert_eq!(
                f.unsd.as_ref().and_then(|u| u.meets_target),
                Some(m),
                "case {id}: unsd meets"
            );
        }
        if let Some(b) = &c.unsd_band {
            assert_eq!(
                f.unsd.as_ref().and_then(|u| u.band).map(UnsdBand::as_str),
                Some(b.as_str()),
                "case {id}: band"
            );
        }
        check_opt(
            id,
            "linear_slope",
            f.weighted_linear.as_ref().map(|l| l.slope),
            c.linear_slope,
        );
        check_opt(
            id,
            "linear_expected",
            f.weighted_linear.as_ref().map(|l| l.expected_value),
            c.linear_expected,
        );
        if let Some(m) = c.linear_meets {
            assert_eq!(
                f.weighted_linear.as_ref().and_then(|l| l.meets_target),
                Some(m),
                "case {id}: linear meets"
            );
        }
        if c.linear_slope.is_none() {
            assert!(f.weighted_linear.is_none(), "case {id}: no linear fit expected");
        }
        if c.unsd_expected.is_none() && c.unsd_band.is_none() {
            assert!(f.unsd.is_none(), "case {id}: no UNSD forecast expected");
        }
        check_opt(
            id,
            "anticipated_gap_share",
            f.anticipated_gap_share,
            c.anticipated_gap_share,
        );
        if c.anticipated_gap_share.is_none() {
            assert_eq!(f.anticipated_gap_share, None, "case {id}: no anticipated gap expected");
        }
        assert_eq!(f.years_remaining, c.years_remaining, "case {id}: years remaining");
        match (f.required_yearly_change, c.required_yearly_change) {
            (Some(g), Some(e)) => {
                assert!(close(g, e, 1e-12), "case {id}: required change {g} vs {e}");
            }
            (None, None) => {}
            (g, e) => panic!("case {id}: required change {g:?} expected {e:?}"),
        }
        check_opt(
            id,
            "required_yearly_growth_rate",
            f.required_yearly_growth_rate,
            c.required_yearly_growth_rate,
        );
        check_opt(
            id,
            "observed_yearly_change",
            f.observed_yearly_change,
            c.observed_yearly_change,
        );
        assert_eq!(row.warning.at_risk, c.at_risk, "case {id}: at risk");
        let reasons: Vec<String> = row.warning.reasons.iter().map(|r| r.as_str().to_string()).collect();
        assert_eq!(reasons, c.reasons, "case {id}: reasons");
        if let Some(a) = c.assessable {
            assert_eq!(row.warning.assessable, a, "case {id}: assessable");
        }
    }
}
