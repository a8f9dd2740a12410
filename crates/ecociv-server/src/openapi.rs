//! The OpenAPI 3.1 document, generated from the route table ([`crate::routes::ROUTES`]: paths, methods,
//! access, query parameters) and the request shapes below, so that it lists every route the server has.
//!
//! Not derived with utoipa: the handlers build their JSON explicitly (no response types to derive from),
//! the route table already drives the router, and annotating every handler would cost a proc-macro crate
//! and a second description of each route beside the table. Instead the document is *tested against the
//! handlers* (`tests/integration/contract.rs`): every documented required query parameter and body field,
//! left out, is refused by the handler with the JSON error naming it; a request with only the documented
//! required parameters is never refused for a missing one; every route answers malformed input in the
//! documented error shape.

use serde_json::{Map, Value, json};

use crate::error::Code;
use crate::routes::{ROUTES, RouteSpec};

fn schemas() -> Value {
    let text = json!({"type": "string"});
    let error_codes: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
    json!({
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string", "enum": error_codes},
                "message": text,
                "details": {}
            }}}
        },
        "Login": {"type": "object", "required": ["username", "password"], "properties": {"username": text, "password": text}},
        "Entry": {
            "type": "object",
            "required": ["value"],
            "properties": {
                "value": {"type": "string", "description": "数字或本指标的状态文字 (a number, or a state text of the row)"},
                "assigned": {"type": "string", "description": "上级下达值或 完成/未完成"},
                "recorded": {"type": "string", "description": "达标 / 不达标 as a document records it"},
                "source": {"type": "string", "description": "出处；以 synthetic: 开头表示合成数据"},
                "unit": {"type": "string", "description": "若给出，须与指标单位一致"},
                "evidence": {"type": "string", "description": "佐证材料"},
                "reason": {"type": "string", "description": "修改原因"},
                "after": {"type": "integer", "description": "the revision this follows (optimistic concurrency)"}
            }
        },
        "Step": {"type": "object", "properties": {
            "comment": {"type": "string", "description": "意见（退回、重新打开时必填）"},
            "after": {"type": "integer"}
        }},
        "Import": {
            "description": "text/csv: indicator,year,value,assigned[,recorded,source]; or application/json as below",
            "type": "object",
            "required": ["values"],
            "properties": {"values": {"type": "array", "items": {"type": "object", "required": ["indicator", "year", "value"], "properties": {
                "indicator": text, "year": {"type": "integer"}, "value": text, "assigned": text, "recorded": text, "source": text, "evidence": text
            }}}}
        },
        "NewUser": {"type": "object", "required": ["username", "display_name", "password"], "properties": {
            "username": text, "display_name": text, "password": {"type": "string", "minLength": crate::auth::MIN_PASSWORD_CHARS}, "is_admin": {"type": "boolean"}
        }},
        "Member": {"type": "object", "required": ["role"], "properties": {
            "role": {"type": "string", "enum": ["reviewer", "editor", "viewer", "none"]}, "department": text
        }},
        "UserChange": {"type": "object", "properties": {"display_name": text, "disabled": {"type": "boolean"}}},
        "NewPassword": {"type": "object", "required": ["password"], "properties": {
            "password": {"type": "string", "minLength": crate::auth::MIN_PASSWORD_CHARS}
        }},
        "DepartmentName": {"type": "object", "required": ["name"], "properties": {"name": text}},
        "NewZone": {"type": "object", "required": ["zone_toml"], "additionalProperties": false, "properties": {
            "zone_toml": {"type": "string", "description": "zone.toml 全文 (the zone file's text)"},
            "values_csv": {"type": "string", "description": "values.csv 全文（可选）"},
            "projects_csv": {"type": "string", "description": "projects.csv 全文（可选）"},
            "public": {"type": "boolean", "description": "是否对外公开 (disclosed)"}
        }},
        "UnitRole": {"type": "object", "required": ["role"], "additionalProperties": false, "properties": {
            "role": {"type": "string", "enum": ["reviewer", "viewer", "none"]}
        }},
        "EditionAdoption": {"type": "object", "required": ["framework", "from_year", "reason"], "additionalProperties": false, "properties": {
            "framework": {"type": "string", "description": "新版指标体系标识 (the edition's id)"},
            "from_year": {"type": "integer", "description": "启用年份：此年起按新版本评估 (the first year judged under it)"},
            "reason": {"type": "string", "description": "采用依据（文件名称、文号）(why: the document)"}
        }},
        "SitesGeoJson": {"type": "object", "required": ["type", "features"], "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "description": "点要素：geometry 为 Point，coordinates 为 [经度, 纬度]（WGS-84，须在中国境内）；properties.kind 为 station（空气监测站点）、section（水质断面）或 project（重点项目），properties.id 为站点、断面名称（与监测数据一致）或项目编号（如 2.03），properties.name 可选，properties.illustrative 为 true 时为示意位置 (Point features)", "items": {"type": "object"}}
        }},
        "PublicSwitch": {"type": "object", "required": ["public"], "additionalProperties": false, "properties": {
            "public": {"type": "boolean", "description": "是否对外公开 (whether the zone is public)"}
        }},
        "LicenceChoice": {"type": "object", "required": ["licence"], "additionalProperties": false, "properties": {
            "licence": {"type": "string", "enum": ["CC-BY-4.0", "CC0-1.0", "CC-BY-SA-4.0"], "description": "开放数据的许可协议 (the open data's licence, SPDX id)"}
        }},
        "PlanReport": {"type": "object", "required": ["status", "percent", "narrative"], "properties": {
            "status": {"type": "string", "enum": ["not_started", "in_progress", "done", "stalled", "未启动", "推进中", "已完成", "滞后"]},
            "percent": {"type": "integer", "minimum": 0, "maximum": 100},
            "spend": {"type": "array", "description": "本期支出（仅项目） (spend this period, projects only)", "items": {
                "type": "object", "required": ["source", "wan_yuan"], "properties": {
                    "source": {"type": "string", "description": "资金来源"},
                    "wan_yuan": {"type": "string", "description": "万元，至多两位小数 (10 000 yuan, ≤ 2 decimals)"}
                }
            }},
            "narrative": {"type": "string", "description": "进展情况"},
            "evidence": {"type": "array", "items": text, "description": "已上传到该报告的佐证材料 id"}
        }},
        "PlanReview": {"type": "object", "properties": {
            "comment": {"type": "string", "description": "意见（退回时必填）"}
        }},
        "PlanFollowUp": {"type": "object", "required": ["subject", "owner", "reason", "due"], "properties": {
            "subject": text, "owner": {"type": "string", "description": "责任单位"}, "reason": {"type": "string", "description": "事由"},
            "due": {"type": "string", "format": "date", "description": "办结期限 YYYY-MM-DD"}
        }},
        "PlanText": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "description": "办理情况"}}},
        "PlanBasis": {"type": "object", "required": ["basis"], "properties": {"basis": {"type": "string", "description": "销号依据"}}}
    })
}

