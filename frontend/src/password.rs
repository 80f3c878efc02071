//! Changing one's own password: the current password, the new one twice. The server ends the
//! user's other sessions; this one goes on. A password citygrid made (a new user's, a reset
//! one) must be changed before anything else: the form is then the whole page (`forced`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::{Lang, t};

/// What the form says after a try: a word of ours, or the server's words.
#[derive(Debug, Clone, PartialEq)]
enum Said {
    Ours(&'static str),
    Server(String),
}

#[component]
pub fn PasswordForm(
    lang: RwSignal<Lang>,
    /// Closes the form; when `forced`, logs out instead.
    on_close: Callback<()>,
    /// After the password has changed.
    #[prop(optional)]
    on_done: Option<Callback<()>>,
    #[prop(optional)] forced: bool,
) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let said = RwSignal::new(None::<Said>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move || {
        let (c, n, a) = (
            current.get_untracked(),
            new.get_untracked(),
            again.get_untracked(),
        );
        if n != a {
            said.set(Some(Said::Ours("passwords_differ")));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::change_password(&c, &n).await {
                Ok(()) => {
                    done.set(true);
                    said.set(Some(Said::Ours("password_changed")));
                    current.set(String::new());
                    new.set(String::new());
                    again.set(String::new());
                    busy.set(false);
                    // Last: the page may move on and take this form away.
                    if let Some(next) = on_done {
                        next.run(());
                    }
                }
                Err(f) => {
                    said.set(Some(Said::Server(f.detail)));
                    busy.set(false);
                }
            }
        });
    };
    let field = |id: &'static str, key: &'static str, value: RwSignal<String>, complete| {
        view! {
            <label for=id>{move || t(lang.get(), key)}</label>
            <input id=id name=id type="password" autocomplete=complete required=true
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        }
    };
    view! {
        <form class="password-form" class:forced=forced aria-label=move || t(lang.get(), "change_password")
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2>{move || t(lang.get(), "change_password")}</h2>
            {forced.then(|| view! { <p class="hint">{move || t(lang.get(), "must_change_password")}</p> })}
            {field("current-password", "current_password", current, "current-password")}
            {field("new-password", "new_password", new, "new-password")}
            {field("repeat-password", "repeat_password", again, "new-password")}
            <p class=move || if done.get() { "ok" } else { "error" } role="status">
                {move || said.get().map(|s| match s {
                    Said::Ours(key) => t(lang.get(), key).to_owned(),
                    Said::Server(words) => words,
                })}
            </p>
            <button type="submit" prop:disabled=move || busy.get()>{move || t(lang.get(), "save")}</button>
            <button type="button" class="close" on:click=move |_| on_close.run(())>
                {move || t(lang.get(), if forced { "logout" } else { "close" })}
            </button>
        </form>
    }
}
