//! The admin's view of failed logins: which usernames and addresses are held back and until
//! when, each with a button that clears it (a user locked out by their own typing, an office
//! behind one address).

use citygrid_core::api::accounts::{Cleared, LoginThrottle, LoginThrottles as List};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::cases::local_time;
use crate::context::ctx;
use crate::i18n::t;

#[component]
pub fn LoginThrottles() -> impl IntoView {
    let lang = ctx().lang;
    let list = RwSignal::new(None::<Result<Vec<LoginThrottle>, String>>);
    let reload = RwSignal::new(0_u32);
    let message = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        reload.track();
        spawn_local(async move {
            list.set(Some(
                api::get::<List>("/api/v1/login-throttles")
                    .await
                    .map(|l| l.throttles),
            ));
        });
    });
    let clear = move |t: LoginThrottle| {
        let query = citygrid_core::api::accounts::ThrottleQuery {
            username: Some(t.username).filter(|u| !u.is_empty()),
            address: Some(t.address),
        };
        spawn_local(async move {
            let url = format!(
                "/api/v1/login-throttles?{}",
                serde_urlencoded::to_string(&query).unwrap_or_default()
            );
            match api::send_empty::<Cleared>("DELETE", &url).await {
                Ok(_) => {
                    message.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(f) => message.set(Some(f.detail)),
            }
        });
    };
    view! {
        <section class="login-throttles">
            <h2>{move || t(lang.get(), "login_throttles")}</h2>
            {move || match list.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(rows)) if rows.is_empty() => {
                    view! { <p class="hint">{t(lang.get(), "no_throttles")}</p> }.into_any()
                }
                Some(Ok(rows)) => view! {
                    <table>
                        <thead><tr><th>{t(lang.get(), "username")}</th><th>{t(lang.get(), "address")}</th>
                            <th>{t(lang.get(), "failures")}</th><th>{t(lang.get(), "held_until")}</th><th></th></tr></thead>
                        <tbody>{rows.into_iter().map(|row| {
                            let l = lang.get_untracked();
                            let who = if row.username.is_empty() { t(l, "every_account").to_owned() } else { row.username.clone() };
                            let from = if row.address == "*" { t(l, "every_address").to_owned() } else { row.address.clone() };
                            let until = row.blocked_until.as_ref().map(local_time).unwrap_or_default();
                            let failures = row.failures;
                            let (name, address) = (row.username.clone(), row.address.clone());
                            view! {
                                <tr data-username=name data-address=address>
                                    <td>{who}</td><td>{from}</td><td>{failures}</td><td>{until}</td>
                                    <td><button type="button" class="clear-throttle" on:click=move |_| clear(row.clone())>
                                        {t(l, "clear")}</button></td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
            {move || message.get().map(|m| view! { <p class="error" role="status">{m}</p> })}
        </section>
    }
}
