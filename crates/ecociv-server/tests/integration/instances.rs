//! Several server instances behind one database: two `app()`s, each with its own `Store` (own pool, own
//! zone-head, assessment and page caches) and its own `AppState`, share nothing but the database — the
//! path two `ecociv serve` processes take. On SQLite (one file), PostgreSQL and PostgreSQL + Citus.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use ecociv_server::{Config, assessments, demo};
use ecociv_store::Store;
use serde_json::json;

use crate::support::{Client, TestServer, database_urls, instance};

/// Two instances over a fresh database with the demo loaded; B keeps zone heads for `max_age`.
async fn two_instances(engine: &'static str, url: &str, max_age: Duration) -> (TestServer, TestServer) {
    let store = Store::open(url).await.expect("open");
    let accounts = demo::load(&store).await.expect("demo").expect("fresh");
    store.close().await;
    let passwords: std::collections::HashMap<String, String> =
        accounts.into_iter().map(|a| (a.username, a.password)).collect();
    let config = |max_age| Config {
        zone_head_max_age: max_age,
        ..Config::default()
    };
    let a = instance(url, config(max_age), engine, passwords.clone()).await;
    let b = instance(url, config(max_age), engine, passwords).await;
    (a, b)
}

/// The bureau's editor saves and submits a new figure through `server`; `reviewer` approves it there.
async fn enter_and_approve(engine: &str, server: &TestServer, reviewer: &mut Client, value: &str) {
    let mut editor = Client::login(server, "editor-env").await;
    let saved = editor
        .json(
            server,
            Method::PUT,
            value,
            Some(json!({"value": "95.1", "source": "月报"})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{engine}: {}", saved.body);
    let submitted = editor
        .json(server, Method::POST, &format!("{value}/submit"), None)
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{engine} submit: {}", submitted.body);
    let approved = reviewer
        .json(server, Method::POST, &format!("{value}/approve"), None)
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{engine} approve: {}", approved.body);
}

#[tokio::test]
async fn a_write_on_one_instance_is_seen_on_the_other_within_the_bound() {
    for (engine, url, _database) in database_urls("instances").await {
        eprintln!("== instances: {engine}");
        let max_age = Duration::from_millis(400);
        let (a, b) = two_instances(engine, &url, max_age).await;
        // A session made on A is a session on B (sessions live in the database); ending it on A ends it on B.
        let mut reviewer = Client::login(&a, "reviewer").await;
        let me = reviewer.get(&b, "/api/v1/me").await;
        assert_eq!(me.status, StatusCode::OK, "{engine}: {}", me.body);
        assert_eq!(me.body["user"]["username"], "reviewer", "{engine}: {}", me.body);
        // B serves the public assessment of 2022 (and keeps it, and the zone's version, in memory).
        let path = "/api/v1/zones/450202/assessment?year=2022";
        let before = Client::anonymous().get(&b, path).await;
        assert_eq!(before.status, StatusCode::OK, "{engine}");
        // An approved change through A: the department's editor enters and submits, the reviewer approves
        // (four eyes: whoever entered a value does not approve it).
        let value = "/api/v1/zones/450202/values/7.1/2022";
        enter_and_approve(engine, &a, &mut reviewer, value).await;
        // A sees its own write at once.
        let on_a = Client::anonymous().get(&a, path).await;
        assert_ne!(on_a.body, before.body, "{engine}: A does not see its own write");
        // B sees it once the documented bound (Config::zone_head_max_age) has passed.
        tokio::time::sleep(max_age + Duration::from_millis(50)).await;
        let on_b = Client::anonymous().get(&b, path).await;
        assert_eq!(on_b.status, StatusCode::OK);
        assert_eq!(
            on_b.body, on_a.body,
            "{engine}: B still serves the old assessment after {max_age:?}"
        );
        // Logging out on A ends the session on B at once.
        let out = reviewer.json(&a, Method::POST, "/api/v1/auth/logout", None).await;
        assert!(out.status.is_success(), "{engine}: {}", out.body);
        let me = reviewer.get(&b, "/api/v1/me").await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED, "{engine}: {}", me.body);
    }
}

#[tokio::test]
async fn with_no_age_allowed_the_other_instance_sees_a_write_at_once() {
    for (engine, url, _database) in database_urls("instances_zero").await {
        let (a, b) = two_instances(engine, &url, Duration::ZERO).await;
        let path = "/api/v1/zones/450202/assessment?year=2022";
        let before = Client::anonymous().get(&b, path).await;
        let mut reviewer = Client::login(&a, "reviewer").await;
        let value = "/api/v1/zones/450202/values/7.1/2022";
        enter_and_approve(engine, &a, &mut reviewer, value).await;
        let on_b = Client::anonymous().get(&b, path).await;
        assert_ne!(
            on_b.body, before.body,
            "{engine}: B served a stale assessment with max age 0"
        );
    }
}

#[tokio::test]
async fn the_start_up_fill_runs_on_one_instance_only() {
    for (engine, url, _database) in database_urls("instances_fill").await {
        let (a, b) = two_instances(engine, &url, Duration::ZERO).await;
        // Both instances start their fill at the same moment: exactly one runs it.
        let (on_a, on_b) = tokio::join!(
            assessments::fill_once(&a.store, "instance-a"),
            assessments::fill_once(&b.store, "instance-b")
        );
        let (on_a, on_b) = (on_a.expect("fill on A"), on_b.expect("fill on B"));
        assert!(
            on_a.is_some() != on_b.is_some(),
            "{engine}: the fill ran on {} instances",
            usize::from(on_a.is_some()) + usize::from(on_b.is_some())
        );
        // While one instance holds the lease, the other skips; once it is given back, the other may run.
        assert!(
            a.store
                .try_lease(assessments::FILL_JOB, "instance-a", Duration::from_secs(60))
                .await
                .unwrap()
        );
        assert_eq!(
            assessments::fill_once(&b.store, "instance-b").await.unwrap(),
            None,
            "{engine}"
        );
        a.store
            .release_lease(assessments::FILL_JOB, "instance-a")
            .await
            .unwrap();
        assert!(
            assessments::fill_once(&b.store, "instance-b").await.unwrap().is_some(),
            "{engine}"
        );
    }
}
