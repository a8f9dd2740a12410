//! No English on a Chinese page (issue 17): every page route, in Chinese (the default), as the public, a
//! department editor, a reviewer and an admin, on the demo with its SYNTHETIC monitoring data imported and
//! computed — the visible text (and the `title` / `aria-label` / `placeholder` attributes) may hold Latin
//! script only where it is a standard's code (HJ 633-2012, GB 3095-2012), a unit, a pollutant's or a file
//! format's symbol, or data the user typed or imported (account names, station codes, file names).

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};

use crate::support::{Client, server};

/// Latin-script symbols that belong on a Chinese page.
const ALLOWED: &[&str] = &[
    // Units.
    "μg/m³",
    "mg/m³",
    "mg/L",
    "mg/kg",
    "km²",
    "m³",
    "cm",
    "mV",
    "MB",
    "KB",
    "hm²",
    "kg",
    "L",
    // Sound levels in decibels, A-weighted (GB 3096-2008): `dB(A)`; the "A" is handled with the "(A)".
    "dB",
    // Pollutants, indices and measures by their symbols.
    "PM2.5",
    "PM10",
    "AQI",
    "SO2",
    "NO2",
    "CO",
    "O3",
    "pH",
    "EI",
    "COD",
    "BOD5",
    // Noise measures by the standard's symbols (GB 3096-2008: Leq, Ld, Ln, Lmax).
    "Leq",
    "Ld",
    "Ln",
    "Lmax",
    // The Chemical Abstracts Service registry number a soil item may be named by (GB 36600-2018 表1, CAS 编号).
    "CAS",
    // Volatile organic compounds, as the seed plan's measures name them (深化 VOCs 减排治理行动).
    "VOCs",
    // The marker of synthetic (made-up) data in its file names and station codes.
    "SYNTHETIC",
    // File formats.
    "CSV",
    "Excel",
    "Word",
    "JSON",
    "UTF-8",
    "PDF",
    // The boundaries a deployment imports for its maps (issue 15).
    "GeoJSON",
    // The W3C Data Catalog Vocabulary and the format the open-data catalogue is served in (issue 14).
    "DCAT",
    "JSON-LD",
    // The language switch names the other language in that language.
    "English",
    // The demo's account names (data typed by an administrator).
    "admin",
    "reviewer",
    "viewer",
    "editor-env",
    "editor-agri",
];

/// Standards are cited by their codes: `GB 3095-2012`, `HJ 633-2012`, `GB/T 9704`.
const STANDARD_PREFIXES: &[&str] = &["GB/T", "GB", "HJ/T", "HJ", "CJJ"];

/// The visible text of a page: text nodes and the attributes a reader sees or hears, entities decoded,
/// without scripts, styles and `<code>` (a file's literal syntax).
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find('>').map_or(rest.len(), |end| end + 1);
        let tag = &rest[..end];
        for attribute in ["title=\"", "aria-label=\"", "placeholder=\"", "alt=\""] {
            if let Some(at) = tag.find(attribute) {
                let value = &tag[at + attribute.len()..];
                out.push(' ');
                out.push_str(&value[..value.find('"').unwrap_or(value.len())]);
                out.push(' ');
            }
        }
        rest = &rest[end..];
        for skipped in ["script", "style", "code"] {
            if tag.starts_with(&format!("<{skipped}")) {
                let close = format!("</{skipped}>");
                rest = rest.find(&close).map_or("", |at| &rest[at + close.len()..]);
            }
        }
        out.push(' ');
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}

