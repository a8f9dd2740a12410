//! The table of every API route: method, path, who may call it, what it does and the handler that does
//! it — each path and method written once, here. The router is built from this table
//! ([`crate::api::router`]), the OpenAPI document is generated from it ([`crate::openapi`]), and the
//! route × role tests walk it — so no route can exist without being described and tested
//! (`tests/integration/contract.rs` checks the router and the document against each other).

use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodFilter, MethodRouter, on};

use crate::api::{
    MAX_IMPORT_BYTES, auth, corrections, evidence, hierarchy, import, ledger, meta, monitoring, plan, sites, survey,
    users, values, zones,
};
use crate::service::corrections::MAX_CORRECTION_BYTES;
use crate::{AppState, service};

/// Who may call a route (the details per zone and row are decided in [`crate::policy`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, including the anonymous public.
    Public,
    /// Anyone for a disclosed zone; members of the zone otherwise.
    Disclosed,
    /// Any logged-in user.
    LoggedIn,
    /// Members of the zone (viewer, editor, reviewer) and admins; editors only for their rows.
    Member,
    /// Editors of the row's department, reviewers and admins.
    Editor,
    /// Reviewers of the zone and admins.
    Reviewer,
    /// Admins only.
    Admin,
    /// Admins and roles granted at the unit or at a unit above it (issue 15: the roll-up).
    Unit,
    /// Admins and reviewers granted at the unit or at a unit above it (issue 15: imports for the unit).
    UnitReviewer,
}

impl Access {
    pub fn describe(self) -> &'static str {
        match self {
            Access::Public => "public",
            Access::Disclosed => "public for disclosed zones; members otherwise",
            Access::LoggedIn => "any logged-in user",
            Access::Member => "zone members (editors: their department's rows only) and admins",
            Access::Editor => "the row's department editors, reviewers and admins",
            Access::Reviewer => "reviewers and admins",
            Access::Admin => "admins",
            Access::Unit => "admins and roles granted at the unit or above",
            Access::UnitReviewer => "admins and reviewers granted at the unit or above",
        }
    }
}

/// How a route's handler is mounted: given the route's method, the handler with its body limit, if any.
pub type Mount = fn(MethodFilter) -> MethodRouter<AppState>;

/// One route.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    pub summary: &'static str,
    /// A JSON request body is expected (for the OpenAPI document).
    pub body: Option<&'static str>,
    /// The query parameters the handler reads (its `Query` type's fields): the OpenAPI document lists them
    /// and `tests/integration/contract.rs` checks the handler against them (a required one missing is
    /// refused with the JSON error; no undocumented one is required).
    pub query: &'static [QueryParam],
    /// The handler, mounted for this route's method by [`RouteSpec::method_router`].
    pub handler: Mount,
}

/// A query parameter of a route.
#[derive(Debug, Clone, Copy)]
pub struct QueryParam {
    pub name: &'static str,
    pub required: bool,
    /// The JSON Schema type: `integer`, `string` or `boolean`.
    pub kind: &'static str,
    /// The allowed values, if a fixed set.
    pub values: &'static [&'static str],
}

const fn required(name: &'static str, kind: &'static str) -> QueryParam {
    QueryParam {
        name,
        required: true,
        kind,
        values: &[],
    }
}

const fn optional(name: &'static str, kind: &'static str) -> QueryParam {
    QueryParam {
        name,
        required: false,
        kind,
        values: &[],
    }
}

const fn one_of(name: &'static str, values: &'static [&'static str]) -> QueryParam {
    QueryParam {
        name,
        required: false,
        kind: "string",
        values,
    }
}

impl RouteSpec {
    /// The route's handler, mounted for its method.
    pub fn method_router(&self) -> MethodRouter<AppState> {
        let filter = match self.method {
            "GET" => MethodFilter::GET,
            "POST" => MethodFilter::POST,
            "PUT" => MethodFilter::PUT,
            "DELETE" => MethodFilter::DELETE,
            "PATCH" => MethodFilter::PATCH,
            other => panic!(
                "route {} has the method {other}, which the table does not know",
                self.path
            ),
        };
        (self.handler)(filter)
    }

    const fn with_query(mut self, query: &'static [QueryParam]) -> RouteSpec {
        self.query = query;
        self
    }
}

const fn route(
    method: &'static str,
    path: &'static str,
    access: Access,
    summary: &'static str,
    body: Option<&'static str>,
    handler: Mount,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
        summary,
        body,
        query: &[],
        handler,
    }
}

