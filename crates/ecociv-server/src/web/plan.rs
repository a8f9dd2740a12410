//! The plan's pages (issue 12): task breakdown, project ledger, supervision board, units and their
//! scores, progress reports with their forms. Reads through [`crate::plan`], writes through the service
//! layer ([`crate::service::plan`]) the JSON API calls, so a report filed by form goes through exactly the
//! API's checks and workflow. Views and HTML come from `ecociv_web::pages::plan`.

use std::collections::{BTreeMap, HashMap};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ecociv_chart::LineChart;
use ecociv_plan::WanYuan;
use ecociv_plan::report::{ReviewState, Subject};
use ecociv_plan::supervision::{EventKind, FollowUp, FollowUpState};
use ecociv_web::i18n::t;
use ecociv_web::layout::{Flash, FlashKind, urls};
use ecociv_web::pages::plan::{
    BoardView, CategoryLine, EventLine, ItemLine, Link, ProjectLine, ProjectsView, ReportLine, ReportView,
    RevisionLine, ScoreLineView, ScoreView, TaskLine, TasksView, UnitView, render_board, render_projects,
    render_report, render_tasks, render_unit, render_units, rule_text,
};

use super::{Web, WebError, WebResult, context, html};
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::multipart::{self, FormData};
use crate::plan::{PlanData, parse_period, parse_subject, period_key, subject_key, works_or_404};
use crate::policy;
use crate::service::plan::{BoardAction, ReportBody, ReportStep, SpendBody, board_action, report_step};

type Q = Query<BTreeMap<String, String>>;

fn api(web: &Web, error: ApiError) -> WebError {
    WebError::from_api(web, error)
}

fn flash_of(web: &Web, query: &BTreeMap<String, String>) -> Option<Flash> {
    query.get("done").map(|key| Flash {
        kind: FlashKind::Success,
        text: t(web.lang, &format!("plan.done.{key}")).into_owned(),
    })
}

fn money(amount: WanYuan) -> String {
    amount.to_string()
}

/// The public part: the zone (visible to the visitor) and its measures and projects.
async fn public_zone(state: &AppState, web: &Web, code: &str) -> WebResult<ecociv_store::ZoneRecord> {
    let role = policy::role(web.principal.as_deref(), code);
    match state.store.zone(code).await? {
        Some(record) if policy::can_see_zone(role.as_ref(), record.disclosed) => Ok(record),
        _ => Err(WebError::NotFound(web.lang)),
    }
}

fn unit_link(code: &str, unit: &str) -> Link {
    Link {
        text: unit.to_string(),
        href: urls::plan_unit(code, unit),
    }
}

/// A unit's name on a public page: linked to its page (members only) for members, plain text otherwise —
/// a visitor without an account is never sent to the login page by a public page.
fn unit_text_or_link(code: &str, unit: &str, member: bool) -> Link {
    if member {
        unit_link(code, unit)
    } else {
        Link {
            text: unit.to_string(),
            href: String::new(),
        }
    }
}

/// The latest period whose report is due on `today` (or the current one when none is due yet).
fn due_period(data: &PlanData, from_year: i32) -> Option<ecociv_plan::Period> {
    data.rules.due_periods(from_year, 9999, data.today).last().copied()
}

fn report_href(code: &str, subject: &Subject, period: Option<ecociv_plan::Period>) -> Option<String> {
    period.map(|p| urls::plan_report(code, &subject_key(subject), &period_key(p)))
}

