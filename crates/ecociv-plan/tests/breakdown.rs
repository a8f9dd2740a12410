//! The 450202 breakdown against the seed: every measure of chapter 3 and every project of Table 4-1.

use std::collections::{BTreeMap, BTreeSet};

use ecociv_plan::WanYuan;
use ecociv_plan::bundled;
use ecociv_plan::format::{parse_key_projects, parse_measures};
use ecociv_plan::model::{DeadlineBasis, LeadBasis};

const ZONE_TOML: &str = include_str!("../../../data/zones/450202/zone.toml");
const PROJECTS_CSV: &str = include_str!("../../../data/zones/450202/projects.csv");

fn zone_leads() -> BTreeMap<String, Vec<String>> {
    let zone: toml::Table = toml::from_str(ZONE_TOML).unwrap();
    zone["rows"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(row, v)| {
            let lead = v["lead"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap().to_string())
                .collect();
            (row.clone(), lead)
        })
        .collect()
}

#[test]
fn every_measure_of_chapter_3_is_there_with_its_place_in_the_seed() {
    let (measures, _) = bundled::zone("450202").unwrap().unwrap();
    let m = &measures.measures;
    // Chapter 3 has 93 numbered items and two sections without items (三（二）, 三（四）): 154 paragraphs.
    assert_eq!(m.len(), 154);
    let items: BTreeSet<&str> = m.iter().map(|x| x.id.split('-').next().unwrap()).collect();
    assert_eq!(items.len(), 95);
    // Per section of chapter 3 (一 … 六): items.
    let mut per_section = BTreeMap::new();
    for item in &items {
        *per_section.entry(item.split('.').next().unwrap()).or_insert(0) += 1;
    }
    assert_eq!(
        per_section,
        BTreeMap::from([("1", 16), ("2", 33), ("3", 9), ("4", 16), ("5", 13), ("6", 8)])
    );
    let mut lines: Vec<u32> = m.iter().map(|x| x.seed_line).collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "in the seed's order");
    lines.dedup();
    assert!(
        m.iter()
            .all(|x| (312..=961).contains(&x.seed_line) && x.location.starts_with("第三章 "))
    );
    assert_eq!(m.iter().filter(|x| x.deadline_basis == DeadlineBasis::Seed).count(), 17);
    for x in m {
        if let Some(text) = &x.deadline_text {
            assert!(
                x.text.replace(' ', "").contains(&text.replace(' ', "")),
                "{}: {text}",
                x.id
            );
        }
        assert!(x.deadline == 2025 || x.deadline == 2030, "{}", x.id);
    }
}

#[test]
fn derived_leads_are_exactly_the_rows_lead_departments_in_zone_toml() {
    let (measures, _) = bundled::zone("450202").unwrap().unwrap();
    let leads = zone_leads();
    let mut derived = 0;
    for m in &measures.measures {
        for r in &m.rows {
            assert!(leads.contains_key(r), "{}: row {r} not in zone.toml", m.id);
        }
        match m.lead_basis {
            LeadBasis::Derived => {
                derived += 1;
                let mut expected: Vec<String> = Vec::new();
                for r in &m.rows {
                    for d in &leads[r] {
                        if !expected.contains(d) {
                            expected.push(d.clone());
                        }
                    }
                }
                assert_eq!(m.lead, expected, "{}", m.id);
            }
            LeadBasis::Seed => assert!(m.lead.iter().all(|d| m.text.contains(d.as_str())), "{}", m.id),
            LeadBasis::Unassigned => assert!(m.rows.is_empty() && m.lead.is_empty(), "{}", m.id),
        }
        for d in m
            .cooperating
            .iter()
            .chain(&m.streets)
            .chain(&m.places)
            .chain(&m.external)
        {
            assert!(m.text.contains(d.as_str()), "{}: “{d}” is not in the text", m.id);
        }
    }
    assert_eq!(derived, 106);
}

