//! CSRF, login throttling and account locking, sessions.

use std::net::SocketAddr;

use axum::http::{Method, StatusCode};
use ecociv_server::Config;
use serde_json::json;

use crate::support::{Client, server, server_with};

#[tokio::test]
async fn state_changing_requests_without_the_csrf_token_are_refused() {
    let server = server("csrf").await;
    let mut editor = Client::login(&server, "editor-env").await;
    let value = "/api/v1/zones/450202/values/7.1/2022";
    let token = editor.csrf.take();
    let refused = editor
        .json(&server, Method::PUT, value, Some(json!({"value": "95"})))
        .await;
    assert_eq!((refused.status, refused.code()), (StatusCode::FORBIDDEN, "csrf_failed"));
    editor.csrf = Some("0".repeat(64));
    assert_eq!(
        editor
            .json(&server, Method::PUT, value, Some(json!({"value": "95"})))
            .await
            .code(),
        "csrf_failed"
    );
    assert_eq!(
        server.store.revision_count("450202").await.unwrap(),
        server.store.revision_count("450202").await.unwrap()
    );
    assert!(
        server.store.current("450202", "7.1", 2022).await.unwrap().is_none(),
        "nothing was written"
    );
    // A form post carries the token as a field.
    editor.csrf = None;
    let form = format!("csrf_token={}", token.clone().unwrap());
    let logout = editor
        .send(
            &server,
            Method::POST,
            "/api/v1/auth/logout",
            Some(form.into()),
            "application/x-www-form-urlencoded",
        )
        .await;
    assert_eq!(logout.status, StatusCode::OK);
    // Login itself needs the pre-login token: a cross-site form cannot log a victim in.
    let mut stranger = Client::anonymous();
    let password = server.passwords["viewer"].clone();
    let refused = stranger
        .json(
            &server,
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"username": "viewer", "password": password})),
        )
        .await;
    assert_eq!(refused.code(), "csrf_failed");
    // GET requests need no token.
    assert_eq!(stranger.get(&server, "/api/v1/zones").await.status, StatusCode::OK);
}

#[tokio::test]
async fn sessions_are_http_only_strict_secure_cookies_and_end_at_logout() {
    let server = server("session").await;
    let mut client = Client::anonymous();
    let password = server.passwords["reviewer"].clone();
    let response = client.try_login(&server, "reviewer", &password).await;
    let cookie = response
        .set_cookies
        .iter()
        .find(|c| c.starts_with("ecociv_session="))
        .unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert_eq!(
        client.get(&server, "/api/v1/me").await.body["user"]["username"],
        "reviewer"
    );
    let stolen = client.clone();
    assert_eq!(
        client
            .json(&server, Method::POST, "/api/v1/auth/logout", None)
            .await
            .status,
        StatusCode::OK
    );
    let mut stolen = stolen;
    assert_eq!(
        stolen.get(&server, "/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED,
        "the session is gone server-side"
    );
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_even_for_the_right_one() {
    let server = server("lockout").await;
    let mut client = Client::anonymous();
    for attempt in 1..=5 {
        let response = client.try_login(&server, "viewer", "wrong password").await;
        let expected = if attempt < 5 { "login_failed" } else { "login_locked" };
        assert_eq!(response.code(), expected, "attempt {attempt}");
    }
    let password = server.passwords["viewer"].clone();
    let response = client.try_login(&server, "viewer", &password).await;
    assert_eq!(
        (response.status, response.code()),
        (StatusCode::TOO_MANY_REQUESTS, "login_locked")
    );
    // Other accounts are not affected.
    assert_eq!(
        Client::login(&server, "reviewer")
            .await
            .get(&server, "/api/v1/me")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_address_with_many_failures_is_throttled() {
    let config = Config {
        max_failures_per_address: 3,
        ..Config::default()
    };
    let server = server_with("throttle", config).await;
    let mut client = Client {
        address: Some(SocketAddr::from(([192, 0, 2, 7], 5000))),
        ..Client::default()
    };
    for name in ["a", "b", "c"] {
        assert_eq!(
            client.try_login(&server, name, "whatever password").await.code(),
            "login_failed"
        );
    }
    let password = server.passwords["admin"].clone();
    let throttled = client.try_login(&server, "admin", &password).await;
    assert_eq!(
        (throttled.status, throttled.code()),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_requests")
    );
    let mut elsewhere = Client {
        address: Some(SocketAddr::from(([192, 0, 2, 8], 5000))),
        ..Client::default()
    };
    assert_eq!(
        elsewhere.try_login(&server, "admin", &password).await.status,
        StatusCode::OK
    );
}