/// `GET /z/{code}/plan`: the task breakdown.
pub async fn tasks(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let record = public_zone(&state, &web, &code).await?;
    let works = works_or_404(&code).map_err(|e| api(&web, e))?;
    let reports = state.store.report_book(&code).await?;
    let measures = &works.0;
    let department = query.get("department").filter(|d| !d.is_empty()).cloned();
    let row = query.get("row").filter(|r| !r.is_empty()).cloned();
    let by = if query.get("by").map(String::as_str) == Some("row") {
        "row"
    } else {
        "department"
    };
    let mut departments: Vec<String> = Vec::new();
    let mut rows: Vec<String> = Vec::new();
    for m in &measures.measures {
        for d in m.lead.iter().chain(&m.cooperating) {
            if !departments.contains(d) {
                departments.push(d.clone());
            }
        }
        for r in &m.rows {
            if !rows.contains(r) {
                rows.push(r.clone());
            }
        }
    }
    rows.sort_by_key(|a| natural(a));
    let member = web.principal.as_ref().is_some_and(|p| p.zone_role(&code).is_some());
    let line = |m: &ecociv_plan::model::Measure| TaskLine {
        id: m.id.clone(),
        title: m.title.clone(),
        location: m.location.clone(),
        lead: m.lead.iter().map(|l| unit_text_or_link(&code, l, member)).collect(),
        lead_derived: m.lead_basis == ecociv_plan::model::LeadBasis::Derived,
        cooperating: m.cooperating.join("、"),
        deadline: m.deadline_label(),
        rows: m
            .rows
            .iter()
            .map(|r| Link {
                text: r.clone(),
                href: urls::indicator_path(&code, r),
            })
            .collect(),
        latest: reports
            .latest_approved(&Subject::Measure(m.id.clone()))
            .map(|r| (r.status.label().to_string(), r.percent)),
        report_href: None,
    };
    let chosen: Vec<_> = measures
        .measures
        .iter()
        .filter(|m| department.as_deref().is_none_or(|d| m.involves(d)))
        .filter(|m| row.as_deref().is_none_or(|r| m.rows.iter().any(|x| x == r)))
        .collect();
    let mut groups: Vec<(String, Vec<TaskLine>)> = Vec::new();
    let mut push = |key: String, l: TaskLine| match groups.iter_mut().find(|(k, _)| *k == key) {
        Some((_, lines)) => lines.push(l),
        None => groups.push((key, vec![l])),
    };
    for m in &chosen {
        if by == "row" {
            for r in m.rows.iter().filter(|r| row.as_deref().is_none_or(|x| x == r.as_str())) {
                push(r.clone(), line(m));
            }
        } else {
            let key = m
                .lead
                .first()
                .cloned()
                .unwrap_or_else(|| t(web.lang, "plan.unassigned").into_owned());
            push(key, line(m));
        }
    }
    if by == "row" {
        groups.sort_by_key(|a| natural(&a.0));
    }
    // The report links go to the latest period due; built here where the rules are known.
    let rules = ecociv_plan::supervision::SupervisionRules::default_rules();
    let today = crate::plan::today(&state);
    let period = rules.due_periods(2022, 9999, today).last().copied();
    for (_, lines) in &mut groups {
        for l in lines.iter_mut() {
            l.report_href = if member {
                report_href(&code, &Subject::Measure(l.id.clone()), period)
            } else {
                None
            };
        }
    }
    let view = TasksView {
        zone_code: code.clone(),
        source: measures.source.clone(),
        total: measures.measures.len(),
        by: by.to_string(),
        department,
        row,
        departments,
        rows,
        groups,
        xlsx_href: urls::plan_tasks_xlsx(&code),
    };
    let ctx = context(&web, Some(&record), None, None);
    Ok(html(StatusCode::OK, render_tasks(&ctx, &view)))
}

/// Sorts row ids like `7.1` < `10` numerically.
fn natural(id: &str) -> Vec<u32> {
    id.split(['.', '-']).map(|p| p.parse().unwrap_or(u32::MAX)).collect()
}

/// `GET /z/{code}/plan/tasks.xlsx`: the 工作任务分解表.
pub async fn tasks_xlsx(
    State(state): State<AppState>,
    web: Web,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let record = public_zone(&state, &web, &code).await?;
    let works = works_or_404(&code).map_err(|e| api(&web, e))?;
    let department = query.get("department").filter(|d| !d.is_empty()).cloned();
    let lang = web.lang;
    let bytes = crate::work::cpu(move || {
        ecociv_report::plan::task_breakdown(&record.profile.name, &works.0, department.as_deref())
    })
    .await
    .map_err(|e| WebError::Internal(lang, e.message))?
    .map_err(|e| WebError::Internal(lang, e.to_string()))?;
    Ok(super::pages::download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("ecociv-{code}-tasks.xlsx"),
        bytes,
    ))
}

/// `GET /z/{code}/plan/projects.xlsx`: the project ledger (also the template).
pub async fn projects_xlsx(State(state): State<AppState>, web: Web, Path(code): Path<String>) -> WebResult<Response> {
    let record = public_zone(&state, &web, &code).await?;
    let works = works_or_404(&code).map_err(|e| api(&web, e))?;
    let (_, ledger) = crate::plan::ledger(&state, &code, &works.1)
        .await
        .map_err(|e| api(&web, e))?;
    let reports = state.store.report_book(&code).await?;
    let spent: BTreeMap<String, WanYuan> = ledger
        .iter()
        .map(|e| (e.project.clone(), reports.approved_spend_through(&e.project, 9999)))
        .filter(|(_, a)| a.0 != 0)
        .collect();
    let lang = web.lang;
    let code2 = code.clone();
    let bytes = crate::work::cpu(move || {
        ecociv_report::plan::project_ledger(&record.profile.name, &code2, &works.1, &ledger, &spent)
    })
    .await
    .map_err(|e| WebError::Internal(lang, e.message))?
    .map_err(|e| WebError::Internal(lang, e.to_string()))?;
    Ok(super::pages::download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("ecociv-{code}-projects.xlsx"),
        bytes,
    ))
}

