//! Figures computed from monitoring data, turned into observations for the assessment.
//!
//! A zone directory may hold a `monitoring/` folder (or one is given with `--monitoring DIR`). Each kind
//! of monitoring data has its own sub-folder, read by the crate that implements its standards, which
//! yields the zone's figures for the rows it feeds (air → 7.1, 7.2; water → 8.x, 9, 23) with their
//! provenance (stations or sections, days or samples, edition). The computed figures override the
//! zone's own values for the same row and year; a `--values` file overrides both.

use std::path::Path;

use ecociv_core::{Framework, Observation};

/// A source of computed figures: the sub-folder it reads, and the function that reads it.
type Feed = fn(&Framework, &Path) -> anyhow::Result<Vec<Observation>>;

/// The registered feeds: (sub-folder of `monitoring/`, reader). Each standards crate adds one line here.
const FEEDS: &[(&str, Feed)] = &[
    ("water", crate::cmd::water::observations),
    ("air", crate::cmd::air::observations),
];

/// Computes the observations from every monitoring sub-folder present under `dir`.
pub fn observations(framework: &Framework, dir: &Path) -> anyhow::Result<Vec<Observation>> {
    if !dir.is_dir() {
        anyhow::bail!("监测数据目录不存在 (monitoring directory not found): {}", dir.display());
    }
    let mut observations = Vec::new();
    for (folder, feed) in FEEDS {
        let path = dir.join(folder);
        if path.is_dir() {
            observations.extend(feed(framework, &path)?);
        }
    }
    Ok(observations)
}