/// The Latin-script words of `text` that are not allowed, each with a little context.
fn latin_words(text: &str) -> Vec<String> {
    let is_word_char = |c: char| c.is_ascii_alphanumeric() || "./-_²³μ".contains(c);
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_word_char(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_word_char(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let word = word.trim_matches(|c: char| c == '.' || c == '-' || c == '/');
        if !word.chars().any(|c| c.is_ascii_alphabetic()) || ALLOWED.contains(&word) {
            continue;
        }
        // A water quality class in Roman numerals written with Latin letters (III类, 劣V类), or a sound
        // environment functional area class (GB 3096-2008: 4a类, 4b类).
        let roman = word.chars().all(|c| matches!(c, 'I' | 'V'));
        let noise_area = matches!(word, "4a" | "4b");
        if (roman || noise_area) && chars.get(i) == Some(&'类') {
            continue;
        }
        // The A weighting: in the unit dB(A), and the standard's term A 声级 (A-weighted sound level).
        if word == "A" {
            let before: String = chars[start.saturating_sub(3)..start].iter().collect();
            let after: String = chars[i..].iter().skip_while(|c| **c == ' ').take(2).collect();
            if before == "dB(" || after == "声级" {
                continue;
            }
        }
        // A standard's code: the prefix, then (maybe after a space) its number.
        let next_is_number = chars[i..]
            .iter()
            .find(|c| **c != ' ')
            .is_some_and(|c| c.is_ascii_digit());
        if STANDARD_PREFIXES.iter().any(|prefix| {
            word == *prefix && next_is_number
                || word
                    .strip_prefix(prefix)
                    .is_some_and(|number| number.starts_with(|c: char| c.is_ascii_digit()))
        }) {
            continue;
        }
        // Data: codes with a digit and a hyphen (station SYN-A0000, section GX-SYN-01), file names,
        let lower = word.to_lowercase();
        // and a code's Latin part after a hyphen (soil sample 河东村-T1).
        let after_hyphen = chars[start] == '-';
        if ((word.contains('-') || after_hyphen) && word.chars().any(|c| c.is_ascii_digit()))
            || [".csv", ".pdf", ".xlsx", ".docx"]
                .iter()
                .any(|ext| lower.ends_with(ext))
        {
            continue;
        }
        let from = start.saturating_sub(20);
        let to = (i + 20).min(chars.len());
        let context: String = chars[from..to].iter().collect();
        found.push(format!(
            "“{word}” in …{}…",
            context.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
    }
    found
}

#[test]
fn the_detector_finds_english_and_lets_codes_units_and_data_pass() {
    let page = "<p title=\"point-average\">日均值（HJ 633-2012；GB/T 9704）29 μg/m³，PM2.5 <code>station,date</code> \
                SYN-A0000 SYNTHETIC-air-2023-A.csv (computed from data) 4a类 昼间 Ld 55.0 dB(A)，等效连续 A 声级 \
                4a A B 河东村-T1</p><script>var x</script>";
    let words: Vec<String> = latin_words(&visible_text(page))
        .iter()
        .map(|found| {
            found
                .split('”')
                .next()
                .unwrap_or_default()
                .trim_start_matches('“')
                .to_string()
        })
        .collect();
    assert_eq!(words, ["point-average", "computed", "from", "data", "4a", "A", "B"]);
}

#[tokio::test]
async fn no_chinese_page_carries_english() {
    let server = server("latin-walk").await;
    ecociv_server::demo::load_monitoring(&server.store).await.unwrap();
    // The figures computed from the SYNTHETIC monitoring data, so their provenance shows on the pages.
    let mut reviewer = Client::login(&server, "reviewer").await;
    for year in [2023, 2024] {
        let computed = reviewer
            .json(
                &server,
                Method::POST,
                &format!("/api/v1/zones/450202/monitoring/compute?year={year}&status=submitted"),
                None,
            )
            .await;
        assert_eq!(computed.status, StatusCode::OK, "{}", computed.body);
    }
    // A submitted value entered by an editor, a returned one, so the review and entry pages show them.
    let mut editor = Client::login(&server, "editor-env").await;
    for row in ["5", "6"] {
        let path = format!("/api/v1/zones/450202/values/{row}/2022");
        let value = if row == "5" { "100" } else { "开展" };
        editor
            .json(&server, Method::PUT, &path, Some(serde_json::json!({ "value": value })))
            .await;
        editor
            .json(&server, Method::POST, &format!("{path}/submit"), None)
            .await;
    }
    reviewer
        .json(
            &server,
            Method::POST,
            "/api/v1/zones/450202/values/6/2022/return",
            Some(serde_json::json!({"comment": "请附佐证材料"})),
        )
        .await;

    let mut anonymous = Client::anonymous();
    let noise_soil = anonymous.get(&server, "/z/450202/noise-soil?year=2023").await;
    let noise_soil = noise_soil.body.as_str().unwrap_or_default().to_string();
    assert!(
        noise_soil.contains("昼间达标") && !noise_soil.contains("尚未导入土壤样品数据"),
        "the 声环境与土壤 page shows the imported judgements"
    );
    let table = anonymous.get(&server, "/z/450202/table?year=2021").await;
    let table = table.body.as_str().unwrap_or_default().to_string();
    let rows: BTreeSet<String> = table
        .split("href=\"/z/450202/indicators/")
        .skip(1)
        .filter_map(|rest| rest.split('?').next().map(str::to_string))
        .collect();
    assert!(rows.len() >= 44, "{rows:?}");
    let mut admin = Client::login(&server, "admin").await;
    let users = admin.get(&server, "/admin/users").await;
    let user_id = users
        .body
        .as_str()
        .unwrap_or_default()
        .split("href=\"/admin/users/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a user's page")
        .to_string();
    let survey_id = server.store.surveys("450202").await.unwrap()[0].survey_id.clone();

    let mut pages: Vec<String> = Vec::new();
    for ecociv_server::web::PageRoute {
        method, path: route, ..
    } in ecociv_server::web::ROUTES
    {
        if *method != "GET" || route.contains('.') || route.contains("{lang}") || route.contains("{file}") {
            continue; // files (CSS, CSV, Excel, Word, JSON, examples) and the language switch
        }
        let path = route
            .replace("{code}", "450202")
            .replace("{id}", &user_id)
            .replace("{unit}", &ecociv_web::layout::urls::encode("城中区农业农村局"))
            .replace("{subject}", "project:2.01")
            .replace("{period}", "2025Q3")
            .replace("{survey}", &survey_id);
        if path.contains("{row}") {
            pages.extend(rows.iter().map(|row| path.replace("{row}", row)));
            pages.extend(["7.1", "8.1", "7"].map(|row| format!("{}?year=2023", path.replace("{row}", row))));
        } else {
            pages.push(path.clone());
            pages.push(format!("{path}{}year=2023", if path.contains('?') { "&" } else { "?" }));
        }
    }
    pages.extend([
        "/z/450202/water?year=2024".to_string(),
        "/z/450202/entry?year=2021".to_string(),
        "/z/450202/no-such-page".to_string(),
        "/login?next=%2Fz%2F450202%2Freview".to_string(),
    ]);

    let mut failures = BTreeSet::new();
    let mut clients = [
        ("public", anonymous),
        ("editor", editor),
        ("reviewer", reviewer),
        ("admin", admin),
    ];
    for (who, client) in &mut clients {
        for page in &pages {
            let response = client.get(&server, page).await;
            let Some(html) = response.body.as_str() else { continue };
            if response.status.is_server_error() {
                failures.insert(format!("{page} as {who}: {}", response.status));
            }
            let visible = visible_text(html);
            for found in latin_words(&visible) {
                failures.insert(format!("{page} as {who}: {found}"));
            }
            // A path of the repository ("weights in data/hj192-2015.csv") is not data a user gave.
            for path in ["data/", "crates/", ".toml", ".rs"] {
                if visible.contains(path) {
                    failures.insert(format!("{page} as {who}: the path fragment {path:?}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "English on Chinese pages ({}):\n{}",
        failures.len(),
        failures.iter().cloned().collect::<Vec<_>>().join("\n")
    );
}