/// `GET /z/{code}/plan/projects`: the key-project ledger with plan vs actual.
pub async fn projects(State(state): State<AppState>, web: Web, Path(code): Path<String>) -> WebResult<Response> {
    let record = public_zone(&state, &web, &code).await?;
    let works = works_or_404(&code).map_err(|e| api(&web, e))?;
    let (_, ledger) = crate::plan::ledger(&state, &code, &works.1)
        .await
        .map_err(|e| api(&web, e))?;
    let reports = state.store.report_book(&code).await?;
    let member = web.principal.as_ref().is_some_and(|p| p.zone_role(&code).is_some());
    let rules = ecociv_plan::supervision::SupervisionRules::default_rules();
    let today = crate::plan::today(&state);
    let kp = &works.1;
    let categories = kp
        .categories
        .iter()
        .map(|c| CategoryLine {
            name: c.name.clone(),
            count: c.count,
            listed: c.projects.len(),
            investment: money(c.investment),
            entered: money(WanYuan::sum(
                ledger
                    .iter()
                    .filter(|e| c.projects.iter().any(|p| p.id == e.project))
                    .map(|e| &e.estimated),
            )),
        })
        .collect();
    let mut projects = Vec::new();
    for c in &kp.categories {
        for p in &c.projects {
            let entry = ledger.iter().find(|e| e.project == p.id);
            let period = entry.and_then(|e| rules.due_periods(e.start_year, e.end_year, today).last().copied());
            projects.push(ProjectLine {
                id: p.id.clone(),
                category: c.name.clone(),
                name: p.name.clone(),
                responsible: entry.map(|e| unit_text_or_link(&code, &e.responsible, member)),
                period: entry
                    .map(|e| format!("{}–{}", e.start_year, e.end_year))
                    .unwrap_or_default(),
                estimated: entry.map(|e| money(e.estimated)).unwrap_or_default(),
                planned: entry.map(|e| money(e.planned_through(today.year))).unwrap_or_default(),
                spent: entry
                    .map(|_| money(reports.approved_spend_through(&p.id, 9999)))
                    .unwrap_or_default(),
                report_href: if member && entry.is_some() {
                    report_href(&code, &Subject::Project(p.id.clone()), period)
                } else {
                    None
                },
            });
        }
    }
    // Plan vs actual over the ledger's years, cumulative.
    let (first, last) = ledger.iter().fold((i32::MAX, i32::MIN), |(a, b), e| {
        (a.min(e.start_year), b.max(e.end_year))
    });
    let mut chart = LineChart::new(
        t(web.lang, "plan.projects.chart"),
        t(web.lang, "plan.projects.unit_label"),
    );
    if first <= last {
        for year in first..=last {
            let planned: i64 = ledger.iter().map(|e| e.planned_through(year).0).sum();
            chart.forecast.push((year, WanYuan(planned).as_f64()));
            if year <= today.year {
                let spent: i64 = ledger
                    .iter()
                    .map(|e| reports.approved_spend_through(&e.project, year).0)
                    .sum();
                chart.series.push((year, WanYuan(spent).as_f64()));
            }
        }
    }
    chart.labels.observed = t(web.lang, "plan.projects.actual").into_owned();
    chart.labels.forecast = t(web.lang, "plan.projects.planned").into_owned();
    chart.series_label = chart.labels.observed.clone();
    let view = ProjectsView {
        zone_code: code.clone(),
        total_count: kp.total_count,
        total_investment: money(kp.total_investment),
        categories,
        projects,
        chart_svg: chart.to_svg(),
        quality: kp.quality.iter().map(|q| q.text.clone()).collect(),
        synthetic: state
            .store
            .ledger(&code)
            .await?
            .is_some_and(|(_, text)| text.contains("SYNTHETIC")),
        xlsx_href: urls::plan_projects_xlsx(&code),
    };
    let ctx = context(&web, Some(&record), None, None);
    Ok(html(StatusCode::OK, render_projects(&ctx, &view)))
}

/// User names → display names, for the history lines (the plan's records keep user names).
async fn names(state: &AppState) -> WebResult<HashMap<String, String>> {
    Ok(state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| (u.username, u.display_name))
        .collect())
}

fn shown_by(names: &HashMap<String, String>, by: &str, lang: ecociv_web::Lang) -> String {
    if by == crate::plan::RULES_AUTHOR {
        return t(lang, "plan.board.by_rules").into_owned();
    }
    names.get(by).cloned().unwrap_or_else(|| by.to_string())
}

