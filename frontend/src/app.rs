//! The page: the login form until there is a session, then the shell with the user's views.

use citygrid_core::account::User;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::{Lang, t};
use crate::login::Login;
use crate::password::PasswordForm;
use crate::shell::Shell;

/// The language before anyone logs in: the browser's last choice, Chinese by default.
fn stored_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item("citygrid.lang").ok().flatten())
        .map_or(Lang::Zh, |code| Lang::from_code(&code))
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
        let l = lang.get();
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = storage.set_item("citygrid.lang", l.code());
        }
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", l.code());
        }
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
        // A password citygrid made is changed before anything else.
        Session::In(user) if user.must_change_password => {
            let on_done = Callback::new(move |()| {
                let mut user = user.clone();
                user.must_change_password = false;
                session.set(Session::In(user));
            });
            view! {
                <main class="login">
                    <PasswordForm lang=lang forced=true on_close=on_logout on_done=on_done />
                </main>
            }
            .into_any()
        }
        Session::In(user) => view! { <Shell lang=lang user=user on_logout=on_logout /> }.into_any(),
    }
}
