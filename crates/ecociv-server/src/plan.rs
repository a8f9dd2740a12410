//! Running the plan on the server (规划实施调度): one loader of a zone's plan work — the measures and key
//! projects (the zone's plan files, `ecociv_plan::bundled`), the project ledger, progress reports and
//! their files, the supervision board (all from the store), and the early warning — shared by the JSON
//! API ([`crate::api::plan`]), the pages ([`crate::web::plan`]) and the Word 通报.
//!
//! Supervision is reconciled when the plan is read for a signed-in member ([`PlanData::load`]): the rules'
//! findings for today are compared with the stored board and the new events (opened, cleared, returned)
//! are stored — so the board's history records the day each condition was first seen and the day it
//! cleared. Two instances reconciling at once: one stores, the other's `Conflict` is answered by reading
//! the board again.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use ecociv_plan::model::{KeyProjects, LedgerEntry, Measures};
use ecociv_plan::report::{ReportBook, Subject};
use ecociv_plan::score::{ScoreInput, ScoreRules, Scorecard, score};
use ecociv_plan::signals::{RowSignals, from_progress, scored_units, target_year};
use ecociv_plan::supervision::{Board, DisclosureAlert, SupervisionInput, SupervisionRules, evaluate};
use ecociv_plan::{Date, Period};
use ecociv_store::plan::PlanEvidence;
use ecociv_store::{Department, Selection, StoreError, ZoneRecord};

use crate::AppState;
use crate::auth::{Principal, ZoneRole};
use crate::error::{ApiError, ApiResult};

/// The author of the board's automatic events (the supervision rules).
pub const RULES_AUTHOR: &str = "system";

/// The day supervision and scores are computed for: the configured day, else today in Beijing time.
pub fn today(state: &AppState) -> Date {
    state.config.plan_today.unwrap_or_else(|| {
        let today = ecociv_store::clock::today();
        Date {
            year: today.year,
            month: today.month,
            day: today.day,
        }
    })
}

type Works = Arc<(Measures, KeyProjects)>;

/// The zone's measures and key projects (parsed once per process), or `None` for a zone without plan
/// work data.
pub fn works(code: &str) -> ApiResult<Option<Works>> {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<String, Works>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(code).cloned()) {
        return Ok(Some(found));
    }
    match ecociv_plan::bundled::zone(code) {
        None => Ok(None),
        Some(Err(error)) => Err(ApiError::internal(error)),
        Some(Ok(pair)) => {
            let pair = Arc::new(pair);
            if let Ok(mut c) = cache.lock() {
                c.insert(code.to_string(), pair.clone());
            }
            Ok(Some(pair))
        }
    }
}

/// The zone's plan work, or 404 naming what is missing.
pub fn works_or_404(code: &str) -> ApiResult<Works> {
    works(code)?.ok_or_else(|| ApiError::not_found(format!("区域 {code} 的规划任务与项目数据 (the zone's plan work)")))
}

/// Parses the stored ledger (the latest revision), or an empty ledger.
pub async fn ledger(
    state: &AppState,
    code: &str,
    projects: &KeyProjects,
) -> ApiResult<(Option<i64>, Vec<LedgerEntry>)> {
    match state.store.ledger(code).await? {
        None => Ok((None, Vec::new())),
        Some((revision, text)) => {
            let entries = ecociv_plan::format::parse_ledger("project_ledger.toml", &text, projects)
                .map_err(ApiError::internal)?;
            Ok((Some(revision), entries))
        }
    }
}

/// A zone's plan work as one signed-in member sees it.
pub struct PlanData {
    pub record: ZoneRecord,
    pub works: Works,
    pub ledger: Vec<LedgerEntry>,
    pub ledger_revision: Option<i64>,
    pub reports: ReportBook,
    pub evidence: Vec<PlanEvidence>,
    pub board: Board,
    pub signals: RowSignals,
    pub rules: SupervisionRules,
    pub score_rules: ScoreRules,
    /// The office that owns items without a department (the zone's eco-environment bureau).
    pub office: String,
    pub today: Date,
    pub departments: Vec<Department>,
    /// The disclosure register's items past due and not published on `today` (issue 14).
    pub disclosures: Vec<DisclosureAlert>,
}