fn subject_href(code: &str, subject: &str, data: &PlanData) -> Option<String> {
    let (kind, id) = subject.split_once(' ')?;
    if kind == "公开事项" {
        // An overdue disclosure: the public list of its year, at the item.
        let year = data.disclosures.iter().find(|d| d.id == id)?.due.year;
        return Some(format!("{}#d-{}", urls::disclosure_year(code, year), urls::encode(id)));
    }
    let s = match kind {
        "项目" => Subject::Project(id.to_string()),
        "措施" => Subject::Measure(id.to_string()),
        _ => return None,
    };
    let period = match &s {
        Subject::Project(p) => data
            .ledger
            .iter()
            .find(|e| &e.project == p)
            .and_then(|e| due_period(data, e.start_year)),
        Subject::Measure(_) => due_period(data, 2022),
    };
    report_href(code, &s, period)
}

fn item_line(
    web: &Web,
    code: &str,
    data: &PlanData,
    item: &FollowUp,
    names: &HashMap<String, String>,
    role: Option<&crate::auth::ZoneRole>,
) -> ItemLine {
    let lang = web.lang;
    let rule = item
        .rule
        .as_ref()
        .and_then(|id| data.rules.rules.iter().find(|r| &r.id == id));
    let reason = item
        .events
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::Opened { reason } | EventKind::ConditionReturned { reason } => Some(reason.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let kind_code = |k: &EventKind| match k {
        EventKind::Opened { .. } => "opened",
        EventKind::Response { .. } => "response",
        EventKind::ConditionCleared => "cleared",
        EventKind::ConditionReturned { .. } => "returned",
        EventKind::Closed { .. } => "closed",
    };
    let text_of = |k: &EventKind| match k {
        EventKind::Response { text } => text.clone(),
        EventKind::Closed { basis } => basis.clone(),
        _ => String::new(),
    };
    let department = role.and_then(|r| data.department_name(r));
    ItemLine {
        id: item.id.clone(),
        anchor: format!("f-{}", item.id.bytes().map(|b| format!("{b:02x}")).collect::<String>()),
        subject: item.subject.clone(),
        subject_href: subject_href(code, &item.subject, data),
        owner: unit_link(code, &item.owner),
        rule: rule.map(|r| {
            let kind = serde_json::to_value(r.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            (
                r.name.clone(),
                rule_text(
                    lang,
                    &kind,
                    data.rules.report_due_days,
                    r.grace_days,
                    r.response_days,
                    r.threshold_percent,
                ),
            )
        }),
        reason,
        opened: item.opened.to_string(),
        due: item.due.to_string(),
        state: match item.state() {
            FollowUpState::Open => "open",
            FollowUpState::Cleared => "cleared",
            FollowUpState::Closed => "closed",
        }
        .into(),
        overdue: item.overdue(data.today),
        events: item
            .events
            .iter()
            .map(|e| EventLine {
                on: e.on.to_string(),
                by: shown_by(names, &e.by, lang),
                kind: kind_code(&e.kind).into(),
                text: text_of(&e.kind),
            })
            .collect(),
        can_respond: policy::can_act_for_unit(role, department.as_deref(), std::slice::from_ref(&item.owner)),
        can_close: policy::can_review(role),
        action: urls::plan_item(code, &item.id),
    }
}

/// The page's maximum of items listed.
const MAX_ITEMS: usize = 200;

/// `GET /z/{code}/plan/supervision`: the board.
pub async fn board(
    State(state): State<AppState>,
    web: Web,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    let (record, role) = crate::service::member_zone(&state, &principal, &code)
        .await
        .map_err(|e| api(&web, e))?;
    let data = PlanData::load(&state, &code).await.map_err(|e| api(&web, e))?;
    let names = names(&state).await?;
    let unit = query.get("unit").filter(|u| !u.is_empty()).cloned();
    let rule = query.get("rule").filter(|r| !r.is_empty()).cloned();
    let filter = query.get("state").cloned().unwrap_or_else(|| "active".into());
    let items = &data.board.items;
    let count = |s: FollowUpState| items.iter().filter(|i| i.state() == s).count();
    let mut units: Vec<String> = data.units();
    for i in items {
        if !units.contains(&i.owner) {
            units.push(i.owner.clone());
        }
    }
    let mut by_unit: Vec<(Link, usize, usize)> = units
        .iter()
        .map(|u| {
            let mine = items.iter().filter(|i| &i.owner == u);
            let open = mine.clone().filter(|i| i.state() != FollowUpState::Closed).count();
            let overdue = mine.filter(|i| i.overdue(data.today)).count();
            (unit_link(&code, u), open, overdue)
        })
        .filter(|(_, open, _)| *open > 0)
        .collect();
    by_unit.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)));
    let mut chosen: Vec<&FollowUp> = items
        .iter()
        .filter(|i| unit.as_deref().is_none_or(|u| i.owner == u))
        .filter(|i| rule.as_deref().is_none_or(|r| i.rule.as_deref() == Some(r)))
        .filter(|i| match filter.as_str() {
            "overdue" => i.overdue(data.today),
            "cleared" => i.state() == FollowUpState::Cleared,
            "closed" => i.state() == FollowUpState::Closed,
            "all" => true,
            _ => i.state() != FollowUpState::Closed,
        })
        .collect();
    // Overdue first, then by due date.
    chosen.sort_by_key(|i| (!i.overdue(data.today), i.due, i.id.clone()));
    let more = chosen.len().saturating_sub(MAX_ITEMS);
    let view = BoardView {
        zone_code: code.clone(),
        today: data.today.to_string(),
        open: count(FollowUpState::Open),
        cleared: count(FollowUpState::Cleared),
        closed: count(FollowUpState::Closed),
        overdue: items.iter().filter(|i| i.overdue(data.today)).count(),
        by_unit,
        items: chosen
            .iter()
            .take(MAX_ITEMS)
            .map(|i| item_line(&web, &code, &data, i, &names, Some(&role)))
            .collect(),
        more,
        unit,
        state: filter,
        units,
        rules: data
            .rules
            .rules
            .iter()
            .map(|r| (r.id.clone(), r.name.clone()))
            .collect(),
        rule,
        can_add: policy::can_review(Some(&role)),
        bulletin_href: due_period(&data, data.rules.first_year)
            .map(|p| urls::plan_bulletin(&code, &period_key(p)))
            .unwrap_or_default(),
    };
    let ctx = context(&web, Some(&record), data.department_name(&role), flash_of(&web, &query));
    Ok(html(StatusCode::OK, render_board(&ctx, &view)))
}

