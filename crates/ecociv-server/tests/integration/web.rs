//! The HTML forms over HTTP (no browser): data entry all or nothing, evidence files with the form (CSRF
//! checked before anything is stored), reopening from the indicator page.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use ecociv_core::Value;
use ecociv_store::Status;
use serde_json::json;

use crate::support::{Client, Response, TestServer, server};

/// A logged-in client that sends its CSRF token only where a browser would: in the form.
async fn browser_like(server: &TestServer, username: &str) -> (Client, String) {
    let mut client = Client::login(server, username).await;
    let token = client.csrf.take().expect("a session token");
    (client, token)
}

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

/// A `multipart/form-data` body: text fields, then files (field, file name, bytes).
pub(crate) fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----ecocivTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    for (name, file, content) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/pdf\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn the_entry_form_saves_all_of_its_rows_or_none() {
    let server = server("web-entry-all").await;
    let (mut editor, token) = browser_like(&server, "editor-env").await;
    // Someone else (here: the same department through the API) saves row 7.1 after the form was shown.
    let mut api = Client::login(&server, "editor-env").await;
    let saved = api
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/values/7.1/2022",
            Some(json!({"value": "95"})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    let before = server.store.revision_count("450202").await.unwrap();

    // The form, as shown before that save (revision 0 of both rows): row 5 is good, row 7.1 is stale.
    let form = [
        ("csrf_token", token.as_str()),
        ("year", "2022"),
        ("action", "submit"),
        ("v:5", "100"),
        ("r:5", "0"),
        ("v:7.1", "93"),
        ("r:7.1", "0"),
    ];
    let response = post_form(&mut editor, &server, "/z/450202/entry", &form).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    let page = response.body.as_str().unwrap_or_default().to_string();
    assert!(page.contains("此项已被他人修改"), "the message next to the stale row");
    assert!(
        server.store.current("450202", "5", 2022).await.unwrap().is_none(),
        "the good row was not saved either"
    );
    assert_eq!(
        server
            .store
            .current("450202", "7.1", 2022)
            .await
            .unwrap()
            .unwrap()
            .observation
            .value,
        Value::Number(95.0)
    );
    assert_eq!(
        server.store.revision_count("450202").await.unwrap(),
        before,
        "no revision written"
    );

    // The same form on the current revision: both rows saved and submitted together.
    let form = [
        ("csrf_token", token.as_str()),
        ("year", "2022"),
        ("action", "submit"),
        ("v:5", "100"),
        ("r:5", "0"),
        ("v:7.1", "93"),
        ("r:7.1", "1"),
    ];
    let response = post_form(&mut editor, &server, "/z/450202/entry", &form).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{:?}", response.body);
    for (row, value) in [("5", 100.0), ("7.1", 93.0)] {
        let current = server.store.current("450202", row, 2022).await.unwrap().unwrap();
        assert_eq!(
            (current.status, current.observation.value),
            (Status::Submitted, Value::Number(value)),
            "row {row}"
        );
    }
    assert_eq!(
        server.store.revision_count("450202").await.unwrap(),
        before + 4,
        "a save and a submission per row"
    );

    // One bad field refuses the whole form.
    let form = [
        ("csrf_token", token.as_str()),
        ("year", "2023"),
        ("action", "save"),
        ("v:5", "100"),
        ("v:7.1", "abc"),
    ];
    let response = post_form(&mut editor, &server, "/z/450202/entry", &form).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(server.store.current("450202", "5", 2023).await.unwrap().is_none());
}

#[tokio::test]
async fn the_store_writes_revisions_and_files_together_or_not_at_all() {
    let server = server("web-entry-tx").await;
    let editor = server.store.user_by_username("editor-env").await.unwrap().unwrap().id;
    let observation = |row: &str| ecociv_core::Observation {
        row: row.into(),
        year: 2024,
        value: Value::Number(90.0),
        assigned: None,
        recorded: None,
        source: ecociv_core::Source::Document {
            citation: "test".into(),
        },
    };
    let new = |row: &str, after: i64| ecociv_store::NewRevision {
        after,
        action: ecociv_store::Action::Save,
        status: Status::Draft,
        observation: observation(row),
        unit: "%".into(),
        evidence: String::new(),
        reason: String::new(),
    };
    let file = ecociv_store::NewEvidence {
        row_id: "5".into(),
        year: 2024,
        file_name: "a.pdf".into(),
        media_type: "application/pdf".into(),
        sha256: "x".into(),
        content: b"%PDF".to_vec(),
    };
    server
        .store
        .append_revisions("450202", &editor, None, vec![new("7.1", 0)])
        .await
        .unwrap();
    // The second revision follows revision 0 of 7.1, which is taken: everything is refused.
    let refused = server
        .store
        .append_with_evidence(
            "450202",
            &editor,
            None,
            vec![new("5", 0), new("7.1", 0)],
            vec![file.clone()],
        )
        .await;
    assert!(
        matches!(refused, Err(ecociv_store::StoreError::Conflict(_))),
        "{refused:?}"
    );
    assert!(server.store.current("450202", "5", 2024).await.unwrap().is_none());
    assert!(
        server
            .store
            .evidence_list("450202", "5", 2024)
            .await
            .unwrap()
            .is_empty()
    );
    let (stored, files) = server
        .store
        .append_with_evidence("450202", &editor, None, vec![new("5", 0), new("7.1", 1)], vec![file])
        .await
        .unwrap();
    assert_eq!((stored.len(), files.len()), (2, 1));
    assert_eq!(server.store.evidence("450202", &files[0].id).await.unwrap().1, b"%PDF");
}

#[tokio::test]
async fn evidence_files_come_with_the_form_and_need_its_token_first() {
    let server = server("web-evidence").await;
    let (mut editor, token) = browser_like(&server, "editor-env").await;
    let send = |fields: Vec<(&'static str, String)>, files: Vec<(&'static str, &'static str, &'static [u8])>| {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        multipart(&refs, &files)
    };
    let static_pdf: &'static [u8] = b"%PDF-1.4\n\x00\x01\x02 binary \xff\xfe evidence";
    for (label, csrf) in [("missing", None), ("wrong", Some("0".repeat(64)))] {
        let mut fields = vec![
            ("year", "2022".to_string()),
            ("action", "save".to_string()),
            ("v:5", "100".to_string()),
        ];
        if let Some(csrf) = csrf {
            fields.insert(0, ("csrf_token", csrf));
        }
        let (content_type, body) = send(fields, vec![("e:5", "监测报告.pdf", static_pdf)]);
        let response = editor
            .send(
                &server,
                Method::POST,
                "/z/450202/entry",
                Some(Body::from(body)),
                &content_type,
            )
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{label} token");
        assert_eq!(
            response.code(),
            "csrf_failed",
            "{label} token: the same error as an urlencoded form"
        );
        assert!(
            server
                .store
                .evidence_list("450202", "5", 2022)
                .await
                .unwrap()
                .is_empty(),
            "{label} token: no file stored"
        );
        assert!(server.store.current("450202", "5", 2022).await.unwrap().is_none());
    }
    // A file refused by the rules (empty) refuses the form: nothing saved.
    let (content_type, body) = send(
        vec![
            ("csrf_token", token.clone()),
            ("year", "2022".into()),
            ("action", "save".into()),
            ("v:5", "100".into()),
        ],
        vec![("e:5", "empty.pdf", b"")],
    );
    let response = editor
        .send(
            &server,
            Method::POST,
            "/z/450202/entry",
            Some(Body::from(body)),
            &content_type,
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.as_str().unwrap_or_default().contains("文件为空"));
    assert!(server.store.current("450202", "5", 2022).await.unwrap().is_none());
    // The right token, first in the form: the value and its file are stored together.
    let (content_type, body) = send(
        vec![
            ("csrf_token", token.clone()),
            ("year", "2022".into()),
            ("action", "save".into()),
            ("v:5", "100".into()),
        ],
        vec![("e:5", "监测报告.pdf", static_pdf), ("e:7.1", "", b"")],
    );
    let response = editor
        .send(
            &server,
            Method::POST,
            "/z/450202/entry",
            Some(Body::from(body)),
            &content_type,
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{:?}", response.body);
    assert_eq!(
        server
            .store
            .current("450202", "5", 2022)
            .await
            .unwrap()
            .unwrap()
            .observation
            .value,
        Value::Number(100.0)
    );
    let files = server.store.evidence_list("450202", "5", 2022).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name, "监测报告.pdf");
    assert_eq!(
        server.store.evidence("450202", &files[0].id).await.unwrap().1,
        static_pdf
    );
    assert!(
        server
            .store
            .evidence_list("450202", "7.1", 2022)
            .await
            .unwrap()
            .is_empty(),
        "no file chosen: nothing stored"
    );
    // The form lists it with its download link, which gives the same bytes back.
    let page = editor.get(&server, "/z/450202/entry?year=2022").await;
    let html = page.body.as_str().unwrap_or_default().to_string();
    let href = format!("/api/v1/zones/450202/evidence/{}", files[0].id);
    assert!(
        html.contains(&format!("href=\"{href}\"")) && html.contains("监测报告.pdf"),
        "listed with its link"
    );
    let download = editor.send(&server, Method::GET, &href, None, "").await;
    assert_eq!(download.status, StatusCode::OK);
}

#[tokio::test]
async fn a_reviewer_reopens_an_approved_value_from_its_page_with_a_reason() {
    let server = server("web-reopen").await;
    let mut editor_api = Client::login(&server, "editor-env").await;
    let mut reviewer_api = Client::login(&server, "reviewer").await;
    let value = "/api/v1/zones/450202/values/5/2022";
    assert_eq!(
        editor_api
            .json(&server, Method::PUT, value, Some(json!({"value": "100"})))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        editor_api
            .json(&server, Method::POST, &format!("{value}/submit"), None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        reviewer_api
            .json(&server, Method::POST, &format!("{value}/approve"), None)
            .await
            .status,
        StatusCode::OK
    );
    let approved = server.store.current("450202", "5", 2022).await.unwrap().unwrap();
    assert_eq!(approved.status, Status::Approved);

    // Only a reviewer sees the form, and only on an approved value.
    let (mut reviewer, token) = browser_like(&server, "reviewer").await;
    let page = reviewer.get(&server, "/z/450202/indicators/5?year=2022").await;
    let html = page.body.as_str().unwrap_or_default().to_string();
    assert!(
        html.contains("action=\"/z/450202/indicators/5/reopen\""),
        "the reviewer's reopen form"
    );
    assert!(html.contains("重新打开的原因（必填）"));
    let (mut editor, editor_token) = browser_like(&server, "editor-env").await;
    let page = editor.get(&server, "/z/450202/indicators/5?year=2022").await;
    assert!(
        !page.body.as_str().unwrap_or_default().contains("/reopen\""),
        "no reopen form for an editor"
    );
    let page = reviewer.get(&server, "/z/450202/indicators/5?year=2023").await;
    assert!(
        !page.body.as_str().unwrap_or_default().contains("/reopen\""),
        "no reopen form without an approved value"
    );

    // An editor cannot reopen; a reviewer must give a reason.
    let after = approved.revision_no.to_string();
    let refused = post_form(
        &mut editor,
        &server,
        "/z/450202/indicators/5/reopen",
        &[
            ("csrf_token", &editor_token),
            ("year", "2022"),
            ("after", &after),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let no_reason = post_form(
        &mut reviewer,
        &server,
        "/z/450202/indicators/5/reopen",
        &[
            ("csrf_token", &token),
            ("year", "2022"),
            ("after", &after),
            ("reason", "  "),
        ],
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::SEE_OTHER);
    assert_eq!(
        server.store.current("450202", "5", 2022).await.unwrap().unwrap().status,
        Status::Approved,
        "not reopened without a reason"
    );
    let page = reviewer
        .get(&server, "/z/450202/indicators/5?year=2022&error=reopen_reason_required")
        .await;
    assert!(page.body.as_str().unwrap_or_default().contains("请填写重新打开的原因"));

    // With a reason: back to draft, the reason in the history.
    let reopened = post_form(
        &mut reviewer,
        &server,
        "/z/450202/indicators/5/reopen",
        &[
            ("csrf_token", &token),
            ("year", "2022"),
            ("after", &after),
            ("reason", "监测数据复核后需更正"),
        ],
    )
    .await;
    assert_eq!(reopened.status, StatusCode::SEE_OTHER);
    let history = server.store.history("450202", "5", 2022).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.action, last.status, last.reason.as_str()),
        (ecociv_store::Action::Reopen, Status::Draft, "监测数据复核后需更正")
    );
    let page = reviewer
        .get(&server, "/z/450202/indicators/5?year=2022&done=reopened")
        .await;
    let html = page.body.as_str().unwrap_or_default().to_string();
    assert!(
        html.contains("监测数据复核后需更正") && html.contains("已重新打开"),
        "the reason shows in the history"
    );
    // The same form again (stale revision, no longer approved): refused, nothing written.
    let count = server.store.revision_count("450202").await.unwrap();
    let again = post_form(
        &mut reviewer,
        &server,
        "/z/450202/indicators/5/reopen",
        &[
            ("csrf_token", &token),
            ("year", "2022"),
            ("after", &after),
            ("reason", "再次"),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(server.store.revision_count("450202").await.unwrap(), count);
}

#[tokio::test]
async fn a_jump_is_saved_with_a_warning_and_the_reviewer_sees_the_evidence() {
    let server = server("web-jump").await;
    let (mut editor, token) = browser_like(&server, "editor-env").await;
    // 7.1 was 94.5 % in 2021: 50 % in 2022 is a jump of more than 20 points — saved, with a warning.
    let (content_type, body) = multipart(
        &[
            ("csrf_token", &token),
            ("year", "2022"),
            ("action", "submit"),
            ("v:7.1", "50"),
            ("r:7.1", "0"),
        ],
        &[("e:7.1", "优良天数统计.pdf", b"%PDF-1.4 days")],
    );
    let response = editor
        .send(
            &server,
            Method::POST,
            "/z/450202/entry",
            Some(Body::from(body)),
            &content_type,
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{:?}", response.body);
    let location = response.location.clone().unwrap_or_default();
    assert!(
        location.contains("done=submitted") && location.contains("warn=7.1"),
        "{location}"
    );
    assert_eq!(
        server
            .store
            .current("450202", "7.1", 2022)
            .await
            .unwrap()
            .unwrap()
            .status,
        Status::Submitted
    );
    let page = editor.get(&server, &location).await;
    assert!(page.body.as_str().unwrap_or_default().contains(
        "以下指标与上年相比变化较大，请核实：7.1 优良天数比例：2021年94.5%，2022年50%，变化-44.5 个百分点。"
    ));
    // No warning for a plausible figure.
    let plain = editor.get(&server, "/z/450202/entry?year=2022&done=saved").await;
    assert!(!plain.body.as_str().unwrap_or_default().contains("变化较大"));

    // The reviewer sees the file with its download link next to the submission.
    let mut reviewer = Client::login(&server, "reviewer").await;
    let file = &server.store.evidence_list("450202", "7.1", 2022).await.unwrap()[0];
    let review = reviewer.get(&server, "/z/450202/review").await;
    let html = review.body.as_str().unwrap_or_default().to_string();
    assert!(
        html.contains(&format!("href=\"/api/v1/zones/450202/evidence/{}\"", file.id))
            && html.contains("优良天数统计.pdf")
    );
}

#[tokio::test]
async fn form_bodies_are_limited_before_login_and_files_per_attachment() {
    let server = server("web-guard-size").await;
    let mut public = Client::anonymous();
    public.prepare_login(&server).await;
    let token = public.csrf.take().unwrap();
    let big = vec![b'x'; 3 * 1024 * 1024];
    let (content_type, body) = multipart(
        &[("csrf_token", &token), ("username", "x"), ("password", "y")],
        &[("f", "big.bin", &big)],
    );
    let response = public
        .send(&server, Method::POST, "/login", Some(Body::from(body)), &content_type)
        .await;
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "a 3 MiB body before login is refused unread"
    );
    assert!(
        response.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("form too large"),
        "{:?}",
        response.body
    );
    // A body that size from a session is read: a 3 MiB evidence file is stored.
    let (mut editor, token) = browser_like(&server, "editor-env").await;
    let (content_type, body) = multipart(
        &[("csrf_token", &token), ("year", "2022"), ("action", "save")],
        &[("e:5", "big.bin", &big)],
    );
    let response = editor
        .send(
            &server,
            Method::POST,
            "/z/450202/entry",
            Some(Body::from(body)),
            &content_type,
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "a 3 MiB evidence file is taken from a session"
    );
    assert_eq!(
        server.store.evidence_list("450202", "5", 2022).await.unwrap()[0].size_bytes,
        3 * 1024 * 1024
    );
    // Over the attachment limit (20 MB): refused next to its field, nothing saved.
    let huge = vec![b'y'; 21 * 1024 * 1024];
    let (content_type, body) = multipart(
        &[
            ("csrf_token", &token),
            ("year", "2022"),
            ("action", "save"),
            ("v:7.1", "95"),
        ],
        &[("e:7.1", "huge.bin", &huge)],
    );
    let response = editor
        .send(
            &server,
            Method::POST,
            "/z/450202/entry",
            Some(Body::from(body)),
            &content_type,
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .body
            .as_str()
            .unwrap_or_default()
            .contains("文件超过20 MB的上限")
    );
    assert!(server.store.current("450202", "7.1", 2022).await.unwrap().is_none());
    assert!(
        server
            .store
            .evidence_list("450202", "7.1", 2022)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Enters and submits (zone 450202, `row`, 2022) through the API as `client`.
async fn enter_and_submit(client: &mut Client, server: &TestServer, row: &str, value: &str) {
    let path = format!("/api/v1/zones/450202/values/{row}/2022");
    let saved = client
        .json(server, Method::PUT, &path, Some(json!({ "value": value })))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    let submitted = client.json(server, Method::POST, &format!("{path}/submit"), None).await;
    assert_eq!(submitted.status, StatusCode::OK, "{:?}", submitted.body);
}

#[tokio::test]
async fn review_in_row_order_batch_approval_all_or_nothing_and_a_second_person_approves_ones_own_value() {
    let server = server("web-review-batch").await;
    let mut editor = Client::login(&server, "editor-env").await;
    let mut reviewer_api = Client::login(&server, "reviewer").await;
    enter_and_submit(&mut editor, &server, "7.1", "95").await;
    enter_and_submit(&mut editor, &server, "5", "100").await;
    // The reviewer enters a value too: theirs, so somebody else approves it.
    enter_and_submit(&mut reviewer_api, &server, "12", "100").await;

    let (mut reviewer, token) = browser_like(&server, "reviewer").await;
    let page = reviewer.get(&server, "/z/450202/review").await;
    let html = page.body.as_str().unwrap_or_default().to_string();
    // Row order of Table 2-1 (5, 7.1, 12), not text order (12, 5, 7.1).
    let at = |id: &str| {
        html.find(&format!("id=\"s-{id}@2022\""))
            .unwrap_or_else(|| panic!("{id} listed"))
    };
    assert!(at("5") < at("7.1") && at("7.1") < at("12"), "review order");
    // The reviewer's own value: no approve button, no checkbox, a note instead.
    let own = &html[at("12")..];
    assert!(own.contains("须由另一位审核员审核通过"));
    assert!(
        !own.contains("value=\"12@2022:"),
        "no batch checkbox on one's own value"
    );
    assert!(html.contains("value=\"5@2022:"));

    // Approving one's own value: refused by the server, by the API and by the form alike.
    let refused = reviewer_api
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/values/12/2022/approve",
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    assert_eq!(refused.code(), "own_value");
    let refused = post_form(
        &mut reviewer,
        &server,
        "/z/450202/review/12@2022",
        &[("csrf_token", &token), ("decision", "approve")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused
            .body
            .as_str()
            .unwrap_or_default()
            .contains("须由另一位审核员审核通过")
    );

    // A batch with one's own value in it: nothing approved, the refused row named.
    let five = server.store.current("450202", "5", 2022).await.unwrap().unwrap();
    let seven = server.store.current("450202", "7.1", 2022).await.unwrap().unwrap();
    let pick_five = format!("5@2022:{}", five.revision_no);
    let pick_seven = format!("7.1@2022:{}", seven.revision_no);
    let before = server.store.revision_count("450202").await.unwrap();
    let refused = post_form(
        &mut reviewer,
        &server,
        "/z/450202/review",
        &[
            ("csrf_token", &token),
            ("decision", "approve"),
            ("s", &pick_five),
            ("s", "12@2022"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.as_str().unwrap_or_default().contains("12（2022）"));
    assert_eq!(
        server.store.revision_count("450202").await.unwrap(),
        before,
        "all or nothing"
    );
    // A stale revision (the value changed since the page was shown) refuses the batch too.
    let stale = format!("7.1@2022:{}", seven.revision_no - 1);
    let refused = post_form(
        &mut reviewer,
        &server,
        "/z/450202/review",
        &[
            ("csrf_token", &token),
            ("decision", "approve"),
            ("s", &pick_five),
            ("s", &stale),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(server.store.revision_count("450202").await.unwrap(), before);
    // Nothing chosen: said so, nothing written.
    let refused = post_form(
        &mut reviewer,
        &server,
        "/z/450202/review",
        &[("csrf_token", &token), ("decision", "approve")],
    )
    .await;
    assert!(refused.body.as_str().unwrap_or_default().contains("未选择任何数值"));

    // The two values of the editor, approved together.
    let done = post_form(
        &mut reviewer,
        &server,
        "/z/450202/review",
        &[
            ("csrf_token", &token),
            ("decision", "approve"),
            ("s", &pick_five),
            ("s", &pick_seven),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location.as_deref(), Some("/z/450202/review?done=approved_batch"));
    for row in ["5", "7.1"] {
        let current = server.store.current("450202", row, 2022).await.unwrap().unwrap();
        assert_eq!(current.status, Status::Approved, "{row}");
    }
    assert_eq!(server.store.revision_count("450202").await.unwrap(), before + 2);
    // A second person (the admin) approves the reviewer's own value.
    let mut admin = Client::login(&server, "admin").await;
    let approved = admin
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/values/12/2022/approve",
            None,
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.body);
}

#[tokio::test]
async fn error_pages_keep_the_signed_in_layout_and_offer_a_way_back() {
    let server = server("web-error-pages").await;
    let mut editor = Client::login(&server, "editor-env").await;
    // An unknown page of a zone: 404 inside the zone's layout, the visitor still signed in.
    let missing = editor.get(&server, "/z/450202/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let html = missing.body.as_str().unwrap_or_default().to_string();
    assert!(html.contains("页面不存在"), "{html}");
    assert!(html.contains("action=\"/logout\""), "signed-in header: {html}");
    assert!(html.contains("href=\"/z/450202\""), "the way back to the zone: {html}");
    assert!(html.contains("href=\"/z/450202/entry\""), "the zone's navigation");
    // A page the editor may not use: 403, same layout.
    let forbidden = editor.get(&server, "/z/450202/review").await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let html = forbidden.body.as_str().unwrap_or_default().to_string();
    assert!(html.contains("无权访问") && html.contains("action=\"/logout\"") && html.contains("返回首页"));
    // Anonymous: a 404 offers the login page too.
    let anonymous = Client::anonymous().get(&server, "/nothing/here").await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    assert!(
        anonymous
            .body
            .as_str()
            .unwrap_or_default()
            .contains("/login?next=%2Fnothing%2Fhere")
    );
    // The API keeps its JSON errors.
    let api = editor.get(&server, "/api/v1/no-such-route").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.code(), "not_found");
}

#[tokio::test]
async fn computing_from_monitoring_redirects_so_a_refresh_does_not_resubmit_and_the_form_explains_the_files() {
    let server = server("web-monitoring-prg").await;
    ecociv_server::demo::load_monitoring(&server.store).await.unwrap();
    let (mut reviewer, token) = browser_like(&server, "reviewer").await;
    let page = reviewer.get(&server, "/z/450202/air?year=2023").await;
    let html = page.body.as_str().unwrap_or_default().to_string();
    assert!(!html.contains("格式与命令行相同"));
    assert!(html.contains("/monitoring/example/air.csv") && html.contains("站点名称、日期"));
    let done = post_form(
        &mut reviewer,
        &server,
        "/z/450202/monitoring/compute",
        &[
            ("csrf_token", &token),
            ("year", "2023"),
            ("status", "draft"),
            ("back", "air"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let location = done.location.clone().expect("redirect");
    assert!(
        location.starts_with("/z/450202/air?year=2023&done=computed&n="),
        "{location}"
    );
    let before = server.store.revision_count("450202").await.unwrap();
    assert!(before > 0, "the computation saved its figures");
    // The page it leads to (and any reload of it) shows the outcome and writes nothing.
    for _ in 0..2 {
        let shown = reviewer.get(&server, &location).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.body.as_str().unwrap_or_default().contains("flash-success"));
        assert_eq!(server.store.revision_count("450202").await.unwrap(), before);
    }
    // The example file: the columns and two lines.
    let example = Client::anonymous().get(&server, "/monitoring/example/air.csv").await;
    assert_eq!(example.status, StatusCode::OK);
    let text = example.body.as_str().unwrap_or_default().to_string();
    assert!(text.contains("station,date,hour,so2,no2,pm10,co,o3,pm25"), "{text}");
    assert_eq!(text.trim_end().lines().count(), 3, "{text}");
    assert_eq!(
        Client::anonymous()
            .get(&server, "/monitoring/example/nope.csv")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_choose_your_files_again_banner_shows_only_when_a_file_was_chosen() {
    let server = server("web-files-again").await;
    let (mut editor, token) = browser_like(&server, "editor-env").await;
    for (file_name, content, expected) in [("", &b""[..], false), ("报告.pdf", &b"%PDF-1.4"[..], true)] {
        // A refused value; the browser sends the file field even when no file was chosen.
        let (content_type, body) = multipart(
            &[
                ("csrf_token", &token),
                ("year", "2022"),
                ("action", "save"),
                ("v:7.1", "abc"),
                ("r:7.1", "0"),
            ],
            &[("e:7.1", file_name, content)],
        );
        let response = editor
            .send(
                &server,
                Method::POST,
                "/z/450202/entry",
                Some(Body::from(body)),
                &content_type,
            )
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.body.as_str().unwrap_or_default().to_string();
        assert_eq!(html.contains("请重新选择佐证材料"), expected, "file {file_name:?}");
    }
}
