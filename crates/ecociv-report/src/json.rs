//! JSON shapes of ecociv's results.

use ecociv_core::assess::{Readiness, RowAssessment};
use ecociv_core::framework::Attribute;
use ecociv_core::judge::{Basis, Status, Text};
use ecociv_core::targets::TargetCheck;
use ecociv_core::{Assessment, Framework, Source, Value, Zone};
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
            if let Source::Survey {
                survey,
                survey_id,
                method,
                edition,
                valid,
                responses,
                low,
                high,
                provenance,
                synthetic,
            } = source
            {
                object["survey"] = json!({
                    "id": survey_id, "title": survey, "valid": valid, "responses": responses,
                    "interval": { "level": 0.95, "low": low, "high": high, "unit": "%" }
                });
                object["method"] = json!(method);
                object["edition"] = json!(edition);
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
                "warnings_en": row.warnings.iter().map(|warning| warning.en.clone()).collect::<Vec<_>>(),
                "partial": row.partial.as_ref().map(|partial| partial.zh.clone()),
                "partial_en": row.partial.as_ref().map(|partial| partial.en.clone()),
                "source": source(row.source.as_ref()),
                "lead_departments": row.lead_departments,
            })
        })
        .collect();
    let readiness = &assessment.readiness;
    let mut out = json!({
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
    });
    // A scored edition's score (issue 15; an added field): the total, the pass score and each row's points
    // explained.
    if let Some(score) = &assessment.score {
        out["score"] = json!({
            "total": score.total,
            "max": score.max,
            "pass_score": score.pass_score,
            "passed": score.passed,
            "note": score.note,
            "items": score.items.iter().map(|item| json!({
                "row": item.row,
                "points": item.points,
                "earned": item.earned,
                "explanation": item.explanation.zh,
                "explanation_en": item.explanation.en,
            })).collect::<Vec<_>>(),
        });
    }
    out
}

