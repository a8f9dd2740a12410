//! Structural tests of every page: well-formed, labelled, linked locally, and showing what the core
//! computed (readiness, statuses, filters, explanations, validation messages next to their fields).

use std::collections::BTreeMap;

use ecociv_core::Status;
use ecociv_web::Lang;
use ecociv_web::pages::dashboard::DepartmentProgress;
use ecociv_web::pages::table::TableFilter;
use ecociv_web::pages::{self, entry};

use crate::fixtures::{EPB, Fixture, all_pages, ctx};
use crate::html::{Element, parse};

fn doc(html: &str) -> Element {
    parse(html).unwrap_or_else(|error| panic!("malformed page: {error}\n{html}"))
}

#[test]
fn every_page_is_well_formed_labelled_and_local_in_both_languages() {
    let fixture = Fixture::load();
    for lang in Lang::ALL {
        for (name, html) in all_pages(&fixture, lang) {
            let page = doc(&html);
            let root = &page.tag_all("html")[0];
            assert_eq!(root.attr("lang"), Some(lang.code()), "{name}");
            assert!(
                !html.contains('⟦'),
                "{name} ({}) has a missing label: {}",
                lang.code(),
                html.split('⟦').nth(1).unwrap_or("").split('⟧').next().unwrap_or("")
            );
            assert_eq!(page.tag_all("h1").len(), 1, "{name}: one h1");
            assert!(!page.tag_all("title")[0].text().trim().is_empty(), "{name}: title");
            // Nothing from another host: every href/src/action is a local path or an anchor.
            for element in page.descendants() {
                for attr in ["href", "src", "action"] {
                    if let Some(url) = element.attr(attr) {
                        assert!(url.starts_with('/') || url.starts_with('#'), "{name}: {attr}={url}");
                    }
                }
            }
            // Every form control has a label pointing at it (hidden fields and buttons aside).
            for control in page.find_all(|e| matches!(e.tag.as_str(), "input" | "select" | "textarea")) {
                if control.attr("type") == Some("hidden") {
                    continue;
                }
                let id = control
                    .attr("id")
                    .unwrap_or_else(|| panic!("{name}: control without id {:?}", control.attrs));
                assert!(
                    page.find_all(|e| e.tag == "label" && e.attr("for") == Some(id)).len() == 1,
                    "{name}: control {id} has no label"
                );
            }
            // Every status colour class also carries its text.
            for badge in page.find_all(|e| e.has_class("status")) {
                assert!(!badge.text().trim().is_empty(), "{name}: empty status badge");
            }
            // The language switch leads to the other language and back to this page.
            let switch = page.find_all(|e| e.has_class("lang"));
            assert_eq!(switch.len(), 1, "{name}");
            assert!(
                switch[0]
                    .attr("href")
                    .unwrap()
                    .starts_with(&format!("/lang/{}?next=", lang.other().code()))
            );
        }
    }
}

#[test]
fn post_forms_carry_the_csrf_token() {
    let fixture = Fixture::load();
    for (name, html) in all_pages(&fixture, Lang::Zh) {
        let page = doc(&html);
        for form in page.find_all(|e| e.tag == "form" && e.attr("method") == Some("post")) {
            let has_token = form
                .find_all(|e| e.tag == "input" && e.attr("name") == Some("csrf_token"))
                .iter()
                .any(|input| input.attr("value") == Some("tok123"));
            // The login page is rendered here for an anonymous visitor without a token in the context.
            assert!(
                has_token || name == "login",
                "{name}: POST form to {:?} without CSRF token",
                form.attr("action")
            );
        }
    }
}

#[test]
fn dashboard_shows_the_cores_readiness_counts_and_lists() {
    let fixture = Fixture::load();
    let assessment = fixture.assessment(2021);
    let view = fixture.dashboard(2021);
    // Counts are of indicators and add up to the framework's indicators, by domain and by attribute.
    let indicators = fixture.framework.indicators.len();
    assert_eq!(view.total.total(), indicators);
    assert_eq!(view.by_domain.iter().map(|c| c.total()).sum::<usize>(), indicators);
    assert_eq!(view.by_attribute.iter().map(|c| c.total()).sum::<usize>(), indicators);
    let expected_not_met = assessment
        .rows
        .iter()
        .filter(|r| r.is_indicator && r.status == Status::NotMet)
        .count();
    assert_eq!(view.total.not_met, expected_not_met);

    let html = pages::dashboard::render_dashboard(&ctx(Lang::Zh, None), &view);
    let page = doc(&html);
    let readiness = page.find_all(|e| e.has_class("band"))[0];
    let verdict = if assessment.readiness.ready {
        "具备申报条件"
    } else {
        "尚不具备申报条件"
    };
    assert_eq!(readiness.find_all(|e| e.has_class("verdict"))[0].text().trim(), verdict);
    assert!(readiness.text().contains(&format!(
        "{}/{}",
        assessment.readiness.reference_met, assessment.readiness.reference_total
    )));
    // Each leaf row not met is listed with a link to its page and a 不达标 badge.
    let not_met_leaves: Vec<&str> = assessment
        .rows
        .iter()
        .filter(|r| {
            r.status == Status::NotMet
                && !(r.is_indicator && assessment.rows.iter().any(|o| !o.is_indicator && o.indicator == r.id))
        })
        .map(|r| r.id.as_str())
        .collect();
    assert!(
        !not_met_leaves.is_empty(),
        "the 2021 plan has rows not met (e.g. 1 正在制定)"
    );
    let section = page.by_id("notmet-h").unwrap();
    assert!(section.text().contains(&format!("{}行", not_met_leaves.len())));
    // The top band names them too, with the binding count, the reference threshold and the waiting rows.
    let band = readiness.text();
    for id in &not_met_leaves {
        assert!(band.contains(id), "band names not-met row {id}: {band}");
    }
    let binding = &view.by_attribute[0];
    assert!(
        band.contains(&format!("{}/{}项", binding.met, binding.total())),
        "{band}"
    );
    assert!(band.contains("要求不低于80.0%"), "{band}");
    assert!(
        band.contains(&format!("{} / {}行", view.waiting.entry, view.waiting.review)),
        "{band}"
    );
    for id in &not_met_leaves {
        let href = format!("/z/450202/indicators/{id}?year=2021");
        assert!(
            !page
                .find_all(|e| e.tag == "a" && e.attr("href") == Some(href.as_str()))
                .is_empty(),
            "not-met row {id} linked"
        );
    }
}

