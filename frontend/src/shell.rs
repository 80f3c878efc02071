//! The logged-in page: a header with the district, the user, the language, changing one's
//! password and logout; a menu of the views the user's role has; the view's panel beside one
//! map shared by every view.

use std::collections::BTreeMap;

use citygrid_core::access::Permission;
use citygrid_core::account::{Role, User};
use citygrid_core::api::dispatch::Officers;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::Closure;

use citygrid_core::api::cases::Categories;
use citygrid_core::api::district::{DistrictInfo, Tiles};

use crate::context::Ctx;
use crate::i18n::{Lang, t};
use crate::legend::MapLegend;
use crate::password::PasswordForm;
use crate::views::Page;
use crate::{api, live, map};

fn lang_key(username: &str) -> String {
    format!("citygrid.lang.{username}")
}

/// The language this user chose last on this browser (Chinese by default).
fn stored_lang(username: &str) -> Lang {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(&lang_key(username)).ok().flatten())
        .map_or(Lang::Zh, |code| Lang::from_code(&code))
}

/// Where the login page keeps a language chosen on it, for the user who logs in next.
pub const LOGIN_CHOICE: &str = "citygrid.lang.login";

/// A language chosen on the login page, taken (it applies to one login).
fn take_login_choice() -> Option<Lang> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let code = storage.get_item(LOGIN_CHOICE).ok()??;
    let _ = storage.remove_item(LOGIN_CHOICE);
    Some(Lang::from_code(&code))
}

fn store_lang(username: &str, lang: Lang) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(&lang_key(username), lang.code());
    }
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// The view named in the address (`#dispatch`), if the role has it.
fn view_from_hash(role: Role) -> Option<Page> {
    let hash = web_sys::window()?.location().hash().ok()?;
    Page::for_role(role)
        .into_iter()
        .find(|v| hash.trim_start_matches('#') == v.slug())
}

/// What `map.js` is made with: the background tiles and the first view.
#[derive(serde::Serialize)]
struct MapConfig<'a> {
    tiles: Option<&'a Tiles>,
    bbox: Option<[f64; 4]>,
}

/// An officer's own name under their code (they may not read the roster).
fn own_name(user: &User) -> BTreeMap<String, String> {
    user.officer
        .iter()
        .map(|code| {
            let name = user
                .display_name
                .clone()
                .unwrap_or_else(|| user.username.clone());
            (code.clone(), name)
        })
        .collect()
}

#[component]
pub fn Shell(user: User, lang: RwSignal<Lang>, on_logout: Callback<()>) -> impl IntoView {
    // A language chosen on the login page wins, and becomes this user's.
    lang.set(take_login_choice().unwrap_or_else(|| stored_lang(&user.username)));
    let role = user.role;
    let username = user.username.clone();
    let who = user
        .display_name
        .clone()
        .unwrap_or_else(|| user.username.clone());
    let own = own_name(&user);
    let c = Ctx {
        lang,
        user: StoredValue::new(user),
        district: RwSignal::new(None),
        categories: RwSignal::new(Vec::new()),
        selected: RwSignal::new(None),
        changed: RwSignal::new(0),
        last_fix: RwSignal::new(None),
        clicked: RwSignal::new(None),
        officers: RwSignal::new(own),
    };
    provide_context(c);
    Effect::new(move |_| store_lang(&username, lang.get()));
    let view_now = RwSignal::new(view_from_hash(role).unwrap_or_else(|| Page::home(role)));
    let error = RwSignal::new(None::<String>);
    let password_open = RwSignal::new(false);

    // The district first (the map needs its tiles), then the map; the catalogue beside.
    spawn_local(async move {
        match api::get::<DistrictInfo>("/api/v1/district").await {
            Ok(d) => {
                let config = serde_json::to_string(&MapConfig {
                    tiles: d.tiles.as_ref(),
                    bbox: d.bbox,
                })
                .unwrap_or_default();
                c.district.set(Some(d));
                let on_click = Closure::<dyn FnMut(f64, f64)>::new(move |lon, lat| {
                    c.clicked.set(Some((lon, lat)));
                });
                let on_case = Closure::<dyn FnMut(f64)>::new(move |id: f64| {
                    c.selected.set(Some(id as i64));
                });
                map::create("map", &on_click, &on_case, &config);
                // The map calls back for as long as the page lives.
                on_click.forget();
                on_case.forget();
            }
            Err(e) => error.set(Some(e)),
        }
    });
    if Permission::ReadOfficers.granted_to(role) {
        spawn_local(async move {
            if let Ok(list) = api::get::<Officers>("/api/v1/officers").await {
                c.officers.set(
                    list.officers
                        .into_iter()
                        .map(|o| (o.code, o.name))
                        .collect(),
                );
            }
        });
    }
    spawn_local(async move {
        match api::get::<Categories>("/api/v1/categories").await {
            Ok(cat) => c.categories.set(cat.categories),
            Err(e) => error.set(Some(e)),
        }
    });
    live::open(
        move |_| c.changed.update(|n| *n += 1),
        move |fix| c.last_fix.set(Some(fix)),
    );
    let logout = move |_| {
        live::close();
        // The next user starts on their own home page, not on the page this one left open.
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash("");
        }
        on_logout.run(());
    };
    let go = move |v: Page| {
        view_now.set(v);
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(v.slug());
        }
    };
    // The map's box changes size with the view; MapLibre must be told.
    Effect::new(move |_| {
        view_now.track();
        let resize = Closure::<dyn FnMut()>::new(map::resize);
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(resize.as_ref()));
        }
        resize.forget();
    });
    view! {
        <header class="bar">
            <h1>
                "citygrid · "
                <span class="district">{move || c.district.get().map(|d| d.name)}</span>
            </h1>
            <span class="tz" title=move || t(lang.get(), "timezone")>{move || c.district.get().map(|d| d.timezone)}</span>
            <nav class="menu" aria-label=move || t(lang.get(), "menu")>
                {Page::for_role(role).into_iter().map(|v| view! {
                    <button type="button" class="tab" data-view=v.slug()
                        aria-current=move || (view_now.get() == v).then_some("page")
                        on:click=move |_| go(v)>
                        {move || t(lang.get(), v.label())}
                    </button>
                }).collect_view()}
            </nav>
            <span class="user" data-role=role.as_str()>{who}" · "{move || t(lang.get(), role.as_str())}</span>
            <button type="button" class="lang" on:click=move |_| lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh })>
                {move || t(lang.get(), "language")}
            </button>
            <button type="button" class="password" aria-expanded=move || password_open.get().to_string()
                on:click=move |_| password_open.update(|o| *o = !*o)>
                {move || t(lang.get(), "change_password")}
            </button>
            <button type="button" class="logout" on:click=logout>{move || t(lang.get(), "logout")}</button>
        </header>
        {move || password_open.get().then(|| view! {
            <PasswordForm lang=lang on_close=Callback::new(move |()| password_open.set(false)) />
        })}
        {move || error.get().map(|e| view! {
            <p class="error banner" role="alert">{move || t(lang.get(), "error")}": "{e.clone()}</p>
        })}
        <main class=move || format!("body view-{}", view_now.get().slug()) data-wide=move || view_now.get().wide().then_some("1")>
            <aside class="side">{move || view_now.get().render()}</aside>
            <div id="map" class="map" role="application" aria-label="map"><MapLegend page=view_now /></div>
        </main>
    }
}
