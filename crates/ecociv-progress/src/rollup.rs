//! Roll-up and comparison of zones (汇总与比较) for a city, a province or the nation and a year (issue 15):
//! how many zones are ready, which binding rows fail most often, each row's distribution across zones,
//! each zone's standing, and who has not reported.
//!
//! Pure: it reads [`ZoneSummary`]s — the compact summary of one zone's assessment of a year, made from the
//! `ecociv_core::Assessment` when the assessment is materialized and stored next to it — never values and
//! never an assessment computed here, so a national roll-up of ~2,800 zones is a pass over short texts.
//! Every roll-up records the framework edition it compares under; zones assessed under another edition
//! are listed apart, never mixed in.

use std::collections::BTreeMap;

use ecociv_core::{Assessment, Attribute, Framework, Status};
use serde::Serialize;

/// The summary format's version, first field of [`ZoneSummary::encode`].
const FORMAT: &str = "s2";

/// One row of a zone's assessment, as the roll-up needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct RowSummary {
    pub id: String,
    pub status: Status,
    /// The row's figure when its value is a number.
    pub figure: Option<f64>,
    /// The row's state when its value is one (完成, 未完成, 制定实施 …): shown where a figure would be.
    pub state: Option<String>,
}

/// A zone's assessment of a year in short (评估摘要): readiness, the edition, each leaf row's status and figure.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneSummary {
    pub framework_id: String,
    pub framework_edition: String,
    pub ready: bool,
    pub rows: Vec<RowSummary>,
}

impl ZoneSummary {
    /// The summary of an assessment: every indicator's and sub-indicator's entry.
    pub fn from_assessment(assessment: &Assessment) -> ZoneSummary {
        ZoneSummary {
            framework_id: assessment.framework_id.clone(),
            framework_edition: assessment.framework_edition.clone(),
            ready: assessment.readiness.ready,
            rows: assessment
                .rows
                .iter()
                .map(|row| RowSummary {
                    id: row.id.clone(),
                    status: row.status,
                    figure: row.value.as_ref().and_then(|value| value.as_number()),
                    state: match &row.value {
                        Some(ecociv_core::Value::State(state)) => Some(state.clone()),
                        _ => None,
                    },
                })
                .collect(),
        }
    }

    /// The text stored with the materialized assessment: `s2|framework|edition|ready|row:status:figure:state;…`
    /// (status `m`, `n`, `d`; figure empty when not a number; state empty when not a state, `%`, `|`, `;` and
    /// `:` in it written as `%25`, `%7C`, `%3B`, `%3A`; these never occur in ids). An `s1` text (without
    /// states) is an older format: [`ZoneSummary::decode`] refuses it, so it is recomputed.
    pub fn encode(&self) -> String {
        let rows: Vec<String> = self
            .rows
            .iter()
            .map(|row| {
                let status = match row.status {
                    Status::Met => "m",
                    Status::NotMet => "n",
                    Status::NoData => "d",
                };
                let figure = row.figure.map(|f| format!("{f}")).unwrap_or_default();
                let state = row.state.as_deref().map(escape_state).unwrap_or_default();
                format!("{}:{status}:{figure}:{state}", row.id)
            })
            .collect();
        format!(
            "{FORMAT}|{}|{}|{}|{}",
            self.framework_id.replace('|', "/"),
            self.framework_edition.replace('|', "/"),
            u8::from(self.ready),
            rows.join(";")
        )
    }

