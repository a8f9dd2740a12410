//! A demo server in memory and a small cookie-keeping client.

use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use ecociv_server::{AppState, Config, app, demo};
use ecociv_store::Store;
use ecociv_store::testdb::TestDatabase;
use serde_json::{Value, json};
use tower::ServiceExt;

pub struct TestServer {
    pub app: Router,
    pub store: Store,
    pub passwords: HashMap<String, String>,
    /// `sqlite`, `postgres` or `citus`.
    pub engine: &'static str,
    /// The PostgreSQL or Citus database, dropped (on every node) with the server: last, after the store.
    pub _database: Option<TestDatabase>,
}

pub async fn server(test: &str) -> TestServer {
    server_with(test, Config::default()).await
}

pub async fn server_with(test: &str, config: Config) -> TestServer {
    let path = std::env::temp_dir().join(format!("ecociv-server-{test}-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .expect("open store");
    on_store(store, config, "sqlite", None).await
}

async fn on_store(store: Store, config: Config, engine: &'static str, database: Option<TestDatabase>) -> TestServer {
    let accounts = demo::load(&store).await.expect("demo").expect("fresh");
    let passwords = accounts.into_iter().map(|a| (a.username, a.password)).collect();
    let app = app(AppState::new(store.clone(), config));
    TestServer {
        app,
        store,
        passwords,
        engine,
        _database: database,
    }
}

static DATABASES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn database_name(test: &str, engine: &str) -> String {
    let n = DATABASES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("ecociv_s_{engine}_{}_{}_{n}", test.to_lowercase(), std::process::id())
}

/// The configured database server of an engine (`TEST_DATABASE_URL`, `TEST_CITUS_URL`), or `None` with a
/// loud message — a failure when its `REQUIRE_*` is set (CI).
fn engine_url(variable: &str, require: &str, what: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var(require).as_deref() == Ok("1") {
                panic!("{require}=1 but {variable} is not set");
            }
            // Written past the test harness's capture, so the skip shows without `--nocapture`.
            let _ = writeln!(
                std::io::stderr(),
                "!!! SKIPPED: the {what} run of the server's API tests (set {variable}; .ci/run does; \
                 {require}=1 makes this a failure) !!!"
            );
            None
        }
    }
}

