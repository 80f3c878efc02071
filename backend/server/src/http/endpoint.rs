//! Every route as data: its method, path, words and parameters beside its handler. The router
//! is assembled from this list and the OpenAPI document is written from it, so the two cannot
//! drift apart.

use axum::routing::MethodRouter;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};

use citygrid_core::access::Permission;

use super::AppState;
use super::rate_limit::Door;

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

/// A type's JSON Schema, written by a generator that keeps named types in the document's
/// components.
pub type SchemaOf = fn(&mut SchemaGenerator) -> Schema;

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
    /// What the caller needs; an endpoint that declares nothing is open to admins only.
    pub access: Option<Permission>,
    /// The JSON body's type, when it takes one.
    pub body_schema: Option<SchemaOf>,
    /// The type of the success answer's JSON.
    pub answer: Option<SchemaOf>,
    /// The query string's types (objects whose fields are the parameters).
    pub queries: Vec<SchemaOf>,
    /// The rate-limited door this endpoint opens, if any.
    pub limited: Option<Door>,
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
            access: None,
            body_schema: None,
            answer: None,
            queries: Vec::new(),
            limited: None,
            handler,
        }
    }

    /// Declares what the caller needs.
    #[must_use]
    pub fn access(mut self, permission: Permission) -> Self {
        self.access = Some(permission);
        self
    }

    /// Puts this endpoint behind `door`'s per-address rate limit.
    #[must_use]
    pub fn limited(mut self, door: Door) -> Self {
        self.limited = Some(door);
        self
    }

    /// What the caller needs (admins only when undeclared: closed, never open, by default).
    pub fn permission(&self) -> Permission {
        self.access.unwrap_or(Permission::ManageUsers)
    }

    #[must_use]
    pub fn at_root(mut self) -> Self {
        self.base = "";
        self
    }

    /// A query parameter read by hand (Open311's); `/api/v1` routes declare a type instead
    /// ([`Endpoint::queries`]).
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

    /// A JSON body of type `T`.
    #[must_use]
    pub fn json<T: JsonSchema>(mut self, description: &'static str) -> Self {
        self.body = Some(("application/json", description));
        self.body_schema = Some(SchemaGenerator::subschema_for::<T>);
        self
    }

    /// The success answer is JSON of type `T`.
    #[must_use]
    pub fn answers<T: JsonSchema>(mut self) -> Self {
        self.answer = Some(SchemaGenerator::subschema_for::<T>);
        self
    }

    /// The query parameters are (also) the fields of `T`.
    #[must_use]
    pub fn queries<T: JsonSchema>(mut self) -> Self {
        self.queries.push(SchemaGenerator::root_schema_for::<T>);
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

/// The OpenAPI 3 document for these endpoints, with the JSON Schemas of their bodies and answers
/// (requests as they are read, answers as they are written) in its components.
pub fn openapi(endpoints: &[Endpoint]) -> Value {
    let mut paths = Map::new();
    let mut requests = SchemaSettings::openapi3()
        .for_deserialize()
        .into_generator();
    let mut responses = SchemaSettings::openapi3().for_serialize().into_generator();
    let mut inline = SchemaSettings::openapi3()
        .for_deserialize()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let problem = responses
        .subschema_for::<citygrid_core::api::Problem>()
        .to_value();
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
        let mut params: Vec<Value> = e
            .path_params()
            .iter()
            .chain(&e.params)
            .map(param_json)
            .collect();
        for queries in &e.queries {
            params.extend(query_params(queries(&mut inline)));
        }
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }
        if let Some((content_type, description)) = e.body {
            let schema = e
                .body_schema
                .map_or_else(|| json!({}), |s| s(&mut requests).to_value());
            op.insert("requestBody".into(), json!({ "required": true, "description": description, "content": { content_type: { "schema": schema } } }));
        }
        let permission = e.permission();
        op.insert("x-permission".into(), json!(permission.as_str()));
        if permission.needs_login() {
            op.insert(
                "security".into(),
                json!([{ "bearer": [] }, { "cookie": [] }]),
            );
        }
        let (status, content_type) = e.ok;
        let error_type = if e.base.is_empty() {
            "application/json"
        } else {
            "application/problem+json"
        };
        let answer = e
            .answer
            .map_or_else(|| json!({}), |s| s(&mut responses).to_value());
        let problem = if e.base.is_empty() {
            json!({})
        } else {
            problem.clone()
        };
        let success = if status == 204 {
            json!({ "description": "success" })
        } else {
            json!({ "description": "success", "content": { content_type: { "schema": answer } } })
        };
        let mut responses = json!({
                status.to_string(): success,
                "4XX": { "description": "the request was refused: 401 without a session, 403 when the role may not, otherwise the body names the parameter", "content": { error_type: { "schema": problem } } },
                "503": { "description": "the database cannot be reached for now, or heavy work (statistics, reports, exports) is busy or ran over its time budget; try again after Retry-After seconds", "headers": { "Retry-After": { "schema": { "type": "integer" } } }, "content": { error_type: { "schema": problem } } },
        });
        if let Some(door) = e.limited {
            responses["429"] = json!({ "description": format!("more than {} requests a minute from this address; try again after Retry-After seconds", door.per_minute()), "headers": { "Retry-After": { "schema": { "type": "integer" } } }, "content": { error_type: { "schema": problem } } });
        }
        op.insert("responses".into(), responses);
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
        "components": {
            "schemas": components(&mut requests, &mut responses),
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "the token from POST /api/v1/login" },
                "cookie": { "type": "apiKey", "in": "cookie", "name": "citygrid_session", "description": "set by POST /api/v1/login; writes also need the X-CSRF-Token header" },
            },
        },
    })
}

