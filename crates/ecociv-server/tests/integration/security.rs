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

/// Logs `count` anonymous clients in as `username` with `password` all at once (each with its own pre-login
/// token, fetched first), from `address` if given; returns the error codes ("" for a success).
async fn login_burst(
    server: &crate::support::TestServer,
    attempts: &[(&str, &str)],
    address: Option<SocketAddr>,
) -> Vec<String> {
    let mut clients = Vec::new();
    for _ in attempts {
        let mut client = Client {
            address,
            ..Client::default()
        };
        client.prepare_login(server).await;
        clients.push(client);
    }
    let requests = clients
        .into_iter()
        .zip(attempts)
        .map(|(mut client, (username, password))| async move {
            client
                .json(
                    server,
                    Method::POST,
                    "/api/v1/auth/login",
                    Some(json!({"username": username, "password": password})),
                )
                .await
                .code()
                .to_string()
        });
    futures_util::future::join_all(requests).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_concurrent_wrong_passwords_lock_the_account() {
    let server = server("lockout-burst").await;
    let attempts = vec![("viewer", "wrong password"); 40];
    let codes = login_burst(&server, &attempts, None).await;
    let checked = codes.iter().filter(|code| *code == "login_failed").count();
    assert!(checked <= 4, "only the first five attempts are checked: {codes:?}");
    assert!(
        codes
            .iter()
            .all(|code| code == "login_failed" || code == "login_locked")
    );
    let user = server.store.user_by_username("viewer").await.unwrap().unwrap();
    assert!(user.locked_until.is_some(), "locked: {user:?}");
    let password = server.passwords["viewer"].clone();
    let mut client = Client::anonymous();
    assert_eq!(
        client.try_login(&server, "viewer", &password).await.code(),
        "login_locked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_right_password_inside_a_burst_of_wrong_ones_is_refused_once_locked() {
    let server = server("lockout-right").await;
    let password = server.passwords["viewer"].clone();
    let mut wrong = Vec::new();
    for _ in 0..39 {
        let mut client = Client::anonymous();
        client.prepare_login(&server).await;
        wrong.push(client);
    }
    let mut right = Client::anonymous();
    right.prepare_login(&server).await;
    // 39 wrong guesses in flight; the right password is sent as soon as five of them have answered, while
    // the others are still running.
    let (answered_tx, mut answered_rx) = tokio::sync::mpsc::unbounded_channel();
    let server = std::sync::Arc::new(server);
    let mut tasks = Vec::new();
    for mut client in wrong {
        let server = server.clone();
        let answered = answered_tx.clone();
        tasks.push(tokio::spawn(async move {
            let response = client
                .json(
                    &server,
                    Method::POST,
                    "/api/v1/auth/login",
                    Some(json!({"username": "viewer", "password": "wrong password"})),
                )
                .await;
            let _ = answered.send(());
            response.code().to_string()
        }));
    }
    for _ in 0..5 {
        answered_rx.recv().await.unwrap();
    }
    let response = right
        .json(
            &server,
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"username": "viewer", "password": password})),
        )
        .await;
    let mut codes = Vec::new();
    for task in tasks {
        codes.push(task.await.unwrap());
    }
    assert_eq!(
        (response.status, response.code()),
        (StatusCode::TOO_MANY_REQUESTS, "login_locked"),
        "{:?}; the wrong ones: {codes:?}",
        response.body
    );
    assert!(
        codes.iter().filter(|code| *code == "login_failed").count() <= 4,
        "{codes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_failures_from_one_address_are_counted_one_by_one() {
    let config = Config {
        max_failures_per_address: 10,
        ..Config::default()
    };
    let server = server_with("throttle-burst", config).await;
    let names: Vec<String> = (0..40).map(|i| format!("nobody{i}")).collect();
    let attempts: Vec<(&str, &str)> = names.iter().map(|name| (name.as_str(), "whatever password")).collect();
    let codes = login_burst(&server, &attempts, Some(SocketAddr::from(([192, 0, 2, 9], 5000)))).await;
    assert_eq!(
        codes.iter().filter(|code| *code == "login_failed").count(),
        10,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|code| *code == "too_many_requests").count(),
        30,
        "{codes:?}"
    );
}