async fn form_fields(web: &Web, headers: &HeaderMap, body: Bytes) -> WebResult<FormData> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if multipart::is_multipart(Some(content_type)) {
        multipart::parse(content_type, body, crate::csrf::MAX_MULTIPART_BYTES, None)
            .await
            .map_err(|_| WebError::BadRequest(web.lang))
    } else {
        Ok(FormData {
            fields: form_urlencoded::parse(&body).into_owned().collect(),
            files: Vec::new(),
        })
    }
}

fn field<'a>(form: &'a FormData, name: &str) -> &'a str {
    form.fields
        .iter()
        .find(|(k, _)| *k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// A refusal shown on the page it came from (the service's message, Chinese first).
fn refused(web: &Web, back: &str, error: ApiError) -> Response {
    match error.code {
        crate::error::Code::Forbidden | crate::error::Code::NotFound | crate::error::Code::Unauthenticated => {
            api(web, error).into_response()
        }
        _ => Redirect::to(&format!("{back}?error={}", urls::encode(&error.message))).into_response(),
    }
}

/// `POST /z/{code}/plan/supervision`: a manual item (reviewers, admins).
pub async fn board_post(
    State(state): State<AppState>,
    web: Web,
    principal: AuthUser,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let form = form_fields(&web, &headers, body).await?;
    let action = BoardAction::Add {
        subject: field(&form, "subject").into(),
        owner: field(&form, "owner").into(),
        reason: field(&form, "reason").into(),
        due: field(&form, "due").into(),
    };
    let back = urls::plan_board(&code);
    Ok(match board_action(&state, &principal, &code, action).await {
        Ok(_) => Redirect::to(&format!("{back}?done=added")).into_response(),
        Err(error) => refused(&web, &back, error),
    })
}

/// `POST /z/{code}/plan/supervision/{item}`: respond or close.
pub async fn item_post(
    State(state): State<AppState>,
    web: Web,
    principal: AuthUser,
    Path((code, item)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let form = form_fields(&web, &headers, body).await?;
    let text = field(&form, "text").to_string();
    let (action, done) = match field(&form, "action") {
        "close" => (BoardAction::Close { item, basis: text }, "closed"),
        _ => (BoardAction::Respond { item, text }, "responded"),
    };
    let back = urls::plan_board(&code);
    Ok(match board_action(&state, &principal, &code, action).await {
        Ok(_) => Redirect::to(&format!("{back}?done={done}")).into_response(),
        Err(error) => refused(&web, &back, error),
    })
}

fn score_view(card: &ecociv_plan::score::Scorecard, weights: u32) -> ScoreView {
    let pts = |x: i64| format!("{}.{:02}", x / 100, x % 100);
    let earned: i64 = card.lines.iter().filter(|l| l.applicable).map(|l| l.points_x100).sum();
    let minus: i64 = card.deductions.iter().map(|d| d.points_x100).sum();
    ScoreView {
        year: card.year,
        total: pts(card.score_x100),
        lines: card
            .lines
            .iter()
            .map(|l| {
                let money = l.measure == ecociv_plan::score::ItemMeasure::ProjectSpend;
                let show = |n: i64| if money { WanYuan(n).to_string() } else { n.to_string() };
                ScoreLineView {
                    name: l.name.clone(),
                    weight: l.weight,
                    numerator: show(l.numerator),
                    denominator: show(l.denominator),
                    points: pts(l.points_x100),
                    applicable: l.applicable,
                    detail: l.detail.clone(),
                }
            })
            .collect(),
        weights,
        earned: pts(earned),
        base: pts(card.score_x100 + minus),
        deductions: card
            .deductions
            .iter()
            .map(|d| {
                (
                    d.name.clone(),
                    d.count,
                    d.points_each,
                    d.cap,
                    pts(d.points_x100),
                    d.detail.clone(),
                )
            })
            .collect(),
    }
}

/// `GET /z/{code}/plan/units`: every unit with its score and open items.
pub async fn units(
    State(state): State<AppState>,
    web: Web,
    principal: AuthUser,
    Path(code): Path<String>,
) -> WebResult<Response> {
    let (record, role) = crate::service::member_zone(&state, &principal, &code)
        .await
        .map_err(|e| api(&web, e))?;
    let data = PlanData::load(&state, &code).await.map_err(|e| api(&web, e))?;
    let rows: Vec<(Link, String, usize)> = data
        .units()
        .iter()
        .map(|u| {
            let card = data.scorecard(u, data.today.year);
            let open = data
                .board
                .items
                .iter()
                .filter(|i| &i.owner == u && i.state() != FollowUpState::Closed)
                .count();
            (
                unit_link(&code, u),
                format!("{}.{:02}", card.score_x100 / 100, card.score_x100 % 100),
                open,
            )
        })
        .collect();
    let ctx = context(&web, Some(&record), data.department_name(&role), None);
    Ok(html(StatusCode::OK, render_units(&ctx, &code, &rows)))
}

/// `GET /z/{code}/plan/units/{unit}`: one unit's tasks, projects, reports, follow-ups and score.
pub async fn unit(
    State(state): State<AppState>,
    web: Web,
    principal: AuthUser,
    Path((code, unit)): Path<(String, String)>,
    Query(query): Q,
) -> WebResult<Response> {
    let (record, role) = crate::service::member_zone(&state, &principal, &code)
        .await
        .map_err(|e| api(&web, e))?;
    let data = PlanData::load(&state, &code).await.map_err(|e| api(&web, e))?;
    let known = data.units().contains(&unit) || data.board.items.iter().any(|i| i.owner == unit);
    if !known {
        return Err(WebError::NotFound(web.lang));
    }
    let names = names(&state).await?;
    let year = query
        .get("year")
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (2022..=data.today.year.max(2022)).contains(y))
        .unwrap_or(data.today.year);
    let card = data.scorecard(&unit, year);
    let weights = card.lines.iter().filter(|l| l.applicable).map(|l| l.weight).sum();
    let measure_period = due_period(&data, 2022);
    let measures: Vec<TaskLine> = data
        .measures()
        .measures
        .iter()
        .filter(|m| m.lead.first() == Some(&unit))
        .map(|m| TaskLine {
            id: m.id.clone(),
            title: m.title.clone(),
            location: m.location.clone(),
            lead: Vec::new(),
            lead_derived: false,
            cooperating: String::new(),
            deadline: m.deadline_label(),
            rows: Vec::new(),
            latest: None,
            report_href: report_href(&code, &Subject::Measure(m.id.clone()), measure_period),
        })
        .collect();
    let projects: Vec<ProjectLine> = data
        .ledger
        .iter()
        .filter(|e| e.responsible == unit)
        .map(|e| ProjectLine {
            id: e.project.clone(),
            category: String::new(),
            name: data
                .projects()
                .project(&e.project)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            responsible: None,
            period: format!("{}–{}", e.start_year, e.end_year),
            estimated: money(e.estimated),
            planned: money(e.planned_through(year)),
            spent: money(data.reports.approved_spend_through(&e.project, year)),
            report_href: report_href(
                &code,
                &Subject::Project(e.project.clone()),
                due_period(&data, e.start_year),
            ),
        })
        .collect();
    let mut items: Vec<&FollowUp> = data
        .board
        .items
        .iter()
        .filter(|i| i.owner == unit && i.state() != FollowUpState::Closed)
        .collect();
    items.sort_by_key(|i| (!i.overdue(data.today), i.due, i.id.clone()));
    let mut seen = std::collections::BTreeSet::new();
    let reports: Vec<ReportLine> = data
        .reports
        .revisions()
        .iter()
        .filter(|r| r.department == unit)
        .filter(|r| seen.insert((r.subject.clone(), r.period)))
        .filter_map(|r| {
            let current = data.reports.current(&r.subject, r.period)?;
            Some(ReportLine {
                subject: r.subject.to_string(),
                period: r.period.to_string(),
                state: review_code(current.state).into(),
                href: urls::plan_report(&code, &subject_key(&r.subject), &period_key(r.period)),
            })
        })
        .collect();
    let view = UnitView {
        zone_code: code.clone(),
        unit: unit.clone(),
        score: score_view(&card, weights),
        measures,
        projects,
        items: items
            .iter()
            .take(MAX_ITEMS)
            .map(|i| item_line(&web, &code, &data, i, &names, Some(&role)))
            .collect(),
        reports,
        years: (2022..=data.today.year.max(2022)).collect(),
    };
    let ctx = context(&web, Some(&record), data.department_name(&role), flash_of(&web, &query));
    Ok(html(StatusCode::OK, render_unit(&ctx, &view)))
}

fn review_code(state: ReviewState) -> &'static str {
    match state {
        ReviewState::Submitted => "submitted",
        ReviewState::Approved => "approved",
        ReviewState::Returned => "returned",
    }
}

