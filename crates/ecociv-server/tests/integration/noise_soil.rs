//! Noise and soil files through the server (issue 19): the inputs of `ecociv noise judge` and `ecociv soil
//! development|farmland` imported by the one import mechanism (API and page form, dry run, all or
//! nothing, file/line/field, a repeat refused, a file refused by the stored data of its kind), judged into
//! stored results with the standard's edition, shown on the 声环境与土壤 page — the very judgements the
//! CLI writes for the same files (its readers and CSV writers, `ecociv_noise::ingest::write_csv`,
//! `ecociv_soil::ingest::write_development_csv`/`write_farmland_csv`), and changed by a correction. On
//! SQLite and on PostgreSQL when configured.

use std::collections::BTreeSet;
use std::path::Path;

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::monitoring::import;
use crate::monitoring_formats::{cells, page_upload_form, post_upload};
use crate::support::{Client, TestServer, servers};

fn read(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic/monitoring-formats-SYNTHETIC");
    std::fs::read_to_string(dir.join(name)).expect("synthetic file")
}

/// The CLI's table of a noise file (`ecociv noise judge --format table`).
fn cli_noise(csv: &str) -> Vec<Vec<String>> {
    let table = ecociv_noise::gb3096::Table::embedded();
    let periods = ecociv_noise::ingest::read_and_judge(csv.as_bytes(), table).expect("the CLI reads the file");
    let mut out = Vec::new();
    ecociv_noise::ingest::write_csv(&periods, table, &mut out).unwrap();
    rows(&out)
}