#[tokio::test]
async fn a_valid_login_does_not_reset_the_address_count_of_guesses_at_other_accounts() {
    let config = Config {
        max_failures_per_address: 3,
        ..Config::default()
    };
    let server = server_with("throttle-success", config).await;
    let mut client = Client {
        address: Some(SocketAddr::from(([192, 0, 2, 10], 5000))),
        ..Client::default()
    };
    for name in ["a", "b"] {
        assert_eq!(
            client.try_login(&server, name, "whatever password").await.code(),
            "login_failed"
        );
    }
    // The attacker's own valid account, from the same address.
    let password = server.passwords["viewer"].clone();
    assert_eq!(
        client.try_login(&server, "viewer", &password).await.status,
        StatusCode::OK
    );
    let mut client = Client {
        address: Some(SocketAddr::from(([192, 0, 2, 10], 5000))),
        ..Client::default()
    };
    assert_eq!(
        client.try_login(&server, "c", "whatever password").await.code(),
        "login_failed"
    );
    assert_eq!(
        client.try_login(&server, "d", "whatever password").await.code(),
        "too_many_requests",
        "three failures from the address, whatever succeeded in between"
    );
}

/// `next` values that must not leave the site (raw query text, as an attacker writes it).
const HOSTILE_NEXT: &[&str] = &[
    "//evil.example/",
    "/%09/evil.example/",
    "/%0A/x",
    "/%0D%0ALocation:%20http://evil.example/",
    "/%5Cevil.example",
    "%2F%2Fevil.example",
    "/\\evil.example",
    "https://evil.example/",
    "/%00/x",
    "/%20/evil.example",
    "/%E2%80%AE/x",
    "evil.example",
];

fn is_same_site(location: &str) -> bool {
    let bytes = location.as_bytes();
    bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes.iter().all(|b| b.is_ascii_graphic() && *b != b'\\')
}

#[tokio::test]
async fn next_only_goes_to_a_same_site_path() {
    let server = server("next").await;
    let mut client = Client::anonymous();
    for next in HOSTILE_NEXT {
        let response = client.get(&server, &format!("/lang/en?next={next}")).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(response.location.as_deref(), Some("/"), "{next}");
    }
    let kept = client.get(&server, "/lang/zh-CN?next=/z/450202%3Fyear%3D2022").await;
    assert_eq!(kept.location.as_deref(), Some("/z/450202?year=2022"));

    // The login form: the page sets the pre-login cookie, the form carries it back with `next`.
    let password = server.passwords["viewer"].clone();
    for next in HOSTILE_NEXT {
        let mut client = Client::anonymous();
        client.get(&server, "/login").await;
        let token = client.cookies["ecociv_csrf"].clone();
        let decoded: String = form_urlencoded::parse(format!("n={next}").as_bytes())
            .next()
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("csrf_token", token.as_str()),
                ("username", "viewer"),
                ("password", password.as_str()),
                ("next", decoded.as_str()),
            ])
            .finish();
        let response = client
            .send(
                &server,
                Method::POST,
                "/login",
                Some(body.into()),
                "application/x-www-form-urlencoded",
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{next}: {:?}", response.body);
        let location = response.location.unwrap_or_default();
        assert!(is_same_site(&location) && location == "/", "{next} → {location}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let server = server("headers").await;
    let mut admin = Client::login(&server, "admin").await;
    let mut anonymous = Client::anonymous();
    let requests = [
        (Method::GET, "/"),
        (Method::GET, "/login"),
        (Method::GET, "/z/450202"),
        (Method::GET, "/z/450202/air"),
        (Method::GET, "/assets/ecociv.css"),
        (Method::GET, "/no/such/page"),
        (Method::GET, "/api/v1/health"),
        (Method::GET, "/api/v1/zones/450202/assessment?year=2022"),
        (Method::GET, "/api/v1/nope"),
        (Method::POST, "/api/v1/users"),
    ];
    for (method, path) in requests {
        for client in [&mut admin, &mut anonymous] {
            let (status, headers) = client.head(&server, method.clone(), path).await;
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string()
            };
            let csp = header("content-security-policy");
            assert!(
                csp.contains("frame-ancestors 'none'")
                    && csp.contains("default-src 'none'")
                    && !csp.contains("unsafe-inline"),
                "{method} {path} ({status}): {csp}"
            );
            assert_eq!(header("x-frame-options"), "DENY", "{method} {path}");
            assert_eq!(header("x-content-type-options"), "nosniff", "{method} {path}");
            assert_eq!(header("referrer-policy"), "same-origin", "{method} {path}");
        }
    }
}