    /// Reads what [`ZoneSummary::encode`] wrote; `None` for any other text (an older format: recompute).
    pub fn decode(text: &str) -> Option<ZoneSummary> {
        let mut parts = text.splitn(5, '|');
        if parts.next()? != FORMAT {
            return None;
        }
        let framework_id = parts.next()?.to_string();
        let framework_edition = parts.next()?.to_string();
        let ready = match parts.next()? {
            "1" => true,
            "0" => false,
            _ => return None,
        };
        let rows_text = parts.next()?;
        let mut rows = Vec::new();
        for item in rows_text.split(';').filter(|item| !item.is_empty()) {
            let mut fields = item.split(':');
            let id = fields.next()?.to_string();
            let status = match fields.next()? {
                "m" => Status::Met,
                "n" => Status::NotMet,
                "d" => Status::NoData,
                _ => return None,
            };
            let figure = match fields.next()? {
                "" => None,
                text => Some(text.parse::<f64>().ok().filter(|f| f.is_finite())?),
            };
            let state = match fields.next()? {
                "" => None,
                text => Some(unescape_state(text)),
            };
            rows.push(RowSummary {
                id,
                status,
                figure,
                state,
            });
        }
        Some(ZoneSummary {
            framework_id,
            framework_edition,
            ready,
            rows,
        })
    }

    fn row(&self, id: &str) -> Option<&RowSummary> {
        self.rows.iter().find(|row| row.id == id)
    }

    /// Whether the zone reported nothing for the year (every row without data).
    pub fn nothing_reported(&self) -> bool {
        self.rows.iter().all(|row| row.status == Status::NoData)
    }
}

fn escape_state(state: &str) -> String {
    state
        .replace('%', "%25")
        .replace('|', "%7C")
        .replace(';', "%3B")
        .replace(':', "%3A")
}

fn unescape_state(text: &str) -> String {
    text.replace("%3A", ":")
        .replace("%3B", ";")
        .replace("%7C", "|")
        .replace("%25", "%")
}

/// A zone in the roll-up's scope, with its summary for the year if one is materialized.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneEntry {
    pub code: String,
    pub name: String,
    /// The zone's city (or province for a county directly under it), for grouping.
    pub parent: Option<String>,
    pub summary: Option<ZoneSummary>,
}

/// How one row stands across the zones compared (分布).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowDistribution {
    pub row: String,
    pub name: String,
    pub unit: String,
    pub binding: bool,
    pub met: usize,
    pub not_met: usize,
    pub no_data: usize,
    /// Zones with a figure for the row, and the figures' minimum, median and maximum.
    pub figures: usize,
    pub min: Option<f64>,
    pub median: Option<f64>,
    pub max: Option<f64>,
}

/// A zone's standing among the zones compared (排名).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    /// 1-based; zones that tie share a rank.
    pub rank: usize,
    pub code: String,
    pub name: String,
    pub ready: bool,
    pub binding_met: usize,
    pub binding_total: usize,
    pub reference_met: usize,
    pub reference_total: usize,
    /// Leaf rows met over all leaf rows.
    pub rows_met: usize,
    pub rows_total: usize,
}

/// The roll-up of a scope for a year (汇总).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollup {
    pub scope: String,
    pub year: i32,
    /// The edition compared under (id and edition): every figure here is of this edition.
    pub framework_id: String,
    pub framework_edition: String,
    /// Zones in the scope.
    pub zones: usize,
    /// Zones compared: with a summary under this edition and something reported.
    pub compared: usize,
    pub ready: usize,
    /// Zones without a summary for the year, or whose every row has no data (未报送).
    pub not_reported: Vec<String>,
    /// Zones assessed under another edition (not compared).
    pub other_edition: Vec<String>,
    /// Binding indicators by how many compared zones fail them (not met or no data), most first; rows
    /// no zone fails are left out.
    pub binding_failures: Vec<(String, String, usize)>,
    pub rows: Vec<RowDistribution>,
    pub standings: Vec<Standing>,
}

