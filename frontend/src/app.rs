//! The page: the login form until there is a session; then a header with search, the user and
//! the language switch, the layer list, the map, and the panel that answers "who is
//! responsible for this point?".

use citygrid_core::account::User;
use citygrid_core::api::{GeocodeCandidate, Location};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::Closure;

use crate::i18n::{Lang, t};
use crate::login::Login;
use crate::panel::LocationPanel;
use crate::{api, map};

const LANG_KEY: &str = "citygrid.lang";

fn stored_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .map_or(Lang::Zh, |code| Lang::from_code(&code))
}

fn store_lang(lang: Lang) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(LANG_KEY, lang.code());
    }
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// What the panel shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Hint,
    Loading,
    Found(Box<Location>),
    Failed(String),
}

/// Whether someone is logged in.
#[derive(Debug, Clone, PartialEq)]
enum Session {
    Checking,
    Out,
    In(User),
}

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(stored_lang());
    let session = RwSignal::new(Session::Checking);
    Effect::new(move |_| {
        store_lang(lang.get());
    });
    // A session cookie from an earlier visit may still be live.
    spawn_local(async move {
        session.set(match api::session().await {
            Ok(Some(user)) => Session::In(user),
            Ok(None) | Err(_) => Session::Out,
        });
    });
    let on_login = Callback::new(move |user: User| session.set(Session::In(user)));
    let on_logout = Callback::new(move |()| {
        spawn_local(async move {
            let _ = api::logout().await;
            session.set(Session::Out);
        });
    });
    move || match session.get() {
        Session::Checking => {
            view! { <p class="checking">{t(lang.get_untracked(), "loading")}</p> }.into_any()
        }
        Session::Out => view! { <Login lang=lang on_login=on_login /> }.into_any(),
        Session::In(user) => {
            view! { <MapPage lang=lang user=user on_logout=on_logout /> }.into_any()
        }
    }
}

#[component]
fn MapPage(lang: RwSignal<Lang>, user: User, on_logout: Callback<()>) -> impl IntoView {
    let who = user
        .display_name
        .clone()
        .unwrap_or_else(|| user.username.clone());
    let role = user.role.as_str();
    let lookup = RwSignal::new(Lookup::Hint);
    let query = RwSignal::new(String::new());
    let candidates = RwSignal::new(None::<Vec<GeocodeCandidate>>);

    let locate = move |lon: f64, lat: f64| {
        lookup.set(Lookup::Loading);
        spawn_local(async move {
            lookup.set(match api::locate(lon, lat).await {
                Ok(loc) => Lookup::Found(Box::new(loc)),
                Err(e) => Lookup::Failed(e),
            });
        });
    };

    // The map is created once, after the page is in the document.
    Effect::new(move |_| {
        let on_click = Closure::<dyn FnMut(f64, f64)>::new(locate);
        map::create("map", &on_click);
        // The map calls back for as long as the page lives.
        on_click.forget();
    });

    let search = move || {
        let q = query.get_untracked();
        if q.trim().is_empty() {
            return;
        }
        spawn_local(async move {
            candidates.set(Some(api::geocode(&q).await.unwrap_or_default()));
        });
    };

    let pick = move |c: GeocodeCandidate| {
        candidates.set(None);
        map::show_point(c.point.lon, c.point.lat);
        locate(c.point.lon, c.point.lat);
    };

    view! {
        <header class="bar">
            <h1>"citygrid · " {move || t(lang.get(), "title")}</h1>
            <form class="search" role="search" on:submit=move |ev| { ev.prevent_default(); search(); }>
                <input
                    id="search"
                    type="search"
                    aria-label=move || t(lang.get(), "search")
                    placeholder=move || t(lang.get(), "search")
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <button type="submit">{move || t(lang.get(), "search_button")}</button>
            </form>
            <span class="user" data-role=role>{who}" · "{move || t(lang.get(), role)}</span>
            <button class="lang" on:click=move |_| lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh })>
                {move || t(lang.get(), "language")}
            </button>
            <button class="logout" on:click=move |_| on_logout.run(())>{move || t(lang.get(), "logout")}</button>
        </header>
        <main class="body">
            <aside class="side">
                <fieldset class="layers">
                    <legend>{move || t(lang.get(), "layers")}</legend>
                    {map::LAYERS.iter().rev().map(|&layer| view! {
                        <label>
                            <input type="checkbox" checked=true
                                on:change=move |ev| map::set_visible(layer, event_target_checked(&ev)) />
                            {move || t(lang.get(), layer)}
                        </label>
                    }).collect_view()}
                </fieldset>
                <Show when=move || candidates.get().is_some()>
                    <ul class="candidates" aria-live="polite">
                        {move || {
                            let list = candidates.get().unwrap_or_default();
                            if list.is_empty() {
                                return view! { <li class="empty">{t(lang.get(), "no_results")}</li> }.into_any();
                            }
                            list.into_iter().map(|c| {
                                let label = c.label.clone();
                                let score = format!("{:.0}%", c.score * 100.0);
                                view! {
                                    <li><button on:click=move |_| pick(c.clone())>{label}<small>{score}</small></button></li>
                                }
                            }).collect_view().into_any()
                        }}
                    </ul>
                </Show>
                <LocationPanel lookup=lookup lang=lang />
            </aside>
            <div id="map" class="map" role="application" aria-label="map"></div>
        </main>
    }
}
