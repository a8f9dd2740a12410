//! Running the plan (规划实施): the task breakdown (任务分解), the key-project ledger with plan-vs-actual
//! investment, the supervision board (督查督办) with the rule behind every item, a unit's page (its tasks,
//! projects, reports, follow-ups and its score with the arithmetic shown), and a progress report's page
//! (history, the department's form with a file, the bureau's approve / return).
//!
//! View-models are plain data the server fills from `ecociv-plan`'s types; texts the plan and its rules
//! carry (measure titles, reasons, explanations) come in Chinese as the seed and the rules state them.

use maud::{Markup, html};

use crate::i18n::{Lang, t, tf};
use crate::layout::{Nav, PageContext, csrf_field, page, trusted, urls};

/// A text with a link; an empty `href` shows the text alone (a members' page on a public page).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub text: String,
    pub href: String,
}

fn link(l: &Link) -> Markup {
    html! { @if l.href.is_empty() { (l.text) } @else { a href=(l.href) { (l.text) } } }
}

/// The plan pages' own navigation.
fn tabs(ctx: &PageContext, zone: &str, active: &str) -> Markup {
    let lang = ctx.lang;
    let member = ctx.user.is_some();
    let mut entries = vec![
        ("tasks", urls::plan(zone), t(lang, "plan.tab.tasks")),
        ("projects", urls::plan_projects(zone), t(lang, "plan.tab.projects")),
    ];
    if member {
        entries.push(("board", urls::plan_board(zone), t(lang, "plan.tab.board")));
        entries.push(("units", urls::plan_units(zone), t(lang, "plan.tab.units")));
    }
    html! {
        nav class="tabs" aria-label=(t(lang, "plan.tabs")) {
            @for (key, href, label) in &entries {
                @if *key == active { a href=(href) aria-current="page" { (label) } } @else { a href=(href) { (label) } }
            }
        }
    }
}

/// One measure of the breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskLine {
    pub id: String,
    pub title: String,
    pub location: String,
    pub lead: Vec<Link>,
    /// The lead comes from the rows' lead departments, not the text (marked).
    pub lead_derived: bool,
    pub cooperating: String,
    pub deadline: String,
    pub rows: Vec<Link>,
    /// The latest approved report: (status label, percent).
    pub latest: Option<(String, u8)>,
    pub report_href: Option<String>,
}

/// The task breakdown (任务分解).
#[derive(Debug, Clone, PartialEq)]
pub struct TasksView {
    pub zone_code: String,
    pub source: String,
    pub total: usize,
    /// `department` or `row`.
    pub by: String,
    pub department: Option<String>,
    pub row: Option<String>,
    pub departments: Vec<String>,
    pub rows: Vec<String>,
    pub groups: Vec<(String, Vec<TaskLine>)>,
    pub xlsx_href: String,
}