/// Rolls up the zones of a scope for a year under a framework edition.
pub fn rollup(scope: &str, year: i32, framework: &Framework, zones: &[ZoneEntry]) -> Rollup {
    let mut not_reported = Vec::new();
    let mut other_edition = Vec::new();
    let mut compared: Vec<(&ZoneEntry, &ZoneSummary)> = Vec::new();
    for zone in zones {
        match &zone.summary {
            None => not_reported.push(zone.code.clone()),
            Some(summary) if summary.framework_id != framework.id => other_edition.push(zone.code.clone()),
            Some(summary) if summary.nothing_reported() => not_reported.push(zone.code.clone()),
            Some(summary) => compared.push((zone, summary)),
        }
    }
    let mut rows = Vec::new();
    let mut binding_failures = Vec::new();
    let mut binding_ids = Vec::new();
    let mut reference_ids = Vec::new();
    let mut leaf_ids = Vec::new();
    for indicator in &framework.indicators {
        let binding = indicator.attribute == Attribute::Binding;
        if binding {
            binding_ids.push(indicator.id.clone());
        } else {
            reference_ids.push(indicator.id.clone());
        }
        let leaves: Vec<(&str, &str, &str)> = indicator
            .rows
            .iter()
            .map(|row| (row.id.as_str(), row.name.as_str(), row.unit.as_str()))
            .collect();
        for (id, name, unit) in &leaves {
            leaf_ids.push(id.to_string());
            let mut distribution = RowDistribution {
                row: id.to_string(),
                name: name.to_string(),
                unit: unit.to_string(),
                binding,
                met: 0,
                not_met: 0,
                no_data: 0,
                figures: 0,
                min: None,
                median: None,
                max: None,
            };
            let mut figures = Vec::new();
            for (_, summary) in &compared {
                match summary.row(id) {
                    Some(row) => {
                        match row.status {
                            Status::Met => distribution.met += 1,
                            Status::NotMet => distribution.not_met += 1,
                            Status::NoData => distribution.no_data += 1,
                        }
                        figures.extend(row.figure);
                    }
                    None => distribution.no_data += 1,
                }
            }
            figures.sort_by(f64::total_cmp);
            distribution.figures = figures.len();
            distribution.min = figures.first().copied();
            distribution.max = figures.last().copied();
            distribution.median = median(&figures);
            rows.push(distribution);
        }
        if binding {
            let failing = compared
                .iter()
                .filter(|(_, summary)| summary.row(&indicator.id).is_none_or(|row| row.status != Status::Met))
                .count();
            if failing > 0 {
                binding_failures.push((indicator.id.clone(), indicator.name.clone(), failing));
            }
        }
    }
    binding_failures.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| framework_order(framework, &a.0, &b.0)));
    let met = |summary: &ZoneSummary, ids: &[String]| {
        ids.iter()
            .filter(|id| summary.row(id).is_some_and(|row| row.status == Status::Met))
            .count()
    };
    let mut standings: Vec<Standing> = compared
        .iter()
        .map(|(zone, summary)| Standing {
            rank: 0,
            code: zone.code.clone(),
            name: zone.name.clone(),
            ready: summary.ready,
            binding_met: met(summary, &binding_ids),
            binding_total: binding_ids.len(),
            reference_met: met(summary, &reference_ids),
            reference_total: reference_ids.len(),
            rows_met: met(summary, &leaf_ids),
            rows_total: leaf_ids.len(),
        })
        .collect();
    let key = |s: &Standing| {
        (
            std::cmp::Reverse(s.ready),
            std::cmp::Reverse(s.binding_met),
            std::cmp::Reverse(s.reference_met),
            std::cmp::Reverse(s.rows_met),
        )
    };
    standings.sort_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.code.cmp(&b.code)));
    for index in 0..standings.len() {
        standings[index].rank = if index > 0 && key(&standings[index]) == key(&standings[index - 1]) {
            standings[index - 1].rank
        } else {
            index + 1
        };
    }
    Rollup {
        scope: scope.to_string(),
        year,
        framework_id: framework.id.clone(),
        framework_edition: framework.edition.clone(),
        zones: zones.len(),
        compared: compared.len(),
        ready: compared.iter().filter(|(_, summary)| summary.ready).count(),
        not_reported,
        other_edition,
        binding_failures,
        rows,
        standings,
    }
}

