//! The public portal (issue 14): the open-data catalogue page, its DCAT JSON-LD, the datasets' CSV/JSON
//! files, the survey results and the disclosure list (信息公开清单: the disclosure register's items with
//! their standing on the day) — public for a public zone (and for its members), no account needed.
//!
//! **What is published:** only what the zone's approved values give (`visible_zone` loads
//! `Selection::Approved` whoever asks), the figures the public air and water pages show, and the plan's
//! Table 4-1 as the plan prints it; never drafts or
//! submitted values, user names, evidence files or survey codes. `tests/integration/portal.rs` walks every
//! page and file without login and looks for those fields.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use ecociv_core::{Assessment, Framework, Source, Status, Value, Zone};
use ecociv_report::portal::{Catalogue, DEFAULT_LICENCE, Dataset, Licence, Table};
use ecociv_store::ZoneRecord;
use ecociv_web::Lang;
use ecociv_web::layout::urls;
use ecociv_web::pages::portal::{CatalogueView, DatasetRow, ResultRow, ResultsView};

use super::pages::download;
use super::{Web, WebError, WebResult, context, html, visible_zone};
use crate::AppState;

/// The datasets, in the catalogue's order.
pub const DATASETS: [&str; 6] = [
    "values",
    "table-2-1",
    "monitoring",
    "projects",
    "survey-results",
    "disclosure",
];

/// The published data of a zone: the catalogue and each dataset's table.
struct Published {
    catalogue: Catalogue,
    tables: BTreeMap<String, Table>,
}

fn text(lang: Lang, key: &str) -> String {
    ecociv_web::t(lang, key).into_owned()
}

fn value_cell(row: &ecociv_core::RowAssessment) -> String {
    match &row.value {
        Some(Value::Number(number)) => ecociv_core::num::show(*number),
        Some(other) => other.display(),
        None => String::new(),
    }
}

