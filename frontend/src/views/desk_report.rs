//! A case entered at the desk (a hotline call, a walk-in): at the place found by the search box
//! or a click on the map (在此立案), with the category, what was said and who called, so that
//! whoever handles it can call back.

use citygrid_core::api::Location;
use citygrid_core::api::cases::{Created, NewCaseBody};
use citygrid_core::case::{Reporter, Source};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::context::{category_name, ctx};
use crate::i18n::t;

/// The sources a desk records.
const DESK_SOURCES: [Source; 4] = [
    Source::Hotline,
    Source::Public,
    Source::Video,
    Source::Inspection,
];

/// The address a place reads as: its street and house number, when known.
pub fn address_of(loc: &Location) -> Option<String> {
    let street = loc.street.as_ref()?;
    Some(match street.house_number {
        Some(n) => format!("{}{n}号", street.name),
        None => street.name.to_string(),
    })
}

#[component]
pub fn DeskReport(lon: f64, lat: f64, address: Option<String>) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let open = RwSignal::new(false);
    let category = RwSignal::new(String::new());
    let source = RwSignal::new(Source::Hotline);
    let description = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let duplicates = RwSignal::new(Vec::<i64>::new());
    let shown_address = address
        .clone()
        .unwrap_or_else(|| format!("{lon:.5}, {lat:.5}"));
    // Kept apart so that the form's handler can be made again each time the form is shown.
    let address = StoredValue::new(address);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        if category.get_untracked().is_empty() {
            message.set(Some((false, t(l, "choose_category").to_owned())));
            return;
        }
        let text = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_owned()).filter(|v| !v.is_empty())
        };
        let reporter = (text(name).is_some() || text(phone).is_some()).then(|| Reporter {
            name: text(name),
            phone: text(phone),
        });
        let body = NewCaseBody {
            category: category.get_untracked(),
            source: source.get_untracked(),
            description: text(description),
            quantity: None,
            lon: Some(lon),
            lat: Some(lat),
            crs: None,
            address: address.get_value(),
            accept_best: None,
            reporter,
            photos: None,
        };
        busy.set(true);
        spawn_local(async move {
            let answer = api::post::<_, Created>("/api/v1/cases", &body).await;
            busy.set(false);
            match answer {
                Ok(created) => {
                    let id = created.case.case.id.0;
                    message.set(Some((true, format!("{} #{id}", t(l, "submitted")))));
                    duplicates.set(created.possible_duplicates.iter().map(|d| d.id.0).collect());
                    description.set(String::new());
                    name.set(String::new());
                    phone.set(String::new());
                    open.set(false);
                    c.selected.set(Some(id));
                    c.changed.update(|n| *n += 1);
                }
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    view! {
        <section class="desk-report">
            <button type="button" class="report-here" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{move || t(lang.get(), "report_here")}</button>
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
            {move || (!duplicates.get().is_empty()).then(|| view! {
                <p class="hint duplicates">{t(lang.get(), "possible_duplicates")}" "
                    {duplicates.get().into_iter().map(|d| view! {
                        <button type="button" class="link" on:click=move |_| c.selected.set(Some(d))>{format!("#{d}")}</button>
                    }).collect_view()}
                </p>
            })}
            <Show when=move || open.get()>
                <form class="desk-form" on:submit=submit>
                    <p class="place">{shown_address.clone()}</p>
                    <label>{move || t(lang.get(), "category")}
                        <select name="category" on:change=move |ev| category.set(event_target_value(&ev))>
                            <option value="">"—"</option>
                            {move || c.categories.get().into_iter().map(|k| {
                                let label = category_name(&k, lang.get()).to_owned();
                                view! { <option value=k.code.0.clone()>{label}</option> }
                            }).collect_view()}
                        </select></label>
                    <label>{move || t(lang.get(), "source")}
                        <select name="source" on:change=move |ev| {
                            if let Ok(s) = event_target_value(&ev).parse() { source.set(s) }
                        }>
                            {DESK_SOURCES.iter().map(|s| view! {
                                <option value=s.as_str()>{move || t(lang.get(), s.as_str())}</option>
                            }).collect_view()}
                        </select></label>
                    <label>{move || t(lang.get(), "description")}
                        <input type="text" name="description" prop:value=move || description.get()
                            on:input=move |ev| description.set(event_target_value(&ev)) /></label>
                    <label>{move || t(lang.get(), "reporter_name")}
                        <input type="text" name="reporter_name" prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev)) /></label>
                    <label>{move || t(lang.get(), "reporter_phone")}
                        <input type="tel" name="reporter_phone" prop:value=move || phone.get()
                            on:input=move |ev| phone.set(event_target_value(&ev)) /></label>
                    <button type="submit" prop:disabled=move || busy.get()>{move || t(lang.get(), "submit")}</button>
                </form>
            </Show>
        </section>
    }
}
