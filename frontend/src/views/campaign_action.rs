//! The campaign phone form (行动登记): a field team records an action of a running campaign
//! where the phone stands — a photo, the tallies of the campaign kind's items (a fine with the
//! parties fined), a note — checked by citygrid-core as it is typed, sent as one action.

use citygrid_core::LonLat;
use citygrid_core::api::campaigns::{Action, ActionPlace, CampaignList, NewAction};
use citygrid_core::campaign::{CampaignKinds, Tally, check_tally};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::Closure;

use crate::api;
use crate::context::ctx;
use crate::i18n::{Lang, t};
use crate::map;

/// Today as `2026-12-07` (the phone's clock).
fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

#[component]
pub fn CampaignActionView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let campaigns = RwSignal::new(CampaignList {
        campaigns: Vec::new(),
    });
    let kinds = RwSignal::new(None::<CampaignKinds>);
    let chosen = RwSignal::new(None::<i64>);
    // The quantity typed for each item (text, as typed) and the parties of a fine.
    let quantities = RwSignal::new(std::collections::BTreeMap::<String, (String, String)>::new());
    let photos = RwSignal::new(Vec::<String>::new());
    let note = RwSignal::new(String::new());
    let position = RwSignal::new(None::<LonLat>);
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        let day = today();
        if let Ok(list) =
            api::get::<CampaignList>(&format!("/api/v1/campaigns?from={day}&to={day}")).await
        {
            chosen.set(list.campaigns.first().map(|c| c.id));
            campaigns.set(list);
        }
        if let Ok(k) = api::get::<CampaignKinds>("/api/v1/campaign-kinds").await {
            kinds.set(Some(k));
        }
    });
    let on_fix = Closure::<dyn FnMut(f64, f64, f64)>::new(move |lon: f64, lat: f64, acc: f64| {
        if let Ok(p) = LonLat::new(lon, lat) {
            position.set(Some(p));
            map::show_self(lon, lat, acc);
        }
    });
    map::locate_device(&on_fix);
    on_fix.forget();
    let kind = move || {
        let id = chosen.get()?;
        let code = campaigns.with(|l| {
            l.campaigns
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.kind.clone())
        })?;
        kinds.with(|k| k.as_ref().and_then(|k| k.kind(&code).cloned()))
    };
    // The tallies as typed, each checked against the kind; the first problem, if any.
    let tallies = move || -> Result<Vec<Tally>, String> {
        let Some(k) = kind() else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for (item, (q, parties)) in quantities.get() {
            if q.trim().is_empty() {
                continue;
            }
            let quantity = q
                .trim()
                .parse::<f64>()
                .map_err(|_| format!("{item}: {q}"))?;
            let parties = match parties.trim() {
                "" => None,
                p => Some(p.parse::<u32>().map_err(|_| format!("{item}: {p}"))?),
            };
            let tally = Tally {
                item: item.clone(),
                quantity,
                parties,
            };
            check_tally(&k, &tally, &item).map_err(|e| e.to_string())?;
            out.push(tally);
        }
        Ok(out)
    };
    let send = move |_| {
        let l = lang.get_untracked();
        let (Some(id), Some(at)) = (chosen.get_untracked(), position.get_untracked()) else {
            message.set(Some((false, t(l, "no_position").to_owned())));
            return;
        };
        let tallies = match tallies() {
            Ok(t) => t,
            Err(e) => {
                message.set(Some((false, e)));
                return;
            }
        };
        let body = NewAction {
            at: None,
            place: ActionPlace::Point { at },
            officers: c
                .user
                .with_value(|u| u.officer.clone())
                .into_iter()
                .collect(),
            vehicles: Vec::new(),
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
            photos: photos.get_untracked(),
            tallies,
            cases: Vec::new(),
        };
        busy.set(true);
        spawn_local(async move {
            match api::post::<_, Action>(&format!("/api/v1/campaigns/{id}/actions"), &body).await {
                Ok(a) => {
                    message.set(Some((
                        true,
                        format!("{} #{}", t(l, "action_recorded"), a.id),
                    )));
                    quantities.set(Default::default());
                    photos.set(Vec::new());
                    note.set(String::new());
                }
                Err(f) => message.set(Some((false, f.detail))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="campaign-action phone">
            <h2>{move || t(lang.get(), "view_action")}</h2>
            <label>{move || t(lang.get(), "view_campaigns")}
                <select name="campaign" on:change=move |ev| { chosen.set(event_target_value(&ev).parse().ok()); quantities.set(Default::default()); }>
                    {move || campaigns.get().campaigns.into_iter().map(|k| view! {
                        <option value=k.id.to_string() selected=chosen.get_untracked() == Some(k.id)>{k.name}</option>
                    }).collect_view()}
                </select></label>
            <p class="position">{move || match position.get() {
                Some(p) => format!("{} {:.5}, {:.5}", t(lang.get(), "position"), p.lon, p.lat),
                None => t(lang.get(), "locating").to_owned(),
            }}</p>
            <div class="tally-items">{move || kind().map(|k| {
                let zh = lang.get() == Lang::Zh;
                k.items.into_iter().map(|item| {
                    let code = item.code.clone();
                    let (q_code, p_code) = (code.clone(), code.clone());
                    let unit = if zh { item.unit.zh() } else { item.unit.en() };
                    view! {
                        <label class="tally" data-item=code.clone()>{if zh { item.name_zh.clone() } else { item.name_en.clone() }}
                            <input type="number" min="0" step="any" inputmode="decimal" name=format!("tally-{code}")
                                prop:value=move || quantities.with(|m| m.get(&q_code).map(|x| x.0.clone()).unwrap_or_default())
                                on:input={ let code = code.clone(); move |ev| { let v = event_target_value(&ev); quantities.update(|m| m.entry(code.clone()).or_default().0 = v); } } />
                            {unit}
                            {item.fine.then(|| view! {
                                <input type="number" min="1" step="1" class="parties" name=format!("parties-{code}")
                                    placeholder=move || t(lang.get(), "cp_parties")
                                    prop:value=move || quantities.with(|m| m.get(&p_code).map(|x| x.1.clone()).unwrap_or_default())
                                    on:input={ let code = code.clone(); move |ev| { let v = event_target_value(&ev); quantities.update(|m| m.entry(code.clone()).or_default().1 = v); } } />
                            })}
                        </label>
                    }
                }).collect_view()
            })}</div>
            {move || tallies().err().map(|e| view! { <p class="error tally-error">{e}</p> })}
            <label class="photo">{move || t(lang.get(), "photo")}
                <input type="file" accept="image/*" capture="environment" name="action-photo"
                    on:change=move |ev| {
                        let Some(file) = super::officer::chosen_file(&ev) else { return };
                        spawn_local(async move {
                            match super::officer::upload(file).await {
                                Ok(hash) => photos.update(|p| p.push(hash)),
                                Err(e) => message.set(Some((false, e))),
                            }
                        });
                    } /></label>
            <span class="photos-taken">{move || photos.with(Vec::len).to_string()}</span>
            <label class="note">{move || t(lang.get(), "note")}
                <textarea name="note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea></label>
            <button type="button" class="primary record-action" disabled=move || busy.get() || chosen.get().is_none() on:click=send>
                {move || t(lang.get(), "record_action")}</button>
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
        </section>
    }
}