#[test]
fn departments_without_values_are_late() {
    let fixture = Fixture::load();
    let progress = DepartmentProgress::from_assessment(&fixture.assessment(2022));
    // No value at all is on record for 2022: every department with rows is late, with all rows missing.
    assert!(!progress.is_empty());
    assert!(
        progress
            .iter()
            .all(|d| d.late() && d.missing == d.rows && d.approved == 0)
    );
    let in_2021 = DepartmentProgress::from_assessment(&fixture.assessment(2021));
    let epb = in_2021.iter().find(|d| d.department == EPB).unwrap();
    assert_eq!(epb.missing + epb.approved, epb.rows);
    let view = fixture.dashboard(2022);
    let html = pages::dashboard::render_dashboard(&ctx(Lang::Zh, None), &view);
    assert!(
        doc(&html)
            .by_id("late-h")
            .unwrap()
            .text()
            .contains(&format!("{}个部门", progress.len()))
    );
    assert!(html.contains(EPB));
    // Who is late is in the top band as well.
    let band = doc(&html).find_all(|e| e.has_class("band"))[0].text();
    assert!(band.contains(EPB), "{band}");
}

#[test]
fn table_lists_every_row_and_filters_by_status_domain_and_department() {
    let fixture = Fixture::load();
    let assessment = fixture.assessment(2021);
    let all = fixture.table(2021, TableFilter::default());
    assert_eq!(all.rows.len(), assessment.rows.len());
    assert_eq!(all.rows.iter().map(|r| r.domain_span).sum::<usize>(), all.rows.len());
    assert_eq!(all.rows.iter().map(|r| r.task_span).sum::<usize>(), all.rows.len());
    let page = doc(&pages::table::render_table(&ctx(Lang::Zh, None), &all));
    let body_rows = page
        .by_id("table-2-1")
        .unwrap()
        .find_all(|e| e.tag == "tr" && e.attr("data-row").is_some());
    assert_eq!(body_rows.len(), assessment.rows.len());
    // Each line shows the core's status as text.
    for (line, row) in body_rows.iter().zip(&assessment.rows) {
        assert_eq!(line.attr("data-row"), Some(row.id.as_str()));
        let badge = line.find_all(|e| e.has_class("status"))[0].text();
        assert_eq!(badge, row.status.zh(), "row {}", row.id);
    }
    // Row 1's 2025 target and lead department are in its line.
    let row1 = body_rows
        .iter()
        .find(|e| e.attr("data-row") == Some("1"))
        .unwrap()
        .text();
    assert!(row1.contains("制定实施") && row1.contains("城中区人民政府"));

    let query = [("status", "not_met"), ("domain", ""), ("dept", "")];
    let not_met = fixture.table(2021, TableFilter::from_query(query));
    assert!(!not_met.rows.is_empty());
    for row in &not_met.rows {
        assert!(
            row.status == Status::NotMet || row.has_subs,
            "row {} passes the filter",
            row.id
        );
    }
    let html = pages::table::render_table(&ctx(Lang::Zh, None), &not_met);
    let page = doc(&html);
    let selected = page
        .by_id("f-status")
        .unwrap()
        .find_all(|e| e.tag == "option" && e.attr("selected").is_some());
    assert_eq!(selected[0].attr("value"), Some("not_met"));

    let security = fixture.table(
        2021,
        TableFilter {
            domain: Some("security".into()),
            ..TableFilter::default()
        },
    );
    assert!(!security.rows.is_empty() && security.rows.iter().all(|r| r.domain_id == "security"));
    assert_eq!(security.rows[0].domain_span, security.rows.len());

    let stats = fixture.table(
        2021,
        TableFilter {
            department: Some("城中区统计局".into()),
            ..TableFilter::default()
        },
    );
    assert!(!stats.rows.is_empty());
    assert!(
        stats
            .rows
            .iter()
            .all(|r| r.lead.iter().any(|d| d == "城中区统计局") || r.has_subs)
    );

    let none = fixture.table(
        2021,
        TableFilter {
            department: Some("不存在的部门".into()),
            ..TableFilter::default()
        },
    );
    assert!(none.rows.is_empty());
    assert!(pages::table::render_table(&ctx(Lang::Zh, None), &none).contains("没有符合条件的指标"));
}