/// `GET /z/{code}/plan/reports/{subject}/{period}`: a report's history and forms.
pub async fn report(
    State(state): State<AppState>,
    web: Web,
    principal: AuthUser,
    Path((code, subject, period)): Path<(String, String, String)>,
    Query(query): Q,
) -> WebResult<Response> {
    let (record, role) = crate::service::member_zone(&state, &principal, &code)
        .await
        .map_err(|e| api(&web, e))?;
    let data = PlanData::load(&state, &code).await.map_err(|e| api(&web, e))?;
    let subject = parse_subject(&subject).map_err(|_| WebError::NotFound(web.lang))?;
    let owners = data.owners(&subject).map_err(|e| api(&web, e))?;
    let period = parse_period(&period, &data.rules).map_err(|_| WebError::NotFound(web.lang))?;
    let names = names(&state).await?;
    let history: Vec<RevisionLine> = data
        .reports
        .history(&subject, period)
        .map(|r| RevisionLine {
            state: review_code(r.state).into(),
            on: r.on.to_string(),
            by: shown_by(&names, &r.by, web.lang),
            status: r.status.label().into(),
            percent: r.percent,
            spend: r.spend.iter().map(|(s, a)| (s.0.clone(), a.to_string())).collect(),
            narrative: r.narrative.clone(),
            files: r
                .evidence
                .iter()
                .map(|id| Link {
                    text: data.file_name(id).to_string(),
                    href: format!(
                        "/api/v1/zones/{}/plan/evidence/{}",
                        urls::encode(&code),
                        urls::encode(id)
                    ),
                })
                .collect(),
            reason: r.reason.clone(),
        })
        .collect();
    let current = data.reports.current(&subject, period);
    let detail = match &subject {
        Subject::Measure(id) => data
            .measures()
            .get(id)
            .map(|m| format!("{}（{}）", m.title, m.location)),
        Subject::Project(id) => data.projects().project(id).map(|p| p.name.clone()),
    }
    .unwrap_or_default();
    let key = subject_key(&subject);
    let pkey = period_key(period);
    let view = ReportView {
        zone_code: code.clone(),
        subject: subject.to_string(),
        subject_detail: detail,
        period: period.to_string(),
        owners: owners.iter().map(|o| unit_link(&code, o)).collect(),
        history,
        state: current.map_or("none", |c| review_code(c.state)).into(),
        can_submit: policy::can_act_for_unit(Some(&role), data.department_name(&role).as_deref(), &owners),
        can_review: policy::can_review(Some(&role)),
        own: current.is_some_and(|c| c.by == principal.user.username),
        is_project: matches!(subject, Subject::Project(_)),
        action: urls::plan_report(&code, &key, &pkey),
        review_action: urls::plan_report_review(&code, &key, &pkey),
        prefill: current.map_or(("in_progress".into(), 0, String::new()), |c| {
            (c.status.as_str().into(), c.percent, c.narrative.clone())
        }),
    };
    let mut flash = flash_of(&web, &query);
    if let Some(error) = query.get("error") {
        flash = Some(Flash {
            kind: FlashKind::Error,
            text: error.clone(),
        });
    }
    let ctx = context(&web, Some(&record), data.department_name(&role), flash);
    Ok(html(StatusCode::OK, render_report(&ctx, &view)))
}