/// The query parameters a type's fields make.
fn query_params(schema: Schema) -> Vec<Value> {
    let schema = schema.to_value();
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = schema["properties"].as_object() else {
        return Vec::new();
    };
    properties
        .iter()
        .map(|(name, property)| {
            let mut property = property.clone();
            let description = property
                .as_object_mut()
                .and_then(|p| p.remove("description"))
                .unwrap_or_else(|| json!(""));
            // A parameter is absent rather than null: `Option<T>` is documented as `T`.
            if let Some(any) = property["anyOf"].as_array()
                && any.len() == 2
                && let Some(given) = any.iter().find(|s| s["nullable"] != json!(true))
            {
                let mut given = given.clone();
                if let (Some(g), Some(d)) = (given.as_object_mut(), description.as_str())
                    && !g.contains_key("description")
                {
                    g.insert("description".into(), json!(d));
                }
                property = given;
            }
            if let Some(p) = property.as_object_mut() {
                p.remove("nullable");
            }
            json!({ "name": name, "in": "query", "required": required.contains(&name.as_str()), "description": description, "schema": property })
        })
        .collect()
}

/// The named types of requests and answers. A type both read and written the same way is
/// one component; one whose two forms differ (defaults, fields left out when empty) is named
/// for each direction.
fn components(
    requests: &mut SchemaGenerator,
    responses: &mut SchemaGenerator,
) -> Map<String, Value> {
    let mut all = responses.take_definitions(true);
    for (name, schema) in requests.take_definitions(true) {
        match all.get(&name) {
            Some(written) if *written != schema => {
                tracing::debug!(%name, "a type read and written differently");
                all.insert(format!("{name}ForRequests"), schema);
            }
            Some(_) => {}
            None => {
                all.insert(name, schema);
            }
        }
    }
    all
}

/// The routes × roles table of the docs (Markdown): for every endpoint, the permission it
/// declares and whether each role holds it (`✓`), or `public` when no login is needed.
pub fn access_table(endpoints: &[Endpoint]) -> String {
    use citygrid_core::account::Role;
    use std::fmt::Write;
    let mut out = String::from("| route | permission |");
    for role in Role::ALL {
        let _ = write!(out, " {role} |");
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---|".repeat(Role::ALL.len()));
    out.push('\n');
    for e in endpoints {
        let permission = e.permission();
        let _ = write!(
            out,
            "| `{} {}` | {} |",
            e.method.to_uppercase(),
            e.full_path(),
            permission.as_str()
        );
        for role in Role::ALL {
            let cell = if !permission.needs_login() {
                "public"
            } else if permission.granted_to(role) {
                "✓"
            } else {
                "—"
            };
            let _ = write!(out, " {cell} |");
        }
        out.push('\n');
    }
    out
}
