//! The roll-up of a city, province or the nation as CSV (issue 15): one line per zone of the scope — its
//! rank, standing and each indicator row's status — UTF-8 with a BOM, every text field through
//! `ecociv_csvline::neutralise_formula`. The edition compared under is a column of every line.

use ecociv_core::Status;
use ecociv_csvline::neutralise_formula;
use ecociv_progress::rollup::{Rollup, ZoneEntry};

use crate::ReportError;
use crate::csv::BOM;

/// The fixed columns before one column per indicator row (named by the row's id and name).
pub const HEADER: [&str; 10] = [
    "范围",
    "年度",
    "排名",
    "区域代码",
    "区域名称",
    "状态",
    "约束性指标达标",
    "参考性指标达标",
    "指标体系",
    "版本",
];

/// The roll-up's comparison table as CSV bytes with a BOM.
pub fn comparison(rollup: &Rollup, zones: &[ZoneEntry]) -> Result<Vec<u8>, ReportError> {
    let mut out = BOM.to_vec();
    {
        let mut writer = ::csv::Writer::from_writer(&mut out);
        let mut header: Vec<String> = HEADER.iter().map(|h| h.to_string()).collect();
        header.extend(rollup.rows.iter().map(|row| format!("{} {}", row.row, row.name)));
        writer.write_record(header.iter().map(|f| neutralise_formula(f).into_owned()))?;
        let year = rollup.year.to_string();
        for zone in zones {
            let standing = rollup.standings.iter().find(|s| s.code == zone.code);
            let state = match standing {
                Some(s) if s.ready => "达到创建要求",
                Some(_) => "未达到创建要求",
                None if rollup.other_edition.contains(&zone.code) => "其他指标体系版本（未比较）",
                None => "未报送",
            };
            let mut record: Vec<String> = vec![
                rollup.scope.clone(),
                year.clone(),
                standing.map(|s| s.rank.to_string()).unwrap_or_default(),
                zone.code.clone(),
                zone.name.clone(),
                state.to_string(),
                standing
                    .map(|s| format!("{}/{}", s.binding_met, s.binding_total))
                    .unwrap_or_default(),
                standing
                    .map(|s| format!("{}/{}", s.reference_met, s.reference_total))
                    .unwrap_or_default(),
                rollup.framework_id.clone(),
                rollup.framework_edition.clone(),
            ];
            for row in &rollup.rows {
                let status = standing
                    .and(zone.summary.as_ref())
                    .and_then(|summary| summary.rows.iter().find(|r| r.id == row.row))
                    .map(|r| r.status);
                record.push(match status {
                    Some(Status::Met) => "达标".into(),
                    Some(Status::NotMet) => "不达标".into(),
                    Some(Status::NoData) => "无数据".into(),
                    None => String::new(),
                });
            }
            writer.write_record(record.iter().map(|f| neutralise_formula(f).into_owned()))?;
        }
        writer.flush().map_err(|error| ReportError::Csv(error.into()))?;
    }
    Ok(out)
}