/// `POST /z/{code}/plan/reports/{subject}/{period}`: the department's report with its file (multipart).
pub async fn report_post(
    State(state): State<AppState>,
    web: Web,
    principal: AuthUser,
    Path((code, subject, period)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let form = form_fields(&web, &headers, body).await?;
    let back = urls::plan_report(&code, &subject, &period);
    let amount = field(&form, "amount").trim();
    let spend = if amount.is_empty() {
        Vec::new()
    } else {
        vec![SpendBody {
            source: field(&form, "source").trim().to_string(),
            wan_yuan: amount.to_string(),
        }]
    };
    let body = ReportBody {
        status: field(&form, "status").into(),
        percent: match field(&form, "percent").trim().parse() {
            Ok(p) => p,
            Err(_) => {
                return Ok(refused(
                    &web,
                    &back,
                    ApiError::bad_request("完成比例应为 0–100 的整数 (percent 0–100)"),
                ));
            }
        },
        spend,
        narrative: field(&form, "narrative").into(),
        evidence: Vec::new(),
    };
    let files: Vec<(String, String, Vec<u8>)> = form
        .files
        .iter()
        .filter(|f| !(f.file_name.trim().is_empty() && f.content.is_empty()))
        .map(|f| (f.file_name.clone(), f.media_type.clone(), f.content.to_vec()))
        .collect();
    Ok(
        match report_step(
            &state,
            &principal,
            &code,
            &subject,
            &period,
            ReportStep::Submit(body),
            files,
        )
        .await
        {
            Ok(_) => Redirect::to(&format!("{back}?done=submitted")).into_response(),
            Err(error) => refused(&web, &back, error),
        },
    )
}

/// `POST /z/{code}/plan/reports/{subject}/{period}/review`: approve or return (reviewers, admins).
pub async fn review_post(
    State(state): State<AppState>,
    web: Web,
    principal: AuthUser,
    Path((code, subject, period)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let form = form_fields(&web, &headers, body).await?;
    let back = urls::plan_report(&code, &subject, &period);
    let (step, done) = match field(&form, "decision") {
        "return" => (ReportStep::Return(field(&form, "comment").into()), "returned"),
        _ => (ReportStep::Approve, "approved"),
    };
    Ok(
        match report_step(&state, &principal, &code, &subject, &period, step, Vec::new()).await {
            Ok(_) => Redirect::to(&format!("{back}?done={done}")).into_response(),
            Err(error) => refused(&web, &back, error),
        },
    )
}

/// `GET /z/{code}/plan/bulletin.docx?period=2026Q3`: the bureau's 工作进展情况通报 for a period (default:
/// the latest period whose reports are due), GB/T 9704 layout (members).
pub async fn bulletin(
    State(state): State<AppState>,
    web: Web,
    principal: AuthUser,
    Path(code): Path<String>,
    Query(query): Q,
) -> WebResult<Response> {
    crate::service::member_zone(&state, &principal, &code)
        .await
        .map_err(|e| api(&web, e))?;
    let data = PlanData::load(&state, &code).await.map_err(|e| api(&web, e))?;
    let period = match query.get("period").filter(|p| !p.is_empty()) {
        Some(text) => parse_period(text, &data.rules).map_err(|_| WebError::BadRequest(web.lang))?,
        None => due_period(&data, data.rules.first_year).ok_or(WebError::NotFound(web.lang))?,
    };
    let cards: Vec<_> = data.units().iter().map(|u| data.scorecard(u, period.year)).collect();
    let lang = web.lang;
    let name = record_name(&data);
    let bytes = crate::work::cpu(move || {
        let date =
            ecociv_report::docx::chinese_date(data.today.year, u32::from(data.today.month), u32::from(data.today.day));
        ecociv_report::docx::bulletin::bulletin(&ecociv_report::docx::bulletin::BulletinInput {
            zone_name: &data.record.profile.name,
            issuer: &data.office,
            date,
            period,
            today: data.today,
            measures: data.measures(),
            ledger: &data.ledger,
            reports: &data.reports,
            board: &data.board,
            rules: &data.rules,
            scorecards: &cards,
        })
    })
    .await
    .map_err(|e| WebError::Internal(lang, e.message))?
    .map_err(|e| WebError::Internal(lang, e.to_string()))?;
    Ok(super::pages::download(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("ecociv-{code}-{name}.docx"),
        bytes,
    ))
}

fn record_name(data: &PlanData) -> String {
    format!("bulletin-{}", data.today)
}
