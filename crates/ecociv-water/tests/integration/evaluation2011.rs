//! Conformance tests for the 2011 surface-water evaluation method: period means, proportion method, river
//! rating by mean concentrations, and TLI.

use ecociv_water::evaluation2011::{
    ClassCounts, PeriodAccumulator, RiverMethod, Status, Thresholds, TliInputs, TliModel, TrophicState,
    rate_by_proportion, rate_river,
};
use ecociv_water::gb3838::{ITEM_COUNT, Item, Table, Values, WaterClass, Waterbody};

fn counts(total: usize, i_iii: usize, worse_v: usize) -> ClassCounts {
    ClassCounts { total, i_iii, worse_v }
}

fn rate(total: usize, i_iii: usize, worse_v: usize) -> Status {
    rate_by_proportion(counts(total, i_iii, worse_v), Thresholds::embedded()).unwrap()
}

#[test]
fn shipped_thresholds_are_the_documented_ones() {
    let t = Thresholds::embedded();
    assert_eq!(t.proportion_min_sections, 5);
    assert_eq!(
        (
            t.excellent_min_share_i_iii,
            t.good_min_share_i_iii,
            t.moderate_min_share_worse_v,
            t.heavy_min_share_worse_v
        ),
        (90.0, 75.0, 20.0, 40.0)
    );
    assert_eq!(t.heavy_max_share_i_iii, 75.0);
}

#[test]
fn proportion_method_bands() {
    // 优: I–III ≥ 90 % (exactly 90 % included).
    assert_eq!(rate(10, 10, 0), Status::Excellent);
    assert_eq!(rate(10, 9, 1), Status::Excellent);
    // 良好: 75 % ≤ I–III < 90 %.
    assert_eq!(rate(100, 89, 0), Status::Good);
    assert_eq!(rate(20, 15, 5), Status::Good); // 75 % exactly; 劣V 25 % does not matter
    // 轻度: I–III < 75 %, 劣V < 20 %.
    assert_eq!(rate(20, 14, 0), Status::Light);
    assert_eq!(rate(100, 74, 19), Status::Light);
    // 中度: I–III < 75 %, 20 % ≤ 劣V < 40 %.
    assert_eq!(rate(10, 7, 2), Status::Moderate);
    assert_eq!(rate(100, 60, 39), Status::Moderate);
    // 重度: 劣V ≥ 40 % (with I–III below the disputed bound, 75 % as shipped).
    assert_eq!(rate(10, 5, 4), Status::Heavy);
    assert_eq!(rate(10, 6, 4), Status::Heavy);
    assert_eq!(rate(5, 0, 5), Status::Heavy);
    assert_eq!(rate_by_proportion(counts(0, 0, 0), Thresholds::embedded()), None);
}

#[test]
fn disputed_heavy_bound_is_data() {
    let text =
        include_str!("../../data/evaluation2011.csv").replace("heavy_max_share_i_iii,75,", "heavy_max_share_i_iii,60,");
    let t = Thresholds::parse(&text).unwrap();
    // With the 60 % reading, 60 % I–III and 40 % 劣V is no longer 重度 but falls to 中度.
    assert_eq!(rate_by_proportion(counts(10, 6, 4), &t), Some(Status::Moderate));
    assert_eq!(rate_by_proportion(counts(10, 5, 4), &t), Some(Status::Heavy));
}

#[test]
fn doubtful_entries_must_name_their_doubt() {
    let text = include_str!("../../data/evaluation2011.csv").replace(
        "heavy_max_share_i_iii,75,C,\"DOUBT",
        "heavy_max_share_i_iii,75,C,,\"DOUBT",
    );
    assert!(Thresholds::parse(&text).is_err());
}

fn values(pairs: &[(Item, f64)]) -> Values {
    let mut v = [None; ITEM_COUNT];
    for &(i, x) in pairs {
        v[i.index()] = Some(x);
    }
    v
}

#[test]
fn period_value_is_the_arithmetic_mean() {
    let t = Table::embedded();
    let mut acc = PeriodAccumulator::new(Waterbody::River);
    // NH3-N 0.8, 1.6, 1.2 → mean 1.2 → IV even though two samples are III-or-better and one is V.
    acc.add(&values(&[(Item::Nh3n, 0.8), (Item::Do, 7.0)]));
    acc.add(&values(&[(Item::Nh3n, 1.6)]));
    acc.add(&values(&[(Item::Nh3n, 1.2), (Item::Do, 5.0)]));
    assert_eq!(acc.samples(), 3);
    assert_eq!(acc.item_count(Item::Do), 2);
    let m = acc.means();
    assert!((m[Item::Nh3n.index()].unwrap() - 1.2).abs() < 1e-12);
    assert!((m[Item::Do.index()].unwrap() - 6.0).abs() < 1e-12);
    let a = acc.evaluate(t);
    assert_eq!(a.class, Some(WaterClass::IV));
    assert_eq!(a.item_classes[Item::Do.index()], Some(WaterClass::II));
}

