//! Render-time benchmark of the pages on the example zone (450202): building each view from the core's
//! types and rendering it, per request, as the server does. Peer: the same assessment serialised to the
//! API's JSON (`ecociv_report::json::assessment`), which the JSON API does per request.
//!
//! Run: `cargo bench -p ecociv-web --bench render` (release profile). Prints p50 / p99 / max per page.

use std::hint::black_box;
use std::time::{Duration, Instant};

use ecociv_core::targets::check_targets;
use ecociv_core::{Assessment, assess};
use ecociv_web::Lang;
use ecociv_web::layout::{PageContext, ZoneBadge};
use ecociv_web::pages::dashboard::{DashboardView, DepartmentProgress};
use ecociv_web::pages::indicator::IndicatorView;
use ecociv_web::pages::table::{Table21View, TableFilter};
use ecociv_web::pages::{dashboard, indicator, table};

const RUNS: usize = 2_000;

fn measure(name: &str, mut work: impl FnMut() -> usize) {
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for _ in 0..50 {
        black_box(work());
    }
    for _ in 0..RUNS {
        let start = Instant::now();
        bytes = black_box(work());
        times.push(start.elapsed());
    }
    times.sort_unstable();
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p) as usize];
    println!(
        "{name:<34} p50 {:>8.1} µs   p99 {:>8.1} µs   max {:>8.1} µs   {:>7} bytes",
        pct(0.5).as_secs_f64() * 1e6,
        pct(0.99).as_secs_f64() * 1e6,
        times[times.len() - 1].as_secs_f64() * 1e6,
        bytes
    );
}

fn main() {
    let loaded = ecociv_data::load_zone("450202").expect("bundled zone");
    let (framework, zone) = (loaded.framework, loaded.zone);
    let years = zone.years();
    let ctx = PageContext {
        lang: Lang::Zh,
        path: "/z/450202".into(),
        user: None,
        zone: Some(ZoneBadge {
            code: "450202".into(),
            name: zone.profile.name.clone(),
            name_en: zone.profile.name_en.clone(),
        }),
        csrf_token: None,
        flash: None,
    };
    let checks = || {
        let mut checks = check_targets(&framework, &zone, 2025);
        checks.extend(check_targets(&framework, &zone, 2030));
        checks
    };
    let assessment = || -> Assessment { assess(&framework, &zone, 2021) };
    println!("ecociv-web page render, zone 450202, year 2021, {RUNS} runs each (assessment included in every run)");
    measure("peer: assess + API JSON", || {
        ecociv_report::json::assessment(&assessment()).to_string().len()
    });
    measure("dashboard (assess + build + render)", || {
        let a = assessment();
        let view = DashboardView::build(
            &framework,
            &zone,
            &a,
            years.clone(),
            DepartmentProgress::from_assessment(&a),
        );
        dashboard::render_dashboard(&ctx, &view).len()
    });
    measure("table 2-1 (assess + checks + render)", || {
        let view = Table21View::build(
            &framework,
            &zone,
            &assessment(),
            &checks(),
            years.clone(),
            TableFilter::default(),
        );
        table::render_table(&ctx, &view).len()
    });
    measure("indicator 3 with chart", || {
        let view =
            IndicatorView::build(&framework, &zone, &assessment(), &checks(), "3", years.clone()).expect("row 3");
        indicator::render_indicator(&ctx, &view).len()
    });
}
