//! The roll-up page (汇总与比较, issue 15) of a city, a province or the nation for a year: zones ready,
//! binding indicators failed most often, each row's distribution across zones, each zone's standing, and who
//! has not reported. It renders a computed `ecociv_progress::rollup::Rollup`; figures through each row's
//! `RowFormat`.

use ecociv_core::Framework;
use ecociv_core::format::{RowFormat, part_of};
use ecociv_progress::rollup::{Rollup, ZoneEntry};
use maud::html;

use crate::layout::{Nav, PageContext, page};

/// What the page shows.
pub struct RollupPage<'a> {
    pub scope_name: &'a str,
    pub rollup: &'a Rollup,
    pub zones: &'a [ZoneEntry],
    /// The edition compared under (for each row's format).
    pub framework: &'a Framework,
    /// Zones whose figures are being recomputed.
    pub stale: usize,
    pub csv_href: String,
    /// (year, href) of the neighbouring years.
    pub years: Vec<(i32, String)>,
    /// A zone's page.
    pub zone_href: fn(&str) -> String,
}

fn name_of<'a>(zones: &'a [ZoneEntry], code: &str) -> &'a str {
    zones.iter().find(|z| z.code == code).map_or("", |z| z.name.as_str())
}

/// Renders the roll-up page.
pub fn render(ctx: &PageContext, view: &RollupPage<'_>) -> String {
    let lang = ctx.lang;
    let r = view.rollup;
    let title = format!("{}{}年{}", view.scope_name, r.year, lang.pick("汇总与比较", " roll-up"));
    let format_of = |row: &str| -> Option<RowFormat> { view.framework.row(row).map(|(_, row)| row.format()) };
    let figure = |row: &str, value: Option<f64>| -> String {
        match (value, format_of(row)) {
            (Some(v), Some(f)) => f.with_unit(v),
            (Some(v), None) => ecociv_core::num::show(v),
            (None, _) => "—".into(),
        }
    };
    let body = html! {
        h1 { (title) }
        p class="meta" {
            (lang.pick("指标体系", "Framework")) "：" (view.framework.name) "；" (lang.pick("版本", "edition")) "：" (r.framework_edition)
        }
        nav class="years" aria-label=(lang.pick("年度", "Year")) {
            @for (year, href) in &view.years {
                @if *year == r.year { strong { (year) } } @else { a href=(href) { (year) } }
                " "
            }
        }
        section class="card" aria-labelledby="summary-h" {
            h2 id="summary-h" { (lang.pick("总体情况", "Summary")) }
            ul {
                li { (lang.pick("区域总数", "Zones")) "：" (r.zones) }
                li { (lang.pick("已报送并参与比较", "Compared")) "：" (r.compared) }
                li {
                    (lang.pick("达到创建要求", "Ready for designation")) "：" (r.ready)
                    @if r.compared > 0 { "，" (lang.pick("占已比较", "of compared")) " " (part_of(r.ready, r.compared)) }
                }
                li { (lang.pick("未报送", "Not reported")) "：" (r.not_reported.len()) }
                @if view.stale > 0 {
                    li { (lang.pick("数值已更新、正在重新计算", "Being recomputed")) "：" (view.stale) }
                }
                @if !r.other_edition.is_empty() {
                    li { (lang.pick("采用其他指标体系版本（未参与比较）", "Other edition (not compared)")) "：" (r.other_edition.len()) }
                }
            }
            p { a href=(view.csv_href) { (lang.pick("下载比较表（CSV）", "Download the comparison (CSV)")) } }
        }
        section class="card" aria-labelledby="standing-h" {
            h2 id="standing-h" { (lang.pick("各区域排名", "Standings")) }
            @if r.standings.is_empty() {
                p { (lang.pick("尚无已报送的区域。", "No zone has reported yet.")) }
            } @else {
                div class="scroll" {
                    table class="data rollup" {
                        thead { tr {
                            th scope="col" { (lang.pick("排名", "Rank")) }
                            th scope="col" class="c-name" { (lang.pick("区域", "Zone")) }
                            th scope="col" { (lang.pick("创建要求", "Designation")) }
                            th scope="col" { (lang.pick("约束性指标达标", "Binding met")) }
                            th scope="col" { (lang.pick("参考性指标达标", "Reference met")) }
                        } }
                        tbody {
                            @for s in &r.standings {
                                tr {
                                    td class="num" { (s.rank) }
                                    td class="c-name" { a href=((view.zone_href)(&s.code)) { (s.name) } }
                                    td {
                                        @if s.ready {
                                            span class="tag active" { (lang.pick("达到", "Ready")) }
                                        } @else {
                                            span class="tag disabled" { (lang.pick("未达到", "Not ready")) }
                                        }
                                    }
                                    td class="num" { (s.binding_met) "/" (s.binding_total) }
                                    td class="num" { (s.reference_met) "/" (s.reference_total) }
                                }
                            }
                        }
                    }
                }
            }
        }
        section class="card" aria-labelledby="failing-h" {
            h2 id="failing-h" { (lang.pick("约束性指标未达标次数", "Binding indicators failed most often")) }
            @if r.binding_failures.is_empty() {
                p { (lang.pick("参与比较的区域均已达到全部约束性指标。", "Every compared zone meets every binding indicator.")) }
            } @else {
                ol {
                    @for (id, name, count) in &r.binding_failures {
                        li { (id) " " (name) "：" (count) (lang.pick(" 个区域未达标或无数据", " zones not met or without data")) }
                    }
                }
            }
        }
        section class="card" aria-labelledby="rows-h" {
            h2 id="rows-h" { (lang.pick("各指标在区域间的分布", "Each row across zones")) }
            div class="scroll" {
                table class="data rollup" {
                    thead { tr {
                        th scope="col" { (lang.pick("编号", "No.")) }
                        th scope="col" class="c-name" { (lang.pick("指标", "Indicator")) }
                        th scope="col" { (lang.pick("达标", "Met")) }
                        th scope="col" { (lang.pick("不达标", "Not met")) }
                        th scope="col" { (lang.pick("无数据", "No data")) }
                        th scope="col" { (lang.pick("最小值", "Min")) }
                        th scope="col" { (lang.pick("中位数", "Median")) }
                        th scope="col" { (lang.pick("最大值", "Max")) }
                    } }
                    tbody {
                        @for row in &r.rows {
                            tr {
                                td { (row.row) }
                                td class="c-name" { (row.name) @if row.binding { "（" (lang.pick("约束性", "binding")) "）" } }
                                td class="num" { (row.met) }
                                td class="num" { (row.not_met) }
                                td class="num" { (row.no_data) }
                                td class="num" { (figure(&row.row, row.min)) }
                                td class="num" { (figure(&row.row, row.median)) }
                                td class="num" { (figure(&row.row, row.max)) }
                            }
                        }
                    }
                }
            }
        }
        section class="card" aria-labelledby="missing-h" {
            h2 id="missing-h" { (lang.pick("未报送的区域", "Not reported")) }
            @if r.not_reported.is_empty() {
                p { (lang.pick("全部区域均已报送。", "Every zone has reported.")) }
            } @else {
                ul {
                    @for code in &r.not_reported {
                        li { a href=((view.zone_href)(code)) { (name_of(view.zones, code)) } }
                    }
                }
            }
        }
    };
    page(ctx, &title, Nav::None, body)
}