fn section(pairs: &[(Item, f64)]) -> PeriodAccumulator {
    let mut acc = PeriodAccumulator::new(Waterbody::River);
    acc.add(&values(pairs));
    acc
}

#[test]
fn river_with_fewer_than_five_sections_uses_mean_concentrations() {
    let t = Table::embedded();
    // Sections: NH3-N 0.4 (II), 0.6 (III), 2.3 (劣V); mean 1.1 → IV. The proportion method would not apply.
    let secs = [
        section(&[(Item::Nh3n, 0.4)]),
        section(&[(Item::Nh3n, 0.6)]),
        section(&[(Item::Nh3n, 2.3)]),
    ];
    let r = rate_river(&secs, Waterbody::River, t, Thresholds::embedded());
    assert_eq!(r.method, RiverMethod::MeanConcentration);
    assert_eq!(r.mean_class, Some(WaterClass::IV));
    assert_eq!(r.status, Some(Status::Light));
    assert_eq!(r.counts, counts(3, 2, 1));
}

#[test]
fn river_with_five_sections_uses_proportions() {
    let t = Table::embedded();
    // 4 of 5 sections at III or better (80 %) → 良好, although the mean NH3-N (0.98) would be III.
    let secs = [
        section(&[(Item::Nh3n, 0.1)]),
        section(&[(Item::Nh3n, 0.2)]),
        section(&[(Item::Nh3n, 0.3)]),
        section(&[(Item::Nh3n, 0.3)]),
        section(&[(Item::Nh3n, 4.0)]),
    ];
    let r = rate_river(&secs, Waterbody::River, t, Thresholds::embedded());
    assert_eq!(r.method, RiverMethod::Proportion);
    assert_eq!(r.status, Some(Status::Good));
    assert_eq!(r.mean_class, None);
}

/// TLI coefficients typed again from standards.md §3.1 (double entry).
const TLI: [(f64, f64, f64); 5] = [
    (25.0, 10.86, 1.0),
    (94.36, 16.24, 0.7056),
    (54.53, 16.94, 0.6724),
    (51.18, -19.4, 0.6889),
    (1.09, 26.6, 0.6889),
];

#[test]
fn tli_matches_the_formula() {
    let m = TliModel::embedded();
    assert_eq!(m.params, TLI);
    let x = TliInputs {
        chla: Some(12.0),
        tp: Some(0.08),
        tn: Some(1.3),
        sd: Some(0.6),
        codmn: Some(4.5),
    };
    let vals = [12.0f64, 0.08, 1.3, 0.6, 4.5];
    let num: f64 = TLI.iter().zip(vals).map(|((a, b, r2), v)| r2 * (a + b * v.ln())).sum();
    let den: f64 = TLI.iter().map(|t| t.2).sum();
    let got = m.tli(&x).unwrap().unwrap();
    assert!((got.value - num / den).abs() < 1e-9);
    assert_eq!(got.parameters, 5);
    // Hand-checked single-parameter values: ln 1 = 0.
    let one = |f: fn(&mut TliInputs)| {
        let mut i = TliInputs::default();
        f(&mut i);
        m.tli(&i).unwrap().unwrap().value
    };
    assert!((one(|i| i.chla = Some(1.0)) - 25.0).abs() < 1e-12);
    assert!((one(|i| i.tp = Some(1.0)) - 94.36).abs() < 1e-12);
    assert!((one(|i| i.sd = Some(1.0)) - 51.18).abs() < 1e-12);
    // chla = 10 mg/m³: 25 + 10.86 ln 10 = 50.00607…
    assert!((one(|i| i.chla = Some(10.0)) - 50.006_074).abs() < 1e-5);
    assert_eq!(m.tli(&TliInputs::default()).unwrap(), None);
    assert!(
        m.tli(&TliInputs {
            tp: Some(0.0),
            ..Default::default()
        })
        .is_err()
    );
}

#[test]
fn tli_bands() {
    let m = TliModel::embedded();
    assert_eq!(m.state(29.99), TrophicState::Oligotrophic);
    assert_eq!(m.state(30.0), TrophicState::Mesotrophic);
    assert_eq!(m.state(50.0), TrophicState::Mesotrophic);
    assert_eq!(m.state(50.01), TrophicState::LightEutrophic);
    assert_eq!(m.state(60.0), TrophicState::LightEutrophic);
    assert_eq!(m.state(60.01), TrophicState::MiddleEutrophic);
    assert_eq!(m.state(70.0), TrophicState::MiddleEutrophic);
    assert_eq!(m.state(70.01), TrophicState::HeavyEutrophic);
    assert_eq!(m.state(70.01).label(), "重度富营养");
}
