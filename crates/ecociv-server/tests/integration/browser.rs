//! The web pages in a real headless Chromium (Debian's `chromium` + `chromedriver`, driven over WebDriver
//! by fantoccini), against the real application served on 127.0.0.1 with the demo data: a department
//! editor enters a good and a bad value (message next to the bad field, nothing saved), then a good one and
//! submits it; the editor uploads an evidence file with the form and downloads it back;
//! the reviewer approves it; the dashboard and Table 2-1 change; the public sees no data-entry page.
//! Screenshots of the dashboard, Table 2-1 and an indicator page go to `test-artifacts/browser/`.
//!
//! Skips with a loud message when Chromium or chromedriver is absent, unless `REQUIRE_BROWSER=1`.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use ecociv_server::{AppState, Config, app, demo};
use ecociv_store::{Status, Store};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};

pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub(crate) fn browser_available() -> bool {
    let found = Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists();
    if !found {
        if std::env::var("REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("REQUIRE_BROWSER=1 but /usr/bin/chromium or /usr/bin/chromedriver is missing");
        }
        // Written past the test harness's capture, so the skip shows without `--nocapture`.
        let _ = writeln!(
            std::io::stderr(),
            "\n!!! SKIPPED a browser test of ecociv-server: chromium / chromedriver not installed \
             (apt-get install chromium chromium-driver fonts-noto-cjk; REQUIRE_BROWSER=1 makes this a failure) !!!"
        );
    }
    found
}

pub(crate) async fn start_server(test: &str) -> (String, Store, std::collections::HashMap<String, String>) {
    start_server_with(test, Config::default()).await
}

/// [`start_server`] with settings (cookies are never `Secure` here: plain HTTP on the loopback).
pub(crate) async fn start_server_with(
    test: &str,
    config: Config,
) -> (String, Store, std::collections::HashMap<String, String>) {
    let path = std::env::temp_dir().join(format!("ecociv-browser-{test}-{}.sqlite3", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = Store::open(&format!("sqlite://{}", path.display()))
        .await
        .expect("open store");
    let accounts = demo::load(&store).await.expect("demo").expect("fresh demo");
    let passwords = accounts.into_iter().map(|a| (a.username, a.password)).collect();
    // Plain HTTP on the loopback: cookies without `Secure`.
    let state = AppState::new(
        store.clone(),
        Config {
            secure_cookies: false,
            ..config
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    (format!("http://{address}"), store, passwords)
}

pub(crate) async fn connect() -> (Client, Driver) {
    let port = free_port();
    let child = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let profile = std::env::temp_dir().join(format!("ecociv-browser-profile-{}-{port}", std::process::id()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--hide-scrollbars", "--window-size=1366,768", format!("--user-data-dir={}", profile.display())],
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        if let Ok(client) = ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return (client, driver);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("could not connect to chromedriver on {url}");
}

pub(crate) async fn text(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .expect("text")
}

pub(crate) async fn login(client: &Client, base: &str, username: &str, password: &str) {
    client.goto(&format!("{base}/login")).await.expect("login page");
    client
        .find(Locator::Id("username"))
        .await
        .expect("username")
        .send_keys(username)
        .await
        .expect("type");
    client
        .find(Locator::Id("password"))
        .await
        .expect("password")
        .send_keys(password)
        .await
        .expect("type");
    client
        .find(Locator::Css("form.login button[type='submit']"))
        .await
        .expect("button")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::Css("form.inline button"))
        .await
        .expect("logged in: the logout button shows");
}

pub(crate) async fn logout(client: &Client) {
    client
        .find(Locator::Css("form.inline button"))
        .await
        .expect("logout button")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::Css("header.site a[href='/login']"))
        .await
        .expect("logged out");
}

/// The status text of a row of Table 2-1.
async fn table_status(client: &Client, base: &str, year: i32, row: &str) -> String {
    client
        .goto(&format!("{base}/z/450202/table?year={year}"))
        .await
        .expect("table");
    text(client, &format!("tr[data-row='{row}'] .status")).await
}

/// The number of indicators met from the dashboard's totals line (共35项指标：达标N项…).
async fn dashboard_met(client: &Client, base: &str, year: i32) -> u32 {
    client
        .goto(&format!("{base}/z/450202?year={year}"))
        .await
        .expect("dashboard");
    let totals = client
        .find(Locator::XPath("//p[contains(., '项指标：达标')]"))
        .await
        .expect("totals line")
        .text()
        .await
        .expect("text");
    let after = totals.split("达标").nth(1).expect("达标 in totals");
    after
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect("a count")
}

/// A plain HTTP GET of the body (what the browser would download), over a TCP socket.
async fn http_get(url: &str) -> Vec<u8> {
    let url = url.to_string();
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let rest = url.strip_prefix("http://").expect("http URL");
        let (host, path) = rest.split_once('/').expect("path");
        let mut stream = std::net::TcpStream::connect(host).expect("connect");
        let request = format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).expect("write");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("read");
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end") + 4;
        let head = String::from_utf8_lossy(&response[..split]).to_string();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            !head.to_ascii_lowercase().contains("transfer-encoding: chunked"),
            "expects a plain body: {head}"
        );
        response[split..].to_vec()
    })
    .await
    .expect("GET")
}