/// Every route of the API.
pub const ROUTES: &[RouteSpec] = &[
    route(
        "GET",
        "/api/v1/openapi.json",
        Access::Public,
        "OpenAPI 文档 (this API's OpenAPI document)",
        None,
        |method| on(method, meta::openapi),
    ),
    route(
        "GET",
        "/api/v1/health",
        Access::Public,
        "健康检查 (health check)",
        None,
        |method| on(method, meta::health),
    ),
    route(
        "GET",
        "/api/v1/auth/csrf",
        Access::Public,
        "获取登录用 CSRF 令牌 (a CSRF token and cookie for the login form)",
        None,
        |method| on(method, auth::csrf),
    ),
    route(
        "POST",
        "/api/v1/auth/login",
        Access::Public,
        "登录 (log in: sets the session cookie)",
        Some("Login"),
        |method| on(method, auth::login),
    ),
    route(
        "POST",
        "/api/v1/auth/logout",
        Access::LoggedIn,
        "退出 (log out)",
        None,
        |method| on(method, auth::logout),
    ),
    route(
        "GET",
        "/api/v1/me",
        Access::LoggedIn,
        "当前用户及角色 (the current user, roles and CSRF token)",
        None,
        |method| on(method, auth::me),
    ),
    route(
        "GET",
        "/api/v1/frameworks/{id}",
        Access::Public,
        "指标体系 (a framework edition's rows)",
        None,
        |method| on(method, zones::framework),
    ),
    route(
        "GET",
        "/api/v1/zones",
        Access::Public,
        "区域列表 (zones visible to the caller)",
        None,
        |method| on(method, zones::list),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}",
        Access::Disclosed,
        "区域概况 (a zone's profile)",
        None,
        |method| on(method, zones::profile),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/plan",
        Access::Disclosed,
        "规划：目标值、牵头部门、重点工程 (the zone's plan)",
        None,
        |method| on(method, zones::plan),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/assessment",
        Access::Disclosed,
        "年度达标评估，与 `ecociv assess --format json` 相同 (the assessment; ?year=YYYY, &include=submitted for members)",
        None,
        |method| on(method, zones::assessment),
    )
    .with_query(&[required("year", "integer"), one_of("include", &["approved", "submitted"])]),
    route(
        "GET",
        "/api/v1/zones/{code}/progress",
        Access::Disclosed,
        "目标进展与预警，与 `ecociv progress --format json` 相同 (progress toward the plan's targets; ?target_year=2025|2030)",
        None,
        |method| on(method, zones::progress),
    )
    .with_query(&[required("target_year", "integer")]),
    route(
        "GET",
        "/api/v1/zones/{code}/departments",
        Access::Member,
        "部门 (the zone's departments)",
        None,
        |method| on(method, zones::departments),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/values",
        Access::Member,
        "当前数值及状态 (current values with workflow status; ?year=)",
        None,
        |method| on(method, values::list),
    )
    .with_query(&[optional("year", "integer")]),
    route(
        "GET",
        "/api/v1/zones/{code}/values/{row}/{year}/history",
        Access::Member,
        "数值修订历史 (every revision of a value)",
        None,
        |method| on(method, values::history),
    ),
    route(
        "PUT",
        "/api/v1/zones/{code}/values/{row}/{year}",
        Access::Editor,
        "填报或更正数值（草稿） (save a value as draft)",
        Some("Entry"),
        |method| on(method, values::save),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/values/{row}/{year}/submit",
        Access::Editor,
        "提交审核 (submit for review)",
        Some("Step"),
        |method| on(method, values::submit),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/values/{row}/{year}/approve",
        Access::Reviewer,
        "审核通过并锁定；本人录入或计算的数值须由另一位审核员审核 (approve and lock; a second reviewer approves a value you entered or computed)",
        Some("Step"),
        |method| on(method, values::approve),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/values/{row}/{year}/return",
        Access::Reviewer,
        "退回（须填写意见） (return with a comment)",
        Some("Step"),
        |method| on(method, values::return_),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/values/{row}/{year}/reopen",
        Access::Reviewer,
        "重新打开（须填写原因） (reopen an approved value)",
        Some("Step"),
        |method| on(method, values::reopen),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/import",
        Access::Editor,
        "批量导入 CSV/JSON，全部成功或全部不导入 (bulk import, all or nothing; ?dry_run=true&status=draft|submitted|approved)",
        Some("Import"),
        |method| on(method, import::import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
    )
    .with_query(&[
        optional("dry_run", "boolean"),
        one_of("status", &["draft", "submitted", "approved"]),
        one_of("format", &["csv", "json"]),
    ]),
    route(
        "GET",
        "/api/v1/zones/{code}/values/{row}/{year}/evidence",
        Access::Member,
        "佐证材料列表 (a value's evidence attachments)",
        None,
        |method| on(method, evidence::list),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/values/{row}/{year}/evidence",
        Access::Editor,
        "上传佐证材料（请求体为文件；?name=文件名） (upload an attachment: the body is the file)",
        None,
        |method| on(method, evidence::upload).layer(DefaultBodyLimit::max(evidence::MAX_EVIDENCE_BYTES)),
    )
    .with_query(&[required("name", "string")]),
    route(
        "GET",
        "/api/v1/zones/{code}/evidence/{id}",
        Access::Member,
        "下载佐证材料 (download an attachment)",
        None,
        |method| on(method, evidence::download),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/monitoring",
        Access::Member,
        "已导入的监测数据：文件与年份 (monitoring data stored: files and years per kind)",
        None,
        |method| on(method, monitoring::summary),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/monitoring/compute",
        Access::Reviewer,
        "由监测数据计算 7.1/7.2/8.x/9/23 并保存为数值 (compute the rows fed by monitoring data and save them as values; ?year=YYYY&status=draft|submitted&dry_run=true)",
        None,
        |method| on(method, monitoring::compute),
    )
    .with_query(&[
        required("year", "integer"),
        one_of("status", &["draft", "submitted"]),
        optional("dry_run", "boolean"),
    ]),
    route(
        "POST",
        "/api/v1/zones/{code}/monitoring/import/{kind}",
        Access::Reviewer,
        "导入监测数据 CSV（与命令行同格式），全部成功或全部不导入 (import a monitoring CSV: kind air|sections|drinking_sources|black_odorous_bodies|black_odorous|ei; the body is the file; ?file=NAME&dry_run=true)",
        None,
        // Spooled to disk up to `Config::max_monitoring_upload_bytes` (the handler's limit).
        |method| on(method, monitoring::import).layer(DefaultBodyLimit::disable()),
    )
    .with_query(&[optional("file", "string"), optional("dry_run", "boolean")]),
    route(
        "POST",
        "/api/v1/zones/{code}/monitoring/corrections/{kind}",
        Access::Reviewer,
        "更正监测数据：撤回或替换读数，须写明理由，全部成功或全部不更正，原读数保留在历史中 (correct monitoring readings: the body is a CSV in the import's format plus action retract|supersede and reason; ?file=NAME&reason=…&dry_run=true)",
        None,
        |method| on(method, corrections::correct).layer(DefaultBodyLimit::max(MAX_CORRECTION_BYTES)),
    )
    .with_query(&[
        optional("file", "string"),
        optional("reason", "string"),
        optional("dry_run", "boolean"),
    ]),
    route(
        "GET",
        "/api/v1/zones/{code}/monitoring/corrections",
        Access::Member,
        "监测数据更正批次：文件、更正数、更正人和时间 (the correction batches, newest first)",
        None,
        |method| on(method, corrections::batches),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/monitoring/history/{kind}",
        Access::Member,
        "一个读数的全部历史：导入值与每次更正（更正人、时间、理由） (a reading's history: the imported value, then each correction with who, when and why)",
        None,
        |method| on(method, corrections::history),
    )
    .with_query(&[
        required("station", "string"),
        required("parameter", "string"),
        required("time", "string"),
    ]),
    route(
        "GET",
        "/api/v1/zones/{code}/monitoring/stale",
        Access::Member,
        "监测数据已更正、需重新计算的指标行 (rows computed from monitoring whose readings now give another figure; ?year=YYYY)",
        None,
        |method| on(method, corrections::stale),
    )
    .with_query(&[required("year", "integer")]),
    route(
        "GET",
        "/api/v1/zones/{code}/plan/measures",
        Access::Disclosed,
        "规划措施（任务分解），含牵头、配合单位、时限、对应指标和最新审核通过的进展 (the plan's measures; ?department=&row=)",
        None,
        |method| on(method, plan::measures),
    )
    .with_query(&[optional("department", "string"), optional("row", "string")]),
    route(
        "GET",
        "/api/v1/zones/{code}/plan/projects",
        Access::Disclosed,
        "重点工程项目台账：分类、项目、填报的台账、审核通过的支出、数据质量说明 (the key-project ledger)",
        None,
        |method| on(method, plan::projects),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/plan/ledger",
        Access::Reviewer,
        "导入填写好的项目台账 Excel，全部成功或全部不导入 (import the filled ledger workbook: the body is the xlsx; ?file=NAME)",
        None,
        |method| on(method, plan::ledger).layer(DefaultBodyLimit::max(plan::MAX_LEDGER_BYTES)),
    )
    .with_query(&[optional("file", "string")]),
    route(
        "GET",
        "/api/v1/zones/{code}/plan/reports",
        Access::Member,
        "进展报告及其审核历史 (progress reports with their history)",
        None,
        |method| on(method, plan::reports),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/plan/reports/{subject}/{period}/submit",
        Access::Editor,
        "报送进展（对象 project:编号 或 measure:编号，报告期如 2025Q3） (submit a progress report)",
        Some("PlanReport"),
        |method| on(method, plan::submit),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/plan/reports/{subject}/{period}/approve",
        Access::Reviewer,
        "审核通过进展报告；不能审核本人报送的报告 (approve a report; not one's own)",
        Some("PlanReview"),
        |method| on(method, plan::approve),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/plan/reports/{subject}/{period}/return",
        Access::Reviewer,
        "退回进展报告（须填写意见） (return a report with a comment)",
        Some("PlanReview"),
        |method| on(method, plan::return_),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/plan/reports/{subject}/{period}/evidence",
        Access::Editor,
        "上传进展报告的佐证材料（请求体为文件；?name=文件名），报送时在 evidence 中列出 (upload a report's file)",
        None,
        |method| on(method, plan::upload).layer(DefaultBodyLimit::max(plan::MAX_PLAN_EVIDENCE_BYTES)),
    )
    .with_query(&[required("name", "string")]),
    route(
        "GET",
        "/api/v1/zones/{code}/plan/evidence/{evidence_id}",
        Access::Member,
        "下载进展报告的佐证材料 (download a report's file)",
        None,
        |method| on(method, plan::download),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/plan/supervision",
        Access::Member,
        "督查督办台账：按规则立项、办理、销号 (the supervision board, reconciled for today)",
        None,
        |method| on(method, plan::supervision),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/plan/supervision",
        Access::Reviewer,
        "手工新增督办事项（如联席会议议定事项） (add a follow-up by hand)",
        Some("PlanFollowUp"),
        |method| on(method, plan::add_item),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/plan/supervision/{item}/respond",
        Access::Editor,
        "责任单位回复办理情况 (the owner unit's response)",
        Some("PlanText"),
        |method| on(method, plan::respond),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/plan/supervision/{item}/close",
        Access::Reviewer,
        "销号：规则事项须触发条件已消除，手工事项须已有回复 (close a follow-up)",
        Some("PlanBasis"),
        |method| on(method, plan::close),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/plan/scores",
        Access::Member,
        "部门年度考核得分及逐项说明 (department scorecards; ?year=)",
        None,
        |method| on(method, plan::scores),
    )
    .with_query(&[optional("year", "integer")]),
    route(
        "GET",
        "/api/v1/users",
        Access::Admin,
        "用户列表 (accounts)",
        None,
        |method| on(method, users::list),
    ),
    route(
        "POST",
        "/api/v1/users",
        Access::Admin,
        "创建用户 (create an account)",
        Some("NewUser"),
        |method| on(method, users::create),
    ),
    route(
        "PUT",
        "/api/v1/zones/{code}/members/{user_id}",
        Access::Admin,
        "设置或取消用户在区域中的角色 (set a user's role in a zone; role none removes it)",
        Some("Member"),
        |method| on(method, users::set_member),
    ),
    route(
        "PUT",
        "/api/v1/users/{user_id}",
        Access::Admin,
        "修改用户名称、停用或启用账号 (rename, disable or enable an account)",
        Some("UserChange"),
        |method| on(method, users::update),
    ),
    route(
        "PUT",
        "/api/v1/users/{user_id}/password",
        Access::Admin,
        "管理员重置密码 (an administrator sets a new password)",
        Some("NewPassword"),
        |method| on(method, users::set_password),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/departments",
        Access::Admin,
        "新增部门 (create a department)",
        Some("DepartmentName"),
        |method| on(method, users::create_department),
    ),
    route(
        "PUT",
        "/api/v1/zones/{code}/departments/{department_id}",
        Access::Admin,
        "部门更名 (rename a department)",
        Some("DepartmentName"),
        |method| on(method, users::rename_department),
    ),
    route(
        "GET",
        "/api/v1/audit",
        Access::Admin,
        "管理操作记录 (the administration's audit trail; ?target_kind=user|department|zone&target_id=)",
        None,
        |method| on(method, users::audit),
    )
    .with_query(&[
        one_of("target_kind", &["user", "department", "zone"]),
        optional("target_id", "string"),
        optional("limit", "integer"),
    ]),
    route(
        "GET",
        "/api/v1/zones/{code}/surveys",
        Access::Member,
        "问卷调查列表 (the zone's surveys with their response counts; issue 14)",
        None,
        |method| on(method, survey::list),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/surveys/{survey}",
        Access::Member,
        "问卷调查的回答数与指标 34、35 的分层估计及 95% 置信区间 (a survey's responses and the stratified estimates of rows 34/35 with their 95% intervals)",
        None,
        |method| on(method, survey::show),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/surveys/{survey}/compute",
        Access::Reviewer,
        "将问卷估计值保存为指标 34、35 的数值（草稿）(save the estimates as the rows' values, draft)",
        None,
        |method| on(method, survey::compute),
    ),
    // Issue 14 (h14): the public switch, the portal's open-data catalogue and the disclosure register.
    route(
        "PUT",
        "/api/v1/zones/{code}/public",
        Access::Admin,
        "设置区域是否对外公开（达标情况、调查结果、信息公开清单、开放数据；记入管理操作记录）(set whether the zone is public; audited)",
        Some("PublicSwitch"),
        |method| on(method, users::set_public),
    ),
    route(
        "PUT",
        "/api/v1/zones/{code}/licence",
        Access::Admin,
        "设置开放数据的许可协议（CC-BY-4.0、CC0-1.0、CC-BY-SA-4.0；未设置时为默认的 CC BY 4.0，标明待确认；记入管理操作记录）(set the open data's licence; audited)",
        Some("LicenceChoice"),
        |method| on(method, users::set_licence),
    ),
    // Issue 15 (h15): zones created from files, roles at a city or province, the roll-up.
    route(
        "POST",
        "/api/v1/zones",
        Access::Admin,
        "由区域文件新建区域（zone.toml、values.csv、projects.csv；全部校验后一次写入，否则不写入）(create a zone from its files, all or nothing)",
        Some("NewZone"),
        |method| on(method, hierarchy::create).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
    ),
    route(
        "POST",
        "/api/v1/units/{code}/zones",
        Access::UnitReviewer,
        "由规划模板（Excel，表2-1）新建本单位以下的区域：请求体为 xlsx 文件；与区域文件同样校验，全部成功或全部不导入，错误指明工作表和单元格；?file=NAME&dry_run=true (create a zone below the unit from the Excel plan template: the body is the xlsx file; all or nothing, each problem by sheet and cell)",
        None,
        // Spooled to disk up to `api::MAX_IMPORT_BYTES` (the handler's limit).
        |method| on(method, hierarchy::import_plan).layer(DefaultBodyLimit::disable()),
    )
    .with_query(&[optional("file", "string"), optional("dry_run", "boolean")]),
    route(
        "GET",
        "/api/v1/units/{code}/zones/template.xlsx",
        Access::UnitReviewer,
        "本单位以下某区县的空白规划模板（Excel，表2-1），填写后由 POST /api/v1/units/{code}/zones 导入；?zone=区县代码&framework=指标体系版本 (the blank Excel plan template of a county-level unit within the unit)",
        None,
        |method| on(method, hierarchy::plan_template),
    )
    .with_query(&[required("zone", "string"), optional("framework", "string")]),
    route(
        "POST",
        "/api/v1/units/{code}/boundaries",
        Access::UnitReviewer,
        "导入本单位（all 为全国，仅管理员）范围内县级单位的边界（GeoJSON 要素集合，请求体为文件）；范围外的要素略过，全部成功或全部不导入，错误指明要素与字段；?file=NAME&dry_run=true&code_property=adcode (import the boundaries within the unit from a GeoJSON file: all or nothing, each problem by feature and field)",
        None,
        // Spooled to disk up to `service::maps::MAX_BOUNDARY_BYTES` (the handler's limit).
        |method| on(method, hierarchy::import_boundaries).layer(DefaultBodyLimit::disable()),
    )
    .with_query(&[
        optional("file", "string"),
        optional("dry_run", "boolean"),
        optional("code_property", "string"),
    ]),
    route(
        "GET",
        "/api/v1/zones/{code}/export",
        Access::Member,
        "导出区域文件（已审核数值），可再导入 (the zone's files with approved values, importable again)",
        None,
        |method| on(method, hierarchy::export),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/editions",
        Access::Member,
        "区域采用的指标体系版本：各年份按哪一版本评估，以及每次采用新版本的记录（何人、何时、依据）(the editions the zone is judged under by year, and each adoption)",
        None,
        |method| on(method, hierarchy::editions),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/editions",
        Access::Admin,
        "采用新版指标体系：自启用年份起按新版本评估，此前年份仍按原版本评估、结果保留；记入管理操作记录 (adopt a newer edition from a year on; earlier years keep theirs; audited)",
        Some("EditionAdoption"),
        |method| on(method, hierarchy::adopt),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/sites",
        Access::Disclosed,
        "区域地图上的点位：空气监测站点、水质断面、重点项目的经纬度、来源与导入时间，及其在某年的状态（默认为监测数据的最近年份；illustrative 为示意位置）(the zone's points on its map with each one's state in a year)",
        None,
        |method| on(method, sites::list),
    )
    .with_query(&[optional("year", "integer")]),
    route(
        "POST",
        "/api/v1/zones/{code}/sites",
        Access::Admin,
        "导入区域的点位（GeoJSON 点要素集合：properties.kind 为 station/section/project，id 为站点、断面名称或项目编号；经纬度须在中国境内；全部校验后替换区域原有点位，否则不导入；记入管理操作记录）(import the zone's points, all or nothing; ?source= the file's name)",
        Some("SitesGeoJson"),
        |method| on(method, sites::import).layer(DefaultBodyLimit::max(service::sites::MAX_SITES_BYTES)),
    )
    .with_query(&[optional("source", "string")]),
    route(
        "PUT",
        "/api/v1/units/{code}/roles/{user_id}",
        Access::Admin,
        "在市级或省级授予审核员、查看者角色（覆盖其下全部区域），none 为撤销 (grant a role at a city or province)",
        Some("UnitRole"),
        |method| on(method, hierarchy::grant),
    ),
    route(
        "GET",
        "/api/v1/rollup/{code}",
        Access::Unit,
        "市、省或全国（all）某年汇总与比较：达到创建要求的区域数、约束性指标未达标次数、各指标分布、排名、未报送区域；format=csv 导出其中一表（table=zones 逐区比较，默认；summary 汇总、standings 排名、failures 约束性指标未达标、rows 指标分布、missing 未报送）(roll-up and comparison; format=csv gives one of its tables)",
        None,
        |method| on(method, hierarchy::get_rollup),
    )
    .with_query(&[
        required("year", "integer"),
        one_of("format", &["json", "csv"]),
        one_of("table", &["summary", "standings", "failures", "rows", "missing", "zones"]),
        optional("framework", "string"),
    ]),
    route(
        "GET",
        "/api/v1/rollup/{code}/rollup.xlsx",
        Access::Unit,
        "汇总与比较的 Excel 文件：汇总、排名、约束性指标未达标、指标分布、未报送、逐区比较各一表 (the roll-up as an Excel workbook, one sheet per table)",
        None,
        |method| on(method, hierarchy::rollup_xlsx),
    )
    .with_query(&[required("year", "integer"), optional("framework", "string")]),
    route(
        "GET",
        "/api/v1/rollup/{code}/summary.docx",
        Access::Unit,
        "市级或省级汇总的 Word 摘要（总体情况、各区域达标情况、约束性指标未达标情况、各指标分布、未报送区域）(the Word summary of a city's or province's roll-up)",
        None,
        |method| on(method, hierarchy::rollup_docx),
    )
    .with_query(&[required("year", "integer"), optional("framework", "string")]),
    route(
        "GET",
        "/api/v1/zones/{code}/peers",
        Access::Disclosed,
        "同类区域比较：与本区域层级、气候、地形相同且调用者可查看的区域（所属区域及已公开区域），按已审核数据逐项并列 (zones of the same kind side by side, row by row)",
        None,
        |method| on(method, hierarchy::peers),
    )
    .with_query(&[required("year", "integer")]),
    // Registers (台账), issue 13.
    route(
        "GET",
        "/api/v1/zones/{code}/ledgers",
        Access::Member,
        "台账类型及已存记录数 (the ledger kinds: department, rows fed, records stored)",
        None,
        |method| on(method, ledger::kinds),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/ledgers/derived",
        Access::Member,
        "由台账记录计算的某年各指标值及算式 (the figures the stored records give for a year, with the arithmetic)",
        None,
        |method| on(method, ledger::derived),
    )
    .with_query(&[required("year", "integer")]),
    route(
        "POST",
        "/api/v1/zones/{code}/ledgers/compute",
        Access::Reviewer,
        "由台账计算指标值并保存为数值 (derive the rows fed by registers for a year and save them as values; ?year=YYYY&status=draft|submitted&dry_run=true)",
        None,
        |method| on(method, ledger::compute),
    )
    .with_query(&[
        required("year", "integer"),
        one_of("status", &["draft", "submitted"]),
        optional("dry_run", "boolean"),
    ]),
    route(
        "GET",
        "/api/v1/zones/{code}/ledgers/{ledger}",
        Access::Member,
        "某类台账的记录（各记录最新版本；?state=状态&q=关键字） (a kind's records, latest revision each, filtered)",
        None,
        |method| on(method, ledger::records),
    )
    .with_query(&[optional("state", "string"), optional("q", "string")]),
    route(
        "GET",
        "/api/v1/zones/{code}/ledgers/{ledger}/records/{record}",
        Access::Member,
        "台账记录的全部版本（谁、何时） (a record's every revision, with who and when)",
        None,
        |method| on(method, ledger::record),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/ledgers/{ledger}/records/{record}/evidence",
        Access::Editor,
        "上传台账记录的佐证材料（请求体为文件；?name=文件名；不超过20 MB） (attach a file to a register record: the body is the file; the keeping department's editors, reviewers, admins)",
        None,
        |method| on(method, ledger::upload_evidence).layer(DefaultBodyLimit::max(evidence::MAX_EVIDENCE_BYTES)),
    )
    .with_query(&[required("name", "string")]),
    route(
        "GET",
        "/api/v1/zones/{code}/ledger-evidence/{id}",
        Access::Member,
        "下载台账记录的佐证材料 (download a register record's file)",
        None,
        |method| on(method, ledger::download_evidence),
    ),
    route(
        "GET",
        "/api/v1/zones/{code}/ledgers/{ledger}/template.xlsx",
        Access::Member,
        "某类台账的 Excel 填报模板 (a kind's Excel template)",
        None,
        |method| on(method, ledger::template),
    ),
    route(
        "POST",
        "/api/v1/zones/{code}/ledgers/{ledger}/import",
        Access::Editor,
        "导入台账记录（CSV 或 xlsx；请求体为文件），全部成功或全部不导入 (import records: the body is a CSV or xlsx file; all or nothing; ?file=NAME&dry_run=true; the keeping department's editors, reviewers, admins)",
        None,
        |method| on(method, ledger::import).layer(DefaultBodyLimit::max(service::ledger::MAX_LEDGER_BYTES)),
    )
    .with_query(&[optional("file", "string"), optional("dry_run", "boolean")]),
];
