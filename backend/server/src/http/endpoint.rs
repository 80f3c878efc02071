//! Every route as data: its method, path, words and parameters beside its handler. The router
//! is assembled from this list and the OpenAPI document is written from it, so the two cannot
//! drift apart.

use axum::routing::MethodRouter;
use serde_json::{Map, Value, json};

use super::AppState;

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    Query,
    Path,
    Header,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: &'static str,
    pub location: In,
    pub required: bool,
    /// JSON schema type: string, number, integer, boolean.
    pub kind: &'static str,
    pub description: &'static str,
}

/// One method on one path.
pub struct Endpoint {
    /// `/api/v1` for the API, empty for Open311's own root.
    pub base: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub params: Vec<Param>,
    /// The request body's content type, if it takes one.
    pub body: Option<(&'static str, &'static str)>,
    /// The success status and content type.
    pub ok: (u16, &'static str),
    pub handler: MethodRouter<AppState>,
}

impl Endpoint {
    pub fn new(
        method: &'static str,
        path: &'static str,
        tag: &'static str,
        summary: &'static str,
        handler: MethodRouter<AppState>,
    ) -> Self {
        Self {
            base: "/api/v1",
            method,
            path,
            tag,
            summary,
            params: Vec::new(),
            body: None,
            ok: (200, "application/json"),
            handler,
        }
    }

    #[must_use]
    pub fn at_root(mut self) -> Self {
        self.base = "";
        self
    }

    #[must_use]
    pub fn query(
        mut self,
        name: &'static str,
        kind: &'static str,
        description: &'static str,
    ) -> Self {
        self.params.push(Param {
            name,
            location: In::Query,
            required: false,
            kind,
            description,
        });
        self
    }

    #[must_use]
    pub fn required_query(
        mut self,
        name: &'static str,
        kind: &'static str,
        description: &'static str,
    ) -> Self {
        self.params.push(Param {
            name,
            location: In::Query,
            required: true,
            kind,
            description,
        });
        self
    }

    #[must_use]
    pub fn header(mut self, name: &'static str, description: &'static str) -> Self {
        self.params.push(Param {
            name,
            location: In::Header,
            required: false,
            kind: "string",
            description,
        });
        self
    }

    #[must_use]
    pub fn body(mut self, content_type: &'static str, description: &'static str) -> Self {
        self.body = Some((content_type, description));
        self
    }

    #[must_use]
    pub fn ok(mut self, status: u16, content_type: &'static str) -> Self {
        self.ok = (status, content_type);
        self
    }

    /// The full path, e.g. `/api/v1/cases/{id}`.
    pub fn full_path(&self) -> String {
        format!("{}{}", self.base, self.path)
    }

    /// Path parameters, read from `{name}` in the path.
    fn path_params(&self) -> Vec<Param> {
        let path: &'static str = self.path;
        path.split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| Param {
                name,
                location: In::Path,
                required: true,
                kind: "string",
                description: "",
            })
            .collect()
    }
}

fn param_json(p: &Param) -> Value {
    let location = match p.location {
        In::Query => "query",
        In::Path => "path",
        In::Header => "header",
    };
    json!({ "name": p.name, "in": location, "required": p.required, "description": p.description, "schema": { "type": p.kind } })
}

/// The OpenAPI 3 document for these endpoints.
pub fn openapi(endpoints: &[Endpoint]) -> Value {
    let mut paths = Map::new();
    for e in endpoints {
        let mut op = Map::new();
        op.insert("tags".into(), json!([e.tag]));
        op.insert("summary".into(), json!(e.summary));
        op.insert(
            "operationId".into(),
            json!(format!(
                "{}_{}",
                e.method,
                e.full_path()
                    .replace(['/', '{', '}', '.'], "_")
                    .trim_matches('_')
            )),
        );
        let params: Vec<Value> = e
            .path_params()
            .iter()
            .chain(&e.params)
            .map(param_json)
            .collect();
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }
        if let Some((content_type, description)) = e.body {
            op.insert("requestBody".into(), json!({ "required": true, "description": description, "content": { content_type: { "schema": {} } } }));
        }
        let (status, content_type) = e.ok;
        let error_type = if e.base.is_empty() {
            "application/json"
        } else {
            "application/problem+json"
        };
        op.insert(
            "responses".into(),
            json!({
                status.to_string(): { "description": "success", "content": { content_type: { "schema": {} } } },
                "4XX": { "description": "the request was refused; the body names the parameter", "content": { error_type: { "schema": {} } } },
            }),
        );
        let path = paths.entry(e.full_path()).or_insert_with(|| json!({}));
        if let Value::Object(m) = path {
            m.insert(e.method.to_owned(), Value::Object(op));
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "citygrid",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Grid management for a district city-management bureau: base layers, responsibility for a point, addresses, cases and their closed loop, live events, Open311 GeoReport v2.",
        },
        "paths": paths,
    })
}
