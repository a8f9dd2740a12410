//! JSON shapes of ecociv's results.

use ecociv_core::targets::TargetCheck;
use ecociv_core::{Assessment, Source, Value};
use serde_json::{Value as Json, json};

/// A value as JSON: a number, a state text, or a spatial record as its text.
pub fn value(value: Option<&Value>) -> Json {
    match value {
        None => Json::Null,
        Some(Value::Number(number)) => json!(number),
        Some(other) => json!(other.display()),
    }
}

/// A source as JSON: its kind and its description.
pub fn source(source: Option<&Source>) -> Json {
    match source {
        None => Json::Null,
        Some(source) => {
            let mut object = json!({ "kind": source.kind(), "description": source.describe() });
            if !source.files().is_empty() {
                object["files"] = json!(source.files());
            }
            if let Source::Computed {
                method,
                edition,
                provenance,
                ..
            } = source
            {
                object["method"] = json!(method);
                object["edition"] = json!(edition);
                object["provenance"] = json!(provenance);
            }
            if let Source::Ledger {
                kind_id,
                version,
                method,
                provenance,
                records,
                synthetic,
                ..
            } = source
            {
                object["ledger"] = json!({ "kind_id": kind_id, "version": version, "records": records });
                object["method"] = json!(method);
                object["provenance"] = json!(provenance);
                object["synthetic"] = json!(synthetic);
            }
            object
        }
    }
}

/// The assessment as `ecociv assess --format json` prints it and `GET /api/v1/zones/{code}/assessment`
/// returns it.
pub fn assessment(assessment: &Assessment) -> Json {
    let rows: Vec<Json> = assessment
        .rows
        .iter()
        .map(|row| {
            json!({
                "id": row.id,
                "indicator": row.indicator,
                "is_indicator": row.is_indicator,
                "name": row.name,
                "name_en": row.name_en,
                "domain": row.domain,
                "task": row.task,
                "attribute": row.attribute.code(),
                "unit": row.unit,
                "standard": row.standard,
                "standard_note": row.standard_note,
                "value": value(row.value.as_ref()),
                "status": row.status.code(),
                "basis": row.basis.code(),
                "explanation": row.explanation.zh,
                "explanation_en": row.explanation.en,
                "warnings": row.warnings.iter().map(|warning| warning.zh.clone()).collect::<Vec<_>>(),
                "source": source(row.source.as_ref()),
                "lead_departments": row.lead_departments,
            })
        })
        .collect();
    let readiness = &assessment.readiness;
    json!({
        "zone": assessment.zone_code,
        "zone_name": assessment.zone_name,
        "year": assessment.year,
        "framework": {
            "id": assessment.framework_id,
            "edition": assessment.framework_edition,
            "name": assessment.framework_name,
        },
        "rows": rows,
        "readiness": {
            "ready": readiness.ready,
            "binding_not_met": readiness.binding_not_met,
            "binding_no_data": readiness.binding_no_data,
            "reference_met": readiness.reference_met,
            "reference_total": readiness.reference_total,
            "reference_met_share": readiness.reference_met_share,
            "reference_required_share": readiness.reference_required_share,
            "explanation": readiness.explanation.zh,
            "explanation_en": readiness.explanation.en,
        },
    })
}

/// The check of the plan's targets for one target year.
pub fn targets(zone: &str, target_year: i32, checks: &[TargetCheck]) -> Json {
    json!({
        "zone": zone,
        "target_year": target_year,
        "rows": checks.iter().map(|check| json!({
            "id": check.row,
            "name": check.name,
            "target": check.text,
            "standard": check.standard,
            "status": check.status.code(),
            "flagged": check.flagged(),
            "explanation": check.explanation.zh,
            "explanation_en": check.explanation.en,
        })).collect::<Vec<_>>(),
        "flagged": checks.iter().filter(|check| check.flagged()).map(|check| check.row.clone()).collect::<Vec<_>>(),
    })
}

/// Open data: the assessments of a zone for a range of years (`ecociv report --format json`).
pub fn open_data(assessments: &[Assessment]) -> Json {
    json!({
        "zone": assessments.first().map(|a| a.zone_code.clone()),
        "zone_name": assessments.first().map(|a| a.zone_name.clone()),
        "years": assessments.iter().map(|a| a.year).collect::<Vec<_>>(),
        "assessments": assessments.iter().map(assessment).collect::<Vec<_>>(),
    })
}