pub(crate) fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts/browser");
    std::fs::create_dir_all(&dir).expect("artifact dir");
    dir
}

pub(crate) async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    assert!(
        png.len() > 20_000,
        "{name}: screenshot of {} bytes looks blank",
        png.len()
    );
    std::fs::write(artifacts().join(format!("{name}.png")), png).expect("write screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_enters_and_submits_reviewer_approves_and_the_pages_change() {
    if !browser_available() {
        return;
    }
    let (base, store, passwords) = start_server("flow").await;
    let (client, _driver) = connect().await;

    // The public: no data-entry link, and the data-entry page sends to the login page.
    client.goto(&format!("{base}/z/450202")).await.expect("dashboard");
    assert!(
        client
            .find_all(Locator::Css("nav.main a[href$='/entry']"))
            .await
            .expect("find")
            .is_empty()
    );
    client
        .goto(&format!("{base}/z/450202/entry?year=2022"))
        .await
        .expect("entry");
    let url = client.current_url().await.expect("url");
    assert_eq!(
        url.path(),
        "/login",
        "the public is sent to the login page, not shown the form"
    );
    assert!(
        client
            .find_all(Locator::Css("form.entry"))
            .await
            .expect("find")
            .is_empty()
    );

    // Chinese first, whatever the browser asks for; the language switch goes to English and back.
    client.goto(&format!("{base}/z/450202")).await.expect("dashboard");
    assert_eq!(
        client
            .find(Locator::Css("html"))
            .await
            .expect("html")
            .attr("lang")
            .await
            .expect("attr")
            .as_deref(),
        Some("zh-CN")
    );
    client
        .find(Locator::Css("header.site a.lang"))
        .await
        .expect("switch")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::Css("html[lang='en']"))
        .await
        .expect("English page");
    assert_eq!(
        client.current_url().await.expect("url").path(),
        "/z/450202",
        "the switch comes back to the page"
    );
    assert!(text(&client, "nav.main").await.contains("Overview"));
    client
        .find(Locator::Css("header.site a.lang"))
        .await
        .expect("switch")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::Css("html[lang='zh-CN']"))
        .await
        .expect("Chinese page");

    // Keyboard: the first Tab reaches the skip link, which leads to the main content.
    client
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .send_keys(&Key::Tab.to_string())
        .await
        .expect("tab");
    let focused = client.active_element().await.expect("focus");
    assert_eq!(focused.attr("class").await.expect("attr").as_deref(), Some("skip"));
    assert_eq!(focused.attr("href").await.expect("attr").as_deref(), Some("#main"));

    // The open-data CSV behind the table's download link: UTF-8 with a BOM, one line per row.
    client
        .goto(&format!("{base}/z/450202/table?year=2021"))
        .await
        .expect("table");
    let href = client
        .find(Locator::Css(".downloads a[href*='table.csv']"))
        .await
        .expect("CSV link")
        .attr("href")
        .await
        .expect("attr")
        .expect("href");
    let csv = http_get(&format!("{base}{href}")).await;
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "BOM");
    let csv_text = String::from_utf8(csv[3..].to_vec()).expect("UTF-8");
    assert!(
        csv_text
            .lines()
            .next()
            .expect("header")
            .starts_with("zone,zone_name,year,id")
    );
    assert!(csv_text.contains("生态文明建设规划") && csv_text.contains("不达标"));
    let href = client
        .find(Locator::Css(".downloads a[href*='table.xlsx']"))
        .await
        .expect("Excel link")
        .attr("href")
        .await
        .expect("attr")
        .expect("href");
    assert!(
        http_get(&format!("{base}{href}")).await.starts_with(b"PK"),
        "an xlsx (zip) workbook"
    );

    // Before: row 5 (生态环境信息公开率) has no value in 2022.
    assert_eq!(table_status(&client, &base, 2022, "5").await, "无数据");
    let met_before = dashboard_met(&client, &base, 2022).await;

    // The department editor: a form with one good and one bad value is refused next to the bad field, and
    // nothing is saved — not even the good value.
    login(&client, &base, "editor-env", &passwords["editor-env"]).await;
    client
        .goto(&format!("{base}/z/450202/entry?year=2022"))
        .await
        .expect("entry");
    let revisions_before = store.revision_count("450202").await.expect("count");
    client
        .find(Locator::Id("v-7-1"))
        .await
        .expect("field of row 7.1")
        .send_keys("93.5")
        .await
        .expect("type");
    client
        .find(Locator::Id("v-5"))
        .await
        .expect("field of row 5")
        .send_keys("150")
        .await
        .expect("type");
    client
        .find(Locator::Css("button[name='action'][value='save']"))
        .await
        .expect("save")
        .click()
        .await
        .expect("click");
    // The refusal summary exists only on the page that comes back (the error slot is on both pages).
    client
        .wait()
        .for_element(Locator::Css("#form-errors"))
        .await
        .expect("page back with the refusal");
    assert_eq!(text(&client, "#v-5-error").await, "150超出允许范围0–100");
    let field = client.find(Locator::Id("v-5")).await.expect("field");
    assert_eq!(field.attr("aria-invalid").await.expect("attr").as_deref(), Some("true"));
    assert_eq!(
        field.prop("value").await.expect("value").as_deref(),
        Some("150"),
        "what was typed is kept"
    );
    assert!(
        store.current("450202", "5", 2022).await.expect("store").is_none(),
        "nothing saved"
    );
    assert!(
        store.current("450202", "7.1", 2022).await.expect("store").is_none(),
        "the good value was not saved either"
    );
    assert_eq!(
        store.revision_count("450202").await.expect("count"),
        revisions_before,
        "no revision of any row"
    );
    let good = client.find(Locator::Id("v-7-1")).await.expect("field of row 7.1");
    assert_eq!(
        good.attr("aria-invalid").await.expect("attr"),
        None,
        "the good field is not marked"
    );
    assert_eq!(
        good.prop("value").await.expect("value").as_deref(),
        Some("93.5"),
        "the good value is kept in the form"
    );
    good.clear().await.expect("clear");

    // A good value, submitted.
    field.clear().await.expect("clear");
    client
        .find(Locator::Id("v-5"))
        .await
        .expect("field")
        .send_keys("100")
        .await
        .expect("type");
    client
        .find(Locator::Css("button[name='action'][value='submit']"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::Css(".flash-success"))
        .await
        .expect("success message");
    assert_eq!(text(&client, ".flash-success").await, "已提交审核。");
    let stored = store.current("450202", "5", 2022).await.expect("store").expect("saved");
    assert_eq!(stored.status, Status::Submitted);
    assert_eq!(stored.observation.value, ecociv_core::Value::Number(100.0));
    // Submitted is not approved: the public table is unchanged.
    logout(&client).await;
    assert_eq!(table_status(&client, &base, 2022, "5").await, "无数据");

    // The reviewer approves it.
    login(&client, &base, "reviewer", &passwords["reviewer"]).await;
    client.goto(&format!("{base}/z/450202/review")).await.expect("review");
    let approve = client
        .find(Locator::XPath(
            "//article[@id='s-5@2022']//input[@name='decision' and @value='approve']/../button",
        ))
        .await
        .expect("approve button of row 5, 2022");
    approve.click().await.expect("click");
    client
        .wait()
        .for_element(Locator::Css(".flash-success"))
        .await
        .expect("approved message");
    assert_eq!(text(&client, ".flash-success").await, "已审核通过。");
    assert_eq!(
        store
            .current("450202", "5", 2022)
            .await
            .expect("store")
            .expect("value")
            .status,
        Status::Approved
    );

    // The dashboard and Table 2-1 change.
    assert_eq!(table_status(&client, &base, 2022, "5").await, "达标");
    assert_eq!(dashboard_met(&client, &base, 2022).await, met_before + 1);

    // The administrator adds a department; a data editor cannot reach the administration.
    logout(&client).await;
    login(&client, &base, "admin", &passwords["admin"]).await;
    client
        .goto(&format!("{base}/admin/departments"))
        .await
        .expect("departments");
    client
        .find(Locator::Id("new-dept-name"))
        .await
        .expect("name")
        .send_keys("城中区林业局")
        .await
        .expect("type");
    client
        .find(Locator::Css("form.card button[type='submit']"))
        .await
        .expect("add")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::XPath("//th[.='城中区林业局']"))
        .await
        .expect("the new department is listed");
    assert!(
        store
            .departments("450202")
            .await
            .expect("store")
            .iter()
            .any(|d| d.name == "城中区林业局")
    );
    logout(&client).await;
    login(&client, &base, "editor-env", &passwords["editor-env"]).await;
    client.goto(&format!("{base}/admin/users")).await.expect("users");
    assert!(text(&client, "h1").await.contains("无权访问"));

    // Screenshots for a person to look at.
    client.set_window_size(1366, 768).await.expect("window");
    client
        .goto(&format!("{base}/z/450202?year=2021"))
        .await
        .expect("dashboard");
    screenshot(&client, "dashboard-2021").await;
    client
        .goto(&format!("{base}/z/450202/table?year=2021"))
        .await
        .expect("table");
    screenshot(&client, "table-2021").await;
    client
        .goto(&format!("{base}/z/450202/indicators/5?year=2022"))
        .await
        .expect("indicator");
    screenshot(&client, "indicator-5-2022").await;
    client
        .goto(&format!("{base}/z/450202/entry?year=2022"))
        .await
        .expect("entry");
    screenshot(&client, "entry-2022-editor").await;
    client.close().await.expect("close");
}