pub fn render_tasks(ctx: &PageContext, view: &TasksView) -> String {
    let lang = ctx.lang;
    let zone = &view.zone_code;
    let title = t(lang, "plan.tasks.title");
    let shown: usize = view.groups.iter().map(|(_, l)| l.len()).sum();
    let body = html! {
        h1 { (title) }
        (tabs(ctx, zone, "tasks"))
        p class="meta" { (tf(lang, "plan.tasks.source", &[("source", &view.source)])) }
        form class="filters" method="get" action=(urls::plan(zone)) {
            div class="field" {
                label for="by" { (t(lang, "plan.tasks.by")) }
                select id="by" name="by" {
                    option value="department" selected[view.by == "department"] { (t(lang, "plan.tasks.by_department")) }
                    option value="row" selected[view.by == "row"] { (t(lang, "plan.tasks.by_row")) }
                }
            }
            div class="field" {
                label for="department" { (t(lang, "plan.unit")) }
                select id="department" name="department" {
                    option value="" { (t(lang, "plan.all")) }
                    @for d in &view.departments { option value=(d) selected[view.department.as_deref() == Some(d.as_str())] { (d) } }
                }
            }
            div class="field" {
                label for="row" { (t(lang, "plan.row")) }
                select id="row" name="row" {
                    option value="" { (t(lang, "plan.all")) }
                    @for r in &view.rows { option value=(r) selected[view.row.as_deref() == Some(r.as_str())] { (r) } }
                }
            }
            div class="field actions" { button type="submit" { (t(lang, "filter.apply")) } }
        }
        p class="meta" role="status" { (tf(lang, "plan.tasks.shown", &[("shown", &shown), ("total", &view.total)])) }
        p class="downloads" { a href=(view.xlsx_href) download { (t(lang, "plan.tasks.xlsx")) } }
        @for (heading, lines) in &view.groups {
            section class="plan-group" {
                h2 { (heading) " " span class="meta" { (tf(lang, "plan.count", &[("n", &lines.len())])) } }
                div class="scroll" {
                    table class="data cards plan-tasks" {
                        thead { tr {
                            th scope="col" { (t(lang, "plan.col.id")) }
                            th scope="col" { (t(lang, "plan.col.measure")) }
                            th scope="col" { (t(lang, "plan.col.lead")) }
                            th scope="col" { (t(lang, "plan.col.cooperating")) }
                            th scope="col" { (t(lang, "plan.col.deadline")) }
                            th scope="col" { (t(lang, "plan.col.rows")) }
                            th scope="col" { (t(lang, "plan.col.progress")) }
                        } }
                        tbody {
                            @for line in lines {
                                tr id={ "m-" (line.id) } {
                                    td data-label=(t(lang, "plan.col.id")) { (line.id) }
                                    td data-label=(t(lang, "plan.col.measure")) { (line.title) br; span class="meta" { (line.location) } }
                                    td data-label=(t(lang, "plan.col.lead")) {
                                        @for (i, l) in line.lead.iter().enumerate() { @if i > 0 { "、" } (link(l)) }
                                        @if line.lead.is_empty() { (t(lang, "plan.unassigned")) }
                                        @if line.lead_derived { " " span class="tag" title=(t(lang, "plan.derived_hint")) { (t(lang, "plan.derived")) } }
                                    }
                                    td data-label=(t(lang, "plan.col.cooperating")) { (line.cooperating) }
                                    td data-label=(t(lang, "plan.col.deadline")) { (line.deadline) }
                                    td data-label=(t(lang, "plan.col.rows")) {
                                        @for (i, r) in line.rows.iter().enumerate() { @if i > 0 { " " } a href=(r.href) { (r.text) } }
                                    }
                                    td data-label=(t(lang, "plan.col.progress")) {
                                        @match &line.latest {
                                            Some((status, percent)) => { (status) " " (percent) "%" }
                                            None => { span class="meta" { (t(lang, "plan.no_report")) } }
                                        }
                                        @if let Some(href) = &line.report_href { br; a href=(href) { (t(lang, "plan.report_link")) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(ctx, &title, Nav::Plan, body)
}

/// A category of Table 4-1 with the seed's figures and what users entered.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryLine {
    pub name: String,
    pub count: u32,
    pub listed: usize,
    pub investment: String,
    pub entered: String,
}

/// A project of the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectLine {
    pub id: String,
    pub category: String,
    pub name: String,
    pub responsible: Option<Link>,
    pub period: String,
    pub estimated: String,
    pub planned: String,
    pub spent: String,
    pub report_href: Option<String>,
}

/// The key-project ledger (项目台账).
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectsView {
    pub zone_code: String,
    pub total_count: u32,
    pub total_investment: String,
    pub categories: Vec<CategoryLine>,
    pub projects: Vec<ProjectLine>,
    /// Plan vs actual investment (our own SVG, `ecociv-chart`).
    pub chart_svg: String,
    pub quality: Vec<String>,
    /// The ledger's figures are made up (the demo's SYNTHETIC ledger).
    pub synthetic: bool,
    pub xlsx_href: String,
}

pub fn render_projects(ctx: &PageContext, view: &ProjectsView) -> String {
    let lang = ctx.lang;
    let zone = &view.zone_code;
    let title = t(lang, "plan.projects.title");
    let body = html! {
        h1 { (title) }
        (tabs(ctx, zone, "projects"))
        p class="meta" { (tf(lang, "plan.projects.totals", &[("n", &view.total_count), ("amount", &view.total_investment)])) }
        @if view.synthetic { p { span class="tag synthetic" { (t(lang, "plan.synthetic")) } " " (t(lang, "plan.synthetic_hint")) } }
        p class="downloads" { a href=(view.xlsx_href) download { (t(lang, "plan.projects.xlsx")) } }
        figure class="chart" {
            (trusted(&view.chart_svg))
            figcaption { (t(lang, "plan.projects.chart")) }
        }
        h2 { (t(lang, "plan.projects.categories")) }
        div class="scroll" {
            table class="data cards" {
                thead { tr {
                    th scope="col" { (t(lang, "plan.col.category")) }
                    th scope="col" { (t(lang, "plan.col.count")) }
                    th scope="col" { (t(lang, "plan.col.listed")) }
                    th scope="col" { (t(lang, "plan.col.investment")) }
                    th scope="col" { (t(lang, "plan.col.entered")) }
                } }
                tbody { @for c in &view.categories { tr {
                    td data-label=(t(lang, "plan.col.category")) { (c.name) }
                    td data-label=(t(lang, "plan.col.count")) { (c.count) }
                    td data-label=(t(lang, "plan.col.listed")) { (c.listed) }
                    td data-label=(t(lang, "plan.col.investment")) { (c.investment) }
                    td data-label=(t(lang, "plan.col.entered")) { (c.entered) }
                } } }
            }
        }
        h2 { (t(lang, "plan.projects.list")) }
        div class="scroll" {
            table class="data cards" {
                thead { tr {
                    th scope="col" { (t(lang, "plan.col.id")) }
                    th scope="col" { (t(lang, "plan.col.project")) }
                    th scope="col" { (t(lang, "plan.col.responsible")) }
                    th scope="col" { (t(lang, "plan.col.period")) }
                    th scope="col" { (t(lang, "plan.col.estimated")) }
                    th scope="col" { (t(lang, "plan.col.planned")) }
                    th scope="col" { (t(lang, "plan.col.spent")) }
                } }
                tbody { @for p in &view.projects { tr id={ "p-" (p.id) } {
                    td data-label=(t(lang, "plan.col.id")) { (p.id) }
                    td data-label=(t(lang, "plan.col.project")) { (p.name) br; span class="meta" { (p.category) } }
                    td data-label=(t(lang, "plan.col.responsible")) {
                        @match &p.responsible { Some(l) => { (link(l)) } None => { span class="meta" { (t(lang, "plan.not_entered")) } } }
                    }
                    td data-label=(t(lang, "plan.col.period")) { (p.period) }
                    td data-label=(t(lang, "plan.col.estimated")) { (p.estimated) }
                    td data-label=(t(lang, "plan.col.planned")) { (p.planned) }
                    td data-label=(t(lang, "plan.col.spent")) {
                        (p.spent)
                        @if let Some(href) = &p.report_href { br; a href=(href) { (t(lang, "plan.report_link")) } }
                    }
                } } }
            }
        }
        h2 { (t(lang, "plan.projects.quality")) }
        p class="meta" { (t(lang, "plan.projects.quality_hint")) }
        ul { @for q in &view.quality { li { (q) } } }
    };
    page(ctx, &title, Nav::Plan, body)
}

/// An event of a follow-up.
#[derive(Debug, Clone, PartialEq)]
pub struct EventLine {
    pub on: String,
    pub by: String,
    /// `opened`, `response`, `cleared`, `returned`, `closed`.
    pub kind: String,
    pub text: String,
}

/// A follow-up item (督办事项).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemLine {
    pub id: String,
    pub anchor: String,
    pub subject: String,
    pub subject_href: Option<String>,
    pub owner: Link,
    /// The rule that flagged it: its name and how it works (already in the page's language).
    pub rule: Option<(String, String)>,
    pub reason: String,
    pub opened: String,
    pub due: String,
    /// `open`, `cleared`, `closed`.
    pub state: String,
    pub overdue: bool,
    pub events: Vec<EventLine>,
    pub can_respond: bool,
    pub can_close: bool,
    pub action: String,
}

/// The supervision board.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardView {
    pub zone_code: String,
    pub today: String,
    pub open: usize,
    pub cleared: usize,
    pub closed: usize,
    pub overdue: usize,
    /// Per unit: (unit, open, overdue).
    pub by_unit: Vec<(Link, usize, usize)>,
    pub items: Vec<ItemLine>,
    pub more: usize,
    pub unit: Option<String>,
    pub state: String,
    pub units: Vec<String>,
    /// The rule filter: the rule chosen, and (id, name) of every rule.
    pub rule: Option<String>,
    pub rules: Vec<(String, String)>,
    pub can_add: bool,
    /// The Word 工作进展情况通报 of the latest period due (empty: none).
    pub bulletin_href: String,
}

/// How a rule works, in the page's language: `kind` is the rule's kind, the numbers its parameters.
pub fn rule_text(lang: Lang, kind: &str, due_days: u32, grace: u32, response: u32, threshold: u32) -> String {
    tf(
        lang,
        &format!("plan.rule.{kind}"),
        &[
            ("due_days", &due_days),
            ("grace", &grace),
            ("response", &response),
            ("threshold", &threshold),
        ],
    )
}

fn state_label(lang: Lang, state: &str) -> std::borrow::Cow<'static, str> {
    t(lang, &format!("plan.state.{state}"))
}

fn item(ctx: &PageContext, i: &ItemLine) -> Markup {
    let lang = ctx.lang;
    html! {
        article class={ "card follow-up state-" (i.state) @if i.overdue { " overdue" } } id=(i.anchor) {
            h3 {
                @match &i.subject_href { Some(h) => { a href=(h) { (i.subject) } } None => { (i.subject) } }
                " " span class="tag" { (state_label(lang, &i.state)) }
                @if i.overdue { " " span class="tag warn" { (t(lang, "plan.overdue")) } }
            }
            dl class="facts inline" {
                dt { (t(lang, "plan.col.responsible")) } dd { a href=(i.owner.href) { (i.owner.text) } }
                dt { (t(lang, "plan.board.opened")) } dd { (i.opened) }
                dt { (t(lang, "plan.board.due")) } dd { (i.due) }
                dt { (t(lang, "plan.board.rule")) } dd {
                    @match &i.rule { Some((name, how)) => { strong { (name) } br; span class="meta" { (how) } } None => { (t(lang, "plan.board.manual")) } }
                }
                dt { (t(lang, "plan.board.reason")) } dd { (i.reason) }
            }
            @if i.events.len() > 1 {
                ol class="history" {
                    @for e in &i.events { li { (e.on) " " (e.by) " · " (t(lang, &format!("plan.event.{}", e.kind))) @if !e.text.is_empty() { "：" (e.text) } } }
                }
            }
            @if i.can_respond && i.state != "closed" {
                form method="post" action=(i.action) class="inline-form" {
                    (csrf_field(ctx))
                    input type="hidden" name="action" value="respond";
                    @let id = format!("{}-text", i.anchor);
                    label for=(id) { (t(lang, "plan.board.response")) }
                    textarea id=(id) name="text" rows="2" required {}
                    button type="submit" class="secondary" { (t(lang, "plan.board.respond")) }
                }
            }
            @if i.can_close && i.state != "closed" {
                form method="post" action=(i.action) class="inline-form" {
                    (csrf_field(ctx))
                    input type="hidden" name="action" value="close";
                    @let id = format!("{}-basis", i.anchor);
                    label for=(id) { (t(lang, "plan.board.basis")) }
                    input type="text" id=(id) name="text" required;
                    button type="submit" { (t(lang, "plan.board.close")) }
                }
            }
        }
    }
}

pub fn render_board(ctx: &PageContext, view: &BoardView) -> String {
    let lang = ctx.lang;
    let zone = &view.zone_code;
    let title = t(lang, "plan.board.title");
    let body = html! {
        h1 { (title) }
        (tabs(ctx, zone, "board"))
        p class="meta" role="status" id="board-summary" {
            (tf(lang, "plan.board.summary", &[("today", &view.today), ("open", &view.open), ("overdue", &view.overdue), ("cleared", &view.cleared), ("closed", &view.closed)]))
        }
        @if !view.bulletin_href.is_empty() { p class="downloads" { a href=(view.bulletin_href) download { (t(lang, "plan.board.bulletin")) } } }
        h2 { (t(lang, "plan.board.by_unit")) }
        div class="scroll" {
            table class="data cards" id="board-units" {
                thead { tr {
                    th scope="col" { (t(lang, "plan.unit")) }
                    th scope="col" { (t(lang, "plan.board.open")) }
                    th scope="col" { (t(lang, "plan.board.overdue")) }
                } }
                tbody { @for (unit, open, overdue) in &view.by_unit { tr {
                    td data-label=(t(lang, "plan.unit")) { a href=(unit.href) { (unit.text) } }
                    td data-label=(t(lang, "plan.board.open")) { (open) }
                    td data-label=(t(lang, "plan.board.overdue")) { @if *overdue > 0 { span class="tag warn" { (overdue) } } @else { (overdue) } }
                } } }
            }
        }
        form class="filters" method="get" action=(urls::plan_board(zone)) {
            div class="field" {
                label for="unit" { (t(lang, "plan.unit")) }
                select id="unit" name="unit" {
                    option value="" { (t(lang, "plan.all")) }
                    @for u in &view.units { option value=(u) selected[view.unit.as_deref() == Some(u.as_str())] { (u) } }
                }
            }
            div class="field" {
                label for="rule" { (t(lang, "plan.board.rule")) }
                select id="rule" name="rule" {
                    option value="" { (t(lang, "plan.all")) }
                    @for (id, name) in &view.rules { option value=(id) selected[view.rule.as_deref() == Some(id.as_str())] { (name) } }
                }
            }
            div class="field" {
                label for="state" { (t(lang, "plan.board.state")) }
                select id="state" name="state" {
                    @for s in ["active", "overdue", "cleared", "closed", "all"] {
                        option value=(s) selected[view.state == s] { (t(lang, &format!("plan.filter.{s}"))) }
                    }
                }
            }
            div class="field actions" { button type="submit" { (t(lang, "filter.apply")) } }
        }
        @if view.items.is_empty() { p class="empty" { (t(lang, "plan.board.none")) } }
        @for i in &view.items { (item(ctx, i)) }
        @if view.more > 0 { p class="meta" { (tf(lang, "plan.board.more", &[("n", &view.more)])) } }
        @if view.can_add {
            h2 { (t(lang, "plan.board.add")) }
            form method="post" action=(urls::plan_board(zone)) class="card" {
                (csrf_field(ctx))
                input type="hidden" name="action" value="add";
                div class="field" { label for="add-subject" { (t(lang, "plan.board.subject")) } input type="text" id="add-subject" name="subject" required; }
                div class="field" { label for="add-owner" { (t(lang, "plan.col.responsible")) }
                    select id="add-owner" name="owner" { @for u in &view.units { option value=(u) { (u) } } } }
                div class="field" { label for="add-reason" { (t(lang, "plan.board.reason")) } textarea id="add-reason" name="reason" rows="2" required {} }
                div class="field" { label for="add-due" { (t(lang, "plan.board.due")) } input type="date" id="add-due" name="due" required; }
                button type="submit" { (t(lang, "plan.board.add_button")) }
            }
        }
    };
    page(ctx, &title, Nav::Plan, body)
}

/// A line of a scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreLineView {
    pub name: String,
    pub weight: u32,
    /// Counted / countable, as the line shows them (money in 万元).
    pub numerator: String,
    pub denominator: String,
    pub points: String,
    pub applicable: bool,
    pub detail: Vec<String>,
}

/// A scorecard with its arithmetic.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreView {
    pub year: i32,
    pub total: String,
    pub lines: Vec<ScoreLineView>,
    pub weights: u32,
    pub earned: String,
    pub base: String,
    /// (name, count, each, cap, points, detail).
    pub deductions: Vec<(String, u32, u32, u32, String, Vec<String>)>,
}

/// A report a unit filed or owes.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportLine {
    pub subject: String,
    pub period: String,
    pub state: String,
    pub href: String,
}

/// A unit's page: everything one department owes.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitView {
    pub zone_code: String,
    pub unit: String,
    pub score: ScoreView,
    pub measures: Vec<TaskLine>,
    pub projects: Vec<ProjectLine>,
    pub items: Vec<ItemLine>,
    pub reports: Vec<ReportLine>,
    pub years: Vec<i32>,
}

pub fn render_unit(ctx: &PageContext, view: &UnitView) -> String {
    let lang = ctx.lang;
    let zone = &view.zone_code;
    let title = view.unit.clone();
    let s = &view.score;
    let body = html! {
        h1 { (title) }
        (tabs(ctx, zone, "units"))
        section class="card score" id="score" aria-labelledby="score-h" {
            h2 id="score-h" { (tf(lang, "plan.unitpage.score", &[("year", &s.year)])) " " strong id="score-total" { (s.total) } }
            form class="filters" method="get" action=(urls::plan_unit(zone, &view.unit)) {
                label for="year" { (t(lang, "filter.year")) }
                select id="year" name="year" { @for y in &view.years { option value=(y) selected[*y == s.year] { (y) } } }
                button type="submit" { (t(lang, "filter.apply")) }
            }
            div class="scroll" {
                table class="data cards" id="score-lines" {
                    thead { tr {
                        th scope="col" { (t(lang, "plan.score.item")) }
                        th scope="col" { (t(lang, "plan.score.counted")) }
                        th scope="col" { (t(lang, "plan.score.weight")) }
                        th scope="col" { (t(lang, "plan.score.points")) }
                        th scope="col" { (t(lang, "plan.score.detail")) }
                    } }
                    tbody { @for l in &s.lines { tr {
                        td data-label=(t(lang, "plan.score.item")) { (l.name) }
                        td data-label=(t(lang, "plan.score.counted")) { @if l.applicable { (l.numerator) " / " (l.denominator) } @else { (t(lang, "plan.score.not_applicable")) } }
                        td data-label=(t(lang, "plan.score.weight")) { (l.weight) }
                        td data-label=(t(lang, "plan.score.points")) { @if l.applicable { (l.points) } @else { "—" } }
                        td data-label=(t(lang, "plan.score.detail")) { @for d in &l.detail { (d) br; } }
                    } } }
                }
            }
            p class="arithmetic" id="score-arithmetic" {
                (tf(lang, "plan.score.arithmetic", &[("earned", &s.earned), ("weights", &s.weights), ("base", &s.base)]))
                @for (name, count, each, cap, points, _) in &s.deductions {
                    " " (tf(lang, "plan.score.deduction", &[("name", name), ("count", count), ("each", each), ("cap", cap), ("points", points)]))
                }
                " " (tf(lang, "plan.score.total", &[("total", &s.total)]))
            }
        }
        h2 { (t(lang, "plan.unitpage.items")) }
        @if view.items.is_empty() { p class="empty" { (t(lang, "plan.board.none")) } }
        @for i in &view.items { (item(ctx, i)) }
        h2 { (t(lang, "plan.unitpage.reports")) }
        @if view.reports.is_empty() { p class="empty" { (t(lang, "plan.no_report")) } }
        ul class="plain" id="unit-reports" { @for r in &view.reports { li { a href=(r.href) { (r.subject) " · " (r.period) } " " span class="tag" { (t(lang, &format!("plan.review.{}", r.state))) } } } }
        h2 { (t(lang, "plan.unitpage.projects")) }
        @if view.projects.is_empty() { p class="empty" { (t(lang, "plan.unitpage.no_projects")) } }
        ul class="plain" { @for p in &view.projects { li {
            (p.id) " " (p.name) " · " (tf(lang, "plan.unitpage.project_money", &[("planned", &p.planned), ("spent", &p.spent)]))
            @if let Some(h) = &p.report_href { " " a href=(h) { (t(lang, "plan.report_link")) } }
        } } }
        h2 { (tf(lang, "plan.unitpage.measures", &[("n", &view.measures.len())])) }
        ul class="plain" { @for m in &view.measures { li {
            (m.id) " " (m.title) " · " (m.deadline)
            @if let Some(h) = &m.report_href { " " a href=(h) { (t(lang, "plan.report_link")) } }
        } } }
    };
    page(ctx, &title, Nav::Plan, body)
}

/// The units of the zone's plan work, each with its page.
pub fn render_units(ctx: &PageContext, zone: &str, units: &[(Link, String, usize)]) -> String {
    let lang = ctx.lang;
    let title = t(lang, "plan.units.title");
    let body = html! {
        h1 { (title) }
        (tabs(ctx, zone, "units"))
        div class="scroll" {
            table class="data cards" id="units" {
                thead { tr {
                    th scope="col" { (t(lang, "plan.unit")) }
                    th scope="col" { (t(lang, "plan.score.total_col")) }
                    th scope="col" { (t(lang, "plan.board.open")) }
                } }
                tbody { @for (unit, score, open) in units { tr {
                    td data-label=(t(lang, "plan.unit")) { a href=(unit.href) { (unit.text) } }
                    td data-label=(t(lang, "plan.score.total_col")) { (score) }
                    td data-label=(t(lang, "plan.board.open")) { (open) }
                } } }
            }
        }
    };
    page(ctx, &title, Nav::Plan, body)
}

/// A revision of a report.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionLine {
    pub state: String,
    pub on: String,
    pub by: String,
    pub status: String,
    pub percent: u8,
    pub spend: Vec<(String, String)>,
    pub narrative: String,
    pub files: Vec<Link>,
    pub reason: Option<String>,
}

/// A progress report's page.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportView {
    pub zone_code: String,
    pub subject: String,
    pub subject_detail: String,
    pub period: String,
    pub owners: Vec<Link>,
    pub history: Vec<RevisionLine>,
    /// The current review state: `submitted`, `approved`, `returned`, or `none`.
    pub state: String,
    pub can_submit: bool,
    pub can_review: bool,
    /// The reviewer looking submitted it (a second person reviews).
    pub own: bool,
    pub is_project: bool,
    pub action: String,
    pub review_action: String,
    /// The form's start: the latest revision's status code, percent and narrative.
    pub prefill: (String, u8, String),
}