#[test]
fn indicator_page_explains_the_judgement_and_shows_series_targets_history_and_chart() {
    let fixture = Fixture::load();
    let assessment = fixture.assessment(2021);
    let row = assessment.rows.iter().find(|r| r.id == "7.2").unwrap();
    let mut view = fixture.indicator("7.2", 2021);
    assert_eq!(view.series.iter().map(|p| p.year).collect::<Vec<_>>(), vec![2017, 2021]);
    assert_eq!(view.chart_points(), vec![(2017, 38.0), (2021, 29.0)]);
    assert_eq!(
        view.targets.iter().map(|t| t.year).collect::<Vec<_>>(),
        vec![2025, 2030]
    );
    assert!(view.variants.iter().filter(|v| v.applies).count() <= 1);
    view.chart_svg = Some("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"the-chart\"></svg>".into());
    let html = pages::indicator::render_indicator(&ctx(Lang::Zh, None), &view);
    let page = doc(&html);
    assert!(
        page.text().contains(&row.explanation.zh),
        "the core's explanation is shown in full"
    );
    assert!(
        page.by_id("chart").unwrap().by_id("the-chart").is_some(),
        "the chart SVG sits in its slot"
    );
    assert!(
        page.text().contains("王工") && page.text().contains("2022年3月1日 10:15"),
        "history in Beijing time"
    );
    assert!(page.text().contains("2021年环境质量公报.pdf"));
    let en = pages::indicator::render_indicator(&ctx(Lang::En, None), &view);
    assert!(doc(&en).text().contains(&row.explanation.en));

    // Row 3 (≥20; targets ≥22 and ≥24) gets the chart crate's drawing with the threshold and target lines,
    // labelled in the page's language.
    let share = fixture.indicator("3", 2021);
    assert_eq!(share.threshold, Some(20.0));
    assert_eq!(
        share
            .target_figures
            .iter()
            .map(|(y, v, _)| (*y, *v))
            .collect::<Vec<_>>(),
        vec![(2025, 22.0), (2030, 24.0)]
    );
    let page = doc(&pages::indicator::render_indicator(&ctx(Lang::Zh, None), &share));
    let svg = &page.by_id("chart").unwrap().tag_all("svg")[0];
    let svg_text = svg.text();
    assert!(
        svg_text.contains("标准值 ≥20") && svg_text.contains("2025年目标 ≥22") && svg_text.contains("2030年目标 ≥24"),
        "{svg_text}"
    );
    let page_en = doc(&pages::indicator::render_indicator(&ctx(Lang::En, None), &share));
    assert!(page_en.by_id("chart").unwrap().text().contains("Target 2025: ≥22"));
    // A state-only row has no chart.
    assert!(fixture.indicator("1", 2021).chart(Lang::Zh).is_none());

    // Issue 8: the trajectory toward the next target year is drawn dashed, from the last figure to the
    // forecast of `ecociv-progress` (38 in 2017, 29 in 2021: falling, so below 29 in 2025).
    let pm = fixture.indicator("7.2", 2021);
    assert_eq!(pm.forecast.len(), 2, "{:?}", pm.forecast);
    assert_eq!(pm.forecast[0], (2021, 29.0));
    assert_eq!(pm.forecast[1].0, 2025);
    assert!(pm.forecast[1].1 < 29.0, "{:?}", pm.forecast);
    let svg = pm.chart(Lang::Zh).unwrap();
    assert!(
        svg.contains("forecast-line") && svg.contains("2025年预测"),
        "the forecast is drawn"
    );
    assert!(
        fixture.indicator("1", 2021).forecast.is_empty(),
        "no forecast for a state-only row"
    );

    let parent = fixture.indicator("7", 2021);
    assert_eq!(
        parent.sub_rows.iter().map(|(id, _, _)| id.as_str()).collect::<Vec<_>>(),
        vec!["7.1", "7.2"]
    );
    assert!(parent.series.is_empty());
}

/// Issue 17: a year without data never reads as good news on the dashboard — not "没有不达标的指标", not
/// "参考性 0/16（0.0%）" — and the not-met count names its unit (indicators, with the rows they involve),
/// so "不达标3项" cannot stand next to "不达标指标 (4)".
#[test]
fn the_dashboard_of_a_year_without_data_says_so_and_counts_name_their_unit() {
    let fixture = Fixture::load();
    let empty = fixture.dashboard(2019);
    let text = doc(&pages::dashboard::render_dashboard(&ctx(Lang::Zh, None), &empty)).text();
    for bad in ["没有不达标的指标", "0/16", "比例0.0%"] {
        assert!(!text.contains(bad), "a year without data says {bad:?}: {text}");
    }
    assert!(text.contains("尚无数据"), "{text}");
    let full = fixture.dashboard(2021);
    let text = doc(&pages::dashboard::render_dashboard(&ctx(Lang::Zh, None), &full)).text();
    let counts = fixture.assessment(2021).counts();
    // Indicators are counted in 项, rows in 行, each from `Assessment::counts`.
    assert!(
        text.contains(&format!("不达标{}项", counts.indicators.not_met)),
        "{text}"
    );
    assert!(
        text.contains(&format!("不达标指标 {}行", counts.rows.not_met)),
        "{text}"
    );
    assert!(!text.contains("不达标指标 ("), "an unlabelled count: {text}");
    // A year half reported — every reference indicator still without data — does not read "0.0%".
    let mut partial = Fixture::load();
    let reference: Vec<String> = partial
        .assessment(2021)
        .rows
        .iter()
        .filter(|row| row.attribute == ecociv_core::Attribute::Reference)
        .map(|row| row.id.clone())
        .collect();
    partial.zone.observations.retain(|o| !reference.contains(&o.row));
    let text = doc(&pages::dashboard::render_dashboard(
        &ctx(Lang::Zh, None),
        &partial.dashboard(2021),
    ))
    .text();
    assert!(!text.contains("比例0.0%") && !text.contains("0/16"), "{text}");
    assert!(text.contains("16项均无数据，尚未判定"), "{text}");
}