/// The browser's cookies as a `Cookie` header, to download what a logged-in user downloads.
async fn cookie_header(client: &Client) -> String {
    let cookies = client.get_all_cookies().await.expect("cookies");
    cookies
        .iter()
        .map(|cookie| format!("{}={}", cookie.name(), cookie.value()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A plain HTTP GET with a `Cookie` header; the body and the response head.
async fn http_get_with_cookie(url: &str, cookie: &str) -> (String, Vec<u8>) {
    let (url, cookie) = (url.to_string(), cookie.to_string());
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let rest = url.strip_prefix("http://").expect("http URL");
        let (host, path) = rest.split_once('/').expect("path");
        let mut stream = std::net::TcpStream::connect(host).expect("connect");
        let request = format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).expect("write");
        let mut response = Vec::new();
        stream.read_to_end(&mut response).expect("read");
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end") + 4;
        (
            String::from_utf8_lossy(&response[..split]).to_string(),
            response[split..].to_vec(),
        )
    })
    .await
    .expect("GET")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_uploads_evidence_with_the_form_and_downloads_it_back() {
    if !browser_available() {
        return;
    }
    let (base, store, passwords) = start_server("evidence").await;
    let (client, _driver) = connect().await;
    let dir = std::env::temp_dir().join(format!("ecociv-browser-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("upload dir");
    let file = dir.join("监测报告2022.pdf");
    let content: Vec<u8> = b"%PDF-1.4\n"
        .iter()
        .copied()
        .chain((0..=255u8).cycle().take(3000))
        .collect();
    std::fs::write(&file, &content).expect("write upload");

    login(&client, &base, "editor-env", &passwords["editor-env"]).await;
    client
        .goto(&format!("{base}/z/450202/entry?year=2022"))
        .await
        .expect("entry");
    let form = client.find(Locator::Css("form.entry")).await.expect("form");
    assert_eq!(
        form.attr("enctype").await.expect("attr").as_deref(),
        Some("multipart/form-data")
    );
    client
        .find(Locator::Id("v-5"))
        .await
        .expect("field of row 5")
        .send_keys("100")
        .await
        .expect("type");
    client
        .find(Locator::Id("v-5-evidence"))
        .await
        .expect("file field of row 5")
        .send_keys(&file.display().to_string())
        .await
        .expect("choose file");
    client
        .find(Locator::Css("button[name='action'][value='save']"))
        .await
        .expect("save")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::Css(".flash-success"))
        .await
        .expect("saved message");
    assert_eq!(text(&client, ".flash-success").await, "已保存草稿。");

    // Stored with the value, listed on the form with a download link.
    let files = store.evidence_list("450202", "5", 2022).await.expect("store");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name, "监测报告2022.pdf");
    let link = client
        .find(Locator::Css("#row-5 .evidence-list a"))
        .await
        .expect("the file is listed");
    assert_eq!(link.text().await.expect("text"), "监测报告2022.pdf");
    let href = link.attr("href").await.expect("attr").expect("href");
    let (head, body) = http_get_with_cookie(&format!("{base}{href}"), &cookie_header(&client).await).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(body, content, "the download gives back the uploaded bytes");
    // Without the session, no file.
    let (head, _) = http_get_with_cookie(&format!("{base}{href}"), "").await;
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");

    // The indicator page lists it too (for members).
    client
        .goto(&format!("{base}/z/450202/indicators/5?year=2022"))
        .await
        .expect("indicator");
    let listed = client
        .find(Locator::XPath("//section[@aria-labelledby='evidence-h']//a"))
        .await
        .expect("evidence on the indicator page");
    assert_eq!(listed.text().await.expect("text"), "监测报告2022.pdf");
    assert_eq!(listed.attr("href").await.expect("attr").as_deref(), Some(href.as_str()));
    client
        .goto(&format!("{base}/z/450202/entry?year=2022"))
        .await
        .expect("entry");
    screenshot(&client, "entry-2022-evidence").await;
    let _ = std::fs::remove_dir_all(&dir);
    client.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewer_reopens_a_value_and_admin_disables_an_account() {
    if !browser_available() {
        return;
    }
    let (base, store, passwords) = start_server("reopen-admin").await;
    let (client, _driver) = connect().await;
    // An approved value of row 5 for 2022.
    let reviewer = store
        .user_by_username("reviewer")
        .await
        .expect("store")
        .expect("reviewer");
    let approved = ecociv_store::NewRevision {
        after: 0,
        action: ecociv_store::Action::Approve,
        status: Status::Approved,
        observation: ecociv_core::Observation {
            row: "5".into(),
            year: 2022,
            value: ecociv_core::Value::Number(100.0),
            assigned: None,
            recorded: None,
            source: ecociv_core::Source::Document {
                citation: "浏览器测试".into(),
            },
        },
        unit: "%".into(),
        evidence: String::new(),
        reason: String::new(),
    };
    store
        .append_revisions("450202", &reviewer.id, None, vec![approved])
        .await
        .expect("approved value");

    // The reviewer reopens it from the indicator page, with a reason typed into the labelled field.
    login(&client, &base, "reviewer", &passwords["reviewer"]).await;
    client
        .goto(&format!("{base}/z/450202/indicators/5?year=2022"))
        .await
        .expect("indicator");
    let label = client
        .find(Locator::Css("label[for='reopen-reason']"))
        .await
        .expect("labelled reason field");
    assert_eq!(label.text().await.expect("text"), "重新打开的原因（必填）");
    client
        .find(Locator::Id("reopen-reason"))
        .await
        .expect("reason")
        .send_keys("复核发现统计口径有误")
        .await
        .expect("type");
    client
        .find(Locator::Css("form.reopen button[type='submit']"))
        .await
        .expect("reopen button")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::Css(".flash-success"))
        .await
        .expect("reopened message");
    assert_eq!(text(&client, ".flash-success").await, "已重新打开，数值回到草稿状态。");
    let current = store.current("450202", "5", 2022).await.expect("store").expect("value");
    assert_eq!(
        (current.status, current.reason.as_str()),
        (Status::Draft, "复核发现统计口径有误")
    );
    assert!(
        text(&client, "section[aria-labelledby='history-h']")
            .await
            .contains("复核发现统计口径有误"),
        "the reason is in the history"
    );
    assert!(
        client
            .find_all(Locator::Css("form.reopen"))
            .await
            .expect("find")
            .is_empty(),
        "no reopen form on a draft"
    );
    logout(&client).await;

    // The administrator disables the viewer's account from its page; the viewer can no longer log in.
    login(&client, &base, "admin", &passwords["admin"]).await;
    client.goto(&format!("{base}/admin/users")).await.expect("users");
    client
        .find(Locator::LinkText("viewer"))
        .await
        .expect("link to the viewer's page")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::Css("button.danger"))
        .await
        .expect("the disable button");
    client
        .find(Locator::Css("button.danger"))
        .await
        .expect("disable")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::Css(".flash-success"))
        .await
        .expect("disabled message");
    assert_eq!(text(&client, ".flash-success").await, "账号已停用。");
    assert!(
        text(&client, "table.audit").await.contains("停用账号"),
        "the change is in the account's history"
    );
    assert!(
        store
            .user_by_username("viewer")
            .await
            .expect("store")
            .expect("viewer")
            .disabled
    );
    screenshot(&client, "admin-user-disabled").await;
    logout(&client).await;
    client.goto(&format!("{base}/login")).await.expect("login page");
    client
        .find(Locator::Id("username"))
        .await
        .expect("username")
        .send_keys("viewer")
        .await
        .expect("type");
    client
        .find(Locator::Id("password"))
        .await
        .expect("password")
        .send_keys(&passwords["viewer"])
        .await
        .expect("type");
    client
        .find(Locator::Css("form.login button[type='submit']"))
        .await
        .expect("button")
        .click()
        .await
        .expect("click");
    client
        .wait()
        .for_element(Locator::Id("login-error"))
        .await
        .expect("refused");
    assert_eq!(text(&client, "#login-error").await, "用户名或密码不正确");
    assert!(
        client
            .find_all(Locator::Css("form.inline button"))
            .await
            .expect("find")
            .is_empty(),
        "not logged in"
    );
    client.close().await.expect("close");
}