/// The assessment again from its JSON ([`assessment`]) — what the server stores as a materialized
/// assessment — so that a renderer takes the stored result instead of assessing again. The JSON holds
/// every judgement (status, basis, explanation and warnings in both languages, the parts judged) and the
/// readiness; what it writes as text only is taken from where the assessment took it: each row's value
/// and source from `zone`'s observation of the year (and refused unless it gives the JSON's text exactly,
/// so a JSON made from other values than `zone`'s is never taken), its format from `framework`. `Err`
/// names the first thing that does not fit; a caller then assesses instead.
pub fn parse_assessment(framework: &Framework, zone: &Zone, json: &Json) -> Result<Assessment, String> {
    let text = |json: &Json, key: &str| -> Result<String, String> {
        json.get(key)
            .and_then(Json::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("{key}: missing or not text"))
    };
    let texts = |json: &Json, key: &str| -> Result<Vec<String>, String> {
        json.get(key)
            .and_then(Json::as_array)
            .ok_or_else(|| format!("{key}: missing or not a list"))?
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{key}: not text"))
            })
            .collect()
    };
    let year = json
        .get("year")
        .and_then(Json::as_i64)
        .and_then(|year| i32::try_from(year).ok())
        .ok_or("year: missing")?;
    let framework_json = json.get("framework").ok_or("framework: missing")?;
    if text(framework_json, "id")? != framework.id || text(framework_json, "edition")? != framework.edition {
        return Err("framework: another edition".into());
    }
    if text(json, "zone")? != zone.profile.code {
        return Err("zone: another zone".into());
    }
    let mut rows = Vec::new();
    for row in json.get("rows").and_then(Json::as_array).ok_or("rows: missing")? {
        let id = text(row, "id")?;
        let status = match text(row, "status")?.as_str() {
            "met" => Status::Met,
            "not_met" => Status::NotMet,
            "no_data" => Status::NoData,
            other => return Err(format!("{id}: status {other}")),
        };
        let basis = match text(row, "basis")?.as_str() {
            "rule" => Basis::Rule,
            "recorded" => Basis::Recorded,
            "none" => Basis::Nothing,
            other => return Err(format!("{id}: basis {other}")),
        };
        let attribute = match text(row, "attribute")?.as_str() {
            "binding" => Attribute::Binding,
            "reference" => Attribute::Reference,
            other => return Err(format!("{id}: attribute {other}")),
        };
        let framework_row = framework.row(&id).map(|(_, row)| row);
        let observation = framework_row.and_then(|_| zone.observation(&id, year));
        let (found_value, found_source) = (
            value(observation.map(|observation| &observation.value)),
            source(observation.map(|observation| &observation.source)),
        );
        if row.get("value") != Some(&found_value) || row.get("source") != Some(&found_source) {
            return Err(format!("{id}: the value or source is not the zone's"));
        }
        let warnings_zh = texts(row, "warnings")?;
        let warnings_en = texts(row, "warnings_en")?;
        if warnings_zh.len() != warnings_en.len() {
            return Err(format!("{id}: warnings"));
        }
        let partial = match (
            row.get("partial").and_then(Json::as_str),
            row.get("partial_en").and_then(Json::as_str),
        ) {
            (Some(zh), Some(en)) => Some(Text::new(zh, en)),
            (None, None) => None,
            _ => return Err(format!("{id}: partial")),
        };
        rows.push(RowAssessment {
            indicator: text(row, "indicator")?,
            is_indicator: row
                .get("is_indicator")
                .and_then(Json::as_bool)
                .ok_or_else(|| format!("{id}: is_indicator"))?,
            name: text(row, "name")?,
            name_en: text(row, "name_en")?,
            domain: text(row, "domain")?,
            task: text(row, "task")?,
            attribute,
            unit: text(row, "unit")?,
            format: framework_row.map(|row| row.format()).unwrap_or_default(),
            standard: text(row, "standard")?,
            standard_note: text(row, "standard_note")?,
            value: observation.map(|observation| observation.value.clone()),
            source: observation.map(|observation| observation.source.clone()),
            status,
            basis,
            explanation: Text::new(text(row, "explanation")?, text(row, "explanation_en")?),
            warnings: warnings_zh
                .into_iter()
                .zip(warnings_en)
                .map(|(zh, en)| Text::new(zh, en))
                .collect(),
            partial,
            lead_departments: texts(row, "lead_departments")?,
            id,
        });
    }
    let readiness = json.get("readiness").ok_or("readiness: missing")?;
    let share = |key: &str| {
        readiness
            .get(key)
            .and_then(Json::as_f64)
            .ok_or_else(|| format!("readiness.{key}: missing"))
    };
    let count = |key: &str| {
        readiness
            .get(key)
            .and_then(Json::as_u64)
            .and_then(|count| usize::try_from(count).ok())
            .ok_or_else(|| format!("readiness.{key}: missing"))
    };
    let rows_for_score = rows.clone();
    Ok(Assessment {
        zone_code: zone.profile.code.clone(),
        zone_name: text(json, "zone_name")?,
        year,
        framework_id: framework.id.clone(),
        framework_name: text(framework_json, "name")?,
        framework_edition: framework.edition.clone(),
        rows,
        readiness: Readiness {
            ready: readiness
                .get("ready")
                .and_then(Json::as_bool)
                .ok_or("readiness.ready: missing")?,
            binding_not_met: texts(readiness, "binding_not_met")?,
            binding_no_data: texts(readiness, "binding_no_data")?,
            reference_met: count("reference_met")?,
            reference_total: count("reference_total")?,
            reference_met_share: share("reference_met_share")?,
            reference_required_share: share("reference_required_share")?,
            explanation: Text::new(text(readiness, "explanation")?, text(readiness, "explanation_en")?),
        },
        // Recomputed from the rows read back: the same rules on the same judgements.
        score: framework
            .scoring
            .as_ref()
            .map(|scoring| ecociv_core::score::score(scoring, &rows_for_score)),
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
