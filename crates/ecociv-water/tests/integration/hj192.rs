//! Conformance tests for HJ 192-2015: EI, grade bands, environmental restriction, ΔEI bands, sub-indices.

use ecociv_water::hj192::{Change, Grade, Model, RegionInputs, Restriction, SubIndices};

fn m() -> &'static Model {
    Model::embedded()
}

#[test]
fn ei_weighted_sum() {
    let s = SubIndices {
        biological_abundance: 80.0,
        vegetation_cover: 90.0,
        water_network_density: 40.0,
        land_stress: 20.0,
        pollution_load: 10.0,
    };
    // 0.35·80 + 0.25·90 + 0.15·40 + 0.15·80 + 0.10·90 = 28 + 22.5 + 6 + 12 + 9 = 77.5
    let ei = m().ei(&s, Restriction::None);
    assert!((ei.value - 77.5).abs() < 1e-9);
    assert_eq!(ei.grade, Grade::Excellent);
    // Sub-indices above 100 are taken as 100 ([M], data flag).
    let big = SubIndices {
        biological_abundance: 150.0,
        ..s
    };
    assert!((m().ei(&big, Restriction::None).value - (77.5 + 0.35 * 20.0)).abs() < 1e-9);
}

#[test]
fn grade_bands() {
    let g = |v| m().grade(v);
    assert_eq!(g(75.0), Grade::Excellent);
    assert_eq!(g(74.99), Grade::Good);
    assert_eq!(g(55.0), Grade::Good);
    assert_eq!(g(54.99), Grade::Fair);
    assert_eq!(g(35.0), Grade::Fair);
    assert_eq!(g(34.99), Grade::Poor);
    assert_eq!(g(20.0), Grade::Poor);
    assert_eq!(g(19.99), Grade::Bad);
    let labels: Vec<_> = [Grade::Excellent, Grade::Good, Grade::Fair, Grade::Poor, Grade::Bad]
        .iter()
        .map(|g| g.label())
        .collect();
    assert_eq!(labels, ["优", "良", "一般", "较差", "差"]);
}

fn with_ei(target: f64) -> SubIndices {
    // All additive parts equal to `target` gives EI = target (weights sum to 1).
    SubIndices {
        biological_abundance: target,
        vegetation_cover: target,
        water_network_density: target,
        land_stress: 100.0 - target,
        pollution_load: 100.0 - target,
    }
}

#[test]
fn environmental_restriction() {
    let e = m().ei(&with_ei(80.0), Restriction::DropOneGrade);
    assert!((e.raw - 80.0).abs() < 1e-9);
    assert!((e.value - 74.9).abs() < 1e-9);
    assert_eq!(e.grade, Grade::Good);
    let e = m().ei(&with_ei(60.0), Restriction::DropOneGrade);
    assert!((e.value - 54.9).abs() < 1e-9);
    assert_eq!(e.grade, Grade::Fair);
    let e = m().ei(&with_ei(80.0), Restriction::NotExcellentOrGood);
    assert!((e.value - 54.9).abs() < 1e-9);
    assert_eq!(e.grade, Grade::Fair);
    let e = m().ei(&with_ei(40.0), Restriction::NotExcellentOrGood);
    assert!((e.value - 34.9).abs() < 1e-9);
    assert_eq!(e.grade, Grade::Poor);
    // Nothing below 差 to drop to.
    let e = m().ei(&with_ei(10.0), Restriction::DropOneGrade);
    assert!((e.value - 10.0).abs() < 1e-9);
}

#[test]
fn delta_ei_bands() {
    let c = |d: f64| m().change(60.0 + d, 60.0);
    assert_eq!(c(0.0), Change::None);
    assert_eq!(c(0.99), Change::None);
    assert_eq!(c(-0.99), Change::None);
    assert_eq!(c(1.0), Change::Slight { better: true });
    assert_eq!(c(-1.0), Change::Slight { better: false });
    assert_eq!(c(2.99), Change::Slight { better: true });
    assert_eq!(c(3.0), Change::Clear { better: true });
    assert_eq!(c(-7.99), Change::Clear { better: false });
    assert_eq!(c(8.0), Change::Marked { better: true });
    assert_eq!(c(-8.0), Change::Marked { better: false });
    assert_eq!(c(-8.0).label(), "显著变差");
    assert_eq!(c(1.5).label(), "略微变好");
}

#[test]
fn sub_indices_from_land_use() {
    // 100 km² region: 50 dense forest, 20 paddy, 10 river water, 20 urban.
    let r = RegionInputs {
        area_km2: 100.0,
        forest: [50.0, 0.0, 0.0],
        cropland: [20.0, 0.0],
        water: [10.0, 0.0, 0.0],
        built: [20.0, 0.0, 0.0],
        mean_ndvi: 0.0,
        river_length_km: 30.0,
        lake_area_km2: 2.0,
        water_resources: 5000.0,
        erosion: [1.0, 2.0],
        precipitation_mm: 1500.0,
        emissions: [3000.0, 300.0, 500.0, 400.0, 600.0, 0.0],
        ..Default::default()
    };
    // HQ = 511.2642131067 × (0.35·0.6·50 + 0.11·0.6·20 + 0.28·0.1·10 + 0.04·0.3·20) / 100
    let hq = 511.2642131067 * (0.35 * 0.6 * 50.0 + 0.11 * 0.6 * 20.0 + 0.28 * 0.1 * 10.0 + 0.04 * 0.3 * 20.0) / 100.0;
    assert!((m().habitat_quality(&r).unwrap() - hq).abs() < 1e-9);
    let s = m().sub_indices_from(&r).unwrap();
    assert!((s.biological_abundance - hq.min(100.0)).abs() < 1e-9);
    let water: f64 = (84.3704083981 * 0.3 + 591.7908642005 * 0.02 + 86.3869548281 * 50.0) / 3.0;
    assert!((s.water_network_density - water.min(100.0)).abs() < 1e-9);
    let stress: f64 = 236.0435677948 * (0.4 * 1.0 + 0.2 * 2.0 + 0.2 * 20.0) / 100.0;
    assert!((s.land_stress - stress.min(100.0)).abs() < 1e-9);
    let p = 1500.0 * 100.0;
    let load = 0.2 * 4.3937397289 * 3000.0 / p
        + 0.2 * 40.1764754986 * 300.0 / p
        + 0.2 * 0.0648660287 * 500.0 / 100.0
        + 0.1 * 4.0904459321 * 400.0 / 100.0
        + 0.2 * 0.5103049278 * 600.0 / 100.0;
    assert!((s.pollution_load - load).abs() < 1e-9);
    // Bad area is refused.
    assert!(m().sub_indices_from(&RegionInputs::default()).is_err());
}

#[test]
fn flood_year_water_resource_adjustment() {
    let r = |w: f64| RegionInputs {
        water_resources: w,
        water_resources_mean: Some(100.0),
        ..Default::default()
    };
    assert_eq!(m().adjusted_water_resources(&r(140.0)), 140.0);
    assert!((m().adjusted_water_resources(&r(200.0)) - 40.0).abs() < 1e-9); // 100 × (2.4 − 2.0)
    assert_eq!(m().adjusted_water_resources(&r(250.0)), 0.0);
}

#[test]
fn doubtful_coefficients_are_named() {
    let doubtful: Vec<_> = m().table().doubtful().map(|(k, _)| k).collect();
    for k in ["a_veg", "a_sol", "hq_water_beach", "cap_sub_index_at_100"] {
        assert!(doubtful.contains(&k), "{k} should be marked doubtful");
    }
}
