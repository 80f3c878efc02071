//! The admin's page: replace a base layer from a file (every bad feature listed, nothing
//! changed until the whole file is good), users and their roles, and the case categories with
//! their time limits.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use crate::api;
use crate::context::ctx;
use crate::i18n::t;

const LAYERS: [&str; 7] = [
    "grids",
    "communities",
    "streets",
    "shops",
    "zones",
    "components",
    "officers",
];
const ROLES: [&str; 6] = [
    "admin",
    "leader",
    "supervisor",
    "dispatcher",
    "officer",
    "planner",
];

#[component]
pub fn AdminView() -> impl IntoView {
    view! {
        <ImportLayer />
        <Users />
        <Categories />
    }
}

#[component]
fn ImportLayer() -> impl IntoView {
    let lang = ctx().lang;
    let layer = RwSignal::new(LAYERS[0].to_owned());
    let crs = RwSignal::new("wgs84".to_owned());
    let file = RwSignal::new_local(None::<web_sys::File>);
    let outcome = RwSignal::new(None::<Result<Value, api::Failure>>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(f) = file.get_untracked() else {
            return;
        };
        let url = format!(
            "/api/v1/layers/{}?crs={}",
            layer.get_untracked(),
            crs.get_untracked()
        );
        busy.set(true);
        spawn_local(async move {
            outcome.set(Some(
                api::send_file::<Value>("PUT", &url, &f, "application/geo+json").await,
            ));
            busy.set(false);
        });
    };
    view! {
        <form class="import-layer" on:submit=submit>
            <h2>{move || t(lang.get(), "import_layer")}</h2>
            <label>{move || t(lang.get(), "layer")}
                <select name="layer" on:change=move |ev| layer.set(event_target_value(&ev))>
                    {LAYERS.map(|l| view! { <option value=l>{move || t(lang.get(), l)}</option> }).collect_view()}
                </select></label>
            <label>{move || t(lang.get(), "crs")}
                <select name="crs" on:change=move |ev| crs.set(event_target_value(&ev))>
                    <option value="wgs84">"WGS 84 / CGCS2000"</option>
                    <option value="gcj02">"GCJ-02"</option>
                    <option value="bd09">"BD-09"</option>
                </select></label>
            <label>{move || t(lang.get(), "file")}
                <input type="file" name="file" accept=".geojson,.json,.csv"
                    on:change=move |ev| file.set(event_target::<web_sys::HtmlInputElement>(&ev).files().and_then(|f| f.get(0))) /></label>
            <button type="submit" disabled=move || busy.get()>{move || t(lang.get(), "import")}</button>
            {move || outcome.get().map(|o| match o {
                Ok(report) => view! {
                    <p class="ok" role="status">{t(lang.get(), "imported")}": "{report["count"].as_i64().unwrap_or_default()}</p>
                    <ul class="warnings">{report["warnings"].as_array().cloned().unwrap_or_default().into_iter()
                        .map(|w| view! { <li>{w.as_str().unwrap_or_default().to_owned()}</li> }).collect_view()}</ul>
                }.into_any(),
                Err(f) => {
                    let errors = f.problem["errors"].as_array().cloned().unwrap_or_default();
                    view! {
                        <p class="error" role="alert">{f.detail.clone()}</p>
                        {(!errors.is_empty()).then(|| view! {
                            <table class="feature-errors">
                                <thead><tr><th>{t(lang.get(), "feature")}</th><th>{t(lang.get(), "code")}</th>
                                    <th>{t(lang.get(), "field")}</th><th>{t(lang.get(), "problem")}</th></tr></thead>
                                <tbody>{errors.into_iter().map(|e| {
                                    let at = e["feature"].as_i64().map(|n| n.to_string())
                                        .or_else(|| e["line"].as_i64().map(|n| format!("{} {n}", t(lang.get_untracked(), "line"))))
                                        .unwrap_or_default();
                                    view! { <tr><td>{at}</td><td>{e["code"].as_str().unwrap_or("—").to_owned()}</td>
                                        <td>{e["field"].as_str().unwrap_or_default().to_owned()}</td><td>{e["problem"].as_str().unwrap_or_default().to_owned()}</td></tr> }
                                }).collect_view()}</tbody>
                            </table>
                        })}
                    }.into_any()
                }
            })}
        </form>
    }
}

