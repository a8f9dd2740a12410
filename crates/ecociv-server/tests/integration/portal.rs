//! The public side's portal (issue 14): the zone's public switch — set by an administrator through the API
//! or the administration page, recorded in the audit trail, and obeyed by every public page and API route.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

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

fn page(response: &Response) -> &str {
    response.body.as_str().unwrap_or_default()
}

async fn zone_events(admin: &mut Client, server: &TestServer) -> Vec<serde_json::Value> {
    let response = admin
        .get(server, "/api/v1/audit?target_kind=zone&target_id=450202")
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.body["events"].as_array().cloned().unwrap_or_default()
}

/// What the public sees of the zone: its profile in the API and its dashboard page.
async fn public_sees(server: &TestServer) -> bool {
    let mut public = Client::anonymous();
    let api = public.get(server, "/api/v1/zones/450202").await;
    let dashboard = public.get(server, "/z/450202").await;
    match (api.status, dashboard.status) {
        (StatusCode::OK, StatusCode::OK) => true,
        (StatusCode::NOT_FOUND, status) => {
            assert_ne!(status, StatusCode::OK, "the API hides the zone but its page shows");
            false
        }
        other => panic!("API and page disagree: {other:?}"),
    }
}

#[tokio::test]
async fn the_public_switch_is_set_by_admins_through_the_api_and_the_page_and_audited() {
    let server = server("portal-switch").await;
    assert!(public_sees(&server).await, "the demo zone starts public");
    let mut admin = Client::login(&server, "admin").await;
    let before = zone_events(&mut admin, &server).await.len();

    // A reviewer may not change it.
    let mut reviewer = Client::login(&server, "reviewer").await;
    let refused = reviewer
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/public",
            Some(json!({"public": false})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(public_sees(&server).await);
    // A malformed body is refused with the JSON error.
    let bad = admin
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/public",
            Some(json!({"public": "yes"})),
        )
        .await;
    assert_eq!(bad.status.as_u16() / 100, 4, "{}", bad.body);
    assert!(public_sees(&server).await);

    // The API turns it off: the public loses the zone; the change is recorded once, with its actor.
    let off = admin
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/public",
            Some(json!({"public": false})),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(off.body["changed"], true);
    assert!(!public_sees(&server).await);
    let again = admin
        .json(
            &server,
            Method::PUT,
            "/api/v1/zones/450202/public",
            Some(json!({"public": false})),
        )
        .await;
    assert_eq!(again.body["changed"], false, "the same state changes nothing");
    let events = zone_events(&mut admin, &server).await;
    assert_eq!(events.len(), before + 1, "{events:?}");
    assert_eq!(events[0]["action"], "zone.public");
    assert_eq!(events[0]["before"], json!({"public": true}));
    assert_eq!(events[0]["after"], json!({"public": false}));
    let admin_id = server.store.user_by_username("admin").await.unwrap().unwrap().id;
    assert_eq!(events[0]["actor"]["id"], admin_id.as_str());

    // The administration page shows it off and turns it on; its record lists the changes.
    let shown = admin.get(&server, "/admin/zone?zone=450202").await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(page(&shown).contains("不公开") && page(&shown).contains("设为对外公开"));
    let token = admin.csrf.clone().unwrap_or_default();
    let posted = post_form(
        &mut admin,
        &server,
        "/admin/zone?zone=450202",
        &[("csrf_token", &token), ("public", "1")],
    )
    .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", page(&posted));
    assert!(public_sees(&server).await);
    let events = zone_events(&mut admin, &server).await;
    assert_eq!(events.len(), before + 2);
    assert_eq!(events[0]["after"], json!({"public": true}));
    let shown = admin.get(&server, "/admin/zone?zone=450202&done=public").await;
    assert!(page(&shown).contains("公开设置已更新") && page(&shown).contains("停止对外公开"));
    assert_eq!(page(&shown).matches("<td>公开设置</td>").count(), 2, "{}", page(&shown));
    // A form without a clear value is refused and changes nothing.
    let bad = post_form(
        &mut admin,
        &server,
        "/admin/zone?zone=450202",
        &[("csrf_token", &token), ("public", "maybe")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(zone_events(&mut admin, &server).await.len(), before + 2);
}
