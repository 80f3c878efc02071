//! The detail of the selected case: where it is and who answers for it, its photos, its whole
//! history, and the actions of the closed loop the user's role may take now.

use std::str::FromStr;

use citygrid_core::access::may_act;
use citygrid_core::case::{Action, Status};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use crate::api;
use crate::cases::{act, local_time};
use crate::context::ctx;
use crate::i18n::t;

/// The label of an action (its key differs from the state it leads to only for `close`).
pub fn action_key(action: &str) -> &str {
    if action == "close" {
        "close_case"
    } else {
        action
    }
}

#[component]
pub fn CaseDetail() -> impl IntoView {
    let c = ctx();
    let case = RwSignal::new(None::<Value>);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let selected = c.selected.get();
        c.changed.track();
        let Some(id) = selected else {
            case.set(None);
            return;
        };
        spawn_local(async move {
            match api::get::<Value>(&format!("/api/v1/cases/{id}")).await {
                Ok(v) => {
                    error.set(None);
                    case.set(Some(v));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    });
    move || {
        let lang = c.lang.get();
        if let Some(e) = error.get() {
            return view! { <p class="error" role="alert">{e}</p> }.into_any();
        }
        let Some(v) = case.get() else {
            return view! { <p class="hint">{t(lang, "select_case")}</p> }.into_any();
        };
        view! { <CaseCard case=v /> }.into_any()
    }
}

#[component]
fn CaseCard(case: Value) -> impl IntoView {
    let c = ctx();
    let lang = c.lang.get_untracked();
    let id = case["id"].as_i64().unwrap_or_default();
    let status = case["status"].as_str().unwrap_or_default().to_owned();
    let overdue = case["overdue"].as_bool().unwrap_or(false);
    let loc = &case["location"];
    let text = |v: &Value| v.as_str().unwrap_or("—").to_owned();
    let rows = vec![
        (
            t(lang, "category"),
            c.category_name(case["category"].as_str().unwrap_or_default()),
        ),
        (
            t(lang, "source"),
            t(lang, case["source"].as_str().unwrap_or_default()).to_owned(),
        ),
        (
            t(lang, "created"),
            local_time(case["created_at"].as_str().unwrap_or_default()),
        ),
        (
            t(lang, "deadline"),
            local_time(case["deadline"].as_str().unwrap_or_default()),
        ),
        (t(lang, "description"), text(&case["description"])),
        (t(lang, "address"), text(&case["address"])),
        (t(lang, "grid"), text(&loc["grid"]["name"])),
        (t(lang, "community"), text(&loc["community"]["name"])),
        (t(lang, "street"), text(&loc["street"]["name"])),
        (t(lang, "shop"), text(&loc["shop"]["name"])),
        (t(lang, "assignee"), text(&case["assignee"])),
    ];
    let photos: Vec<String> = case["photos"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let events = case["events"].as_array().cloned().unwrap_or_default();
    let actions: Vec<&'static str> = Status::from_str(&status)
        .map(|s| {
            Action::allowed(s)
                .into_iter()
                .filter(|a| may_act(c.role(), *a))
                .map(Action::as_str)
                .collect()
        })
        .unwrap_or_default();
    let version = case["version"].as_i64();
    let point = (
        case["point"]["lon"].as_f64().unwrap_or_default(),
        case["point"]["lat"].as_f64().unwrap_or_default(),
    );
    view! {
        <article class="case-card" data-case=id data-status=status.clone()>
            <h2>
                {t(lang, "case")}" #"{id}" "
                <span class=format!("status status-{status}")>{t(lang, &status)}</span>
                {overdue.then(|| view! { <span class="badge overdue">{t(lang, "overdue")}</span> })}
            </h2>
            <dl class="facts">
                {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <button type="button" class="link" on:click=move |_| crate::map::show_point(point.0, point.1)>
                {t(lang, "show_on_map")}
            </button>
            {(!photos.is_empty()).then(|| view! {
                <h3>{t(lang, "photos")}</h3>
                <div class="photos">
                    {photos.into_iter().map(|h| view! {
                        <a href=format!("/api/v1/photos/{h}") target="_blank">
                            <img src=format!("/api/v1/photos/{h}") alt=t(lang, "photo") loading="lazy" />
                        </a>
                    }).collect_view()}
                </div>
            })}
            <Actions id=id version=version actions=actions />
            <h3>{t(lang, "history")}</h3>
            <ol class="history">
                {events.into_iter().map(|e| {
                    let action = e["action"].as_str().unwrap_or_default().to_owned();
                    view! {
                        <li>
                            <time>{local_time(e["at"].as_str().unwrap_or_default())}</time>" "
                            <strong>{t(lang, action_key(&action))}</strong>" · "
                            {e["actor"].as_str().unwrap_or_default().to_owned()}
                            {e["assignee"].as_str().map(|a| format!(" → {a}"))}
                            {e["note"].as_str().map(|n| view! { <q>{n.to_owned()}</q> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </article>
    }
}

#[component]
fn Actions(id: i64, version: Option<i64>, actions: Vec<&'static str>) -> impl IntoView {
    let c = ctx();
    let lang = c.lang.get_untracked();
    let note = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let deadline = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let run = move |action: &'static str| {
        let mut body = json!({ "action": action });
        if let Some(v) = version {
            body["version"] = json!(v);
        }
        let n = note.get_untracked();
        if !n.trim().is_empty() {
            body["note"] = json!(n.trim());
        }
        if action == "dispatch" {
            body["assignee"] = json!(assignee.get_untracked().trim());
        }
        if action == "extend" {
            // datetime-local gives local time without a zone; the browser knows the zone.
            let local =
                js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&deadline.get_untracked()));
            if local.get_time().is_nan() {
                message.set(Some((false, t(lang, "new_deadline").to_owned())));
                return;
            }
            body["deadline"] = json!(String::from(local.to_iso_string()));
        }
        busy.set(true);
        spawn_local(async move {
            let result = act(id, body).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    message.set(Some((true, t(lang, "done").to_owned())));
                    note.set(String::new());
                    c.changed.update(|n| *n += 1);
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
    };
    if actions.is_empty() {
        return view! { <p class="hint">{t(lang, "no_actions")}</p> }.into_any();
    }
    let needs_assignee = actions.contains(&"dispatch");
    let needs_deadline = actions.contains(&"extend");
    view! {
        <fieldset class="actions">
            <legend>{t(lang, "actions")}</legend>
            <label>{t(lang, "note")}
                <input type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
            </label>
            {needs_assignee.then(|| view! {
                <label>{t(lang, "assignee")}
                    <input type="text" class="assignee" placeholder="ZF0001" prop:value=move || assignee.get()
                        on:input=move |ev| assignee.set(event_target_value(&ev)) />
                </label>
            })}
            {needs_deadline.then(|| view! {
                <label>{t(lang, "new_deadline")}
                    <input type="datetime-local" prop:value=move || deadline.get()
                        on:input=move |ev| deadline.set(event_target_value(&ev)) />
                </label>
            })}
            <div class="buttons">
                {actions.into_iter().map(|a| view! {
                    <button type="button" data-action=a disabled=move || busy.get() on:click=move |_| run(a)>
                        {t(lang, action_key(a))}
                    </button>
                }).collect_view()}
            </div>
            {move || message.get().map(|(ok, m)| view! {
                <p class={if ok { "ok" } else { "error" }} role="status">{m}</p>
            })}
        </fieldset>
    }
    .into_any()
}