fn rows(csv: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(csv);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The noise days of `year` as stored, in the CLI's columns (point, class, date, period, leq, limit,
/// verdict, exceedance, lmax, lmax limit, lmax verdict, edition).
async fn stored_noise(server: &TestServer, year: i32) -> BTreeSet<Vec<String>> {
    let framework = zone_framework(server).await;
    let state = ecociv_server::monitoring_results::page_years(&server.store, &framework, "450202", "noise")
        .await
        .unwrap();
    assert!(
        !state.stale,
        "{} {state:?} {:?}",
        server.engine,
        server.store.monitoring_files("450202", "noise").await.unwrap()
    );
    let result: ecociv_server::noise_soil::NoiseResult =
        ecociv_server::monitoring_results::stored_result(&server.store, "450202", "noise", year, &state)
            .await
            .unwrap()
            .expect("the year's noise figures");
    let level = ecociv_noise::ingest::level_text;
    let verdict = |j: &ecociv_server::noise_soil::Judged| if j.exceedance.is_some() { "超标" } else { "达标" };
    let class = |code: &str| {
        ecociv_noise::gb3096::FunctionalClass::parse(code)
            .unwrap()
            .name_zh()
            .to_owned()
    };
    let mut out = BTreeSet::new();
    for day in &result.days {
        for (period, judged) in [("昼间", &day.day), ("夜间", &day.night)] {
            let Some(j) = judged else { continue };
            let max = day.night_max.as_ref().filter(|_| period == "夜间");
            out.insert(vec![
                day.point.clone(),
                class(&day.class),
                day.date.clone(),
                period.to_owned(),
                level(j.level),
                level(j.limit),
                verdict(j).to_owned(),
                j.exceedance.map(level).unwrap_or_default(),
                max.map(|m| level(m.level)).unwrap_or_default(),
                max.map(|m| level(m.limit)).unwrap_or_default(),
                max.map(verdict).unwrap_or_default().to_owned(),
                result.edition.clone(),
            ]);
        }
    }
    out
}

/// The CLI's rows of `year` in [`stored_noise`]'s columns.
fn cli_noise_year(cli: &[Vec<String>], year: i32) -> BTreeSet<Vec<String>> {
    cli.iter()
        .filter(|r| r[2].starts_with(&year.to_string()))
        .map(|r| {
            let mut row = r[..4].to_vec();
            row.extend(r[6..].iter().cloned());
            row
        })
        .collect()
}

async fn zone_framework(server: &TestServer) -> std::sync::Arc<ecociv_core::Framework> {
    let record = server.store.zone("450202").await.unwrap().unwrap();
    server.store.framework(&record.framework_id).await.unwrap()
}

fn html(response: &crate::support::Response) -> String {
    response.body.as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn noise_files_are_imported_judged_as_the_cli_judges_them_and_shown() {
    let noise = read("noise-2023-2024.SYNTHETIC.csv");
    let cli = cli_noise(&noise);
    assert!(cli.iter().any(|r| r[8] == "超标") && cli.iter().any(|r| r[8] == "达标"));
    for server in servers("noise_import").await {
        let mut reviewer = Client::login(&server, "reviewer").await;
        // Dry run: counted, nothing stored.
        let dry = import(&mut reviewer, &server, "noise", "noise.SYNTHETIC.csv", &noise, true).await;
        assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
        assert_eq!(
            (dry.body["rows"].as_u64(), dry.body["stored"].as_u64()),
            (Some(576), Some(0))
        );
        assert_eq!(cells(&server, "noise").await, 0);
        // A bad level on line 40: refused whole, naming file, line and field.
        let mut lines: Vec<String> = noise.lines().map(str::to_owned).collect();
        let mut fields: Vec<String> = lines[39].split(',').map(str::to_owned).collect();
        fields[5] = "很吵".into();
        lines[39] = fields.join(",");
        let bad = lines.join("\n") + "\n";
        let refused = import(&mut reviewer, &server, "noise", "bad.csv", &bad, false).await;
        assert_eq!(refused.code(), "invalid_value", "{}", refused.body);
        let problem = &refused.body["error"]["details"][0];
        assert_eq!(
            (
                &problem["file"],
                &problem["line"],
                &problem["field"],
                &problem["column"]
            ),
            (
                &Value::from("bad.csv"),
                &Value::from(40),
                &Value::from("leq"),
                &Value::from(6)
            ),
            "{problem}"
        );
        assert_eq!(cells(&server, "noise").await, 0, "nothing stored from a refused file");

        let done = import(&mut reviewer, &server, "noise", "noise.SYNTHETIC.csv", &noise, false).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(
            done.body["years_computed"],
            serde_json::json!([2023, 2024]),
            "{}",
            done.body
        );
        let stored = cells(&server, "noise").await;
        assert_eq!(stored as u64, done.body["readings"].as_u64().unwrap());
        // The same readings again: refused whole — read with the stored ones, each period is covered twice
        // (named by the file's line where the first period fills up).
        let again = import(&mut reviewer, &server, "noise", "again.csv", &noise, false).await;
        assert_eq!(again.code(), "invalid_value", "{}", again.body);
        let problem = &again.body["error"]["details"][0];
        assert_eq!(
            (&problem["file"], &problem["line"]),
            (&Value::from("again.csv"), &Value::from(17)),
            "{problem}"
        );
        assert_eq!(cells(&server, "noise").await, stored);
        // A point's class changed by a later file: refused naming that file's line and column.
        let later = "point,date,start,minutes,leq,class\n城中小学,2025-03-01,10:00,60,50.1,1\n东环大道,2025-03-01,10:00,60,66.0,3\n";
        let refused = import(&mut reviewer, &server, "noise", "later.csv", later, false).await;
        assert_eq!(refused.code(), "invalid_value", "{}", refused.body);
        let problem = &refused.body["error"]["details"][0];
        assert_eq!(
            (
                &problem["file"],
                &problem["line"],
                &problem["column"],
                &problem["field"]
            ),
            (
                &Value::from("later.csv"),
                &Value::from(3),
                &Value::from(6),
                &Value::from("class")
            ),
            "{problem}"
        );

        // The stored judgements are the CLI's, year by year.
        for year in [2023, 2024] {
            assert_eq!(
                stored_noise(&server, year).await,
                cli_noise_year(&cli, year),
                "{} {year}",
                server.engine
            );
        }
        // The page (anonymous: the zone is disclosed) shows them: every exceedance of 2023 the CLI finds.
        let page = Client::anonymous().get(&server, "/z/450202/noise-soil?year=2023").await;
        assert_eq!(page.status, StatusCode::OK);
        let text = html(&page);
        let noise_part = text.split("id=\"soil-h\"").next().unwrap();
        let exceeding = cli_noise_year(&cli, 2023)
            .iter()
            .map(|r| usize::from(r[6] == "超标") + usize::from(r[10] == "超标"))
            .sum::<usize>();
        assert!(exceeding > 0);
        assert_eq!(
            noise_part.matches("status status-not_met").count(),
            exceeding,
            "{}",
            server.engine
        );
        let one = cli_noise_year(&cli, 2023).into_iter().find(|r| r[6] == "超标").unwrap();
        assert!(
            noise_part.contains(&format!(
                "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                one[4], one[5]
            )),
            "{one:?}"
        );
        assert!(noise_part.contains(&format!("超 {} dB", one[7])), "{one:?}");
        assert!(text.contains("GB 3096-2008") && text.contains("判定方法") && text.contains("4a类"));

        // A correction: one night reading of 城中小学 raised — refused while its maximum level stays below
        // it (named by the correction's line), then with both: the stored judgement follows it.
        let correct = |fix: &'static str| {
            let mut client = reviewer.clone();
            let server = &server;
            async move {
                client
                    .send(
                        server,
                        Method::POST,
                        "/api/v1/zones/450202/monitoring/corrections/noise?file=fix.csv",
                        Some(fix.to_string().into()),
                        "text/csv",
                    )
                    .await
            }
        };
        let half = correct("point,class,date,start,minutes,leq,action,reason\n城中小学,1,2023-02-16,02:00,60,75.0,supersede,仪器校准后复核\n").await;
        assert_eq!(half.code(), "invalid_value", "{}", half.body);
        assert_eq!(
            half.body["error"]["details"][0]["line"],
            Value::from(2),
            "{}",
            half.body
        );
        let fix = "point,class,date,start,minutes,leq,lmax,action,reason\n城中小学,1,2023-02-16,02:00,60,75.0,82.5,supersede,仪器校准后复核\n";
        let corrected = reviewer
            .send(
                &server,
                Method::POST,
                "/api/v1/zones/450202/monitoring/corrections/noise?file=fix.csv",
                Some(fix.to_string().into()),
                "text/csv",
            )
            .await;
        assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.body);
        let expected = cli_noise(
            &noise.replacen(
                &noise
                    .lines()
                    .find(|l| l.starts_with("城中小学,1,2023-02-16,02:00,60,"))
                    .unwrap()
                    .to_owned(),
                "城中小学,1,2023-02-16,02:00,60,75.0,82.5",
                1,
            ),
        );
        let stored = stored_noise(&server, 2023).await;
        assert_eq!(stored, cli_noise_year(&expected, 2023), "{}", server.engine);
        assert_ne!(stored, cli_noise_year(&cli, 2023));
    }
}