/// The air and water pages of the demo with its SYNTHETIC monitoring data, in the browser: the public
/// sees the calendar, the monthly good-day shares, the GB 3095 table and the SYNTHETIC label; a reviewer
/// uploads a bad file with the page's form (refused, the message names line and field, nothing stored),
/// then computes the water rows from the page. Both pages fit a 390 px phone. Screenshots: `air-2023`,
/// `water-2024`, `air-upload-refused`, `water-computed`, `phone-air-2023`, `phone-water-2024`,
/// `air-2023-reviewer-full`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monitoring_pages_show_the_demo_data_and_the_bureau_uploads_and_computes_from_them() {
    if !browser_available() {
        return;
    }
    let (base, store, passwords) = start_server("monitoring").await;
    demo::load_monitoring(&store).await.expect("demo monitoring");
    let (client, _driver) = connect().await;
    client.set_window_size(1366, 768).await.expect("window");

    // The public: air 2023.
    client
        .goto(&format!("{base}/z/450202/air?year=2023"))
        .await
        .expect("air page");
    assert!(text(&client, "h1").await.contains("2023"));
    assert!(text(&client, ".meta .tag.synthetic").await.contains("合成数据"));
    let big = text(&client, "#share-h + p.big").await;
    assert!(big.contains("优良天数") && big.contains("有效监测天数"), "{big}");
    let cells = client
        .find_all(Locator::Css(".calendar td[class^='aqi-']"))
        .await
        .expect("calendar cells");
    assert!(cells.len() >= 365, "a cell per day: {}", cells.len());
    assert!(text(&client, "#annual-h").await.contains("GB 3095"));
    assert!(
        client.find(Locator::Css("form.upload")).await.is_err(),
        "the public gets no upload form"
    );
    screenshot(&client, "air-2023").await;

    // The public: water 2024.
    client
        .goto(&format!("{base}/z/450202/water?year=2024"))
        .await
        .expect("water page");
    let rows = client
        .find_all(Locator::Css("table.water tbody tr"))
        .await
        .expect("sections");
    assert_eq!(rows.len(), 6, "six synthetic sections in 2024");
    assert!(text(&client, "main").await.contains("达到或优于Ⅲ类"));
    // A class colour shows on every row, the striped (even) rows too: the cell's background is its class's.
    let colours: Vec<(String, String, bool)> = serde_json::from_value(
        client
            .execute(
                "return [...document.querySelectorAll('table.water tbody td[class*=\"wq-\"]')].map(td => [\
                   [...td.classList].find(c => c.startsWith('wq-')), getComputedStyle(td).backgroundColor,\
                   td.parentElement.matches(':nth-child(even)')]);",
                Vec::new(),
            )
            .await
            .expect("script"),
    )
    .expect("list");
    assert!(
        colours.iter().any(|(_, _, even)| *even),
        "some coloured cells are on even rows"
    );
    let mut by_class = std::collections::HashMap::new();
    for (class, colour, _) in &colours {
        assert_ne!(
            colour, "rgb(250, 251, 252)",
            "{class}: the stripe hides the class colour"
        );
        assert_eq!(
            by_class.entry(class.clone()).or_insert_with(|| colour.clone()),
            colour,
            "{class}: one colour per class"
        );
    }
    screenshot(&client, "water-2024").await;

    // Phone width: nothing sticks out of the viewport.
    client.set_window_size(390, 844).await.expect("phone");
    let mut failures = Vec::new();
    for (name, path) in [
        ("air-2023", "/z/450202/air?year=2023"),
        ("water-2024", "/z/450202/water?year=2024"),
    ] {
        client.goto(&format!("{base}{path}")).await.expect("page");
        failures.extend(
            super::layout::offenders(&client)
                .await
                .into_iter()
                .map(|o| format!("{name}: {o}")),
        );
        screenshot(&client, &format!("phone-{name}")).await;
    }
    assert!(failures.is_empty(), "layout at 390 px:\n{}", failures.join("\n"));
    client.set_window_size(1366, 768).await.expect("window");

    // A reviewer uploads a bad air file with the page's form: refused, line and field named, nothing stored.
    login(&client, &base, "reviewer", &passwords["reviewer"]).await;
    client
        .goto(&format!("{base}/z/450202/air?year=2023"))
        .await
        .expect("air page");
    let dir = std::env::temp_dir().join(format!("ecociv-browser-monitoring-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("站点2022.csv");
    std::fs::write(&bad, "station,date,hour,so2,no2,pm10,co,o3,pm25\nS9,2022-01-01,0,5,20,40,0.5,30,20\n\nS9,2022-01-01,1,x,20,40,0.5,30,20\n").expect("write");
    let before = store
        .monitoring_cells("450202", "air", "", "~")
        .await
        .expect("cells")
        .len();
    client
        .find(Locator::Id("m-file"))
        .await
        .expect("file field")
        .send_keys(&bad.display().to_string())
        .await
        .expect("choose file");
    client
        .find(Locator::Css("form.upload button[type='submit']"))
        .await
        .expect("upload")
        .click()
        .await
        .expect("click");
    let flash = client
        .wait()
        .for_element(Locator::Css(".flash-error"))
        .await
        .expect("refusal")
        .text()
        .await
        .expect("text");
    assert!(
        flash.contains("站点2022.csv") && flash.contains("第 4 行") && flash.contains("so2"),
        "{flash}"
    );
    assert_eq!(
        store
            .monitoring_cells("450202", "air", "", "~")
            .await
            .expect("cells")
            .len(),
        before,
        "nothing stored"
    );
    screenshot(&client, "air-upload-refused").await;

    // The reviewer computes the water rows of 2024 from the page: saved as submitted values with provenance.
    client
        .goto(&format!("{base}/z/450202/water?year=2024"))
        .await
        .expect("water page");
    client
        .find(Locator::Css("form.compute button[type='submit']"))
        .await
        .expect("compute")
        .click()
        .await
        .expect("click");
    let flash = client
        .wait()
        .for_element(Locator::Css(".flash-success"))
        .await
        .expect("saved")
        .text()
        .await
        .expect("text");
    assert!(flash.contains("已保存"), "{flash}");
    let saved = store
        .current("450202", "8.1", 2024)
        .await
        .expect("store")
        .expect("8.1 saved");
    assert_eq!(saved.status, Status::Submitted);
    let described = saved.observation.source.describe();
    assert!(
        described.contains("由合成的演示监测数据计算") && !described.contains(".csv"),
        "{described}"
    );
    screenshot(&client, "water-computed").await;
    // The reviewer's whole air page (statistics, provenance, the computed figures, the forms) in one tall shot.
    client.set_window_size(1366, 3400).await.expect("tall window");
    client
        .goto(&format!("{base}/z/450202/air?year=2023"))
        .await
        .expect("air page");
    assert!(text(&client, "#prov-h").await.contains("计算依据"));
    screenshot(&client, "air-2023-reviewer-full").await;
    client.close().await.expect("close");
}