#[test]
fn sub_targets_quote_the_seed() {
    let (measures, _) = bundled::zone("450202").unwrap().unwrap();
    let all: Vec<_> = measures
        .measures
        .iter()
        .flat_map(|m| m.targets.iter().map(move |t| (m, t)))
        .collect();
    assert_eq!(all.len(), 41);
    let find = |what: &str| all.iter().find(|(_, t)| t.what == what).unwrap();
    let (m, t) = find("建成美丽幸福河道");
    assert_eq!(
        (m.id.as_str(), t.value.as_str(), t.unit.as_deref(), t.year),
        ("2.3.3-1", "20", Some("公里"), Some(2025))
    );
    let (m, t) = find("累计完成辖区河道常态化清淤");
    assert_eq!(
        (m.id.as_str(), t.value.as_str(), t.unit.as_deref()),
        ("2.3.3-2", "2", Some("万方"))
    );
    let (m, t) = find("突发环境事件演练");
    assert_eq!(
        (m.id.as_str(), t.value.as_str(), t.unit.as_deref()),
        ("2.8.1-2", "≥5", Some("次/年"))
    );
    let (_, t) = find("生活垃圾分类省级高标准示范小区");
    assert_eq!(
        (t.value.as_str(), t.unit.as_deref(), t.year),
        ("20", Some("个"), Some(2025))
    );
}

#[test]
fn every_project_of_table_4_1_with_the_seed_s_counts_and_totals() {
    let (measures, projects) = bundled::zone("450202").unwrap().unwrap();
    let expected = [
        (1, "生态制度", 3, "249", 4),
        (2, "生态安全", 15, "49665.32", 15),
        (3, "生态空间", 1, "50", 1),
        (4, "生态经济", 7, "261418", 7),
        (5, "生态生活", 13, "83636.45", 14),
        (6, "生态文化", 6, "1211.00", 5),
    ];
    assert_eq!(projects.categories.len(), 6);
    for (c, (number, name, count, investment, names)) in projects.categories.iter().zip(expected) {
        assert_eq!((c.number, c.name.as_str(), c.count), (number, name, count));
        assert_eq!(c.investment, WanYuan::parse(investment).unwrap());
        assert_eq!(c.projects.len(), names, "{name}");
        // The names are the category's content split at "；", as printed.
        assert_eq!(
            c.projects
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join("；"),
            c.content
        );
        // A count that differs from the names listed is a quality note of that category.
        if c.projects.len() != c.count as usize {
            assert!(
                projects.quality.iter().any(|q| q.category == Some(number)),
                "{name}: no quality note"
            );
        }
        for p in &c.projects {
            for m in &p.measures {
                assert!(measures.get(m).is_some());
            }
        }
    }
    assert_eq!(projects.total_count, 45);
    assert_eq!(projects.categories.iter().map(|c| c.count).sum::<u32>(), 45);
    assert_eq!(projects.total_investment, WanYuan(39_622_977));
    assert_eq!(
        WanYuan::sum(projects.categories.iter().map(|c| &c.investment)),
        projects.total_investment
    );
    assert_eq!(projects.projects().count(), 46);
    // The same categories as projects.csv (what the assessment and Table 4-1's Excel sheet read).
    for (line, c) in PROJECTS_CSV.lines().skip(1).zip(&projects.categories) {
        let cols: Vec<&str> = line.split(',').collect();
        assert_eq!(cols[1], c.name);
        assert_eq!(cols[3].parse::<u32>().unwrap(), c.count);
        assert_eq!(WanYuan::parse(cols[4]).unwrap(), c.investment);
    }
    // A project listed under two categories: every name contained in another category's name is noted.
    let all: Vec<_> = projects.projects().collect();
    for a in &all {
        for b in &all {
            if a.category != b.category && b.name.contains(a.name.as_str()) {
                assert!(
                    projects
                        .quality
                        .iter()
                        .any(|q| q.text.contains(&a.id) && q.text.contains(&b.id)),
                    "{} / {} not noted",
                    a.id,
                    b.id
                );
            }
        }
    }
}

