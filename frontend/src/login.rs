//! The login form, shown until a session exists.

use citygrid_core::account::User;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::{Lang, t};

/// Keeps the language chosen here for the user who logs in next.
fn remember_choice(lang: Lang) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(crate::shell::LOGIN_CHOICE, lang.code());
    }
}

#[component]
pub fn Login(lang: RwSignal<Lang>, on_login: Callback<User>) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let submit = move || {
        let (u, p) = (username.get_untracked(), password.get_untracked());
        if u.trim().is_empty() || p.is_empty() {
            error.set(Some("login_missing"));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::login(u.trim(), &p).await {
                Ok(user) => {
                    error.set(None);
                    on_login.run(user);
                }
                Err(f) => error.set(Some(match f.status {
                    401 | 422 => "login_failed",
                    429 => "login_locked",
                    _ => "network",
                })),
            }
            busy.set(false);
        });
    };
    view! {
        <main class="login">
            <form class="login-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <h1>"citygrid · " {move || t(lang.get(), "title")}</h1>
                <label for="username">{move || t(lang.get(), "username")}</label>
                <input id="username" name="username" autocomplete="username" required=true
                    prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev)) />
                <label for="password">{move || t(lang.get(), "password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required=true
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev)) />
                <p class="error" role="alert">{move || error.get().map(|k| t(lang.get(), k))}</p>
                <button type="submit" prop:disabled=move || busy.get()>{move || t(lang.get(), "login")}</button>
                <button type="button" class="lang" on:click=move |_| {
                    lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh });
                    remember_choice(lang.get_untracked());
                }>
                    {move || t(lang.get(), "language")}
                </button>
            </form>
        </main>
    }
}
