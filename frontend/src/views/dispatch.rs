//! The dispatcher's desk: the queue of new cases (overdue first, then newest), updating live;
//! for the selected case its responsibility and the nearest officers by arrival time, drawn on
//! the map; one click assigns; officers' positions move as their fixes arrive.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use crate::api;
use crate::case_detail::CaseDetail;
use crate::cases::{self, Filter};
use crate::context::ctx;
use crate::i18n::t;
use crate::map;
use crate::views::supervisor::CaseList;

/// Officers by code: (lon, lat, status) of those whose position is known.
type Positions = HashMap<String, (f64, f64, String)>;

fn draw_officers(positions: &Positions) {
    let list: Vec<Value> = positions
        .iter()
        .map(|(code, (lon, lat, status))| json!({ "code": code, "lon": lon, "lat": lat, "status": status }))
        .collect();
    map::set_officers(&Value::Array(list).to_string());
}

#[component]
pub fn DispatchView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let queue = RwSignal::new(None::<Result<Vec<Value>, String>>);
    let positions = RwSignal::new(Positions::new());
    let filter = Filter {
        statuses: vec!["reported".into(), "registered".into()],
        ..Filter::default()
    };
    Effect::new(move |_| {
        c.changed.track();
        let filter = filter.clone();
        spawn_local(async move {
            let _ = cases::show_on_map(&filter).await;
            let listed = api::get::<Value>(&format!("/api/v1/cases?limit=200&{}", filter.query()))
                .await
                .map(|v| {
                    let mut list = v["cases"].as_array().cloned().unwrap_or_default();
                    list.sort_by(|a, b| {
                        let calm = |v: &Value| !v["overdue"].as_bool().unwrap_or(false);
                        calm(a)
                            .cmp(&calm(b))
                            .then_with(|| b["created_at"].as_str().cmp(&a["created_at"].as_str()))
                    });
                    list
                });
            queue.set(Some(listed));
        });
        spawn_local(async move {
            if let Ok(v) = api::get::<Value>("/api/v1/officers").await {
                let mut known = Positions::new();
                for o in v["officers"].as_array().into_iter().flatten() {
                    if let (Some(code), Some(lon), Some(lat)) = (
                        o["code"].as_str(),
                        o["position"]["lon"].as_f64(),
                        o["position"]["lat"].as_f64(),
                    ) && o["position_known"].as_bool().unwrap_or(false)
                    {
                        let status = o["status"].as_str().unwrap_or("off").to_owned();
                        known.insert(code.to_owned(), (lon, lat, status));
                    }
                }
                draw_officers(&known);
                positions.set(known);
            }
        });
    });
    // A live fix moves its officer.
    Effect::new(move |_| {
        let Some(fix) = c.last_fix.get() else { return };
        let (Some(code), Some(lon), Some(lat)) = (
            fix["officer"].as_str(),
            fix["lon"].as_f64(),
            fix["lat"].as_f64(),
        ) else {
            return;
        };
        positions.update(|p| {
            let status = p
                .get(code)
                .map_or_else(|| "on_duty".to_owned(), |e| e.2.clone());
            p.insert(code.to_owned(), (lon, lat, status));
            draw_officers(p);
        });
    });
    on_cleanup(|| {
        map::set_officers("[]");
        map::set_candidates("[]", 0.0, 0.0);
    });
    view! {
        <section class="dispatch">
            <h2>{move || t(lang.get(), "queue")}" "<span class="live-dot" title=move || t(lang.get(), "live")></span></h2>
            {move || match queue.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="hint">{t(lang.get(), "queue_empty")}</p> }.into_any(),
                Some(Ok(list)) => view! { <CaseList cases=list /> }.into_any(),
            }}
        </section>
        <Candidates positions=positions />
        <CaseDetail />
    }
}

/// The nearest officers for the selected case, with one-click assignment.
#[component]
fn Candidates(positions: RwSignal<Positions>) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let ranked = RwSignal::new(None::<Result<Value, String>>);
    let message = RwSignal::new(None::<(bool, String)>);
    Effect::new(move |_| {
        let Some(id) = c.selected.get() else {
            ranked.set(None);
            return;
        };
        message.set(None);
        spawn_local(async move {
            let answer = api::get::<Value>(&format!("/api/v1/cases/{id}/candidates?k=5")).await;
            let case = api::get::<Value>(&format!("/api/v1/cases/{id}")).await;
            if let (Ok(a), Ok(case)) = (&answer, &case) {
                let (lon, lat) = (
                    case["point"]["lon"].as_f64().unwrap_or_default(),
                    case["point"]["lat"].as_f64().unwrap_or_default(),
                );
                let at = positions.get_untracked();
                let minutes = t(lang.get_untracked(), "minutes");
                let drawn: Vec<Value> = a["candidates"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|k| {
                        let code = k["officer"].as_str()?;
                        let (olon, olat, _) = at.get(code)?;
                        let eta = k["eta_s"].as_f64().unwrap_or_default() / 60.0;
                        let label = format!("{} {code} · {eta:.1} {minutes}", k["rank"]);
                        Some(json!({
                            "officer": code, "rank": k["rank"], "lon": olon, "lat": olat, "label": label
                        }))
                    })
                    .collect();
                map::set_candidates(&Value::Array(drawn).to_string(), lon, lat);
                map::show_point(lon, lat);
            }
            ranked.set(Some(answer));
        });
    });
    let assign = move |officer: String| {
        let Some(id) = c.selected.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match cases::assign(id, &officer).await {
                Ok(_) => {
                    message.set(Some((
                        true,
                        format!("{} → {officer}", t(lang.get_untracked(), "dispatched")),
                    )));
                    map::set_candidates("[]", 0.0, 0.0);
                    c.changed.update(|n| *n += 1);
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
    };
    view! {
        <section class="candidates-panel" aria-live="polite">
            {move || ranked.get().map(|r| match r {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(v) => {
                    let list = v["candidates"].as_array().cloned().unwrap_or_default();
                    view! {
                        <h3>{t(lang.get(), "candidates")}</h3>
                        <ol class="ranked">
                            {list.into_iter().map(|k| {
                                let officer = k["officer"].as_str().unwrap_or_default().to_owned();
                                let eta = k["eta_s"].as_f64().unwrap_or_default() / 60.0;
                                let metres = k["network_m"].as_f64().unwrap_or_default();
                                let responsible = k["responsible"].as_bool().unwrap_or(false);
                                let estimated = k["estimated"].as_bool().unwrap_or(false);
                                let who = officer.clone();
                                view! {
                                    <li data-officer=officer.clone()>
                                        <strong>{officer.clone()}</strong>
                                        " "{format!("{eta:.1}")}" "{t(lang.get(), "minutes")}" · "{format!("{metres:.0}")}" "{t(lang.get(), "metres")}
                                        {responsible.then(|| view! { <span class="badge">{t(lang.get(), "responsible")}</span> })}
                                        {estimated.then(|| view! { <span class="badge">{t(lang.get(), "estimated")}</span> })}
                                        <button type="button" class="assign" on:click=move |_| assign(who.clone())>{t(lang.get(), "assign")}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }
            })}
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
        </section>
    }
}