fn values_table(assessments: &[Assessment]) -> Table {
    let mut table = Table {
        header: [
            "年份",
            "指标编号",
            "指标名称",
            "数值",
            "单位",
            "达标情况",
            "来源类型",
            "来源说明",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for assessment in assessments {
        for row in assessment.leaves().filter(|row| row.value.is_some()) {
            let source = row.source.as_ref();
            table.rows.push(vec![
                assessment.year.to_string(),
                row.id.clone(),
                row.name.clone(),
                value_cell(row),
                row.unit.clone(),
                row.label().zh,
                source.map(|s| s.origin_zh().to_string()).unwrap_or_default(),
                source.map(Source::describe).unwrap_or_default(),
            ]);
        }
    }
    table
}

fn table_2_1(assessment: &Assessment) -> Table {
    let mut table = Table {
        header: [
            "年份",
            "领域",
            "任务",
            "指标编号",
            "指标名称",
            "单位",
            "指标属性",
            "标准值",
            "现状值",
            "达标情况",
            "牵头部门",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for row in &assessment.rows {
        table.rows.push(vec![
            assessment.year.to_string(),
            row.domain.clone(),
            row.task.clone(),
            row.id.clone(),
            row.name.clone(),
            row.unit.clone(),
            row.attribute.zh().to_string(),
            row.standard.clone(),
            row.value_text().unwrap_or_default(),
            if row.is_indicator && row.value.is_none() && row.status == Status::NoData {
                String::new()
            } else {
                row.label().zh
            },
            row.lead_departments.join("、"),
        ]);
    }
    table
}

/// The monitoring summaries: the figures the air and water pages show (materialized from the imported
/// monitoring data, computed by the standards), per year and row, with method, edition and provenance.
fn monitoring_table(framework: &Framework, observations: &[ecociv_core::Observation]) -> Table {
    let mut table = Table {
        header: [
            "年份",
            "指标编号",
            "指标名称",
            "数值",
            "单位",
            "计算方法",
            "标准版本",
            "计算依据",
            "合成数据",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for observation in observations {
        let Some((_, row)) = framework.row(&observation.row) else {
            continue;
        };
        let (method, edition, provenance) = match &observation.source {
            Source::Computed {
                method,
                edition,
                provenance,
                ..
            } => (method.clone(), edition.clone(), provenance.clone()),
            other => (String::new(), String::new(), other.describe()),
        };
        let value = match &observation.value {
            Value::Number(number) => ecociv_core::num::show(*number),
            other => other.display(),
        };
        table.rows.push(vec![
            observation.year.to_string(),
            observation.row.clone(),
            row.name.clone(),
            value,
            row.unit.clone(),
            method,
            edition,
            provenance,
            if observation.source.is_synthetic() {
                "是"
            } else {
                "否"
            }
            .to_string(),
        ]);
    }
    table
}

/// The air and water pages' current figures of every year (never recomputed here: a stale page's years
/// are left out until its background refresh has run).
async fn monitoring_figures(
    state: &AppState,
    framework: &Framework,
    code: &str,
) -> crate::error::ApiResult<Vec<ecociv_core::Observation>> {
    use crate::monitoring_results::{AIR, WATER, air_result, page_years, water_result};
    let mut out = Vec::new();
    for page in [AIR, WATER] {
        let years = page_years(&state.store, framework, code, page).await?;
        for year in &years.years {
            let stored = if page == AIR {
                air_result(&state.store, code, *year, &years)
                    .await?
                    .map(|r| r.observations)
            } else {
                water_result(&state.store, code, *year, &years)
                    .await?
                    .map(|r| r.observations)
            };
            for observation in stored.unwrap_or_default() {
                out.push(observation.observation()?);
            }
        }
    }
    out.sort_by(|a, b| (a.year, &a.row).cmp(&(b.year, &b.row)));
    Ok(out)
}

fn projects_table(code: &str) -> Table {
    let mut table = Table {
        header: [
            "类别编号",
            "类别",
            "类别项目数",
            "类别投资估算（万元）",
            "项目编号",
            "项目名称",
            "对应指标",
            "备注",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    let Ok(Some(works)) = crate::plan::works(code) else {
        return table;
    };
    for category in &works.1.categories {
        for project in &category.projects {
            table.rows.push(vec![
                category.number.to_string(),
                category.name.clone(),
                category.count.to_string(),
                category.investment.to_string(),
                project.id.clone(),
                project.name.clone(),
                project.rows.join("、"),
                project.note.clone().unwrap_or_default(),
            ]);
        }
    }
    table
}

/// The approved survey estimates (rows with a `Source::Survey`), newest year first.
fn survey_rows(assessments: &[Assessment]) -> Vec<(i32, &ecociv_core::RowAssessment)> {
    let mut rows: Vec<(i32, &ecociv_core::RowAssessment)> = assessments
        .iter()
        .flat_map(|a| a.leaves().map(move |row| (a.year, row)))
        .filter(|(_, row)| matches!(row.source, Some(Source::Survey { .. })))
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    rows
}

fn survey_table(assessments: &[Assessment]) -> Table {
    let mut table = Table {
        header: [
            "年份",
            "指标编号",
            "指标名称",
            "估计值（%）",
            "95%置信下限（%）",
            "95%置信上限（%）",
            "有效回答数",
            "回收份数",
            "调查名称",
            "估计方法",
            "合成数据",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for (year, row) in survey_rows(assessments) {
        let Some(Source::Survey {
            survey,
            edition,
            valid,
            responses,
            low,
            high,
            synthetic,
            ..
        }) = &row.source
        else {
            continue;
        };
        table.rows.push(vec![
            year.to_string(),
            row.id.clone(),
            row.name.clone(),
            value_cell(row),
            ecociv_core::num::show(*low),
            ecociv_core::num::show(*high),
            valid.to_string(),
            responses.to_string(),
            survey.clone(),
            edition.clone(),
            if *synthetic { "是" } else { "否" }.to_string(),
        ]);
    }
    table
}

/// The disclosure register's items with their standing on `as_of` (the public list as a file).
fn disclosure_table(items: &[ecociv_survey::disclosure::Item], as_of: jiff::civil::Date) -> Table {
    let mut table = Table {
        header: [
            "年份",
            "编号",
            "应公开事项",
            "类别",
            "责任单位",
            "公开依据",
            "公开频次",
            "应公开日期",
            "公开日期",
            "公开渠道",
            "文号或链接",
            "公开情况",
            "统计日期",
            "合成数据",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for item in items {
        table.rows.push(vec![
            item.due.year().to_string(),
            item.id.clone(),
            item.title.clone(),
            item.category.clone(),
            item.owner.clone(),
            item.basis.clone(),
            item.frequency.clone(),
            item.due.to_string(),
            item.published.map(|d| d.to_string()).unwrap_or_default(),
            item.channel.clone(),
            item.reference.clone(),
            item.standing(as_of).zh().to_string(),
            as_of.to_string(),
            if item.synthetic { "是" } else { "否" }.to_string(),
        ]);
    }
    table
}

/// The zone's open-data licence and whether its administrator chose it (else ecociv's default). A stored id
/// this build does not know (a licence list shortened later) reads as the default, unconfirmed.
pub async fn zone_licence(state: &AppState, code: &str) -> Result<(Licence, bool), ecociv_store::StoreError> {
    Ok(
        match state
            .store
            .open_licence(code)
            .await?
            .and_then(|id| ecociv_report::portal::licence(&id))
        {
            Some(licence) => (licence, true),
            None => (DEFAULT_LICENCE, false),
        },
    )
}

fn years_of(table: &Table) -> Option<(i32, i32)> {
    if table.header.first().map(String::as_str) != Some("年份") {
        return None;
    }
    let years: Vec<i32> = table
        .rows
        .iter()
        .filter_map(|row| row.first().and_then(|y| y.parse().ok()))
        .collect();
    Some((*years.iter().min()?, *years.iter().max()?))
}

async fn published(
    state: &AppState,
    web: &Web,
    code: &str,
) -> WebResult<(ZoneRecord, Zone, Arc<Framework>, Published, Vec<Assessment>)> {
    let (record, zone, framework) = visible_zone(state, web, code).await?;
    let years = zone.years();
    let assessments = crate::assessments::approved_years(state, &framework, &record, &zone, &years)
        .await
        .map_err(|error| WebError::from_api(web, error))?;
    // The last change of the approved values (the date of the newest approved revision in force).
    let modified = state
        .store
        .current_revisions(code, None)
        .await?
        .into_iter()
        .filter(|r| r.status == ecociv_store::Status::Approved)
        .map(|r| r.created_at.chars().take(10).collect::<String>())
        .max();
    let mut tables = BTreeMap::new();
    tables.insert("values".to_string(), values_table(&assessments));
    tables.insert(
        "table-2-1".to_string(),
        assessments.last().map(table_2_1).unwrap_or_default(),
    );
    let figures = monitoring_figures(state, &framework, code)
        .await
        .map_err(|error| WebError::from_api(web, error))?;
    tables.insert("monitoring".to_string(), monitoring_table(&framework, &figures));
    tables.insert("projects".to_string(), projects_table(code));
    tables.insert("survey-results".to_string(), survey_table(&assessments));
    let as_of = crate::service::disclosure::civil(crate::plan::today(state));
    let register = crate::service::disclosure::items(state, code)
        .await
        .map_err(|error| WebError::from_api(web, error))?
        .unwrap_or_default();
    tables.insert("disclosure".to_string(), disclosure_table(&register, as_of));
    // The register's last import, the disclosure list's update date.
    let register_modified = state
        .store
        .ledger_imports(code, crate::service::disclosure::KIND)
        .await?
        .into_iter()
        .filter(|import| import.revision_count > 0)
        .map(|import| import.created_at.chars().take(10).collect::<String>())
        .max();
    let datasets = DATASETS
        .iter()
        .map(|id| {
            let table = &tables[*id];
            Dataset {
                id: id.to_string(),
                title: text(Lang::Zh, &format!("open.dataset.{id}.title")),
                title_en: text(Lang::En, &format!("open.dataset.{id}.title")),
                description: text(Lang::Zh, &format!("open.dataset.{id}.description")),
                modified: match *id {
                    "projects" | "monitoring" => None,
                    "disclosure" => register_modified.clone(),
                    _ => modified.clone(),
                },
                years: years_of(table),
                keywords: vec![
                    "生态文明建设示范区".into(),
                    text(Lang::Zh, &format!("open.dataset.{id}.title")),
                ],
            }
        })
        .collect();
    let (licence, confirmed) = zone_licence(state, code).await?;
    let catalogue = Catalogue {
        zone_code: code.to_string(),
        zone_name: zone.profile.name.clone(),
        publisher: ecociv_report::docx::default_issuer(&zone),
        page: urls::open_data(code),
        files_base: urls::open_data(code),
        licence_url: licence.url.to_string(),
        licence_name: licence.name_zh.to_string(),
        licence_confirmed: confirmed,
        datasets,
    };
    Ok((record, zone, framework, Published { catalogue, tables }, assessments))
}

/// `GET /z/{code}/open`: the open-data catalogue.
pub async fn catalogue(State(state): State<AppState>, web: Web, Path(code): Path<String>) -> WebResult<Response> {
    let (record, _, _, published, _) = published(&state, &web, &code).await?;
    let view = CatalogueView {
        datasets: published
            .catalogue
            .datasets
            .iter()
            .map(|dataset| DatasetRow {
                id: dataset.id.clone(),
                modified: dataset.modified.clone(),
                years: dataset.years,
                rows: published.tables[&dataset.id].rows.len(),
                csv: urls::open_file(&code, &format!("{}.csv", dataset.id)),
                json: urls::open_file(&code, &format!("{}.json", dataset.id)),
            })
            .collect(),
        licence_url: published.catalogue.licence_url.clone(),
        licence_name: match web.lang {
            Lang::Zh => published.catalogue.licence_name.clone(),
            Lang::En => ecociv_report::portal::LICENCES
                .iter()
                .find(|l| l.url == published.catalogue.licence_url)
                .map_or_else(|| published.catalogue.licence_name.clone(), |l| l.name_en.to_string()),
        },
        licence_confirmed: published.catalogue.licence_confirmed,
        dcat: urls::open_catalog(&code),
        results: urls::survey_results(&code),
    };
    let ctx = context(&web, Some(&record), None, None);
    Ok(html(
        axum::http::StatusCode::OK,
        ecociv_web::pages::portal::render_catalogue(&ctx, &view),
    ))
}

/// `GET /z/{code}/open/catalog.jsonld`: the catalogue as DCAT JSON-LD.
pub async fn catalogue_jsonld(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
) -> WebResult<Response> {
    let (_, _, _, published, _) = published(&state, &web, &code).await?;
    let json = ecociv_report::portal::dcat(&published.catalogue);
    Ok(download(
        "application/ld+json",
        format!("ecociv-{code}-catalog.jsonld"),
        json.to_string().into_bytes(),
    ))
}

/// `GET /z/{code}/open/{file}`: a dataset as `{id}.csv` or `{id}.json`; anything else is 404.
pub async fn file(
    State(state): State<AppState>,
    web: Web,
    Path((code, file)): Path<(String, String)>,
) -> WebResult<Response> {
    let Some((id, extension)) = file.rsplit_once('.') else {
        return Err(WebError::NotFound(web.lang));
    };
    if !DATASETS.contains(&id) || !matches!(extension, "csv" | "json") {
        return Err(WebError::NotFound(web.lang));
    }
    let (_, _, _, published, _) = published(&state, &web, &code).await?;
    let table = &published.tables[id];
    let name = format!("ecociv-{code}-{id}.{extension}");
    if extension == "csv" {
        let bytes = table
            .csv()
            .map_err(|error| WebError::Internal(web.lang, error.to_string()))?;
        Ok(download("text/csv; charset=utf-8", name, bytes))
    } else {
        let dataset = published.catalogue.datasets.iter().find(|d| d.id == id);
        let mut json = table.json();
        json["dataset"] = serde_json::json!({
            "id": id,
            "zone": code,
            "title": dataset.map(|d| d.title.clone()),
            "description": dataset.map(|d| d.description.clone()),
            "modified": dataset.and_then(|d| d.modified.clone()),
            "license": published.catalogue.licence_url,
            "license_name": published.catalogue.licence_name,
            "license_confirmed": published.catalogue.licence_confirmed,
        });
        Ok(download("application/json", name, json.to_string().into_bytes()))
    }
}

/// `GET /z/{code}/results`: the approved survey results with their intervals.
pub async fn results(State(state): State<AppState>, web: Web, Path(code): Path<String>) -> WebResult<Response> {
    let (record, _, _, _, assessments) = published(&state, &web, &code).await?;
    let rows = survey_rows(&assessments)
        .into_iter()
        .filter_map(|(year, row)| {
            let Some(Source::Survey {
                survey,
                edition,
                valid,
                responses,
                low,
                high,
                provenance,
                synthetic,
                ..
            }) = &row.source
            else {
                return None;
            };
            Some(ResultRow {
                year,
                row: row.id.clone(),
                name: match web.lang {
                    Lang::Zh => row.name.clone(),
                    Lang::En => row.name_en.clone(),
                },
                value: row.value_text().unwrap_or_default(),
                low: row.format.value(&Value::Number(*low)),
                high: row.format.value(&Value::Number(*high)),
                valid: *valid,
                responses: *responses,
                survey: survey.clone(),
                edition: edition.clone(),
                provenance: provenance.clone(),
                synthetic: *synthetic,
                href: urls::indicator(&code, &row.id, year),
            })
        })
        .collect();
    let ctx = context(&web, Some(&record), None, None);
    Ok(html(
        axum::http::StatusCode::OK,
        ecociv_web::pages::portal::render_results(&ctx, &ResultsView { rows }),
    ))
}

/// A web address worth linking (the register's 文号或链接 is a document number or a link).
fn web_link(reference: &str) -> Option<String> {
    let lower = reference.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| reference.to_string())
}

/// `GET /z/{code}/disclosure[?year=]`: the public disclosure list of a year (default: the current year if
/// it has items due, else the latest year with items) — what was to be disclosed, by whom, when it was,
/// where, and whether on time; the late and overdue items by owner; row 5 of the year as approved.
pub async fn disclosure(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    axum::extract::Query(query): axum::extract::Query<BTreeMap<String, String>>,
) -> WebResult<Response> {
    use ecociv_survey::disclosure::{Standing, counts, of_year, shortfalls_by_owner, years};
    let (record, zone, framework) = visible_zone(&state, &web, &code).await?;
    let ctx = context(&web, Some(&record), None, None);
    let as_of = crate::service::disclosure::civil(crate::plan::today(&state));
    let Some(items) = crate::service::disclosure::items(&state, &code)
        .await
        .map_err(|error| WebError::from_api(&web, error))?
    else {
        let view = ecociv_web::pages::portal::DisclosureView {
            no_register: true,
            ..Default::default()
        };
        return Ok(html(
            axum::http::StatusCode::OK,
            ecociv_web::pages::portal::render_disclosure(&ctx, &view),
        ));
    };
    let register_years = years(&items);
    let this_year = i32::from(as_of.year());
    let year = match query.get("year") {
        Some(text) => ecociv_core::value::parse_year(text).map_err(|_| WebError::BadRequest(web.lang))?,
        None if register_years.contains(&this_year) => this_year,
        None => register_years
            .iter()
            .rev()
            .find(|y| **y <= this_year)
            .or(register_years.last())
            .copied()
            .unwrap_or(this_year),
    };
    let year_items = of_year(&items, year);
    let c = counts(&items, year, as_of);
    // Row 5 of the year as approved (the figure the ledger mechanism derived, or another source).
    let row5 = {
        let assessment = crate::assessments::approved(&state, &framework, &record, &zone, year)
            .await
            .map_err(|error| WebError::from_api(&web, error))?;
        assessment
            .leaves()
            .find(|row| row.id == "5")
            .filter(|row| row.value.is_some())
            .map(|row| {
                (
                    row.value_text().unwrap_or_default(),
                    match web.lang {
                        Lang::Zh => row.label().zh,
                        Lang::En => row.label().en,
                    },
                    urls::indicator(&code, "5", year),
                )
            })
    };
    let view = ecociv_web::pages::portal::DisclosureView {
        year,
        years: register_years
            .iter()
            .map(|y| (*y, urls::disclosure_year(&code, *y)))
            .collect(),
        as_of: as_of.to_string(),
        items_due: c.items,
        counts: Standing::ALL.map(|s| c.of(s)),
        row5,
        items: year_items
            .iter()
            .map(|item| {
                let standing = item.standing(as_of);
                ecociv_web::pages::portal::DisclosureRow {
                    id: item.id.clone(),
                    title: item.title.clone(),
                    category: item.category.clone(),
                    owner: item.owner.clone(),
                    basis: item.basis.clone(),
                    frequency: item.frequency.clone(),
                    due: item.due.to_string(),
                    published: item.published.map(|d| d.to_string()),
                    channel: item.channel.clone(),
                    reference: item.reference.clone(),
                    link: web_link(&item.reference),
                    standing: standing.code().to_string(),
                    days_late: item.days_late(as_of),
                }
            })
            .collect(),
        owners: shortfalls_by_owner(&year_items, as_of)
            .into_iter()
            .map(|(owner, items)| ecociv_web::pages::portal::OwnerShortfall {
                owner,
                items: items
                    .iter()
                    .map(|i| {
                        (
                            i.id.clone(),
                            i.title.clone(),
                            i.standing(as_of).code().to_string(),
                            i.days_late(as_of),
                        )
                    })
                    .collect(),
            })
            .collect(),
        synthetic: year_items.iter().any(|i| i.synthetic),
        no_register: false,
        csv: urls::open_file(&code, "disclosure.csv"),
        json: urls::open_file(&code, "disclosure.json"),
    };
    Ok(html(
        axum::http::StatusCode::OK,
        ecociv_web::pages::portal::render_disclosure(&ctx, &view),
    ))
}