/// A fresh database URL on every engine configured (as [`servers`]): (engine, URL, the database — dropped
/// with it), the demo not loaded.
pub async fn database_urls(test: &str) -> Vec<(&'static str, String, Option<TestDatabase>)> {
    let path = std::env::temp_dir().join(format!("ecociv-server-{test}-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut urls = vec![("sqlite", format!("sqlite://{}", path.display()), None)];
    if let Some(url) = engine_url("TEST_DATABASE_URL", "REQUIRE_PG", "PostgreSQL") {
        let database = ecociv_store::testdb::fresh_postgres(&url, &database_name(test, "pg"))
            .await
            .expect("fresh PostgreSQL database");
        urls.push(("postgres", database.url().to_string(), Some(database)));
    }
    if let Some(url) = engine_url("TEST_CITUS_URL", "REQUIRE_CITUS", "PostgreSQL + Citus") {
        let database = ecociv_store::testdb::fresh_citus(&url, &database_name(test, "citus"), 4)
            .await
            .expect("fresh Citus database");
        urls.push(("citus", database.url().to_string(), Some(database)));
    }
    urls
}

/// A server over an existing database (another instance of [`servers`]' server): its own store handle
/// (pool, caches), its own application state.
pub async fn instance(
    url: &str,
    config: Config,
    engine: &'static str,
    passwords: HashMap<String, String>,
) -> TestServer {
    let store = Store::open(url).await.expect("open store");
    let app = app(AppState::new(store.clone(), config));
    TestServer {
        app,
        store,
        passwords,
        engine,
        _database: None,
    }
}

/// The demo server on every engine configured: SQLite always, PostgreSQL (`TEST_DATABASE_URL`) and
/// PostgreSQL + Citus with its tables distributed (`TEST_CITUS_URL`), each on a fresh database.
pub async fn servers(test: &str) -> Vec<TestServer> {
    servers_with(test, Config::default()).await
}

/// [`servers`] with a configuration.
pub async fn servers_with(test: &str, config: Config) -> Vec<TestServer> {
    let mut servers = vec![server_with(test, config.clone()).await];
    if let Some(url) = engine_url("TEST_DATABASE_URL", "REQUIRE_PG", "PostgreSQL") {
        let database = ecociv_store::testdb::fresh_postgres(&url, &database_name(test, "pg"))
            .await
            .expect("fresh PostgreSQL database");
        let store = Store::open(database.url()).await.expect("open PostgreSQL");
        servers.push(on_store(store, config.clone(), "postgres", Some(database)).await);
    }
    if let Some(url) = engine_url("TEST_CITUS_URL", "REQUIRE_CITUS", "PostgreSQL + Citus") {
        let database = ecociv_store::testdb::fresh_citus(&url, &database_name(test, "citus"), 4)
            .await
            .expect("fresh Citus database");
        let store = Store::open(database.url()).await.expect("open Citus");
        assert!(
            store.citus_placement().await.expect("placed").is_some(),
            "the Citus database has no extension"
        );
        servers.push(on_store(store, config.clone(), "citus", Some(database)).await);
    }
    for server in &servers {
        eprintln!("== {test}: {} server", server.engine);
    }
    servers
}

pub struct Response {
    pub status: StatusCode,
    pub body: Value,
    pub set_cookies: Vec<String>,
    /// The `Location` header of a redirect.
    pub location: Option<String>,
}

impl Response {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

/// A client: its cookies and its CSRF token.
#[derive(Clone, Default)]
pub struct Client {
    pub cookies: HashMap<String, String>,
    pub csrf: Option<String>,
    pub address: Option<SocketAddr>,
}

impl Client {
    pub fn anonymous() -> Client {
        Client::default()
    }

    pub async fn send(
        &mut self,
        server: &TestServer,
        method: Method,
        path: &str,
        body: Option<Body>,
        content_type: &str,
    ) -> Response {
        let mut request = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header(header::COOKIE, cookie.join("; "));
        }
        if let Some(csrf) = &self.csrf {
            request = request.header("x-csrf-token", csrf);
        }
        request = request.header(header::CONTENT_TYPE, content_type);
        let mut request = request.body(body.unwrap_or_else(Body::empty)).expect("request");
        if let Some(address) = self.address {
            request.extensions_mut().insert(ConnectInfo(address));
        }
        let response = server.app.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let set_cookies: Vec<String> = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect();
        for cookie in &set_cookies {
            if let Some((pair, _)) = cookie.split_once(';')
                && let Some((name, value)) = pair.split_once('=')
            {
                if value.is_empty() {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_string(), value.to_string());
                }
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Response {
            status,
            body,
            set_cookies,
            location,
        }
    }

    /// Sends a request without a body; returns the status and headers.
    pub async fn head(
        &mut self,
        server: &TestServer,
        method: Method,
        path: &str,
    ) -> (StatusCode, axum::http::HeaderMap) {
        let mut request = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header(header::COOKIE, cookie.join("; "));
        }
        if let Some(csrf) = &self.csrf {
            request = request.header("x-csrf-token", csrf);
        }
        let request = request.body(Body::empty()).expect("request");
        let response = server.app.clone().oneshot(request).await.expect("response");
        (response.status(), response.headers().clone())
    }

    pub async fn json(&mut self, server: &TestServer, method: Method, path: &str, body: Option<Value>) -> Response {
        let body = body.map(|value| Body::from(value.to_string()));
        self.send(server, method, path, body, "application/json").await
    }

    pub async fn get(&mut self, server: &TestServer, path: &str) -> Response {
        self.json(server, Method::GET, path, None).await
    }

    /// Fetches a file as it is sent: the status, the `Content-Type` and the bytes.
    pub async fn download(&mut self, server: &TestServer, path: &str) -> (StatusCode, String, Vec<u8>) {
        let mut request = Request::builder().method(Method::GET).uri(path);
        if !self.cookies.is_empty() {
            let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request = request.header(header::COOKIE, cookie.join("; "));
        }
        let response = server
            .app
            .clone()
            .oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("response");
        let status = response.status();
        let media = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        (status, media, bytes.to_vec())
    }

    /// Fetches the pre-login CSRF token (and cookie).
    pub async fn prepare_login(&mut self, server: &TestServer) {
        let response = self.get(server, "/api/v1/auth/csrf").await;
        assert_eq!(response.status, StatusCode::OK);
        self.csrf = response.body["csrf_token"].as_str().map(str::to_string);
    }

    pub async fn try_login(&mut self, server: &TestServer, username: &str, password: &str) -> Response {
        self.prepare_login(server).await;
        let response = self
            .json(
                server,
                Method::POST,
                "/api/v1/auth/login",
                Some(json!({"username": username, "password": password})),
            )
            .await;
        if response.status == StatusCode::OK {
            self.csrf = response.body["csrf_token"].as_str().map(str::to_string);
        }
        response
    }

    pub async fn login(server: &TestServer, username: &str) -> Client {
        let mut client = Client::anonymous();
        let password = server.passwords[username].clone();
        let response = client.try_login(server, username, &password).await;
        assert_eq!(response.status, StatusCode::OK, "login {username}: {:?}", response.body);
        client
    }
}

/// Issue 15: an account with a role granted at an administrative unit (a city's or province's reviewer or
/// viewer), whose password the test knows.
pub async fn unit_account(server: &mut TestServer, username: &str, unit: &str, role: ecociv_store::Role) -> String {
    let password = format!("{username} long test password");
    let hash = ecociv_server::auth::hash_password(&password).expect("hash");
    let user = server
        .store
        .create_user(username, username, &hash, false)
        .await
        .expect("create user");
    server
        .store
        .set_unit_role(unit, &user.id, role)
        .await
        .expect("grant at unit");
    server.passwords.insert(username.to_string(), password);
    user.id
}