/// Issue 17: a figure before the plan's base year (2017 from the plan's chapter 1; the base year is 2021,
/// 规划基准年：2021 年) is a reference the rule cannot judge — never labelled 无数据 next to its figure —
/// and the base year is marked.
#[test]
fn a_figure_before_the_base_year_is_a_reference_not_no_data() {
    let fixture = Fixture::load();
    assert_eq!(fixture.zone.plan.base_year, 2021);
    for row in ["7.1", "7.2", "17"] {
        let view = fixture.indicator(row, 2021);
        let first = &view.series[0];
        assert_eq!(
            (first.year, first.base),
            (2017, pages::indicator::BaseMark::Before),
            "row {row}"
        );
        let html = pages::indicator::render_indicator(&ctx(Lang::Zh, None), &view);
        let page = doc(&html);
        let rows: Vec<String> = page
            .tag_all("tr")
            .iter()
            .map(|tr| tr.text().trim().to_string())
            .filter(|text| text.starts_with("2017") || text.starts_with("2021"))
            .collect();
        let row_2017 = rows
            .iter()
            .find(|text| text.starts_with("2017"))
            .expect("2017 in the series");
        assert!(row_2017.contains("基准年前，仅作对照"), "row {row}: {row_2017}");
        assert!(!row_2017.contains("无数据"), "row {row}: {row_2017}");
        let row_2021 = rows
            .iter()
            .find(|text| text.starts_with("2021"))
            .expect("2021 in the series");
        assert!(row_2021.contains("基准年"), "row {row}: {row_2021}");
        // The page of the year 2017 itself says the same at the top.
        let view_2017 = fixture.indicator(row, 2017);
        let page_2017 = doc(&pages::indicator::render_indicator(&ctx(Lang::Zh, None), &view_2017));
        let big = page_2017.text();
        assert!(big.contains("基准年前，仅作对照"), "row {row} in 2017");
    }
}

#[test]
fn entry_form_shows_refusals_next_to_their_fields() {
    let fixture = Fixture::load();
    let mut view = fixture.entry(2022);
    // Only the department's own rows.
    for row in &view.rows {
        assert!(
            fixture.zone.plan.lead_departments[&row.id].iter().any(|d| d == EPB),
            "row {}",
            row.id
        );
    }
    let ids: Vec<&str> = view.rows.iter().map(|r| r.id.as_str()).collect();
    assert!(ids.contains(&"5") && ids.contains(&"7.2") && !ids.contains(&"3"));
    let mut input = BTreeMap::new();
    input.insert("v:5".to_string(), "150".to_string());
    input.insert("v:7.2".to_string(), "30".to_string());
    input.insert("v:1".to_string(), "差不多".to_string());
    let refused = view.apply_input(&fixture.framework, &input);
    assert_eq!(refused, 2);
    assert_eq!(view.error_count(), 2);
    let html = entry::render_entry(&ctx(Lang::Zh, Some(ecociv_web::Role::Editor)), &view);
    let page = doc(&html);
    let field = page.by_id("v-5").unwrap();
    assert_eq!(field.attr("aria-invalid"), Some("true"));
    assert!(field.attr("aria-describedby").unwrap().contains("v-5-error"));
    let error = page.by_id("v-5-error").unwrap().text();
    assert_eq!(error, "150超出允许范围0–100");
    assert_eq!(field.attr("value"), Some("150"), "what was typed is kept");
    let state_error = page.by_id("v-1-error").unwrap().text();
    assert!(state_error.starts_with("“差不多”不是本指标允许的状态"), "{state_error}");
    assert!(page.by_id("v-7-2-error").unwrap().text().is_empty());
    // A state-only row is a <select> of its states.
    let select = page.by_id("v-1").unwrap();
    assert_eq!(select.tag, "select");
    let options: Vec<String> = select.tag_all("option").iter().map(|o| o.text()).collect();
    assert!(options.contains(&"制定实施".to_string()) && options.contains(&"正在制定".to_string()));
    // The returned row shows the reviewer's comment; the summary counts the refusals.
    assert!(page.text().contains("请附监测报告"));
    assert!(page.by_id("form-errors").unwrap().text().contains("有2处填写有误"));
    // Save and submit buttons.
    let buttons: Vec<Option<&str>> = page
        .tag_all("button")
        .iter()
        .filter(|b| b.attr("name") == Some("action"))
        .map(|b| b.attr("value"))
        .collect();
    assert_eq!(buttons, vec![Some("save"), Some("submit")]);
    // English messages come from the English table.
    let en = entry::render_entry(&ctx(Lang::En, Some(ecociv_web::Role::Editor)), &view);
    assert_eq!(
        doc(&en).by_id("v-5-error").unwrap().text(),
        "150 is outside the admissible range 0–100"
    );
}

#[test]
fn validation_is_the_cores() {
    let fixture = Fixture::load();
    let f = &fixture.framework;
    assert_eq!(
        entry::validate_field(f, "7.2", "29").unwrap(),
        Some(ecociv_core::Value::Number(29.0))
    );
    assert_eq!(entry::validate_field(f, "7.2", "  ").unwrap(), None);
    assert_eq!(
        entry::validate_field(f, "3", "101").unwrap_err().key,
        "entry.error.out_of_range"
    );
    assert_eq!(
        entry::validate_field(f, "1", "5").unwrap_err().key,
        "entry.error.number_not_allowed"
    );
    assert_eq!(
        entry::validate_field(f, "99", "5").unwrap_err().key,
        "entry.error.unknown_row"
    );
    assert!(entry::validate_assigned(f, "17", "完成").unwrap().is_some());
    assert_eq!(
        entry::validate_assigned(f, "17", "好").unwrap_err().key,
        "entry.error.bad_assigned"
    );
}

