//! One module per page: the view-model (plain data the server fills), its builder from the core's types,
//! and the renderer (`render_*(&PageContext, &View) -> String`).

pub mod admin;
pub mod air;
pub mod correction;
pub mod dashboard;
pub mod entry;
pub mod indicator;
pub mod ledger;
pub mod login;
pub mod noise_soil;
pub mod peers;
pub mod plan;
pub mod portal;
pub mod review;
pub mod rollup;
pub mod survey;
pub mod table;
pub mod water;
pub mod zone_map;

use ecociv_core::judge::Text;
use ecociv_core::{Framework, Indicator};

use crate::i18n::Lang;

/// A datum with a Chinese and an English form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Named {
    pub zh: String,
    pub en: String,
}

impl Named {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Named {
        Named {
            zh: zh.into(),
            en: en.into(),
        }
    }
    /// The form for the page's language (the Chinese when there is no English).
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

impl From<&Text> for Named {
    fn from(text: &Text) -> Named {
        Named::new(text.zh.clone(), text.en.clone())
    }
}

/// The domain (id and names) and task names of an indicator.
pub(crate) fn place_of(framework: &Framework, indicator: &Indicator) -> (String, Named, Named) {
    let task = framework.task(&indicator.task);
    let domain = framework.domain_of(indicator);
    (
        domain.map(|domain| domain.id.clone()).unwrap_or_default(),
        domain
            .map(|domain| Named::new(&domain.name, &domain.name_en))
            .unwrap_or_default(),
        task.map(|task| Named::new(&task.name, &task.name_en))
            .unwrap_or_default(),
    )
}

/// The unit for display: `-` (no unit) shows as nothing.
pub fn unit_text(unit: &str) -> &str {
    if unit == "-" { "" } else { unit }
}

/// A file size in KB or MB (1 KB = 1024 bytes; small files as tenths of a KB).
pub fn fmt_bytes(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else if bytes >= 1024 {
        format!("{:.0} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}
