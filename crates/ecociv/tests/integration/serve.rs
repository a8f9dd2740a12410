//! `ecociv serve` as users run it: the real binary on a real port, talked to over HTTP — the assessment
//! contract, and a SIGKILL in the middle of a bulk import.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{ecociv, json as output_json, scratch};

/// A running server: the child process, its address, and the demo passwords it printed.
struct Server {
    child: Child,
    address: SocketAddr,
    passwords: Vec<(String, String)>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(db: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecociv"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--db"])
        .arg(format!("sqlite://{}", db.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ecociv serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut passwords = Vec::new();
    let address = loop {
        let line = lines.next().expect("server printed its address").expect("utf-8 line");
        if let Some(rest) = line.split("http://").nth(1) {
            // Issue 17: the address to open is the web interface at `/`, not the health check.
            assert!(
                rest.ends_with('/') && rest.matches('/').count() == 1 && !line.contains("health"),
                "the printed address is not the web interface's: {line}"
            );
            break rest.split('/').next().unwrap().parse().expect("address");
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() >= 3 && line.starts_with("  ") {
            passwords.push((words[0].to_string(), words[words.len() - 1].to_string()));
        }
    };
    Server {
        child,
        address,
        passwords,
    }
}

/// One HTTP/1.1 exchange (Connection: close). Returns status, Set-Cookie values and the JSON body.
fn http(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<String>, Value) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read response");
    let text = String::from_utf8_lossy(&response).to_string();
    let (head, body) = text.split_once("\r\n\r\n").expect("a full HTTP response");
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let cookies = head
        .lines()
        .filter_map(|line| {
            line.strip_prefix("set-cookie: ")
                .or_else(|| line.strip_prefix("Set-Cookie: "))
        })
        .map(|cookie| cookie.split(';').next().unwrap().to_string())
        .collect();
    (status, cookies, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// Logs in: returns the cookie header value and the CSRF token.
fn login(server: &Server, username: &str) -> (String, String) {
    let password = &server
        .passwords
        .iter()
        .find(|(user, _)| user == username)
        .expect("demo account")
        .1;
    let (_, cookies, body) = http(server.address, "GET", "/api/v1/auth/csrf", &[], b"");
    let csrf = body["csrf_token"].as_str().unwrap().to_string();
    let login = json!({"username": username, "password": password}).to_string();
    let (status, cookies2, body) = http(
        server.address,
        "POST",
        "/api/v1/auth/login",
        &[
            ("Content-Type", "application/json"),
            ("X-CSRF-Token", &csrf),
            ("Cookie", &cookies.join("; ")),
        ],
        login.as_bytes(),
    );
    assert_eq!(status, 200, "{body}");
    (cookies2.join("; "), body["csrf_token"].as_str().unwrap().to_string())
}

#[test]
fn serve_demo_answers_the_assessment_exactly_as_assess_json() {
    let dir = scratch("serve-contract");
    let server = start(&dir.join("eco.sqlite3"));
    assert_eq!(server.passwords.len(), 5, "five demo accounts, passwords printed once");
    for year in ["2017", "2021"] {
        let (status, _, body) = http(
            server.address,
            "GET",
            &format!("/api/v1/zones/450202/assessment?year={year}"),
            &[],
            b"",
        );
        assert_eq!(status, 200);
        assert_eq!(
            body,
            output_json(&ecociv(&[
                "assess", "--zone", "450202", "--year", year, "--format", "json"
            ])),
            "year {year}"
        );
    }
    let (status, _, openapi) = http(server.address, "GET", "/api/v1/openapi.json", &[], b"");
    assert_eq!((status, openapi["openapi"].as_str()), (200, Some("3.1.0")));
}

/// A large valid import: every row of the framework, every year 1950–2100 except those the demo holds.
fn big_import() -> (String, usize) {
    let framework = ecociv_data::bundled::framework("national-2021").unwrap();
    let mut csv = String::from("indicator,year,value,assigned\n");
    let mut count = 0;
    for (_, row) in framework.rows() {
        let value = match (row.states.first(), row.takes_numbers(), row.range) {
            (_, true, Some((low, high))) => format!("{}", (low + high) / 2.0),
            (_, true, None) => "1".to_string(),
            (Some(state), false, _) => state.text.clone(),
            (None, false, _) => continue,
        };
        // 2017 and 2021 are the plan's own figures; 2024 holds the demo's approved (locked) survey rows 34/35.
        for year in (1950..=2100).filter(|year| ![2017, 2021, 2024].contains(year)) {
            csv.push_str(&format!("{},{year},{value},\n", row.id));
            count += 1;
        }
    }
    (csv, count)
}

fn imported_count(server: &Server) -> usize {
    let (cookie, _) = login(server, "reviewer");
    let (status, _, body) = http(
        server.address,
        "GET",
        "/api/v1/zones/450202/values",
        &[("Cookie", &cookie)],
        b"",
    );
    assert_eq!(status, 200);
    body["values"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|value| value["batch"].is_string())
        // The demo's own survey batch (2024 rows 34/35) is not part of the bulk import.
        .filter(|value| value["year"].as_i64() != Some(2024))
        .count()
}

fn send_import(server: &Server, csv: &str) -> TcpStream {
    let (cookie, csrf) = login(server, "reviewer");
    let mut stream = TcpStream::connect(server.address).unwrap();
    let head = format!(
        "POST /api/v1/zones/450202/import HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: text/csv\r\nContent-Length: {}\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n\r\n",
        server.address,
        csv.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(csv.as_bytes()).unwrap();
    stream
}

#[test]
fn a_server_killed_during_a_bulk_import_keeps_all_of_it_or_none_and_every_earlier_value() {
    let (csv, count) = big_import();
    assert!(count > 5000, "{count}");
    let expected_2021 = output_json(&ecociv(&[
        "assess", "--zone", "450202", "--year", "2021", "--format", "json",
    ]));
    // How long the whole import takes here, run to completion.
    let dir = scratch("serve-kill");
    let full = {
        let server = start(&dir.join("full.sqlite3"));
        let started = Instant::now();
        let mut stream = send_import(&server, &csv);
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(
            response.starts_with("HTTP/1.1 200"),
            "{}",
            &response[..response.len().min(400)]
        );
        let took = started.elapsed();
        assert_eq!(imported_count(&server), count);
        took
    };
    // Kill the server at several points during the same import, restart it, and look.
    let mut outcomes = Vec::new();
    for (trial, fraction) in [0.2, 0.5, 0.8].into_iter().enumerate() {
        let db = dir.join(format!("kill{trial}.sqlite3"));
        let mut server = start(&db);
        let passwords = server.passwords.clone();
        let _stream = send_import(&server, &csv);
        std::thread::sleep(full.mul_f64(fraction));
        server.child.kill().expect("SIGKILL");
        server.child.wait().unwrap();
        drop(server);
        let mut server = start(&db);
        assert!(server.passwords.is_empty(), "a restart prints no passwords");
        server.passwords = passwords;
        let imported = imported_count(&server);
        assert!(
            imported == 0 || imported == count,
            "trial {trial}: {imported} of {count} values: a partial import"
        );
        let (_, _, assessment) = http(
            server.address,
            "GET",
            "/api/v1/zones/450202/assessment?year=2021",
            &[],
            b"",
        );
        assert_eq!(
            assessment, expected_2021,
            "trial {trial}: earlier (approved) values changed"
        );
        outcomes.push(imported);
    }
    eprintln!("SIGKILL trials: imported {outcomes:?} of {count}; a full import took {full:?}");
    assert!(
        outcomes.contains(&0),
        "no kill landed before the commit ({outcomes:?}; full import took {full:?})"
    );
    // Four demo databases (~63 MB): not left in the temporary directory after every run.
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_first_admin_is_made_by_the_cli_and_a_fresh_server_has_no_account() {
    let dir = scratch("serve-admin");
    let url = format!("sqlite://{}", dir.join("eco.sqlite3").display());
    // A too-short password is refused and nothing is created.
    let mut short = Command::new(env!("CARGO_BIN_EXE_ecociv"))
        .args([
            "admin",
            "create-user",
            "--db",
            &url,
            "--username",
            "boss",
            "--admin",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    short.stdin.take().unwrap().write_all(b"short\n").unwrap();
    assert!(!short.wait().unwrap().success());
    let mut create = Command::new(env!("CARGO_BIN_EXE_ecociv"))
        .args([
            "admin",
            "create-user",
            "--db",
            &url,
            "--username",
            "boss",
            "--admin",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    create
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long admin password\n")
        .unwrap();
    assert!(create.wait().unwrap().success());
    // Serve without --demo: only that account exists.
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecociv"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db", &url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address: SocketAddr = loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            // Issue 17: the address to open is the web interface at `/`, not the health check.
            assert!(
                rest.ends_with('/') && rest.matches('/').count() == 1 && !line.contains("health"),
                "the printed address is not the web interface's: {line}"
            );
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    let mut server = Server {
        child,
        address,
        passwords: vec![("boss".into(), "a long admin password".into())],
    };
    let (cookie, _) = login(&server, "boss");
    let (status, _, me) = http(address, "GET", "/api/v1/me", &[("Cookie", &cookie)], b"");
    assert_eq!((status, me["user"]["is_admin"].as_bool()), (200, Some(true)));
    for guess in ["admin", "reviewer", "viewer"] {
        server.passwords = vec![(guess.into(), "admin".into())];
        let (_, cookies, body) = http(address, "GET", "/api/v1/auth/csrf", &[], b"");
        let csrf = body["csrf_token"].as_str().unwrap().to_string();
        let (status, _, _) = http(
            address,
            "POST",
            "/api/v1/auth/login",
            &[
                ("Content-Type", "application/json"),
                ("X-CSRF-Token", &csrf),
                ("Cookie", &cookies.join("; ")),
            ],
            json!({"username": guess, "password": "admin"}).to_string().as_bytes(),
        );
        assert_eq!(status, 401, "no default account {guess}");
    }
}

/// `ecociv serve --demo` loads the SYNTHETIC monitoring folder; a reviewer's "compute from monitoring"
/// saves exactly the figures (and, for air, the provenance) that `ecociv assess --monitoring` computes
/// from the same folder: one feed implementation for the CLI and the server.
#[test]
fn serve_demo_computes_from_monitoring_the_figures_assess_computes_from_the_same_folder() {
    let dir = scratch("serve-monitoring");
    let server = start(&dir.join("eco.sqlite3"));
    let (cookie, csrf) = login(&server, "reviewer");
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/synthetic/monitoring-450202-SYNTHETIC");
    for (year, at_least) in [("2023", 2), ("2024", 4)] {
        let path = format!("/api/v1/zones/450202/monitoring/compute?year={year}");
        let (status, _, body) = http(
            server.address,
            "POST",
            &path,
            &[("X-CSRF-Token", &csrf), ("Cookie", &cookie)],
            b"",
        );
        assert_eq!(status, 200, "{body}");
        let cli = output_json(&ecociv(&[
            "assess",
            "--zone",
            "450202",
            "--year",
            year,
            "--monitoring",
            folder.to_str().unwrap(),
            "--format",
            "json",
        ]));
        let (_, _, values) = http(
            server.address,
            "GET",
            &format!("/api/v1/zones/450202/values?year={year}"),
            &[("Cookie", &cookie)],
            b"",
        );
        let computed: Vec<&Value> = values["values"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["source"]["kind"] == "synthetic")
            // Rows 34/35 come from the demo's SYNTHETIC survey, not from the monitoring folder.
            .filter(|v| !matches!(v["row"].as_str(), Some("34" | "35")))
            .collect();
        assert!(computed.len() >= at_least, "{year}: {values}");
        for value in computed {
            let row = value["row"].as_str().unwrap();
            let cli_row = cli["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == row)
                .expect("row in the CLI's assessment");
            assert_eq!(value["value"], cli_row["value"], "{row} {year}");
            if row.starts_with('7') {
                assert_eq!(value["source"], cli_row["source"], "{row} {year}: same provenance");
            }
        }
    }
}