impl PlanData {
    /// Loads everything and reconciles the supervision board for today (storing its new events).
    pub async fn load(state: &AppState, code: &str) -> ApiResult<PlanData> {
        let works = works_or_404(code)?;
        let record = state
            .store
            .zone(code)
            .await?
            .ok_or_else(|| ApiError::not_found(format!("区域 (zone) {code}")))?;
        let (ledger_revision, ledger) = ledger(state, code, &works.1).await?;
        let reports = state.store.report_book(code).await?;
        let evidence = state.store.plan_evidence_list(code).await?;
        let departments = state.store.departments(code).await?;
        let today = today(state);
        let (_, zone) = state.store.load_zone(code, Selection::Approved).await?;
        let framework = state.store.framework(&record.framework_id).await?;
        let target = target_year(today.year);
        let signals = crate::work::cpu(move || {
            from_progress(&ecociv_progress::zone::zone_progress(&framework, &zone, target), target)
        })
        .await?;
        let office = departments
            .iter()
            .find(|d| d.name.ends_with("生态环境局"))
            .map(|d| d.name.clone())
            .unwrap_or_else(|| format!("{}生态环境局", record.profile.name));
        let disclosures = crate::service::disclosure::items(state, code)
            .await?
            .map(|items| crate::service::disclosure::alerts(&items, today, &office))
            .unwrap_or_default();
        let mut data = PlanData {
            record,
            works,
            ledger,
            ledger_revision,
            reports,
            evidence,
            board: Board::default(),
            signals,
            rules: SupervisionRules::default_rules(),
            score_rules: ScoreRules::default_rules(),
            office,
            today,
            departments,
            disclosures,
        };
        data.board = data.reconcile(state, code).await?;
        Ok(data)
    }

    /// The rules' findings for today, stored into the board; on a concurrent writer's conflict the board
    /// is read again (the other writer stored the same findings).
    async fn reconcile(&self, state: &AppState, code: &str) -> ApiResult<Board> {
        let findings = evaluate(&self.rules, &self.supervision_input());
        for _ in 0..3 {
            let before = state.store.board(code).await?;
            let mut board = before.clone();
            let changes = board.reconcile(&self.rules, &findings, self.today, RULES_AUTHOR);
            if changes.opened.is_empty() && changes.cleared.is_empty() && changes.returned.is_empty() {
                return Ok(board);
            }
            match state.store.append_board(code, &before, &board).await {
                Ok(_) => return Ok(board),
                Err(StoreError::Conflict(_)) => continue,
                Err(other) => return Err(other.into()),
            }
        }
        Ok(state.store.board(code).await?)
    }

    pub fn measures(&self) -> &Measures {
        &self.works.0
    }

    pub fn projects(&self) -> &KeyProjects {
        &self.works.1
    }