#[test]
fn review_shows_last_year_the_jump_and_the_judgement() {
    let fixture = Fixture::load();
    let view = fixture.review();
    let pm = &view.items[0];
    let (previous_year, previous_value) = pm.previous.clone().unwrap();
    assert_eq!(previous_year, 2021);
    assert!(previous_value.starts_with("29"), "{previous_value}");
    let jump = pm.jump.unwrap();
    assert!((jump.absolute - 7.0).abs() < 1e-9);
    assert!(jump.large(), "29 → 36 is +24 %");
    let html = pages::review::render_review(&ctx(Lang::Zh, Some(ecociv_web::Role::Reviewer)), &view);
    let page = doc(&html);
    let item = page.by_id("s-s1").unwrap();
    assert!(item.text().contains("+7") && item.text().contains("+24.1%"));
    let forms = item.tag_all("form");
    assert_eq!(forms.len(), 2);
    assert!(forms.iter().all(|f| f.attr("action") == Some("/z/450202/review/s1")));
    let decisions: Vec<&str> = forms
        .iter()
        .flat_map(|f| f.find_all(|e| e.attr("name") == Some("decision")))
        .filter_map(|e| e.attr("value"))
        .collect();
    assert_eq!(decisions, vec!["approve", "return"]);
    // A state has no jump.
    assert!(view.items[1].jump.is_none());
    assert_eq!(view.items[1].would_be, Status::Met);
}

#[test]
fn air_calendar_and_monthly_shares_count_the_days() {
    let view = crate::fixtures::air();
    let monthly = view.monthly();
    assert_eq!(monthly.len(), 12);
    let valid: usize = monthly.iter().map(|m| m.valid).sum();
    let expected_valid = view.days.iter().filter(|d| d.aqi.is_some()).count();
    assert_eq!(valid, expected_valid);
    let good = view.days.iter().filter(|d| d.category.is_some_and(|c| c <= 2)).count();
    assert_eq!(view.total().good, good);
    let html = pages::air::render_air(&ctx(Lang::Zh, None), &view);
    let page = doc(&html);
    let cells = page.find_all(|e| e.tag == "td" && e.attr("class").is_some_and(|c| c.starts_with("aqi-")));
    assert_eq!(cells.len(), 365);
    let jan1 = &cells[0];
    let day = &view.days[0];
    assert!(jan1.text().contains(&day.aqi.unwrap().to_string()));
    assert!(jan1.attr("title").unwrap().starts_with("2023年1月1日：AQI"));
    // 1 January 2023 was a Sunday: six blank cells before it in a Monday-first week.
    let january = &page.find_all(|e| e.has_class("month"))[0];
    let first_week = &january.tag_all("tr")[1];
    assert_eq!(first_week.find_all(|e| e.has_class("pad")).len(), 6);
}

#[test]
fn water_shows_classes_by_text_and_whether_targets_are_met() {
    let view = crate::fixtures::water();
    assert_eq!(view.sections[0].meets(), Some(true));
    assert_eq!(view.sections[1].meets(), Some(false));
    let html = pages::water::render_water(&ctx(Lang::Zh, None), &view);
    assert!(html.contains("劣Ⅴ类") && html.contains("2个断面中1个达到水质目标"));
    let en = pages::water::render_water(&ctx(Lang::En, None), &view);
    assert!(en.contains("Worse than V") && en.contains("1 of 2 sections"));
}