pub fn render_report(ctx: &PageContext, view: &ReportView) -> String {
    let lang = ctx.lang;
    let title = tf(
        lang,
        "plan.report.title",
        &[("subject", &view.subject), ("period", &view.period)],
    );
    let may_submit = view.can_submit && (view.state == "none" || view.state == "returned");
    let body = html! {
        h1 { (title) }
        (tabs(ctx, &view.zone_code, ""))
        p { (view.subject_detail) }
        p class="meta" { (t(lang, "plan.col.responsible")) "：" @for (i, o) in view.owners.iter().enumerate() { @if i > 0 { "、" } a href=(o.href) { (o.text) } } }
        p id="report-state" role="status" { (t(lang, "plan.report.state")) "：" span class={ "tag review-" (view.state) } { (t(lang, &format!("plan.review.{}", view.state))) } }
        @if !view.history.is_empty() {
            h2 { (t(lang, "plan.report.history")) }
            ol class="history" id="report-history" {
                @for r in &view.history { li class={ "rev-" (r.state) } {
                    strong { (t(lang, &format!("plan.review.{}", r.state))) } " " (r.on) " " (r.by)
                    @if let Some(reason) = &r.reason { " · " (t(lang, "plan.report.reason")) "：" (reason) }
                    br; (r.status) " " (r.percent) "% · " (r.narrative)
                    @for (source, amount) in &r.spend { br; (tf(lang, "plan.report.spend_line", &[("source", source), ("amount", amount)])) }
                    @for f in &r.files { br; a href=(f.href) download { (f.text) } }
                } }
            }
        }
        @if may_submit {
            h2 { (t(lang, "plan.report.submit_title")) }
            form method="post" action=(view.action) enctype="multipart/form-data" class="card" id="report-form" {
                (csrf_field(ctx))
                div class="field" {
                    label for="status" { (t(lang, "plan.report.status")) }
                    select id="status" name="status" {
                        @for s in ["not_started", "in_progress", "done", "stalled"] {
                            option value=(s) selected[view.prefill.0 == s] { (t(lang, &format!("plan.status.{s}"))) }
                        }
                    }
                }
                div class="field" { label for="percent" { (t(lang, "plan.report.percent")) } input type="number" id="percent" name="percent" min="0" max="100" value=(view.prefill.1) required; }
                @if view.is_project {
                    div class="field" { label for="source" { (t(lang, "plan.report.source")) } input type="text" id="source" name="source"; }
                    div class="field" { label for="amount" { (t(lang, "plan.report.amount")) } input type="text" id="amount" name="amount" inputmode="decimal"; }
                }
                div class="field" { label for="narrative" { (t(lang, "plan.report.narrative")) } textarea id="narrative" name="narrative" rows="4" required { (view.prefill.2) } }
                div class="field" { label for="file" { (t(lang, "plan.report.file")) } input type="file" id="file" name="file"; }
                button type="submit" id="report-submit" { (t(lang, "plan.report.submit")) }
            }
        }
        @if view.can_review && view.state == "submitted" {
            h2 { (t(lang, "plan.report.review_title")) }
            @if view.own { p class="own-note" { (t(lang, "plan.report.own")) } }
            @else {
                form method="post" action=(view.review_action) class="inline-form" {
                    (csrf_field(ctx))
                    input type="hidden" name="decision" value="approve";
                    button type="submit" id="report-approve" { (t(lang, "plan.report.approve")) }
                }
                form method="post" action=(view.review_action) class="inline-form" {
                    (csrf_field(ctx))
                    input type="hidden" name="decision" value="return";
                    label for="comment" { (t(lang, "plan.report.comment")) }
                    textarea id="comment" name="comment" rows="2" required {}
                    button type="submit" class="secondary" id="report-return" { (t(lang, "plan.report.return")) }
                }
            }
        }
    };
    page(ctx, &title, Nav::Plan, body)
}
