//! The officer's phone: my tasks (each a `task.rs` card) and a new report with a photo and the
//! phone's position (or a tap on the map).

use citygrid_core::api::cases::{CaseList, CaseView, Created, NewCaseBody};
use citygrid_core::api::layers::PhotoRef;
use citygrid_core::case::Source;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::Closure;

use crate::api;
use crate::cases::{self, Filter};
use crate::context::{category_name, ctx};
use crate::i18n::t;
use crate::map;

/// Uploads a photo; its hash.
pub(super) async fn upload(file: web_sys::File) -> Result<String, String> {
    let kind = file.type_();
    let stored: PhotoRef = api::send_file(
        "POST",
        "/api/v1/photos",
        &file,
        if kind.is_empty() {
            "application/octet-stream"
        } else {
            &kind
        },
    )
    .await
    .map_err(|f| f.detail)?;
    Ok(stored.hash)
}

pub(super) fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    event_target::<web_sys::HtmlInputElement>(ev)
        .files()?
        .get(0)
}

#[component]
pub fn OfficerView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let tasks = RwSignal::new(None::<Result<Vec<CaseView>, String>>);
    // What the last step on a task did: the list is read again after it, so it is said here.
    let done = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        c.changed.track();
        let filter = Filter {
            statuses: vec!["dispatched".into()],
            ..Filter::default()
        };
        spawn_local(async move {
            let _ = cases::show_on_map(&filter).await;
            tasks.set(Some(
                api::get::<CaseList>(&format!("/api/v1/cases?limit=100&{}", filter.query()))
                    .await
                    .map(|l| l.cases),
            ));
        });
    });
    // Where the officer stands, on their map, as soon as the phone knows it.
    let on_fix = Closure::<dyn FnMut(f64, f64, f64)>::new(move |lon: f64, lat: f64, acc: f64| {
        if !lon.is_nan() {
            map::show_self(lon, lat, acc);
        }
    });
    map::locate_device(&on_fix);
    on_fix.forget();
    view! {
        <section class="officer">
            <h2>{move || t(lang.get(), "my_tasks")}</h2>
            {move || done.get().map(|m| view! { <p class="ok task-done" role="status">{m}</p> })}
            {move || match tasks.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="hint">{t(lang.get(), "no_tasks")}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="tasks">{list.into_iter().map(|v| view! { <super::task::Task case=v done=done /> }).collect_view()}</ul>
                }.into_any(),
            }}
        </section>
        <NewReport />
    }
}

/// A new case from the street: category, description, photo, and where (the phone's position
/// or a tap on the map).
#[component]
fn NewReport() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let category = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let position = RwSignal::new(None::<(f64, f64)>);
    let photo = RwSignal::new_local(None::<web_sys::File>);
    let message = RwSignal::new(None::<(bool, String)>);
    // A tap on the map sets the position too.
    Effect::new(move |_| {
        if let Some(p) = c.clicked.get() {
            position.set(Some(p));
        }
    });
    let locate = move |_| {
        let on_fix =
            Closure::<dyn FnMut(f64, f64, f64)>::new(move |lon: f64, lat: f64, acc: f64| {
                if lon.is_nan() {
                    message.set(Some((
                        false,
                        t(lang.get_untracked(), "no_position").to_owned(),
                    )));
                } else {
                    position.set(Some((lon, lat)));
                    map::show_self(lon, lat, acc);
                }
            });
        map::locate_device(&on_fix);
        on_fix.forget();
    };
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((lon, lat)) = position.get_untracked() else {
            message.set(Some((
                false,
                t(lang.get_untracked(), "no_position").to_owned(),
            )));
            return;
        };
        let cat = category.get_untracked();
        let text = description.get_untracked();
        let file = photo.get_untracked();
        spawn_local(async move {
            let result = async {
                let photos = match file {
                    Some(file) => Some(vec![upload(file).await?]),
                    None => None,
                };
                let body = NewCaseBody {
                    category: cat,
                    source: Source::Patrol,
                    description: Some(text),
                    quantity: None,
                    lon: Some(lon),
                    lat: Some(lat),
                    crs: None,
                    address: None,
                    accept_best: None,
                    reporter: None,
                    photos,
                };
                api::post::<_, Created>("/api/v1/cases", &body)
                    .await
                    .map_err(|f| f.detail)
            }
            .await;
            match result {
                Ok(created) => {
                    let id = created.case.case.id.0;
                    message.set(Some((
                        true,
                        format!("{} #{id}", t(lang.get_untracked(), "submitted")),
                    )));
                    // Emptied, so that the same report is not sent twice, and the
                    // confirmation brought into view at the top of the form.
                    description.set(String::new());
                    category.set(String::new());
                    photo.set(None);
                    if let Some(form) = form_ref.get_untracked() {
                        form.reset();
                        form.scroll_into_view();
                    }
                    c.changed.update(|n| *n += 1);
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
    };
    view! {
        <form class="new-report" node_ref=form_ref on:submit=submit>
            <h2>{move || t(lang.get(), "new_case")}</h2>
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
            <label>{move || t(lang.get(), "category")}
                <select name="category" required=true on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">"—"</option>
                    {move || c.categories.get().into_iter().map(|k| {
                        let name = category_name(&k, lang.get()).to_owned();
                        view! { <option value=k.code.0.clone()>{name}</option> }
                    }).collect_view()}
                </select></label>
            <label>{move || t(lang.get(), "description")}
                <input type="text" name="description" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev)) /></label>
            <label>{move || t(lang.get(), "photo")}
                <input type="file" accept="image/*" capture="environment" name="photo"
                    on:change=move |ev| photo.set(chosen_file(&ev)) /></label>
            <div class="position">
                <button type="button" class="locate" on:click=locate>{move || t(lang.get(), "use_my_position")}</button>
                <output>{move || position.get().map(|(lon, lat)| format!("{lon:.5}, {lat:.5}"))}</output>
            </div>
            <button type="submit">{move || t(lang.get(), "submit")}</button>
        </form>
    }
}