#[test]
fn bad_files_are_refused_whole_naming_line_and_field() {
    let (_, measures_text, projects_text) = bundled::ZONES[0];
    let broken = measures_text.replacen("rows_named = [\"4\"]", "rows_named = [\"5\"]", 1);
    let err = parse_measures("m.toml", &broken, None).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    let p = &err.problems[0];
    assert_eq!(p.field.as_deref(), Some("rows_named"));
    let line = p.line.unwrap() as usize;
    assert_eq!(broken.lines().nth(line - 1).unwrap(), "id = \"1.1.3\"");

    let broken = measures_text.replacen(
        "deadline = 2030\ndeadline_basis = \"plan_end\"",
        "deadline = 2030\ndeadline_basis = \"seed\"",
        1,
    );
    assert_eq!(
        parse_measures("m.toml", &broken, None).unwrap_err().problems[0]
            .field
            .as_deref(),
        Some("deadline_text")
    );
    let rows = ["1", "2"];
    assert!(parse_measures("m.toml", measures_text, Some(&rows)).is_err());

    let broken = projects_text.replacen(
        "investment_wan_yuan = \"49665.32\"",
        "investment_wan_yuan = \"49665.33\"",
        1,
    );
    let err = parse_key_projects("p.toml", &broken, None).unwrap_err();
    assert_eq!(err.problems[0].field.as_deref(), Some("total_investment_wan_yuan"));
    let broken = projects_text.replacen("count = 15", "count = 16", 1);
    assert_eq!(
        parse_key_projects("p.toml", &broken, None).unwrap_err().problems[0]
            .field
            .as_deref(),
        Some("total_count")
    );
    let broken = projects_text.replacen("total_count = 45", "total_count = \"45\"", 1);
    let err = parse_key_projects("p.toml", &broken, None).unwrap_err();
    assert_eq!(
        err.problems[0].line,
        Some(broken.lines().position(|l| l.starts_with("total_count")).unwrap() as u64 + 1)
    );
}

#[test]
fn the_ledger_file_round_trips_and_refuses_unknown_projects() {
    use ecociv_plan::format::{ledger_to_toml, parse_ledger};
    use ecociv_plan::model::{FundingSource, LedgerEntry, Milestone};
    use ecociv_plan::{Date, WanYuan};
    let (_, projects) = bundled::zone("450202").unwrap().unwrap();
    let entries = vec![LedgerEntry {
        project: "5.11".into(),
        responsible: "城中区住建局\"测试\"".into(),
        start_year: 2023,
        end_year: 2024,
        estimated: WanYuan::parse("12.5").unwrap(),
        plan: vec![(2023, FundingSource("区级财政".into()), WanYuan::parse("12.50").unwrap())],
        milestones: vec![Milestone {
            name: "验收".into(),
            due: Date::parse("2024-12-31").unwrap(),
            done: None,
        }],
    }];
    let text = ledger_to_toml(&entries);
    assert_eq!(parse_ledger("l.toml", &text, &projects).unwrap(), entries);
    let bad = text.replace("id = \"5.11\"", "id = \"7.01\"");
    let err = parse_ledger("l.toml", &bad, &projects).unwrap_err();
    assert_eq!(err.problems[0].field.as_deref(), Some("id"));
    assert_eq!(err.problems[0].line, Some(5));
}

#[test]
fn the_synthetic_reports_file_reads_and_a_workflow_break_is_refused_with_its_line() {
    use ecociv_plan::format::{parse_period, parse_reports};
    let (measures, projects) = bundled::zone("450202").unwrap().unwrap();
    let text = include_str!("../../../data/synthetic/plan/progress_reports.SYNTHETIC.toml");
    let book = parse_reports("r.toml", text, &measures, &projects).unwrap();
    assert!(book.revisions().len() >= 10);
    // The same approval twice: the second is refused, naming its entry's line.
    let twice = format!(
        "{text}\n[[report]]\nmeasure = \"5.1.3-2\"\nperiod = \"2025Q1\"\ndepartment = \"城中区卫生健康局\"\nstate = \"approved\"\nstatus = \"推进中\"\npercent = 50\non = \"2025-05-01\"\nby = \"王五\"\n"
    );
    let err = parse_reports("r.toml", &twice, &measures, &projects).unwrap_err();
    assert_eq!(err.problems.len(), 1);
    let line = err.problems[0].line.unwrap() as usize;
    assert_eq!(twice.lines().nth(line - 1), Some("[[report]]"));
    assert_eq!(
        line,
        twice
            .lines()
            .enumerate()
            .filter(|(_, l)| *l == "[[report]]")
            .last()
            .unwrap()
            .0
            + 1,
        "the last entry"
    );
    assert_eq!(parse_period("2025Q3").unwrap().to_string(), "2025年第3季度");
    assert!(parse_period("2025Q5").is_err());
    assert!(parse_period("二〇二五").is_err());
}
