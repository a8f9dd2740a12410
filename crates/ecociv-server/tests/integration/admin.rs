//! Administration: accounts (disable / enable, password reset, name), roles in a zone and departments,
//! through the JSON API and the HTML forms; every change in the audit trail with who, when, before and
//! after; every page route (the administration's and the others) allowed to exactly the roles of a table.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Client, Response, TestServer, server};

async fn post_form(client: &mut Client, server: &TestServer, path: &str, fields: &[(&str, &str)]) -> Response {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    client
        .send(
            server,
            Method::POST,
            path,
            Some(Body::from(body)),
            "application/x-www-form-urlencoded",
        )
        .await
}

async fn audit(admin: &mut Client, server: &TestServer, kind: &str, id: &str) -> Vec<Value> {
    let response = admin
        .get(server, &format!("/api/v1/audit?target_kind={kind}&target_id={id}"))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    response.body["events"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn accounts_are_disabled_reset_and_reassigned_with_an_audit_trail() {
    let server = server("admin-api").await;
    let mut admin = Client::login(&server, "admin").await;
    let created = admin
        .json(
            &server,
            Method::POST,
            "/api/v1/users",
            Some(json!({"username": "li-si", "display_name": "李四", "password": "first password 1"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_string();
    let env = server
        .store
        .departments("450202")
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.name == "城中生态环境局")
        .unwrap();
    let set = admin
        .json(
            &server,
            Method::PUT,
            &format!("/api/v1/zones/450202/members/{id}"),
            Some(json!({"role": "editor", "department": env.id})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);

    // The account works.
    let mut li = Client::anonymous();
    assert_eq!(
        li.try_login(&server, "li-si", "first password 1").await.status,
        StatusCode::OK
    );
    assert_eq!(li.get(&server, "/api/v1/me").await.status, StatusCode::OK);

    // Disabled: its session stops working at once and it cannot log in, even with the right password.
    let disabled = admin
        .json(
            &server,
            Method::PUT,
            &format!("/api/v1/users/{id}"),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK, "{:?}", disabled.body);
    assert_eq!(disabled.body["disabled"], json!(true));
    assert_eq!(
        li.get(&server, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED,
        "the open session ended"
    );
    assert_eq!(
        Client::anonymous()
            .try_login(&server, "li-si", "first password 1")
            .await
            .code(),
        "login_failed"
    );
    // Enabled again: logs in.
    let enabled = admin
        .json(
            &server,
            Method::PUT,
            &format!("/api/v1/users/{id}"),
            Some(json!({"disabled": false})),
        )
        .await;
    assert_eq!(enabled.status, StatusCode::OK);
    let mut li = Client::anonymous();
    assert_eq!(
        li.try_login(&server, "li-si", "first password 1").await.status,
        StatusCode::OK
    );

    // Password reset: too short refused (the CLI's rule); then the old password and the old session end.
    let short = admin
        .json(
            &server,
            Method::PUT,
            &format!("/api/v1/users/{id}/password"),
            Some(json!({"password": "short"})),
        )
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    let reset = admin
        .json(
            &server,
            Method::PUT,
            &format!("/api/v1/users/{id}/password"),
            Some(json!({"password": "second password 2"})),
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{:?}", reset.body);
    assert_eq!(
        li.get(&server, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED,
        "sessions end at a reset"
    );
    assert_eq!(
        Client::anonymous()
            .try_login(&server, "li-si", "first password 1")
            .await
            .code(),
        "login_failed"
    );
    let mut li = Client::anonymous();
    assert_eq!(
        li.try_login(&server, "li-si", "second password 2").await.status,
        StatusCode::OK
    );

    // An administrator cannot disable their own account.
    let admin_id = server.store.user_by_username("admin").await.unwrap().unwrap().id;
    let own = admin
        .json(
            &server,
            Method::PUT,
            &format!("/api/v1/users/{admin_id}"),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    assert!(!server.store.user_by_id(&admin_id).await.unwrap().unwrap().disabled);

    // Role changed to viewer: the editor's write is refused at once (roles are read per request).
    let set = admin
        .json(
            &server,
            Method::PUT,
            &format!("/api/v1/zones/450202/members/{id}"),
            Some(json!({"role": "viewer"})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK);
    let write = li
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/values/5/2022",
            Some(json!({"value": "100"})),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    let removed = admin
        .json(
            &server,
            Method::PUT,
            &format!("/api/v1/zones/450202/members/{id}"),
            Some(json!({"role": "none"})),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    assert!(server.store.membership("450202", &id).await.unwrap().is_none());

    // The trail: newest first, every change with the admin as actor, before and after.
    let events = audit(&mut admin, &server, "user", &id).await;
    let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        [
            "member.remove",
            "member.set",
            "user.password",
            "user.enable",
            "user.disable",
            "member.set",
            "user.create"
        ],
        "{events:#?}"
    );
    assert!(
        events
            .iter()
            .all(|e| e["actor"]["id"] == json!(admin_id) && e["at"].as_str().is_some_and(|at| at.ends_with('Z')))
    );
    let disable = &events[4];
    assert_eq!(
        (
            disable["before"]["disabled"].clone(),
            disable["after"]["disabled"].clone()
        ),
        (json!(false), json!(true))
    );
    let first_role = &events[5];
    assert_eq!(first_role["before"], Value::Null);
    assert_eq!(first_role["after"], json!({"role": "editor", "department": env.id}));
    assert_eq!(events[1]["before"], json!({"role": "editor", "department": env.id}));
    assert_eq!(events[1]["after"], json!({"role": "viewer", "department": null}));
    assert!(
        !events[2].to_string().contains("argon2"),
        "no password hash in the trail"
    );
}

#[tokio::test]
async fn a_renamed_department_keeps_its_rows_users_and_pages() {
    let server = server("admin-dept").await;
    let mut admin = Client::login(&server, "admin").await;
    let env = server
        .store
        .departments("450202")
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.name == "城中生态环境局")
        .unwrap();
    // The editor's form is cached with the zone: it must follow the rename.
    let mut editor = Client::login(&server, "editor-env").await;
    assert!(
        editor
            .get(&server, "/z/450202/entry?year=2022")
            .await
            .body
            .as_str()
            .unwrap_or_default()
            .contains("id=\"v-5\"")
    );
    let renamed = admin
        .json(
            &server,
            Method::PUT,
            &format!("/api/v1/zones/450202/departments/{}", env.id),
            Some(json!({"name": "柳州市城中区生态环境局"})),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    let page = editor.get(&server, "/z/450202/entry?year=2022").await;
    let html = page.body.as_str().unwrap_or_default().to_string();
    assert!(
        html.contains("柳州市城中区生态环境局") && html.contains("id=\"v-5\""),
        "the department's rows follow the new name"
    );
    assert_eq!(
        server.store.row_leads("450202", "5").await.unwrap(),
        vec![env.id.clone()]
    );
    // A taken name is refused; a new department is created.
    let taken = admin
        .json(
            &server,
            Method::PUT,
            &format!("/api/v1/zones/450202/departments/{}", env.id),
            Some(json!({"name": "城中区农业农村局"})),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    let created = admin
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/departments",
            Some(json!({"name": "城中区林业局"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
    let events = audit(&mut admin, &server, "department", &env.id).await;
    assert_eq!(events.len(), 1, "the refused rename is not recorded: {events:#?}");
    assert_eq!(events[0]["action"], json!("department.rename"));
    assert_eq!(
        (events[0]["before"]["name"].clone(), events[0]["after"]["name"].clone()),
        (json!("城中生态环境局"), json!("柳州市城中区生态环境局"))
    );
    assert_eq!(events[0]["zone"], json!("450202"));
}

#[tokio::test]
async fn the_administration_forms_change_accounts_and_show_the_trail() {
    let server = server("admin-web").await;
    let mut admin = Client::login(&server, "admin").await;
    let token = admin.csrf.take().unwrap();
    let viewer = server.store.user_by_username("viewer").await.unwrap().unwrap();
    let page = format!("/admin/users/{}?zone=450202", viewer.id);
    let list = admin.get(&server, "/admin/users").await;
    assert!(
        list.body
            .as_str()
            .unwrap_or_default()
            .contains(&format!("href=\"{page}\"")),
        "the list links to the user's page"
    );

    // Role: editor needs a department; with one, set.
    let no_dept = post_form(
        &mut admin,
        &server,
        &page,
        &[
            ("csrf_token", &token),
            ("op", "role"),
            ("role", "editor"),
            ("department", ""),
        ],
    )
    .await;
    assert_eq!(no_dept.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_dept.body.as_str().unwrap_or_default().contains("填报员须指定部门"));
    let set = post_form(
        &mut admin,
        &server,
        &page,
        &[
            ("csrf_token", &token),
            ("op", "role"),
            ("role", "editor"),
            ("department", "城中区农业农村局"),
        ],
    )
    .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    let membership = server.store.membership("450202", &viewer.id).await.unwrap().unwrap();
    assert_eq!(membership.role, ecociv_store::Role::Editor);
    // Password: the rule, then a reset; disable, and the page shows it all.
    let short = post_form(
        &mut admin,
        &server,
        &page,
        &[("csrf_token", &token), ("op", "password"), ("password", "short")],
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.as_str().unwrap_or_default().contains("密码至少10个字符"));
    let reset = post_form(
        &mut admin,
        &server,
        &page,
        &[
            ("csrf_token", &token),
            ("op", "password"),
            ("password", "a new long password"),
        ],
    )
    .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    assert_eq!(
        Client::anonymous()
            .try_login(&server, "viewer", "a new long password")
            .await
            .status,
        StatusCode::OK
    );
    let disable = post_form(&mut admin, &server, &page, &[("csrf_token", &token), ("op", "disable")]).await;
    assert_eq!(disable.status, StatusCode::SEE_OTHER);
    assert!(server.store.user_by_id(&viewer.id).await.unwrap().unwrap().disabled);
    assert_eq!(
        Client::anonymous()
            .try_login(&server, "viewer", "a new long password")
            .await
            .code(),
        "login_failed"
    );
    let shown = admin.get(&server, &format!("{page}&done=disable")).await;
    let html = shown.body.as_str().unwrap_or_default().to_string();
    for text in [
        "账号已停用。",
        "已停用",
        "停用账号",
        "重置密码",
        "设置角色",
        "填报员（城中区农业农村局）",
        "启用账号",
    ] {
        assert!(html.contains(text), "{text} on the user's page");
    }
    // Own account: no disabling.
    let admin_id = server.store.user_by_username("admin").await.unwrap().unwrap().id;
    let own = post_form(
        &mut admin,
        &server,
        &format!("/admin/users/{admin_id}?zone=450202"),
        &[("csrf_token", &token), ("op", "disable")],
    )
    .await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!server.store.user_by_id(&admin_id).await.unwrap().unwrap().disabled);

    // Departments: renamed from the list; a taken name refused; the trail on the page.
    let agri = server
        .store
        .departments("450202")
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.name == "城中区农业农村局")
        .unwrap();
    let rename = format!("/admin/departments/{}?zone=450202", agri.id);
    let taken = post_form(
        &mut admin,
        &server,
        &rename,
        &[("csrf_token", &token), ("name", "城中生态环境局")],
    )
    .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = post_form(
        &mut admin,
        &server,
        &rename,
        &[("csrf_token", &token), ("name", "城中区农业农村和水利局")],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = admin.get(&server, "/admin/departments?zone=450202").await;
    let html = page.body.as_str().unwrap_or_default().to_string();
    assert!(html.contains("部门更名") && html.contains("城中区农业农村和水利局"));
}

/// The kinds of caller of the page route table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Public,
    Viewer,
    /// The environment bureau's editor (leads row 7.1).
    EditorEnv,
    /// The agriculture bureau's editor.
    EditorAgri,
    Reviewer,
    Admin,
}

const EVERYONE: &[Who] = &[
    Who::Public,
    Who::Viewer,
    Who::EditorEnv,
    Who::EditorAgri,
    Who::Reviewer,
    Who::Admin,
];
const EDITORS: &[Who] = &[Who::EditorEnv, Who::EditorAgri];
const REVIEWERS: &[Who] = &[Who::Reviewer, Who::Admin];
const ADMINS: &[Who] = &[Who::Admin];
const MEMBERS: &[Who] = &[Who::Viewer, Who::EditorEnv, Who::EditorAgri, Who::Reviewer, Who::Admin];
/// The environment bureau's unit (its editor is EditorEnv), reviewers and admins.
const ENV_UNIT: &[Who] = &[Who::EditorEnv, Who::Reviewer, Who::Admin];

/// A page route: method, path, who may use it, and the form fields of a POST.
type PageRoute = (
    &'static str,
    &'static str,
    &'static [Who],
    &'static [(&'static str, &'static str)],
);

/// Every page route, who may use it, and the form it is sent (a POST). Everyone else is refused: the
/// public is sent to the login page, a logged-in user gets 403. Written out independently of the
/// server's `web::ROUTES`; the test fails if the two differ.
const PAGES: &[PageRoute] = &[
    ("GET", "/", EVERYONE, &[]),
    ("GET", "/assets/ecociv.css", EVERYONE, &[]),
    ("GET", "/lang/{lang}", EVERYONE, &[]),
    ("GET", "/login", EVERYONE, &[]),
    (
        "POST",
        "/login",
        EVERYONE,
        &[("username", "nobody"), ("password", "wrong password")],
    ),
    ("POST", "/logout", EVERYONE, &[]),
    ("GET", "/admin/users", ADMINS, &[]),
    (
        "POST",
        "/admin/users",
        ADMINS,
        &[
            ("username", "{unique}"),
            ("display_name", "新用户"),
            ("password", "long enough password"),
            ("role", "viewer"),
        ],
    ),
    ("GET", "/admin/users/{id}", ADMINS, &[]),
    (
        "POST",
        "/admin/users/{id}",
        ADMINS,
        &[("op", "profile"), ("display_name", "路由测试用户")],
    ),
    ("GET", "/admin/departments", ADMINS, &[]),
    ("POST", "/admin/departments", ADMINS, &[("name", "{unique}")]),
    ("POST", "/admin/departments/{id}", ADMINS, &[("name", "路由测试部门")]),
    ("GET", "/z/{code}", EVERYONE, &[]),
    ("GET", "/z/{code}/table", EVERYONE, &[]),
    ("GET", "/z/{code}/table.csv", EVERYONE, &[]),
    ("GET", "/z/{code}/table.xlsx", EVERYONE, &[]),
    ("GET", "/z/{code}/data.json", EVERYONE, &[]),
    ("GET", "/z/{code}/report.docx", EVERYONE, &[]),
    ("GET", "/z/{code}/indicators/{row}", EVERYONE, &[]),
    (
        "POST",
        "/z/{code}/indicators/{row}/reopen",
        REVIEWERS,
        &[("year", "2022"), ("reason", "路由测试")],
    ),
    ("GET", "/z/{code}/air", EVERYONE, &[]),
    ("GET", "/z/{code}/water", EVERYONE, &[]),
    ("GET", "/z/{code}/noise-soil", EVERYONE, &[]),
    (
        "POST",
        "/z/{code}/monitoring/upload",
        REVIEWERS,
        &[("kind", "air"), ("back", "air")],
    ),
    (
        "POST",
        "/z/{code}/monitoring/compute",
        REVIEWERS,
        &[("year", "2022"), ("back", "water")],
    ),
    (
        "POST",
        "/z/{code}/monitoring/correct",
        REVIEWERS,
        &[("kind", "air"), ("back", "air")],
    ),
    ("GET", "/monitoring/example/{file}", EVERYONE, &[]),
    ("GET", "/z/{code}/plan", EVERYONE, &[]),
    ("GET", "/z/{code}/plan/tasks.xlsx", EVERYONE, &[]),
    ("GET", "/z/{code}/plan/projects", EVERYONE, &[]),
    ("GET", "/z/{code}/plan/projects.xlsx", EVERYONE, &[]),
    ("GET", "/z/{code}/plan/supervision", MEMBERS, &[]),
    (
        "POST",
        "/z/{code}/plan/supervision",
        REVIEWERS,
        &[
            ("subject", "联席会议议定事项"),
            ("owner", "城中生态环境局"),
            ("reason", "路由测试"),
            ("due", "2099-01-01"),
        ],
    ),
    (
        "POST",
        "/z/{code}/plan/supervision/{item}",
        ENV_UNIT,
        &[("action", "respond"), ("text", "路由测试")],
    ),
    ("GET", "/z/{code}/plan/bulletin.docx", MEMBERS, &[]),
    ("GET", "/z/{code}/plan/units", MEMBERS, &[]),
    ("GET", "/z/{code}/plan/units/{unit}", MEMBERS, &[]),
    ("GET", "/z/{code}/plan/reports/{subject}/{period}", MEMBERS, &[]),
    (
        "POST",
        "/z/{code}/plan/reports/{subject}/{period}",
        ENV_UNIT,
        &[("status", "in_progress"), ("percent", "20"), ("narrative", "路由测试")],
    ),
    (
        "POST",
        "/z/{code}/plan/reports/{subject}/{period}/review",
        REVIEWERS,
        &[("decision", "approve")],
    ),
    ("GET", "/z/{code}/entry", EDITORS, &[]),
    (
        "POST",
        "/z/{code}/entry",
        EDITORS,
        &[("year", "2022"), ("action", "save"), ("v:7.1", "95")],
    ),
    ("GET", "/z/{code}/review", REVIEWERS, &[]),
    (
        "POST",
        "/z/{code}/review",
        REVIEWERS,
        &[("decision", "approve"), ("s", "7.1@2022")],
    ),
    (
        "POST",
        "/z/{code}/review/{submission}",
        REVIEWERS,
        &[("decision", "approve")],
    ),
    ("GET", "/s/{code}/{survey}", EVERYONE, &[]),
    ("POST", "/s/{code}/{survey}", EVERYONE, &[]),
    ("GET", "/s/{code}/{survey}/thanks", EVERYONE, &[]),
    ("GET", "/z/{code}/surveys", MEMBERS, &[]),
    (
        "POST",
        "/z/{code}/surveys",
        REVIEWERS,
        &[
            ("title", "路由测试调查"),
            ("year", "2025"),
            ("basis", "测试"),
            ("plan", "代码,名称,类型,总体规模,配额\na,甲,街道,10,\n"),
        ],
    ),
    ("GET", "/z/{code}/surveys/{survey}", MEMBERS, &[]),
    (
        "POST",
        "/z/{code}/surveys/{survey}/paper",
        REVIEWERS,
        &[("paper_number", "")],
    ),
    ("POST", "/z/{code}/surveys/{survey}/import", REVIEWERS, &[]),
    (
        "POST",
        "/z/{code}/surveys/{survey}/codes",
        REVIEWERS,
        &[("stratum", "chengzhong"), ("count", "1")],
    ),
    ("POST", "/z/{code}/surveys/{survey}/compute", REVIEWERS, &[]),
    // Issue 14 (h14): the public switch (the zone stays public for the other routes) and the portal.
    ("GET", "/admin/zone", ADMINS, &[]),
    ("POST", "/admin/zone", ADMINS, &[("public", "1")]),
    ("GET", "/z/{code}/open", EVERYONE, &[]),
    ("GET", "/z/{code}/open/catalog.jsonld", EVERYONE, &[]),
    ("GET", "/z/{code}/open/{file}", EVERYONE, &[]),
    ("GET", "/z/{code}/results", EVERYONE, &[]),
    ("GET", "/z/{code}/disclosure", EVERYONE, &[]),
    ("GET", "/z/{code}/surveys/{survey}/export.xlsx", MEMBERS, &[]),
    // Issue 15 (h15): the roll-up of the zone's unit (admins here; a city's roles in hierarchy.rs).
    ("GET", "/rollup/{code}", ADMINS, &[]),
    ("GET", "/z/{code}/peers", EVERYONE, &[]),
    // Imports for a unit: admins here (a city's reviewer in unit_imports.rs); a form that is not multipart is
    // refused as malformed after the role check.
    ("GET", "/admin/import", ADMINS, &[]),
    ("POST", "/admin/import", ADMINS, &[("form", "plan")]),
    // Issue 15 (h54): a zone's points on its map; the import form is the administrators'.
    ("GET", "/z/{code}/map", EVERYONE, &[]),
    ("POST", "/z/{code}/map/sites", ADMINS, &[]),
    // Registers (台账), issue 13.
    ("GET", "/z/{code}/ledgers", MEMBERS, &[]),
    (
        "POST",
        "/z/{code}/ledgers/compute",
        REVIEWERS,
        &[("year", "2022"), ("status", "draft")],
    ),
    ("GET", "/z/{code}/ledgers/{ledger}", MEMBERS, &[]),
    ("GET", "/z/{code}/ledgers/{ledger}/new", ENV_UNIT, &[]),
    (
        "POST",
        "/z/{code}/ledgers/{ledger}/new",
        ENV_UNIT,
        &[("record_id", "{unique}"), ("unit_name", "仓库")],
    ),
    ("GET", "/z/{code}/ledgers/{ledger}/records/{record}", MEMBERS, &[]),
    // The hazard register is kept by 城中生态环境局: its editor, reviewers and admins attach files.
    (
        "POST",
        "/z/{code}/ledgers/{ledger}/records/{record}/evidence",
        ENV_UNIT,
        &[],
    ),
];

#[tokio::test]
async fn every_page_route_allows_exactly_the_roles_of_the_table() {
    use std::collections::BTreeSet;
    let server = server("page-access").await;
    let table: BTreeSet<(&str, &str)> = PAGES.iter().map(|(m, p, ..)| (*m, *p)).collect();
    let routes: BTreeSet<(&str, &str)> = ecociv_server::web::ROUTES.iter().map(|r| (r.method, r.path)).collect();
    assert_eq!(
        table, routes,
        "the page route × role table must list exactly the server's page routes"
    );
    let target = server
        .store
        .create_user("page-target", "路由测试用户", "x", false)
        .await
        .unwrap()
        .id;
    let department = server
        .store
        .ensure_department("450202", "路由测试部门")
        .await
        .unwrap()
        .id;
    // A follow-up owned by 城中生态环境局 (EditorEnv's unit) for the respond form.
    let before = server.store.board("450202").await.unwrap();
    let mut board = before.clone();
    let day = ecociv_plan::Date::parse("2026-01-05").unwrap();
    let item = board.add_manual(
        "联席会议",
        "城中生态环境局",
        "议定事项",
        day,
        day.plus_days(30),
        "reviewer",
    );
    server.store.append_board("450202", &before, &board).await.unwrap();
    let survey = server.store.surveys("450202").await.unwrap()[0].survey_id.clone();
    let mut failures = Vec::new();
    for (n, (method, template, allowed, fields)) in PAGES.iter().enumerate() {
        for &who in EVERYONE {
            let mut client = match who {
                Who::Public => {
                    let mut client = Client::anonymous();
                    client.prepare_login(&server).await;
                    client
                }
                Who::Viewer => Client::login(&server, "viewer").await,
                Who::EditorEnv => Client::login(&server, "editor-env").await,
                Who::EditorAgri => Client::login(&server, "editor-agri").await,
                Who::Reviewer => Client::login(&server, "reviewer").await,
                Who::Admin => Client::login(&server, "admin").await,
            };
            // Forms carry the token in the form, as a browser sends it.
            let token = client.csrf.take().unwrap_or_default();
            let path = template
                .replace("/admin/users/{id}", &format!("/admin/users/{target}"))
                .replace("/admin/departments/{id}", &format!("/admin/departments/{department}"))
                .replace("{lang}", "en")
                .replace("{code}", "450202")
                .replace("{row}", "7.1")
                .replace("{submission}", "7.1@2022")
                .replace("/open/{file}", "/open/values.csv")
                .replace("{file}", "air.csv")
                .replace("{item}", &item)
                .replace("{unit}", &ecociv_web::layout::urls::encode("城中生态环境局"))
                .replace("{subject}", "measure:1.1.2")
                .replace("{period}", "2025Q3")
                .replace("{survey}", &survey)
                .replace("{ledger}", "risk_hazard")
                .replace("{record}", "YH1");
            let response = if *method == "GET" {
                client.get(&server, &path).await
            } else {
                let unique = format!("page{n}{who:?}").to_lowercase();
                let mut form: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (*k, if *v == "{unique}" { unique.as_str() } else { *v }))
                    .collect();
                form.push(("csrf_token", &token));
                post_form(&mut client, &server, &path, &form).await
            };
            let to_login = response.status == StatusCode::SEE_OTHER
                && response.location.as_deref().is_some_and(|l| l.starts_with("/login"));
            let refused = to_login || matches!(response.status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN);
            let ok = if *method == "POST" && *template == "/login" {
                // A wrong password comes back as the login page with 401: the route working, not a refusal.
                response.status == StatusCode::UNAUTHORIZED
                    && response
                        .body
                        .as_str()
                        .unwrap_or_default()
                        .contains("用户名或密码不正确")
            } else if allowed.contains(&who) {
                !refused && response.status.as_u16() < 500
            } else if who == Who::Public {
                to_login
            } else {
                response.status == StatusCode::FORBIDDEN
            };
            if !ok {
                failures.push(format!(
                    "{method} {path} as {who:?}: {} → {:?}",
                    response.status, response.location
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "page route × role table violated:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_pages_ask_for_the_servers_password_length() {
    // The web crate cannot depend on the server: its copy of the rule must be the server's (and the CLI's).
    assert_eq!(
        ecociv_web::pages::admin::MIN_PASSWORD_CHARS,
        ecociv_server::auth::MIN_PASSWORD_CHARS
    );
    let n = ecociv_server::auth::MIN_PASSWORD_CHARS.to_string();
    for lang in [ecociv_web::Lang::Zh, ecociv_web::Lang::En] {
        assert!(ecociv_web::t(lang, "admin.error.password").contains(&n), "{lang:?}");
    }
}