fn framework_order(framework: &Framework, a: &str, b: &str) -> std::cmp::Ordering {
    let position = |id: &str| framework.indicators.iter().position(|indicator| indicator.id == id);
    position(a).cmp(&position(b))
}

/// The median of sorted figures (the mean of the two middle ones for an even count).
fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// A province's roll-up by city (各市创建情况): the zones grouped by their parent unit
/// ([`ZoneEntry::parent`]: the city, or the province for a county directly under it; `""` when unknown),
/// each group rolled up by [`rollup`] under the same edition — its zones, compared, ready, not reported and
/// binding indicators failed — in the parents' code order. The Word summary's per-city table.
pub fn by_parent(year: i32, framework: &Framework, zones: &[ZoneEntry]) -> Vec<(String, Rollup)> {
    let mut groups: BTreeMap<String, Vec<ZoneEntry>> = BTreeMap::new();
    for zone in zones {
        groups
            .entry(zone.parent.clone().unwrap_or_default())
            .or_default()
            .push(zone.clone());
    }
    groups
        .into_iter()
        .map(|(parent, group)| {
            let rolled = rollup(&parent, year, framework, &group);
            (parent, rolled)
        })
        .collect()
}

/// One row of a peer comparison: the row and, per zone in [`Peers::order`], its status and figure (`None`:
/// the zone has no summary for the year, or one of another edition).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerRow {
    pub row: String,
    pub name: String,
    pub unit: String,
    pub binding: bool,
    pub cells: Vec<Option<PeerCell>>,
}

/// A zone's entry in a row of the peer comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerCell {
    pub status: &'static str,
    pub figure: Option<f64>,
    /// The state, for a row whose value is one (完成 / 未完成 …).
    pub state: Option<String>,
}

/// A zone and its peers — zones of the same kind (`ecociv_core::zone::same_kind`) — side by side for a year
/// (同类区域比较): the group's roll-up (standings, each row's distribution) and each row across the zones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peers {
    pub zone: String,
    /// The kind compared on: (attribute, value).
    pub kind: Vec<(String, String)>,
    /// The zone first, then its peers by standing, those without a comparable summary last (by code).
    pub order: Vec<String>,
    pub rows: Vec<PeerRow>,
    /// The roll-up of the group (the zone and its peers).
    pub rollup: Rollup,
}

/// Compares `zone` (the first of `group`'s entries with its code) with the rest of `group` — its peers, as the
/// caller chose them — row by row under `framework`.
pub fn peers(zone: &str, year: i32, framework: &Framework, kind: Vec<(String, String)>, group: &[ZoneEntry]) -> Peers {
    let computed = rollup(zone, year, framework, group);
    let mut order = vec![zone.to_string()];
    order.extend(
        computed
            .standings
            .iter()
            .filter(|s| s.code != zone)
            .map(|s| s.code.clone()),
    );
    let mut rest: Vec<String> = group
        .iter()
        .map(|z| z.code.clone())
        .filter(|code| !order.contains(code))
        .collect();
    rest.sort();
    order.extend(rest);
    let comparable = |code: &str| -> Option<&ZoneSummary> {
        group
            .iter()
            .find(|z| z.code == code)
            .and_then(|z| z.summary.as_ref())
            .filter(|summary| summary.framework_id == framework.id)
    };
    let rows = computed
        .rows
        .iter()
        .map(|distribution| PeerRow {
            row: distribution.row.clone(),
            name: distribution.name.clone(),
            unit: distribution.unit.clone(),
            binding: distribution.binding,
            cells: order
                .iter()
                .map(|code| {
                    comparable(code).map(|summary| match summary.row(&distribution.row) {
                        Some(row) => PeerCell {
                            status: row.status.code(),
                            figure: row.figure,
                            state: row.state.clone(),
                        },
                        None => PeerCell {
                            status: Status::NoData.code(),
                            figure: None,
                            state: None,
                        },
                    })
                })
                .collect(),
        })
        .collect();
    Peers {
        zone: zone.to_string(),
        kind,
        order,
        rows,
        rollup: computed,
    }
}
