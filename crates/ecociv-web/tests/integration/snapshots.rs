//! Snapshots of what a reader sees (issue 17): the text of the dashboard, Table 2-1 and an indicator page
//! of the example zone, one line per block (a table row's cells joined by ` | `), compared with the files
//! in `tests/snapshots/`. A change of a figure's precision, a unit, a count or a label fails here; when the
//! change is intended, look at the difference and rewrite the files with `UPDATE_SNAPSHOTS=1`.

use std::path::PathBuf;

use ecociv_web::Lang;
use ecociv_web::pages;
use ecociv_web::pages::table::TableFilter;

use crate::fixtures::{Fixture, ctx};
use crate::html::{Child, Element, parse};

const BLOCKS: &[&str] = &[
    "h1", "h2", "h3", "p", "li", "tr", "dt", "dd", "caption", "summary", "legend", "div", "section", "table", "ul",
    "dl", "details", "article", "fieldset",
];

/// The text of `element`, one line per block, cells of a row joined by ` | `; charts (SVG), scripts and
/// the year pickers' options left out.
fn block_text(element: &Element, out: &mut String) {
    if matches!(element.tag.as_str(), "svg" | "script" | "style" | "select" | "option") {
        return;
    }
    let block = BLOCKS.contains(&element.tag.as_str());
    if block && !out.ends_with('\n') {
        out.push('\n');
    }
    if matches!(element.tag.as_str(), "td" | "th") && !out.ends_with('\n') {
        out.push_str(" | ");
    }
    for child in &element.children {
        match child {
            Child::Text(text) => {
                // Whitespace collapsed, not removed: the text reads as the browser shows it.
                let collapsed: String = text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
                if !(collapsed == " " && out.ends_with([' ', '\n'])) {
                    out.push_str(&collapsed);
                }
            }
            Child::Element(child) => block_text(child, out),
        }
    }
    if block && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// The snapshot text of a page's `<main>`.
fn snapshot(html: &str) -> String {
    let page = parse(html).unwrap_or_else(|error| panic!("malformed page: {error}"));
    let main = page.tag_all("main")[0];
    let mut out = String::new();
    block_text(main, &mut out);
    out.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn check(name: &str, html: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/snapshots/{name}.txt"));
    let actual = snapshot(html);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_SNAPSHOTS=1 and review it", path.display()));
    if actual != expected {
        let first = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "{name}: the page's text changed at line {}:\n  expected: {}\n  actual:   {}\n(if intended: UPDATE_SNAPSHOTS=1, then review the diff of {})",
            first + 1,
            expected.lines().nth(first).unwrap_or("<end>"),
            actual.lines().nth(first).unwrap_or("<end>"),
            path.display()
        );
    }
}

#[test]
fn the_dashboard_table_and_indicator_pages_read_as_recorded() {
    let fixture = Fixture::load();
    let zh = ctx(Lang::Zh, None);
    check(
        "dashboard-2021",
        &pages::dashboard::render_dashboard(&zh, &fixture.dashboard(2021)),
    );
    check(
        "table-2021",
        &pages::table::render_table(&zh, &fixture.table(2021, TableFilter::default())),
    );
    check(
        "indicator-7.2-2021",
        &pages::indicator::render_indicator(&zh, &fixture.indicator("7.2", 2021)),
    );
    check(
        "indicator-3-2021",
        &pages::indicator::render_indicator(&zh, &fixture.indicator("3", 2021)),
    );
}

#[test]
fn the_snapshot_text_keeps_rows_and_cells_apart() {
    let html = "<html><body><main><h1>标题</h1><table><tr><th>序号</th><td>7.1</td><td>94.5%</td></tr></table>\
                <p>共<b>3</b>项</p><svg><text>图</text></svg></main></body></html>";
    assert_eq!(snapshot(html), "标题\n序号 | 7.1 | 94.5%\n共3项\n");
}