    pub fn supervision_input(&self) -> SupervisionInput<'_> {
        SupervisionInput {
            measures: &self.works.0,
            projects: &self.works.1,
            ledger: &self.ledger,
            reports: &self.reports,
            alerts: &self.signals.alerts,
            disclosures: &self.disclosures,
            row_leads: &self.signals.leads,
            office: &self.office,
            today: self.today,
        }
    }

    /// The units scored (measures' first leads, rows' leads), plus the ledger's responsible units.
    pub fn units(&self) -> Vec<String> {
        let mut units = scored_units(&self.works.0, &self.signals.leads);
        for l in &self.ledger {
            if !units.contains(&l.responsible) {
                units.push(l.responsible.clone());
            }
        }
        units
    }

    pub fn scorecard(&self, unit: &str, year: i32) -> Scorecard {
        score(
            &self.score_rules,
            &ScoreInput {
                department: unit,
                year,
                today: self.today,
                measures: &self.works.0,
                ledger: &self.ledger,
                reports: &self.reports,
                supervision: &self.rules,
                board: &self.board,
                row_leads: &self.signals.leads,
                rows: &self.signals.states,
            },
        )
    }

    /// The units owning a subject: a measure's lead units, a project's responsible unit (from the ledger).
    pub fn owners(&self, subject: &Subject) -> ApiResult<Vec<String>> {
        match subject {
            Subject::Measure(id) => self
                .works
                .0
                .get(id)
                .map(|m| m.lead.clone())
                .ok_or_else(|| ApiError::not_found(format!("措施 (measure) {id}"))),
            Subject::Project(id) => {
                if self.works.1.project(id).is_none() {
                    return Err(ApiError::not_found(format!("项目 (project) {id}")));
                }
                Ok(self
                    .ledger
                    .iter()
                    .filter(|l| &l.project == id)
                    .map(|l| l.responsible.clone())
                    .collect())
            }
        }
    }

    /// The name of an editor's department.
    pub fn department_name(&self, role: &ZoneRole) -> Option<String> {
        match role {
            ZoneRole::Editor { department } => self
                .departments
                .iter()
                .find(|d| &d.id == department)
                .map(|d| d.name.clone()),
            _ => None,
        }
    }

    /// The files of one report.
    pub fn files_of<'a>(&'a self, subject: &'a Subject, period: Period) -> impl Iterator<Item = &'a PlanEvidence> {
        self.evidence
            .iter()
            .filter(move |e| &e.subject == subject && e.period == period)
    }

    /// A file's name by id (the id itself for files not in the store, e.g. SYNTHETIC reports' names).
    pub fn file_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.evidence
            .iter()
            .find(|e| e.id == id)
            .map_or(id, |e| e.file_name.as_str())
    }
}

/// Reads a report's subject from its path form: `project:2.01`, `measure:5.1.3-2`.
pub fn parse_subject(text: &str) -> ApiResult<Subject> {
    match text.split_once(':') {
        Some(("project", id)) if !id.is_empty() => Ok(Subject::Project(id.to_string())),
        Some(("measure", id)) if !id.is_empty() => Ok(Subject::Measure(id.to_string())),
        _ => Err(ApiError::bad_request(format!(
            "报告对象应为 project:编号 或 measure:编号，而不是“{}” (subject: project:ID or measure:ID)",
            crate::error::truncate(text, 80)
        ))),
    }
}

/// The path form of a subject.
pub fn subject_key(subject: &Subject) -> String {
    match subject {
        Subject::Project(id) => format!("project:{id}"),
        Subject::Measure(id) => format!("measure:{id}"),
    }
}

/// Reads a period (`2025Q3`, `2025M07`, `2025H1`, `2025`) under the rules' periodicity.
pub fn parse_period(text: &str, rules: &SupervisionRules) -> ApiResult<Period> {
    let period = ecociv_plan::format::parse_period(text).map_err(|e| ApiError::bad_request(format!("{e} (period)")))?;
    if period.periodicity != rules.periodicity {
        return Err(ApiError::bad_request(format!(
            "报送周期应为 {}，而不是“{text}” (wrong periodicity)",
            rules.periodicity.as_str()
        )));
    }
    crate::validate::check_year(period.year).map_err(|problem| ApiError::bad_request(problem.message))?;
    Ok(period)
}

/// The path form of a period (`2025Q3`), read back by [`parse_period`].
pub fn period_key(period: Period) -> String {
    use ecociv_plan::Periodicity::*;
    match period.periodicity {
        Monthly => format!("{}M{:02}", period.year, period.index),
        Quarterly => format!("{}Q{}", period.year, period.index),
        HalfYearly => format!("{}H{}", period.year, period.index),
        Yearly => format!("{}", period.year),
    }
}

/// The principal's user name, the `by` of report revisions and board events (unique, so the workflow's
/// no-self-review check holds).
pub fn author(principal: &Principal) -> String {
    principal.user.username.clone()
}