/// The CLI's rows of a soil file without its `line` column (a rebuilt file orders lines by sample).
fn without_line(rows: Vec<Vec<String>>) -> BTreeSet<Vec<String>> {
    rows.into_iter().map(|r| r[1..].to_vec()).collect()
}

#[tokio::test]
async fn soil_files_are_imported_through_the_page_form_and_judged_as_the_cli_judges_them() {
    let development = read("soil_development.SYNTHETIC.csv");
    let farmland = read("soil_farmland.SYNTHETIC.csv");
    let dev_rows = {
        let table = ecociv_soil::gb36600::Table::embedded();
        let judged = ecociv_soil::ingest::read_development(development.as_bytes(), table).unwrap();
        let mut out = Vec::new();
        ecociv_soil::ingest::write_development_csv(&judged, &mut out).unwrap();
        rows(&out)
    };
    let farm_rows = {
        let table = ecociv_soil::gb15618::Table::embedded();
        let judged = ecociv_soil::ingest::read_farmland(farmland.as_bytes(), table).unwrap();
        let mut out = Vec::new();
        ecociv_soil::ingest::write_farmland_csv(&judged, &mut out).unwrap();
        rows(&out)
    };
    for server in servers("soil_import").await {
        let mut reviewer = Client::login(&server, "reviewer").await;
        let token = reviewer.csrf.take().expect("a session token");
        // Through the page's form: a dry run stores nothing, then the file.
        let form = |kind: &str, file: &str, content: &str, dry: bool| {
            page_upload_form("noise-soil", &token, kind, file, content.as_bytes(), dry)
        };
        let page = post_upload(
            &mut reviewer,
            &server,
            form("soil_development", "dev.SYNTHETIC.csv", &development, true),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(html(&page).contains("flash-success") && html(&page).contains("声环境与土壤"));
        assert_eq!(cells(&server, "soil.development").await, 0);
        // An item unknown to GB 36600-2018 Table 1: the page names file, line and column.
        let bad = format!("{development}旧城改造地块-S1,1,金,3\n");
        let page = post_upload(&mut reviewer, &server, form("soil_development", "bad.csv", &bad, false)).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        let text = html(&page);
        assert!(
            text.contains("bad.csv") && text.contains("13") && text.contains("item"),
            "{text}"
        );
        assert_eq!(cells(&server, "soil.development").await, 0);
        for (kind, file, content) in [
            ("soil_development", "dev.SYNTHETIC.csv", &development),
            ("soil_farmland", "farm.SYNTHETIC.csv", &farmland),
        ] {
            let done = post_upload(&mut reviewer, &server, form(kind, file, content, false)).await;
            assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
            assert!(done.location.unwrap().starts_with("/z/450202/noise-soil?"));
        }
        // A sample's land use changed by a later file: refused by the API, naming its line.
        let mut api = Client::login(&server, "reviewer").await;
        let later = "sample,land,ph,item,value\n河东村-T1,旱地,5.2,zn,80\n";
        let refused = import(&mut api, &server, "soil_farmland", "later.csv", later, false).await;
        assert_eq!(refused.code(), "invalid_value", "{}", refused.body);
        assert_eq!(refused.body["error"]["details"][0]["line"], Value::from(2));

        // Stored: the CLI's judgements with the editions.
        let framework = zone_framework(&server).await;
        let state = ecociv_server::monitoring_results::page_years(&server.store, &framework, "450202", "soil")
            .await
            .unwrap();
        let result: ecociv_server::noise_soil::SoilResult = ecociv_server::monitoring_results::stored_result(
            &server.store,
            "450202",
            "soil",
            ecociv_server::noise_soil::SOIL_YEAR,
            &state,
        )
        .await
        .unwrap()
        .expect("the soil judgements");
        let stored_dev: BTreeSet<Vec<String>> = result
            .development
            .iter()
            .map(|r| {
                vec![
                    r.sample.clone(),
                    r.land.clone(),
                    r.item.clone(),
                    r.name.clone(),
                    r.value.to_string(),
                    r.screening.to_string(),
                    r.intervention.map(|v| v.to_string()).unwrap_or_default(),
                    r.level_zh.clone(),
                    r.consequence.clone(),
                    r.note.clone().unwrap_or_default(),
                    ecociv_soil::edition::GB36600.to_owned(),
                ]
            })
            .collect();
        assert_eq!(stored_dev, without_line(dev_rows.clone()), "{}", server.engine);
        let stored_farm: BTreeSet<(String, String, String, String)> = result
            .farmland
            .iter()
            .map(|r| {
                (
                    r.sample.clone(),
                    r.item.clone(),
                    r.value.to_string(),
                    r.level_zh.clone(),
                )
            })
            .collect();
        let cli_farm: BTreeSet<(String, String, String, String)> = farm_rows
            .iter()
            .map(|r| (r[1].clone(), r[5].clone(), r[7].clone(), r[10].clone()))
            .collect();
        assert_eq!(stored_farm, cli_farm, "{}", server.engine);

        // The page: each content above a value with its level and clause; the register linked for members.
        let page = reviewer.get(&server, "/z/450202/noise-soil").await;
        let text = html(&page);
        let soil_part = text.split("id=\"soil-h\"").nth(1).unwrap();
        let over = dev_rows
            .iter()
            .chain(&farm_rows)
            .filter(|r| !r.iter().any(|c| c == "不超过筛选值"))
            .count();
        assert!(over >= 4);
        assert_eq!(
            soil_part.matches("<tr class=\"over\">").count(),
            over,
            "{}",
            server.engine
        );
        assert!(soil_part.contains("超过管制值") && soil_part.contains("5 表1 序号5") && soil_part.contains("960"));
        assert!(soil_part.contains("表1注①"), "arsenic's background note");
        assert!(soil_part.contains("/z/450202/ledgers/contaminated_land"));
        let anonymous = html(&Client::anonymous().get(&server, "/z/450202/noise-soil").await);
        assert!(!anonymous.contains("/ledgers/contaminated_land") && anonymous.contains("原某电镀厂地块-S1"));
    }
}

/// The contaminated-land register's page shows each plot's soil samples (its kind's `[samples]`): how many
/// and the worst judgement, linked to the soil part of the 声环境与土壤 page; a plot without samples says
/// so; samples of no plot are named under the table. The expectation comes from the CLI's judgements and
/// the standard's order of levels, not from the server's grouping.
#[tokio::test]
async fn the_contaminated_land_register_shows_each_plots_soil_samples() {
    let development = read("soil_development.SYNTHETIC.csv");
    let cli = {
        let table = ecociv_soil::gb36600::Table::embedded();
        let judged = ecociv_soil::ingest::read_development(development.as_bytes(), table).unwrap();
        let mut out = Vec::new();
        ecociv_soil::ingest::write_development_csv(&judged, &mut out).unwrap();
        rows(&out)
    };
    // GB 36600-2018 7.2–7.5, mildest first.
    let rank = |level: &str| {
        ["不超过筛选值", "超过筛选值、不超过管制值", "超过管制值"]
            .iter()
            .position(|l| *l == level)
    };
    let plot = "原某电镀厂地块";
    let of_plot: Vec<&Vec<String>> = cli.iter().filter(|r| r[1].starts_with(&format!("{plot}-"))).collect();
    let samples: BTreeSet<&str> = of_plot.iter().map(|r| r[1].as_str()).collect();
    let worst = of_plot
        .iter()
        .map(|r| r[8].as_str())
        .max_by_key(|l| rank(l).expect("a known level"))
        .unwrap();
    assert!(
        samples.len() >= 2 && worst == "超过管制值",
        "the SYNTHETIC file's plot has two samples, one above 管制值"
    );

    for server in servers("soil_register").await {
        ecociv_server::demo::load_ledgers(&server.store)
            .await
            .expect("the demo registers");
        let mut reviewer = Client::login(&server, "reviewer").await;
        let path = "/z/450202/ledgers/contaminated_land";
        // No soil imported: every plot says 无样品, nothing is pending.
        let before = html(&reviewer.get(&server, path).await);
        assert!(before.contains("<th scope=\"col\">监测样品</th>"), "{}", server.engine);
        assert_eq!(before.matches("无样品").count(), 2, "{before}");
        assert!(!before.contains("样品判定正在更新") && !before.contains("未对应到任何记录的样品"));

        let kind = ecociv_monitoring::kind::Kind::SoilDevelopment;
        ecociv_server::service::monitoring::store_file(
            &server.store,
            "450202",
            kind,
            "dev.SYNTHETIC.csv",
            development.as_bytes(),
            false,
        )
        .await
        .expect("the soil file is stored");
        let page = html(&reviewer.get(&server, path).await);
        let row = |id: &str| {
            let start = page
                .find(&format!(">{id}</a>"))
                .unwrap_or_else(|| panic!("{id} listed: {page}"));
            page[start..].split("</tr>").next().unwrap().to_owned()
        };
        let expected = format!("{} 个样品，最高：{worst}", samples.len());
        let dk2 = row("DK2");
        assert!(dk2.contains(plot) && dk2.contains(&expected), "{dk2}");
        assert!(dk2.contains("href=\"/z/450202/noise-soil#soil-h\""), "{dk2}");
        assert!(row("DK1").contains("无样品"), "the other plot has no samples");
        // The sample of a plot not on the register is named.
        let unmatched: BTreeSet<&str> = cli
            .iter()
            .map(|r| r[1].as_str())
            .filter(|s| !s.starts_with(&format!("{plot}-")))
            .collect();
        let note = page
            .split("未对应到任何记录的样品：")
            .nth(1)
            .expect("the unmatched samples' note");
        for sample in &unmatched {
            assert!(note.split("</p>").next().unwrap().contains(sample), "{sample}: {note}");
        }
        // The page linked to has the soil part and that plot's samples.
        let soil = html(&reviewer.get(&server, "/z/450202/noise-soil").await);
        assert!(soil.contains("id=\"soil-h\"") && soil.contains(&format!("{plot}-S1")));
    }
}