#[component]
fn Users() -> impl IntoView {
    let lang = ctx().lang;
    let users = RwSignal::new(None::<Result<Vec<Value>, String>>);
    let reload = RwSignal::new(0_u32);
    let message = RwSignal::new(None::<(bool, String)>);
    Effect::new(move |_| {
        reload.track();
        spawn_local(async move {
            users.set(Some(
                api::get::<Value>("/api/v1/users")
                    .await
                    .map(|v| v["users"].as_array().cloned().unwrap_or_default()),
            ));
        });
    });
    let change = move |id: i64, body: Value| {
        spawn_local(async move {
            match api::patch::<Value>(&format!("/api/v1/users/{id}"), &body).await {
                Ok(_) => {
                    message.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    // A forgotten password: a one-time one is made, shown here once; the user's sessions end.
    let reset = move |id: i64, name: String| {
        let sure = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(&format!(
                    "{} {name}?",
                    t(lang.get_untracked(), "reset_password")
                ))
                .ok()
            })
            .unwrap_or(false);
        if !sure {
            return;
        }
        spawn_local(async move {
            let body = json!({ "reset_password": true });
            match api::patch::<Value>(&format!("/api/v1/users/{id}"), &body).await {
                Ok(v) => message.set(Some((
                    true,
                    format!(
                        "{name} · {}: {}",
                        t(lang.get_untracked(), "one_time_password"),
                        v["password"].as_str().unwrap_or_default()
                    ),
                ))),
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    let username = RwSignal::new(String::new());
    let role = RwSignal::new("planner".to_owned());
    let scope = RwSignal::new(String::new());
    let officer = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut body =
            json!({ "username": username.get_untracked().trim(), "role": role.get_untracked() });
        let s = scope.get_untracked();
        if !s.trim().is_empty() {
            body["scope"] = json!(s.split(',').map(str::trim).collect::<Vec<_>>());
        }
        let o = officer.get_untracked();
        if !o.trim().is_empty() {
            body["officer"] = json!(o.trim());
        }
        spawn_local(async move {
            match api::post::<Value>("/api/v1/users", &body).await {
                Ok(v) => {
                    let password = v["password"].as_str().unwrap_or_default().to_owned();
                    message.set(Some((
                        true,
                        format!(
                            "{}: {password}",
                            t(lang.get_untracked(), "one_time_password")
                        ),
                    )));
                    username.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    view! {
        <section class="users">
            <h2>{move || t(lang.get(), "users")}</h2>
            {move || match users.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table>
                        <thead><tr><th>{t(lang.get(), "username")}</th><th>{t(lang.get(), "display_name")}</th><th>{t(lang.get(), "role")}</th>
                            <th>{t(lang.get(), "scope")}</th><th>{t(lang.get(), "officer_code")}</th><th></th></tr></thead>
                        <tbody>{list.into_iter().map(|u| {
                            let id = u["id"].as_i64().unwrap_or_default();
                            let current = u["role"].as_str().unwrap_or_default().to_owned();
                            let disabled = u["disabled"].as_bool().unwrap_or(false);
                            let name = u["username"].as_str().unwrap_or_default().to_owned();
                            let scope = u["scope"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")).unwrap_or_default();
                            view! {
                                <tr class:disabled=disabled>
                                    <td>{u["username"].as_str().unwrap_or_default().to_owned()}</td>
                                    <td>{u["display_name"].as_str().unwrap_or_default().to_owned()}</td>
                                    <td><select aria-label=t(lang.get_untracked(), "role") on:change=move |ev| change(id, json!({ "role": event_target_value(&ev) }))>
                                        {ROLES.map(|r| view! { <option value=r selected=r == current>{t(lang.get_untracked(), r)}</option> }).collect_view()}
                                    </select></td>
                                    <td>{scope}</td>
                                    <td>{u["officer"].as_str().unwrap_or_default().to_owned()}</td>
                                    <td><button type="button" on:click=move |_| change(id, json!({ "disabled": !disabled }))>
                                        {t(lang.get_untracked(), if disabled { "enable" } else { "disable" })}</button>
                                        " "
                                        <button type="button" class="reset-password" data-user=name.clone() on:click=move |_| reset(id, name.clone())>
                                        {t(lang.get_untracked(), "reset_password")}</button></td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
            <form class="add-user" on:submit=add>
                <h3>{move || t(lang.get(), "add_user")}</h3>
                <label>{move || t(lang.get(), "username")}<input type="text" required=true prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) /></label>
                <label>{move || t(lang.get(), "role")}
                    <select on:change=move |ev| role.set(event_target_value(&ev))>
                        {ROLES.map(|r| view! { <option value=r selected=r == "planner">{move || t(lang.get(), r)}</option> }).collect_view()}
                    </select></label>
                <label>{move || t(lang.get(), "scope")}<input type="text" placeholder="340688001001" on:input=move |ev| scope.set(event_target_value(&ev)) /></label>
                <label>{move || t(lang.get(), "officer_code")}<input type="text" placeholder="ZF0001" on:input=move |ev| officer.set(event_target_value(&ev)) /></label>
                <button type="submit">{move || t(lang.get(), "add_user")}</button>
            </form>
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
        </section>
    }
}

#[component]
fn Categories() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    // The catalogue as the server gives it, edited in place and sent back whole.
    let catalogue = RwSignal::new(None::<Value>);
    let message = RwSignal::new(None::<(bool, String)>);
    spawn_local(async move {
        match api::get::<Value>("/api/v1/categories").await {
            Ok(v) => catalogue.set(Some(v)),
            Err(e) => message.set(Some((false, e))),
        }
    });
    let set = move |code: String, field: &'static str, value: String| {
        catalogue.update(|c| {
            if let Some(row) = c
                .as_mut()
                .and_then(|c| c["categories"].as_array_mut())
                .and_then(|rows| rows.iter_mut().find(|r| r["code"] == code.as_str()))
            {
                row[field] = Value::from(value);
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(body) = catalogue.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let sent =
                api::send_text::<Value>("PUT", "/api/v1/categories", &body.to_string()).await;
            match sent {
                Ok(v) => {
                    if let Ok(list) = serde_json::from_value(v["categories"].clone()) {
                        c.categories.set(list);
                    }
                    catalogue.set(Some(v));
                    message.set(Some((true, t(lang.get_untracked(), "saved").to_owned())));
                }
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    view! {
        <form class="categories" on:submit=save>
            <h2>{move || t(lang.get(), "categories")}</h2>
            <table>
                <thead><tr><th>{move || t(lang.get(), "code")}</th><th>{move || t(lang.get(), "name")}</th>
                    <th>{move || t(lang.get(), "limit")}</th><th>{move || t(lang.get(), "unit")}</th></tr></thead>
                <tbody>{move || catalogue.get().and_then(|c| c["categories"].as_array().cloned()).unwrap_or_default().into_iter().map(|k| {
                    let code = k["code"].as_str().unwrap_or_default().to_owned();
                    let (c1, c2, c3) = (code.clone(), code.clone(), code.clone());
                    let text = |f: &str| k[f].as_str().unwrap_or_default().to_owned();
                    view! {
                        <tr data-code=code.clone()>
                            <td>{code.clone()}</td>
                            <td><input type="text" name="name_zh" aria-label=t(lang.get_untracked(), "name") prop:value=text("name_zh")
                                on:change=move |ev| set(c1.clone(), "name_zh", event_target_value(&ev)) /></td>
                            <td><input type="text" name="limit" size="4" aria-label=t(lang.get_untracked(), "limit") prop:value=text("limit")
                                on:change=move |ev| set(c2.clone(), "limit", event_target_value(&ev)) /></td>
                            <td><input type="text" name="unit" size="4" aria-label=t(lang.get_untracked(), "unit") prop:value=text("unit")
                                on:change=move |ev| set(c3.clone(), "unit", event_target_value(&ev)) /></td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
            <p class="hint">{move || t(lang.get(), "limit_hint")}</p>
            <button type="submit">{move || t(lang.get(), "save")}</button>
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
        </form>
    }
}
