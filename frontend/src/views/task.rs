//! One task on the officer's phone: what and where (the description, the report's photo), a
//! hand-off to the phone's map app in the coordinates Chinese map apps use (GCJ-02), and the
//! ways to finish with it — handling, as a small form (a photo with its preview, a note, a
//! confirmation), returning it to the dispatcher with a reason, or asking for more time (a new
//! deadline and a reason, which the dispatcher grants by extending).

use citygrid_core::api::cases::{CaseView, TransitionBody};
use citygrid_core::case::Action;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::officer::{chosen_file, upload};
use crate::cases::{act, local_time};
use crate::context::ctx;
use crate::i18n::t;
use crate::map;

/// A link that opens the spot in Amap (高德地图), whose coordinates are GCJ-02; it falls back to
/// the web page where the app is not installed.
fn navigation_link(id: i64, lon: f64, lat: f64) -> String {
    let p = citygrid_core::crs::wgs84_to_gcj02(citygrid_core::LonLat { lon, lat });
    format!(
        "https://uri.amap.com/marker?position={:.6},{:.6}&name=%E6%A1%88%E4%BB%B6{id}&coordinate=gaode&callnative=1",
        p.lon, p.lat
    )
}

#[component]
pub fn Task(case: CaseView, done: RwSignal<Option<String>>) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let overdue = case.overdue;
    let case = case.case;
    let id = case.id.0;
    let version = Some(case.version);
    let (lon, lat) = (case.point.lon, case.point.lat);
    let category = c.category_name(&case.category.0);
    let place = case
        .address
        .clone()
        .or_else(|| case.location.street.as_ref().map(|s| s.name.to_string()))
        .unwrap_or_else(|| "—".to_owned());
    let description = Some(case.description.clone()).filter(|d| !d.trim().is_empty());
    let reported_photo = case.photos.first().cloned();
    let deadline = local_time(&case.deadline);
    let current_deadline = case.deadline;
    let asking = RwSignal::new(false);
    let asked_until = RwSignal::new(String::new());
    let asked_why = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let handling = RwSignal::new(false);
    let photo = RwSignal::new(None::<web_sys::File>);
    let preview = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let pick = move |ev: leptos::ev::Event| {
        let file = chosen_file(&ev);
        preview.set(
            file.as_ref()
                .and_then(|f| web_sys::Url::create_object_url_with_blob(f).ok()),
        );
        photo.set(file);
    };
    let finish = move |body: TransitionBody, file: Option<web_sys::File>| {
        busy.set(true);
        let step = body.action;
        spawn_local(async move {
            let result = async {
                let body = match file {
                    Some(file) => TransitionBody {
                        photo: Some(upload(file).await?),
                        ..body
                    },
                    None => body,
                };
                act(id, &body).await
            }
            .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    handling.set(false);
                    let l = lang.get_untracked();
                    done.set(Some(format!(
                        "#{id} {}: {}",
                        t(l, step.as_str()),
                        t(l, "done")
                    )));
                    c.changed.update(|n| *n += 1);
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(file) = photo.get_untracked() else {
            message.set(Some((
                false,
                t(lang.get_untracked(), "photo_needed").to_owned(),
            )));
            return;
        };
        let text = note.get_untracked();
        let body = TransitionBody {
            note: Some(if text.trim().is_empty() {
                "已处置".to_owned()
            } else {
                text.trim().to_owned()
            }),
            version,
            ..TransitionBody::just(Action::Handle)
        };
        finish(body, Some(file));
    };
    let give_back = move |_| {
        let reason = web_sys::window()
            .and_then(|w| {
                w.prompt_with_message(t(lang.get_untracked(), "return_reason"))
                    .ok()
            })
            .flatten()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());
        if let Some(reason) = reason {
            let body = TransitionBody {
                note: Some(reason),
                version,
                ..TransitionBody::just(Action::Return)
            };
            finish(body, None);
        }
    };
    let ask = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let until = crate::cases::from_local_input(&asked_until.get_untracked())
            .filter(|at| *at > current_deadline);
        let Some(until) = until else {
            message.set(Some((false, t(l, "new_deadline").to_owned())));
            return;
        };
        let why = asked_why.get_untracked().trim().to_owned();
        if why.is_empty() {
            message.set(Some((false, t(l, "extension_reason").to_owned())));
            return;
        }
        let body = TransitionBody {
            note: Some(why),
            deadline: Some(until),
            version,
            ..TransitionBody::just(Action::RequestExtension)
        };
        asking.set(false);
        finish(body, None);
    };
    view! {
        <li class="task" class:overdue=overdue data-case=id>
            <h3>"#"{id}" "{category}</h3>
            <p>{place}" · "{move || t(lang.get(), "deadline")}" "{deadline.clone()}
                {overdue.then(|| view! { <span class="badge overdue">{move || t(lang.get(), "overdue")}</span> })}</p>
            {description.map(|d| view! { <p class="description">{d}</p> })}
            {reported_photo.map(|h| view! {
                <img class="reported-photo" src=format!("/api/v1/photos/{h}") alt=move || t(lang.get(), "photo") loading="lazy" />
            })}
            <div class="buttons">
                <a class="button navigate" href=navigation_link(id, lon, lat) target="_blank" rel="noopener"
                    on:click=move |_| map::show_point(lon, lat)>{move || t(lang.get(), "navigate")}</a>
                <button type="button" class="handle" on:click=move |_| handling.update(|h| *h = !*h)>
                    {move || t(lang.get(), "mark_handled")}</button>
                <button type="button" class="give-back" prop:disabled=move || busy.get() on:click=give_back>
                    {move || t(lang.get(), "return")}</button>
                <button type="button" class="ask-time" on:click=move |_| asking.update(|a| *a = !*a)>
                    {move || t(lang.get(), "request_extension")}</button>
            </div>
            <Show when=move || asking.get()>
                <form class="extension-form" on:submit=ask>
                    <label>{move || t(lang.get(), "new_deadline")}
                        <input type="datetime-local" name="until" prop:value=move || asked_until.get()
                            on:input=move |ev| asked_until.set(event_target_value(&ev)) /></label>
                    <label>{move || t(lang.get(), "note")}
                        <input type="text" name="why" prop:value=move || asked_why.get()
                            on:input=move |ev| asked_why.set(event_target_value(&ev)) /></label>
                    <div class="buttons">
                        <button type="submit" class="confirm-ask" prop:disabled=move || busy.get()>{move || t(lang.get(), "request_extension")}</button>
                        <button type="button" on:click=move |_| asking.set(false)>{move || t(lang.get(), "cancel")}</button>
                    </div>
                </form>
            </Show>
            <Show when=move || handling.get()>
                <form class="handle-form" on:submit=confirm>
                    <label>{move || t(lang.get(), "photo")}
                        <input type="file" accept="image/*" capture="environment" class="handled-photo" on:change=pick /></label>
                    {move || preview.get().map(|url| view! { <img class="preview" src=url alt=move || t(lang.get(), "photo") /> })}
                    <label>{move || t(lang.get(), "note")}
                        <input type="text" name="note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) /></label>
                    <div class="buttons">
                        <button type="submit" class="confirm-handled" prop:disabled=move || busy.get()>{move || t(lang.get(), "confirm_handled")}</button>
                        <button type="button" on:click=move |_| handling.set(false)>{move || t(lang.get(), "cancel")}</button>
                    </div>
                </form>
            </Show>
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
        </li>
    }
}