fn parameters(route: &RouteSpec) -> Vec<Value> {
    let path_parameters = route
        .path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": if name == "year" { "integer" } else { "string" }}}));
    let query_parameters = route.query.iter().map(|param| {
        let mut schema = json!({"type": param.kind});
        if !param.values.is_empty() {
            schema["enum"] = json!(param.values);
        }
        json!({"name": param.name, "in": "query", "required": param.required, "schema": schema})
    });
    path_parameters.chain(query_parameters).collect()
}

/// The document served at `GET /api/v1/openapi.json`.
pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for route in ROUTES {
        let mut operation = json!({
            "summary": route.summary,
            "description": format!("Access: {}.", route.access.describe()),
            "parameters": parameters(route),
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                "default": {"description": "错误 (error)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
        if route.method != "GET" {
            operation["description"] = json!(format!(
                "Access: {}. State-changing: send the CSRF token in the X-CSRF-Token header.",
                route.access.describe()
            ));
        }
        if let Some(body) = route.body {
            operation["requestBody"] = json!({
                "required": !matches!(body, "Step" | "PlanReview"),
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{body}")}}}
            });
        }
        let entry = paths.entry(route.path.to_string()).or_insert_with(|| json!({}));
        entry[route.method.to_lowercase()] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "ecociv API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "国家生态文明建设示范区：区域、指标体系、规划、数值及审核流程、评估。Sessions are HttpOnly cookies; every state-changing request needs the session's CSRF token (X-CSRF-Token). Errors are JSON with a stable code."
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE}}
        }
    })
}