#[test]
fn navigation_follows_the_role() {
    let fixture = Fixture::load();
    let view = fixture.dashboard(2021);
    let nav_links = |role| {
        let html = pages::dashboard::render_dashboard(&ctx(Lang::Zh, role), &view);
        let page = doc(&html);
        page.find_all(|e| e.tag == "nav" && e.has_class("main"))[0]
            .tag_all("a")
            .iter()
            .map(|a| a.attr("href").unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let public = nav_links(None);
    assert!(
        !public
            .iter()
            .any(|h| h.ends_with("/entry") || h.ends_with("/review") || h.starts_with("/admin"))
    );
    assert!(
        nav_links(Some(ecociv_web::Role::Editor))
            .iter()
            .any(|h| h.ends_with("/entry"))
    );
    assert!(
        !nav_links(Some(ecociv_web::Role::Editor))
            .iter()
            .any(|h| h.ends_with("/review"))
    );
    assert!(
        nav_links(Some(ecociv_web::Role::Reviewer))
            .iter()
            .any(|h| h.ends_with("/review"))
    );
    assert!(
        nav_links(Some(ecociv_web::Role::Admin))
            .iter()
            .any(|h| h.starts_with("/admin"))
    );
}

#[test]
fn data_is_escaped() {
    let fixture = Fixture::load();
    let mut view = fixture.dashboard(2022);
    view.late_departments[0].department = "<script>alert(1)</script>".into();
    let html = pages::dashboard::render_dashboard(&ctx(Lang::Zh, None), &view);
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;"));
    doc(&html);
}

#[test]
fn the_chart_speaks_the_language_of_the_page() {
    let fixture = Fixture::load();
    let han = |text: &str| text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let chinese_legend = ["实测值", "预测值", "标准值", "规划目标值", "年份", "单位"];
    // Row 3 has a threshold and figure targets; row 7.2 a forecast.
    for (row, legend) in [
        ("3", vec!["Observed", "Standard", "Plan targets"]),
        ("7.2", vec!["Observed", "Forecast"]),
    ] {
        let view = fixture.indicator(row, 2021);
        let page = doc(&pages::indicator::render_indicator(&ctx(Lang::En, None), &view));
        let svg = &page.by_id("chart").unwrap().tag_all("svg")[0];
        let texts: Vec<String> = svg.find_all(|e| e.tag == "g" && e.has_class("legend"))[0]
            .tag_all("text")
            .iter()
            .map(|e| e.text())
            .collect();
        assert_eq!(texts, legend, "row {row}: the English legend");
        let all = svg.text();
        for word in chinese_legend {
            assert!(!all.contains(word), "row {row}: {word} on the English page's chart");
        }
        if row == "3" {
            assert!(!han(&all), "row 3: no Chinese at all in the English chart: {all}");
            assert!(all.contains("Year"));
        }
        // The Chinese page keeps the Chinese legend.
        let page = doc(&pages::indicator::render_indicator(&ctx(Lang::Zh, None), &view));
        let svg = &page.by_id("chart").unwrap().tag_all("svg")[0];
        let texts: Vec<String> = svg.find_all(|e| e.tag == "g" && e.has_class("legend"))[0]
            .tag_all("text")
            .iter()
            .map(|e| e.text())
            .collect();
        assert_eq!(texts[0], "实测值", "row {row}");
    }
}

#[test]
fn air_counts_primary_pollutants_shows_gb3095_status_in_text_and_forms_only_for_the_bureau() {
    use ecociv_web::i18n::Date;
    use ecociv_web::layout::Role;
    use ecociv_web::pages::air::{AirView, AnnualStatView, DailyAqi};
    let day = |d: u8, aqi: Option<u32>, primary: Option<&str>| DailyAqi {
        date: Date::new(2023, 1, d).unwrap(),
        aqi,
        category: aqi.map(|a| {
            if a <= 50 {
                1
            } else if a <= 100 {
                2
            } else {
                3
            }
        }),
        primary: primary.map(str::to_string),
    };
    let stat = |key: &str, valid: bool, complies: Option<bool>| AnnualStatView {
        key: key.into(),
        value: Some("40 μg/m³".into()),
        limit: Some("35 μg/m³".into()),
        days: 300,
        valid,
        complies,
    };
    let view = AirView {
        zone_code: "450202".into(),
        year: 2023,
        days: vec![
            day(1, Some(120), Some("pm25;pm10")),
            day(2, Some(80), Some("pm25")),
            day(3, Some(40), None),
            // Not a valid day: its primary pollutant is not counted.
            day(4, None, Some("o3_8h")),
        ],
        annual: vec![
            stat("pm25", true, Some(false)),
            stat("no2", true, Some(true)),
            stat("so2", false, None),
        ],
        ..AirView::default()
    };
    assert_eq!(
        view.primary_counts(),
        vec![("pm25".to_string(), 2), ("pm10".to_string(), 1)]
    );
    let html = pages::air::render_air(&ctx(Lang::Zh, None), &view);
    assert!(html.contains("PM2.5：2天") && html.contains("PM10：1天"), "{html}");
    let page = doc(&html);
    let statuses: Vec<String> = page
        .find_all(|e| e.has_class("status"))
        .iter()
        .map(|e| e.text())
        .collect();
    assert_eq!(statuses, vec!["超标", "达标", "数据不足，不评价"]);
    // The public and a viewer get no form; a reviewer gets both, with the CSRF token in the form.
    assert!(!html.contains("monitoring/upload"));
    assert!(!pages::air::render_air(&ctx(Lang::Zh, Some(Role::Viewer)), &view).contains("monitoring/upload"));
    let bureau = pages::air::render_air(
        &ctx(Lang::Zh, Some(Role::Reviewer)),
        &AirView {
            manage: true,
            ..view.clone()
        },
    );
    let page = doc(&bureau);
    let upload = page.find_all(|e| e.tag == "form" && e.has_class("upload"));
    assert_eq!(upload.len(), 1);
    assert_eq!(upload[0].attr("enctype"), Some("multipart/form-data"));
    assert!(
        upload[0]
            .find_all(|e| e.attr("name") == Some("csrf_token") && e.attr("value") == Some("tok123"))
            .len()
            == 1
    );
    assert_eq!(page.find_all(|e| e.tag == "form" && e.has_class("compute")).len(), 1);
    let en = pages::air::render_air(&ctx(Lang::En, Some(Role::Reviewer)), &AirView { manage: true, ..view });
    assert!(en.contains("Exceeds") && en.contains("Upload") && en.contains("Compute and save the 2023 figures"));
}

#[test]
fn water_without_targets_shows_the_shares_and_class_iii_by_text() {
    use ecociv_web::pages::water::{SectionView, WaterSummary, WaterView};
    let section = |name: &str, annual: u8| SectionView {
        name: name.into(),
        water_body: "河流".into(),
        target_class: None,
        monthly: [None; 12],
        annual: Some(annual),
    };
    let view = WaterView {
        zone_code: "450202".into(),
        year: 2024,
        sections: vec![section("S1", 2), section("S2", 4), section("S3", 6)],
        summary: Some(WaterSummary {
            total: 3,
            i_iii: 1,
            worse_v: 1,
        }),
        ..WaterView::default()
    };
    let html = pages::water::render_water(&ctx(Lang::Zh, None), &view);
    assert!(
        html.contains("3个断面中1个达到或优于Ⅲ类（33.3%）") && html.contains("劣Ⅴ类1个（33.3%）"),
        "{html}"
    );
    let page = doc(&html);
    let statuses: Vec<String> = page
        .find_all(|e| e.has_class("status"))
        .iter()
        .map(|e| e.text())
        .collect();
    assert_eq!(statuses, vec!["是", "否", "否"]);
    assert!(!html.contains("达到水质目标"), "no target line without targets");
    // The class distribution chart lists every class with its count.
    let desc = page
        .find_all(|e| e.tag == "desc")
        .iter()
        .map(|e| e.text())
        .collect::<Vec<_>>()
        .join("");
    for needle in ["Ⅰ类0个", "Ⅱ类1个", "Ⅳ类1个", "劣Ⅴ类1个"] {
        assert!(desc.contains(needle), "{needle} in {desc}");
    }
}

/// Issue 18: the indicator page's forecast is the early warning's. For every row of the example zone,
/// the chart's dashed trajectory ends at exactly the forecast that `ecociv_progress::zone::zone_progress`
/// (the Word report's and `ecociv progress`'s early warning) gives for that target year; a row without a
/// trajectory has no finite forecast for the first target year after its latest figure. The zone as the
/// plan states it has few series long enough to forecast, so the check runs again with SYNTHETIC figures
/// for 2022 and 2023 added to every row with a figure on record: every kind of target (a figure, a state
/// standing for a figure, 不低于现状值, a restated standard) then gets a forecast.
#[test]
fn the_indicator_forecast_equals_the_early_warning_for_every_row() {
    let plan_only = Fixture::load();
    assert!(forecasts_agree(&plan_only) >= 3);
    let mut extended = Fixture::load();
    let mut added = Vec::new();
    for (_, row) in extended.framework.rows() {
        let Some(last) = extended
            .zone
            .observations
            .iter()
            .filter(|obs| obs.row == row.id && obs.year <= 2021)
            .filter_map(|obs| row.numeric(&obs.value).map(|number| (obs.year, number)))
            .max_by_key(|(year, _)| *year)
        else {
            continue;
        };
        for (step, year) in [(1.0, 2022), (2.0, 2023)] {
            let mut number = last.1 * (1.0 + 0.02 * step) + step;
            if let Some((low, high)) = row.range {
                number = number.clamp(low, high);
            }
            added.push(ecociv_core::Observation {
                row: row.id.clone(),
                year,
                value: ecociv_core::Value::Number(number),
                assigned: None,
                recorded: None,
                source: ecociv_core::Source::Synthetic {
                    note: "SYNTHETIC test figure".into(),
                    files: Vec::new(),
                },
            });
        }
    }
    extended.zone.observations.extend(added);
    let drawn = forecasts_agree(&extended);
    assert!(
        drawn >= 20,
        "only {drawn} rows with a forecast: the test would prove little"
    );
}

/// Checks every row's page forecast against the early warning; returns how many rows have one.
fn forecasts_agree(fixture: &Fixture) -> usize {
    let mut progress = BTreeMap::new();
    let mut target_years: Vec<i32> = fixture
        .zone
        .plan
        .targets
        .values()
        .flat_map(|by_year| by_year.keys().copied())
        .collect();
    target_years.sort_unstable();
    target_years.dedup();
    for year in &target_years {
        progress.insert(
            *year,
            ecociv_progress::zone::zone_progress(&fixture.framework, &fixture.zone, *year),
        );
    }
    let early_warning = |row: &str, year: i32| {
        progress[&year]
            .rows
            .iter()
            .find(|report| report.id == row)
            .unwrap_or_else(|| panic!("row {row} in the progress of {year}"))
    };
    let mut drawn = 0;
    for (_, row) in fixture.framework.rows() {
        let view = fixture.indicator(&row.id, 2021);
        match view.forecast.as_slice() {
            [(from, start), (target_year, value)] => {
                let report = early_warning(&row.id, *target_year);
                assert_eq!(report.forecast, Some(*value), "row {}", row.id);
                let measured = report.progress.as_ref().expect("a quantitative row");
                assert_eq!(
                    (measured.current_year, measured.current_value),
                    (Some(*from), Some(*start)),
                    "row {}: the trajectory starts at the method's latest figure",
                    row.id
                );
                drawn += 1;
            }
            [] => {
                let latest = early_warning(&row.id, target_years[0])
                    .progress
                    .as_ref()
                    .and_then(|measured| measured.current_year);
                let next = fixture
                    .zone
                    .plan
                    .targets
                    .get(&row.id)
                    .and_then(|by_year| by_year.keys().copied().find(|year| Some(*year) > latest));
                if let (Some(_), Some(next)) = (latest, next) {
                    let forecast = early_warning(&row.id, next).forecast;
                    assert!(
                        !forecast.is_some_and(f64::is_finite),
                        "row {}: the early warning forecasts {forecast:?} for {next}, the page draws none",
                        row.id
                    );
                }
            }
            other => panic!("row {}: a trajectory of two points, not {other:?}", row.id),
        }
    }
    drawn
}

#[test]
fn a_returned_row_comes_first_in_the_entry_form_with_the_reviewers_comment_on_top() {
    let fixture = Fixture::load();
    let view = fixture.entry(2022);
    assert!(
        view.rows.first().is_some_and(|row| row.id != "7.2"),
        "the fixture's returned row 7.2 is not first in table order"
    );
    let html = entry::render_entry(&ctx(Lang::Zh, Some(ecociv_web::layout::Role::Editor)), &view);
    let returned = html.find("id=\"row-7-2\"").expect("row 7.2 in the form");
    for row in view.rows.iter().filter(|row| row.id != "7.2") {
        let at = html
            .find(&format!("id=\"row-{}\"", row.id.replace('.', "-")))
            .expect("row in the form");
        assert!(returned < at, "returned row 7.2 before row {}", row.id);
    }
    let page = doc(&html);
    let summary = page.find_all(|e| e.has_class("returned-summary"))[0].text();
    assert!(
        summary.contains("退回1项") && summary.contains("请附监测报告"),
        "{summary}"
    );
}

#[test]
fn a_survey_figure_names_its_method_edition_and_sample_once_each_under_their_own_labels() {
    let fixture = Fixture::load();
    let mut view = fixture.indicator("34", 2021);
    let source = ecociv_core::Source::Survey {
        survey: "2024年度公众满意度调查".into(),
        survey_id: "s-2024".into(),
        method: "分层加权估计 METHOD-TEXT".into(),
        edition: "EDITION-TEXT".into(),
        valid: 397,
        responses: 397,
        low: 88.0,
        high: 93.6,
        provenance: "PROVENANCE-TEXT：回答397份".into(),
        synthetic: true,
    };
    view.source = Some(pages::indicator::SourceView::from_source(&source));
    for lang in [Lang::Zh, Lang::En] {
        let html = pages::indicator::render_indicator(&ctx(lang, None), &view);
        // The source block alone (the judgement's explanation is the core's and may quote the source).
        let block = &html[html.find("class=\"facts provenance\"").expect("the provenance list")..];
        let block = &block[..block.find("</dl>").unwrap()];
        let before = &html[..html.find("class=\"facts provenance\"").unwrap()];
        let tag_line = &before[before.rfind("<p>").expect("the source's tag line")..];
        for text in ["METHOD-TEXT", "EDITION-TEXT", "PROVENANCE-TEXT"] {
            assert_eq!(block.matches(text).count(), 1, "{lang:?}: {text} once in the list");
            assert!(!tag_line.contains(text), "{lang:?}: {text} repeated on the tag line");
        }
        let label = match lang {
            Lang::Zh => "调查与抽样误差",
            Lang::En => "Survey and sampling error",
        };
        assert!(
            block.contains(label),
            "{lang:?}: the survey's label, not the monitoring one"
        );
        assert!(!block.contains("监测点位") && !block.contains("Stations"), "{lang:?}");
        let synthetic = match lang {
            Lang::Zh => "合成的演示数据",
            Lang::En => "Synthetic demo data",
        };
        assert!(tag_line.contains(synthetic), "{lang:?}: demo data said beside the tag");
    }
}

#[test]
fn table_2_1_says_per_row_whether_a_figure_is_typed_computed_from_monitoring_derived_from_a_register_or_surveyed() {
    use ecociv_core::{Observation, Source, Value};
    let mut fixture = Fixture::load();
    let year = 2023;
    let observation = |row: &str, value: f64, source: Source| Observation {
        row: row.into(),
        year,
        value: Value::Number(value),
        assigned: None,
        recorded: None,
        source,
    };
    fixture.zone.observations.retain(|o| o.year != year);
    fixture.zone.observations.extend([
        observation(
            "3",
            21.0,
            Source::File {
                path: "values.csv".into(),
                line: 4,
            },
        ),
        observation(
            "7.1",
            95.0,
            Source::Computed {
                method: "优良天数比例".into(),
                edition: "HJ 633-2012".into(),
                provenance: "1个站点".into(),
                files: Vec::new(),
            },
        ),
        observation(
            "24",
            100.0,
            Source::Ledger {
                kind: "村镇饮用水卫生监测台账".into(),
                kind_id: "village_water".into(),
                version: 1,
                method: "合格样品数÷样品数×100".into(),
                provenance: "4条记录".into(),
                records: Vec::new(),
                synthetic: false,
            },
        ),
        observation(
            "34",
            91.2,
            Source::Survey {
                survey: "满意度调查".into(),
                survey_id: "s".into(),
                method: "分层加权估计".into(),
                edition: "2026-1".into(),
                valid: 397,
                responses: 397,
                low: 88.0,
                high: 93.6,
                provenance: "7层".into(),
                synthetic: false,
            },
        ),
    ]);
    let view = fixture.table(year, TableFilter::default());
    for lang in [Lang::Zh, Lang::En] {
        let page = doc(&pages::table::render_table(&ctx(lang, None), &view));
        let origin = |row: &str| {
            let line = page
                .by_id("table-2-1")
                .unwrap()
                .find_all(|e| e.tag == "tr" && e.attr("data-row") == Some(row))
                .into_iter()
                .next()
                .unwrap_or_else(|| panic!("row {row}"));
            let tags: Vec<String> = line
                .find_all(|e| e.has_class("origin"))
                .iter()
                .map(|e| e.text())
                .collect();
            tags
        };
        let expected: [(&str, &[&str]); 5] = match lang {
            Lang::Zh => [
                ("3", &["填报"]),
                ("7.1", &["监测"]),
                ("24", &["台账"]),
                ("34", &["调查"]),
                ("1", &[]),
            ],
            Lang::En => [
                ("3", &["typed"]),
                ("7.1", &["monitoring"]),
                ("24", &["register"]),
                ("34", &["survey"]),
                ("1", &[]),
            ],
        };
        for (row, tags) in expected {
            assert_eq!(origin(row), tags, "{lang:?}: row {row}");
        }
    }
}
