//! Conformance tests for the 2015 black-odorous water guideline.

use ecociv_water::black_odorous::{Indicator, Level, Sample, Thresholds};

fn t() -> &'static Thresholds {
    Thresholds::embedded()
}

fn sd(v: f64) -> Sample {
    Sample {
        transparency_cm: Some(v),
        ..Default::default()
    }
}

#[test]
fn transparency_levels() {
    let l = |v| t().indicator_level(&sd(v), Indicator::Transparency).unwrap();
    assert_eq!(l(30.0), Level::None);
    assert_eq!(l(25.0), Level::None);
    assert_eq!(l(24.9), Level::Light);
    assert_eq!(l(10.0), Level::Light);
    assert_eq!(l(9.9), Level::Heavy);
    assert_eq!(t().indicator_level(&Sample::default(), Indicator::Transparency), None);
}

#[test]
fn shallow_water_forty_percent_rule() {
    let s = |sd_cm, depth| Sample {
        transparency_cm: Some(sd_cm),
        depth_cm: Some(depth),
        ..Default::default()
    };
    // Depth 20 cm → threshold 8 cm.
    assert_eq!(t().transparency_level(&s(7.9, 20.0)), Some(Level::Heavy));
    assert_eq!(t().transparency_level(&s(8.0, 20.0)), Some(Level::Light));
    // 9 cm in 20 cm water would be 重度 by the deep-water table (< 10) but is 轻度 here.
    assert_eq!(t().transparency_level(&s(9.0, 20.0)), Some(Level::Light));
    // Clear to the bottom → not black-odorous.
    let clear = Sample {
        clear_to_bottom: true,
        ..s(20.0, 20.0)
    };
    assert_eq!(t().transparency_level(&clear), Some(Level::None));
    // Depth 25 cm is not shallow: the normal table applies.
    assert_eq!(t().transparency_level(&s(9.0, 25.0)), Some(Level::Heavy));
    assert_eq!(t().transparency_level(&s(25.0, 25.0)), Some(Level::None));
}

#[test]
fn do_orp_nh3n_levels() {
    let lvl = |s: Sample, i| t().indicator_level(&s, i).unwrap();
    let d = |v| Sample {
        do_mg_l: Some(v),
        ..Default::default()
    };
    assert_eq!(lvl(d(0.19), Indicator::Do), Level::Heavy);
    assert_eq!(lvl(d(0.2), Indicator::Do), Level::Light);
    assert_eq!(lvl(d(1.99), Indicator::Do), Level::Light);
    assert_eq!(lvl(d(2.0), Indicator::Do), Level::None);
    let o = |v| Sample {
        orp_mv: Some(v),
        ..Default::default()
    };
    assert_eq!(lvl(o(-201.0), Indicator::Orp), Level::Heavy);
    assert_eq!(lvl(o(-200.0), Indicator::Orp), Level::Light);
    assert_eq!(lvl(o(49.9), Indicator::Orp), Level::Light);
    assert_eq!(lvl(o(50.0), Indicator::Orp), Level::None);
    let n = |v| Sample {
        nh3n_mg_l: Some(v),
        ..Default::default()
    };
    assert_eq!(lvl(n(8.0), Indicator::Nh3n), Level::None);
    assert_eq!(lvl(n(8.1), Indicator::Nh3n), Level::Light);
    assert_eq!(lvl(n(15.0), Indicator::Nh3n), Level::Light);
    assert_eq!(lvl(n(15.1), Indicator::Nh3n), Level::Heavy);
    // A sample takes its worst indicator.
    let mixed = Sample {
        do_mg_l: Some(1.0),
        nh3n_mg_l: Some(20.0),
        transparency_cm: Some(40.0),
        ..Default::default()
    };
    assert_eq!(t().sample_level(&mixed), Some(Level::Heavy));
}

fn heavy_nh3n() -> Sample {
    Sample {
        nh3n_mg_l: Some(20.0),
        do_mg_l: Some(3.0),
        ..Default::default()
    }
}
fn heavy_do() -> Sample {
    Sample {
        nh3n_mg_l: Some(5.0),
        do_mg_l: Some(0.1),
        ..Default::default()
    }
}
fn light() -> Sample {
    Sample {
        nh3n_mg_l: Some(10.0),
        do_mg_l: Some(1.0),
        ..Default::default()
    }
}
fn clean() -> Sample {
    Sample {
        nh3n_mg_l: Some(1.0),
        do_mg_l: Some(6.0),
        transparency_cm: Some(50.0),
        orp_mv: Some(120.0),
        ..Default::default()
    }
}

#[test]
fn point_rule_one_indicator_sixty_percent() {
    // NH3-N 重度 in 3 of 5 samples = 60 % → 重度.
    let p = [heavy_nh3n(), heavy_nh3n(), heavy_nh3n(), light(), light()];
    let v = t().point_verdict(&p);
    assert_eq!(v.level, Level::Heavy);
    assert_eq!(v.heavy_shares[3], Some(60.0));
    // 2 of 5 = 40 % on one indicator only → 轻度.
    let p = [heavy_nh3n(), heavy_nh3n(), light(), light(), light()];
    assert_eq!(t().point_verdict(&p).level, Level::Light);
}

#[test]
fn point_rule_two_indicators_thirty_percent() {
    // NH3-N 重度 in 3 of 10 (30 %) and DO 重度 in 3 of 10 (30 %) → 重度.
    let mut p = vec![heavy_nh3n(); 3];
    p.extend(vec![heavy_do(); 3]);
    p.extend(vec![light(); 4]);
    assert_eq!(t().point_verdict(&p).level, Level::Heavy);
    // Only 2 of 10 DO heavy (20 %) → 轻度.
    let mut p = vec![heavy_nh3n(); 3];
    p.extend(vec![heavy_do(); 2]);
    p.extend(vec![light(); 5]);
    assert_eq!(t().point_verdict(&p).level, Level::Light);
}

#[test]
fn clean_point_is_not_black_odorous() {
    assert_eq!(t().point_verdict(&[clean(), clean(), clean()]).level, Level::None);
}

#[test]
fn body_rules() {
    use Level::{Heavy as H, Light as L, None as N};
    // 3 of 5 points 重度 (60 %) → whole body 重度.
    let v = t().body_verdict(&[H, L, H, L, H]);
    assert_eq!(v.level, Level::Heavy);
    assert!(v.heavy_stretches.is_empty());
    // 2 of 5 → not whole; no run of 3.
    let v = t().body_verdict(&[H, H, L, L, L]);
    assert_eq!(v.level, Level::Light);
    assert!(v.heavy_stretches.is_empty());
    // 3 consecutive 重度 in 8 points (37.5 %) → a 重度 stretch 2..5, body not wholly 重度.
    let v = t().body_verdict(&[L, L, H, H, H, L, L, L]);
    assert_eq!(v.level, Level::Light);
    assert_eq!(v.heavy_stretches, vec![2..5]);
    // Runs at the end are found too.
    let v = t().body_verdict(&[L, L, L, L, L, H, H, H, H]);
    assert_eq!(v.heavy_stretches, vec![5..9]);
    // All clean → eliminated.
    let v = t().body_verdict(&[N, N, N]);
    assert_eq!(v.level, Level::None);
    assert!(!v.is_black_odorous());
}