#[tokio::test]
async fn the_pre_login_token_is_never_one_the_client_chose() {
    let server = server("csrf-adopt").await;
    let planted = "a".repeat(64);
    for path in ["/api/v1/auth/csrf", "/login"] {
        let mut client = Client::anonymous();
        client.cookies.insert("ecociv_csrf".into(), planted.clone());
        let response = client.get(&server, path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_ne!(
            client.cookies["ecociv_csrf"], planted,
            "{path}: the planted token was adopted"
        );
        assert_eq!(client.cookies["ecociv_csrf"].len(), 64);
        if path.starts_with("/api") {
            assert_eq!(
                response.body["csrf_token"].as_str(),
                Some(client.cookies["ecociv_csrf"].as_str())
            );
        }
    }
}

#[tokio::test]
async fn account_names_and_passwords_follow_the_rules() {
    let server = server("account-rules").await;
    let mut admin = Client::login(&server, "admin").await;
    let create =
        |username: &str, password: &str| json!({"username": username, "display_name": "测试", "password": password});
    let good_password = "生态文明建设示范区2030";
    for (name, expected) in [
        ("аdmin", "bad_request"),         // Cyrillic а beside Latin
        ("admin\u{200B}", "bad_request"), // zero-width space
        ("\u{202E}nimda", "bad_request"), // right-to-left override
        ("ad\u{7}min", "bad_request"),    // control character
        ("ad min", "bad_request"),
        ("ADMIN", "conflict"), // beside `admin`
        ("Admin", "conflict"),
        ("adm1n", "conflict"),
        ("ｒｅｖｉｅｗｅｒ", "conflict"), // full-width: NFKC gives `reviewer`
    ] {
        let response = admin
            .json(
                &server,
                Method::POST,
                "/api/v1/users",
                Some(create(name, good_password)),
            )
            .await;
        assert_eq!(response.code(), expected, "{name:?}: {:?}", response.body);
    }
    for password in [
        "          ",
        "1234567890",
        "aaaaaaaaaaaa",
        "abcabcabcabc",
        "Password123",
    ] {
        let response = admin
            .json(
                &server,
                Method::POST,
                "/api/v1/users",
                Some(create("newcomer", password)),
            )
            .await;
        assert_eq!(response.code(), "bad_request", "{password:?}: {:?}", response.body);
    }
    let made = admin
        .json(
            &server,
            Method::POST,
            "/api/v1/users",
            Some(create("ｎｅｗｃｏｍｅｒ", good_password)),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{:?}", made.body);
    assert_eq!(made.body["username"], "newcomer", "stored in NFKC form");
    // Evidence names `.` and `..` are refused.
    let mut editor = Client::login(&server, "editor-env").await;
    for name in [".", "..", "%2E%2E"] {
        let response = editor
            .send(
                &server,
                Method::POST,
                &format!("/api/v1/zones/450202/values/7.1/2022/evidence?name={name}"),
                Some("%PDF".into()),
                "application/pdf",
            )
            .await;
        assert_eq!(response.code(), "bad_request", "{name}: {:?}", response.body);
    }
}
