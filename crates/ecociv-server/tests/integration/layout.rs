//! Layout in a real headless Chromium at the two widths issue 6 names — a 1366×768 office screen and a
//! 390-pixel phone: on every main page no element sticks out of the viewport (wide tables scroll inside their
//! own `.scroll` box instead of widening the page), and no table cell, button or label clips its text.
//! Screenshots of each page at phone width go to `test-artifacts/browser/` for a person to look at.
//!
//! Skips with a loud message when Chromium or chromedriver is absent, unless `REQUIRE_BROWSER=1`.

use fantoccini::Client;

use super::browser::{browser_available, connect, login, screenshot, start_server};

/// Runs in the page: every element whose box leaves the viewport horizontally without a horizontally
/// scrolling ancestor, and every cell/button/label whose content is wider than its box while its overflow
/// is clipped. Returns descriptions of the offenders (empty when the layout holds).
const OFFENDERS: &str = r#"
const width = document.documentElement.clientWidth;
const out = [];
const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
    ' «' + (el.textContent || '').trim().slice(0, 30) + '»';
const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
};
if (document.documentElement.scrollWidth > width + 1) {
    out.push('page is ' + document.documentElement.scrollWidth + ' px wide in a ' + width + ' px viewport');
}
for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed') continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    // An element wholly off to the left is the visually-hidden pattern (the skip link), not an overflow.
    if ((rect.right > width + 1 || (rect.left < -1 && rect.right > 0)) && !scrolls(el)) {
        out.push('outside the viewport: ' + describe(el) + ' [' + Math.round(rect.left) + ', ' + Math.round(rect.right) + ']');
    }
    if (el.matches('td, th, button, label, .status') && style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) {
        out.push('clipped text: ' + describe(el));
    }
}
return out.slice(0, 20);
"#;

pub(crate) async fn offenders(client: &Client) -> Vec<String> {
    let value = client.execute(OFFENDERS, Vec::new()).await.expect("layout script");
    serde_json::from_value(value).expect("a list of strings")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fit_an_office_screen_and_a_phone() {
    if !browser_available() {
        return;
    }
    let (base, _store, passwords) = start_server("layout").await;
    let (client, _driver) = connect().await;
    login(&client, &base, "editor-env", &passwords["editor-env"]).await;
    let pages = [
        ("dashboard", "/z/450202?year=2021"),
        ("table", "/z/450202/table?year=2021"),
        ("indicator", "/z/450202/indicators/7.1?year=2021"),
        ("entry", "/z/450202/entry?year=2022"),
        ("air", "/z/450202/air?year=2021"),
        ("water", "/z/450202/water?year=2021"),
    ];
    // The detector itself: a page widened on purpose must be caught.
    client
        .goto(&format!("{base}/z/450202?year=2021"))
        .await
        .expect("dashboard");
    client
        .execute("const d = document.createElement('div'); d.style.width = '3000px'; d.textContent = 'wide'; document.querySelector('main').appendChild(d);", Vec::new())
        .await
        .expect("widen");
    assert!(
        !offenders(&client).await.is_empty(),
        "a 3000 px element must be reported"
    );

    let mut failures = Vec::new();
    for (width, height) in [(1366, 768), (390, 844)] {
        client.set_window_size(width, height).await.expect("window size");
        for (name, path) in pages {
            client.goto(&format!("{base}{path}")).await.expect("page");
            for offender in offenders(&client).await {
                failures.push(format!("{name} at {width} px: {offender}"));
            }
            if width < 500 {
                screenshot(&client, &format!("phone-{name}")).await;
            }
        }
    }
    client.close().await.expect("close");
    assert!(failures.is_empty(), "layout problems:\n{}", failures.join("\n"));
}
