//! Zone figures (8.1, 8.2, 8.3, 9, 23) from small records.

use ecociv_water::black_odorous::Thresholds as BoThresholds;
use ecociv_water::evaluation2011::Thresholds;
use ecociv_water::gb3838::Table;
use ecociv_water::hj192::Model;
use ecociv_water::ingest::{annual, read_bodies, read_ei, read_survey};
use ecociv_water::zone::{black_odorous_figure, drinking_figure, ei_figure, section_figures};

use super::ingest::{HEADER, row};

#[test]
fn section_shares_and_change_against_base_year() {
    let mut lines = vec![HEADER.to_string()];
    // 2020: 4 sections: 2 at III or better, 1 IV, 1 劣V → 50 %, 25 %.
    lines.push(row("S1", "2020-06-01", "river", &[("nh3n", "0.4")]));
    lines.push(row("S2", "2020-06-01", "river", &[("nh3n", "0.9")]));
    lines.push(row("S3", "2020-06-01", "river", &[("nh3n", "1.4")]));
    lines.push(row("S4", "2020-06-01", "river", &[("nh3n", "2.4")]));
    // 2024: 3 at III or better, 1 V, none 劣V → 75 %, 0 %.
    lines.push(row("S1", "2024-06-01", "river", &[("nh3n", "0.4")]));
    lines.push(row("S2", "2024-06-01", "river", &[("nh3n", "0.9")]));
    lines.push(row("S3", "2024-06-01", "river", &[("nh3n", "0.2")]));
    lines.push(row("S3", "2024-07-01", "river", &[("nh3n", "0.4")]));
    lines.push(row("S4", "2024-06-01", "river", &[("nh3n", "1.9")]));
    let rows = annual(lines.join("\n").as_bytes(), Table::embedded(), Thresholds::embedded()).unwrap();
    let f = section_figures(&rows, 2024, Some(2020));
    assert_eq!(f.len(), 2);
    assert_eq!((f[0].row, f[0].value, f[0].change), ("8.1", 75.0, Some(25.0)));
    assert_eq!((f[1].row, f[1].value, f[1].change), ("8.2", 0.0, Some(-25.0)));
    assert_eq!(f[0].provenance.units, 4);
    assert_eq!(f[0].provenance.samples, 5);
    // Classes in Chinese text with the Roman numerals of Unicode (issue 17: no Latin "S4:V" on a Chinese
    // page), in English as the class's symbol.
    assert!(f[0].provenance.detail.contains("S4：Ⅴ类"), "{}", f[0].provenance.detail);
    assert!(!f[0].provenance.detail.contains(":V"));
    assert!(
        f[0].provenance.detail_en.contains("S4: V"),
        "{}",
        f[0].provenance.detail_en
    );
    assert!(section_figures(&rows, 2019, None).is_empty());

    let d = drinking_figure(&rows, 2020).unwrap();
    assert_eq!((d.row, d.value), ("23", 50.0));
}

#[test]
fn black_odorous_share_eliminated() {
    let bodies = read_bodies("body,name\nB1,东沟\nB2,西沟\nB3,南沟\n".as_bytes()).unwrap();
    let mut s = String::from("body,point_seq,date,depth_cm,transparency_cm,clear_to_bottom,do,orp,nh3n\n");
    // B1: three clean points, 3 samples each → eliminated.
    for p in 1..=3 {
        for d in 1..=3 {
            s.push_str(&format!("B1,{p},2024-05-0{d},80,40,0,5,120,1\n"));
        }
    }
    // B2: heavy NH3-N at every point → still black-odorous.
    for p in 1..=3 {
        s.push_str(&format!("B2,{p},2024-05-01,80,40,0,5,120,20\n"));
    }
    // B3: no 2024 data → counted as not eliminated.
    s.push_str("B3,1,2023-05-01,80,40,0,5,120,1\n");
    let survey = read_survey(s.as_bytes()).unwrap();
    let f = black_odorous_figure(&bodies, &survey, 2024, BoThresholds::embedded()).unwrap();
    assert_eq!(f.row, "8.3");
    assert!((f.value - 100.0 / 3.0).abs() < 1e-9);
    assert_eq!(f.provenance.units, 3);
    assert_eq!(f.provenance.samples, 12);
    assert!(f.provenance.detail.contains("B2:重度黑臭"));
    assert!(f.provenance.detail.contains("B3:无监测数据"));
    assert!(black_odorous_figure(&bodies, &survey, 2022, BoThresholds::embedded()).is_none());
}

#[test]
fn ei_figure_with_change() {
    let ei = "year,biological_abundance,vegetation_cover,water_network_density,land_stress,pollution_load,restriction\n\
              2020,60,60,60,40,40,\n2024,64,64,64,36,36,\n";
    let rows = read_ei(ei.as_bytes()).unwrap();
    let f = ei_figure(&rows, 2024, Some(2020), Model::embedded()).unwrap();
    assert_eq!(f.row, "9");
    assert!((f.value - 64.0).abs() < 1e-9);
    assert!((f.change.unwrap() - 4.0).abs() < 1e-9);
    assert!(f.provenance.detail.contains("明显变好"));
    assert!(ei_figure(&rows, 2021, None, Model::embedded()).is_none());
}
