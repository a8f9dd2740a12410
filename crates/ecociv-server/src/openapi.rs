//! The OpenAPI 3.1 document, generated from the route table ([`crate::routes::ROUTES`]) and the request
//! shapes below, so that it lists every route the server has. Hand-written rather than derived with
//! utoipa: the handlers' JSON is built explicitly, and the route table already holds what the document needs.

use serde_json::{Map, Value, json};

use crate::error::Code;
use crate::routes::ROUTES;

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
        "DepartmentName": {"type": "object", "required": ["name"], "properties": {"name": text}}
    })
}

fn parameters(path: &str) -> Vec<Value> {
    let mut parameters: Vec<Value> = path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": if name == "year" { "integer" } else { "string" }}}))
        .collect();
    if path.ends_with("/assessment") {
        parameters.push(json!({"name": "year", "in": "query", "required": true, "schema": {"type": "integer"}}));
        parameters.push(json!({"name": "include", "in": "query", "required": false, "schema": {"type": "string", "enum": ["approved", "submitted"]}}));
    }
    if path.ends_with("/values") {
        parameters.push(json!({"name": "year", "in": "query", "required": false, "schema": {"type": "integer"}}));
    }
    if path.ends_with("/evidence") {
        parameters.push(json!({"name": "name", "in": "query", "required": false, "description": "POST: the file name", "schema": {"type": "string"}}));
    }
    if path.ends_with("/import") {
        parameters.push(json!({"name": "dry_run", "in": "query", "required": false, "schema": {"type": "boolean"}}));
        parameters.push(json!({"name": "status", "in": "query", "required": false, "schema": {"type": "string", "enum": ["draft", "submitted", "approved"]}}));
        parameters.push(json!({"name": "format", "in": "query", "required": false, "schema": {"type": "string", "enum": ["csv", "json"]}}));
    }
    parameters
}

/// The document served at `GET /api/v1/openapi.json`.
pub fn document() -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for route in ROUTES {
        let mut operation = json!({
            "summary": route.summary,
            "description": format!("Access: {}.", route.access.describe()),
            "parameters": parameters(route.path),
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
                "required": body != "Step",
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
