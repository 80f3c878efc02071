//! The admin's page: the layer files (`layer_files`: import previewed, all or nothing; export
//! for a GIS), users and their roles, and the case categories with their time limits.

use citygrid_core::account::{Role, User};
use citygrid_core::api::accounts::{NewUserBody, UserAnswer, UserPatch, Users as UserList};
use citygrid_core::api::cases::Categories as Catalogue;
use citygrid_core::category::{Category, CategoryClass};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::context::ctx;
use crate::i18n::t;

#[component]
pub fn AdminView() -> impl IntoView {
    view! {
        <super::layer_files::ImportLayer />
        <super::layer_files::ExportLayer />
        <Users />
        <super::login_throttles::LoginThrottles />
        <Categories />
        <super::checklist_editor::ChecklistEditor />
    }
}

#[component]
fn Users() -> impl IntoView {
    let lang = ctx().lang;
    let users = RwSignal::new(None::<Result<Vec<User>, String>>);
    let reload = RwSignal::new(0_u32);
    let message = RwSignal::new(None::<(bool, String)>);
    Effect::new(move |_| {
        reload.track();
        spawn_local(async move {
            users.set(Some(
                api::get::<UserList>("/api/v1/users").await.map(|l| l.users),
            ));
        });
    });
    let change = move |id: i64, patch: UserPatch| {
        spawn_local(async move {
            match api::send_json::<_, UserAnswer>("PATCH", &format!("/api/v1/users/{id}"), &patch)
                .await
            {
                Ok(_) => {
                    message.set(None);
                    reload.update(|n| *n += 1);
                }
                // The only refusal of a change: it would leave no admin.
                Err(f) if f.status == 409 => {
                    message.set(Some((
                        false,
                        t(lang.get_untracked(), "last_admin").to_owned(),
                    )));
                    reload.update(|n| *n += 1);
                }
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    // A role is hard to take back (an admin demoted cannot undo it): asked first; a "no"
    // puts the list back as it was.
    let change_role = move |id: i64, name: String, patch: UserPatch| {
        let role = patch
            .role
            .map(|r| t(lang.get_untracked(), r.as_str()))
            .unwrap_or_default();
        let sure = crate::confirm::confirmed(&format!(
            "{}: {name} → {role}?",
            t(lang.get_untracked(), "change_role")
        ));
        if sure {
            change(id, patch);
        } else {
            reload.update(|n| *n += 1);
        }
    };
    // A forgotten password: a one-time one is made, shown here once; the user's sessions end.
    let reset = move |id: i64, name: String| {
        let sure = crate::confirm::confirmed(&format!(
            "{} {name}?",
            t(lang.get_untracked(), "reset_password")
        ));
        if !sure {
            return;
        }
        spawn_local(async move {
            let patch = UserPatch {
                reset_password: Some(true),
                ..UserPatch::default()
            };
            let url = format!("/api/v1/users/{id}");
            match api::send_json::<_, UserAnswer>("PATCH", &url, &patch).await {
                Ok(v) => message.set(Some((
                    true,
                    format!(
                        "{name} · {}: {}",
                        t(lang.get_untracked(), "one_time_password"),
                        v.password.unwrap_or_default()
                    ),
                ))),
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    // Deleting a user cannot be undone: asked first, naming them.
    let remove = move |id: i64, name: String| {
        let sure = crate::confirm::confirmed(&format!(
            "{} {name}?",
            t(lang.get_untracked(), "delete_user")
        ));
        if !sure {
            return;
        }
        spawn_local(async move {
            match api::send_empty::<()>("DELETE", &format!("/api/v1/users/{id}")).await {
                Ok(()) => {
                    message.set(Some((
                        true,
                        format!("{name}: {}", t(lang.get_untracked(), "deleted")),
                    )));
                    reload.update(|n| *n += 1);
                }
                // The only refusals: one's own account, or the last admin.
                Err(f) if f.status == 409 => message.set(Some((
                    false,
                    t(lang.get_untracked(), "delete_refused").to_owned(),
                ))),
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    let username = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Planner);
    let scope = RwSignal::new(String::new());
    let officer = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = scope.get_untracked();
        let o = officer.get_untracked();
        let body = NewUserBody {
            username: username.get_untracked().trim().to_owned(),
            role: role.get_untracked(),
            password: None,
            display_name: None,
            scope: (!s.trim().is_empty())
                .then(|| s.split(',').map(|c| c.trim().to_owned()).collect()),
            officer: Some(o.trim().to_owned()).filter(|o| !o.is_empty()),
        };
        spawn_local(async move {
            match api::post::<_, UserAnswer>("/api/v1/users", &body).await {
                Ok(v) => {
                    let password = v.password.unwrap_or_default();
                    message.set(Some((
                        true,
                        format!(
                            "{}: {password}",
                            t(lang.get_untracked(), "one_time_password")
                        ),
                    )));
                    username.set(String::new());
                    reload.update(|n| *n += 1);
                }
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    view! {
        <section class="users">
            <h2>{move || t(lang.get(), "users")}</h2>
            {move || match users.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table>
                        <thead><tr><th>{t(lang.get(), "username")}</th><th>{t(lang.get(), "display_name")}</th><th>{t(lang.get(), "role")}</th>
                            <th>{t(lang.get(), "scope")}</th><th>{t(lang.get(), "officer_code")}</th><th></th></tr></thead>
                        <tbody>{list.into_iter().map(|u| {
                            let id = u.id;
                            let current = u.role;
                            let disabled = u.disabled;
                            let name = u.username.clone();
                            let scope = u.scope.join(", ");
                            let role_patch = |ev: leptos::ev::Event| UserPatch {
                                role: event_target_value(&ev).parse().ok(),
                                ..UserPatch::default()
                            };
                            let name_patch = |ev: leptos::ev::Event| UserPatch {
                                display_name: Some(Some(event_target_value(&ev).trim().to_owned()).filter(|n| !n.is_empty())),
                                ..UserPatch::default()
                            };
                            let role_name = name.clone();
                            let delete_name = name.clone();
                            let disable_patch = UserPatch {
                                disabled: Some(!disabled),
                                ..UserPatch::default()
                            };
                            view! {
                                <tr class:disabled=disabled>
                                    <td>{u.username.clone()}</td>
                                    <td><input type="text" class="display-name" aria-label=t(lang.get_untracked(), "display_name")
                                        prop:value=u.display_name.clone().unwrap_or_default()
                                        on:change=move |ev| change(id, name_patch(ev)) /></td>
                                    <td><select aria-label=t(lang.get_untracked(), "role") on:change=move |ev| change_role(id, role_name.clone(), role_patch(ev))>
                                        {Role::ALL.map(|r| view! { <option value=r.as_str() selected=r == current>{t(lang.get_untracked(), r.as_str())}</option> }).collect_view()}
                                    </select></td>
                                    <td>{scope}</td>
                                    <td>{u.officer.clone().unwrap_or_default()}</td>
                                    <td><button type="button" on:click=move |_| change(id, disable_patch.clone())>
                                        {t(lang.get_untracked(), if disabled { "enable" } else { "disable" })}</button>
                                        " "
                                        <button type="button" class="reset-password" data-user=name.clone() on:click=move |_| reset(id, name.clone())>
                                        {t(lang.get_untracked(), "reset_password")}</button>
                                        " "
                                        <button type="button" class="delete-user" data-user=delete_name.clone() on:click=move |_| remove(id, delete_name.clone())>
                                        {t(lang.get_untracked(), "delete_user")}</button></td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
            <form class="add-user" on:submit=add>
                <h3>{move || t(lang.get(), "add_user")}</h3>
                <label>{move || t(lang.get(), "username")}<input type="text" required=true prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev)) /></label>
                <label>{move || t(lang.get(), "role")}
                    <select on:change=move |ev| role.set(event_target_value(&ev).parse().unwrap_or(Role::Planner))>
                        {Role::ALL.map(|r| view! { <option value=r.as_str() selected=r == Role::Planner>{move || t(lang.get(), r.as_str())}</option> }).collect_view()}
                    </select></label>
                <label>{move || t(lang.get(), "scope")}<input type="text" placeholder="340688001001" on:input=move |ev| scope.set(event_target_value(&ev)) /></label>
                <label>{move || t(lang.get(), "officer_code")}<input type="text" placeholder="ZF0001" on:input=move |ev| officer.set(event_target_value(&ev)) /></label>
                <button type="submit">{move || t(lang.get(), "add_user")}</button>
            </form>
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
        </section>
    }
}

/// A category as the editor holds it: its time limits as typed (the server checks them and
/// says what is wrong).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
struct CategoryRow {
    code: String,
    name_zh: String,
    name_en: String,
    unit: String,
    limit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit_prohibited: Option<String>,
    duplicate_radius_m: f64,
    duplicate_days: u32,
}

impl From<&Category> for CategoryRow {
    fn from(k: &Category) -> Self {
        Self {
            code: k.code.0.clone(),
            name_zh: k.name_zh.clone(),
            name_en: k.name_en.clone(),
            unit: k.unit.clone(),
            limit: k.limit.to_string(),
            limit_prohibited: k.limit_prohibited.map(|l| l.to_string()),
            duplicate_radius_m: k.duplicate_radius_m,
            duplicate_days: k.duplicate_days,
        }
    }
}

/// The catalogue as edited: `PUT /categories` takes it whole.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
struct CatalogueEdit {
    classes: Vec<CategoryClass>,
    categories: Vec<CategoryRow>,
}

impl From<&Catalogue> for CatalogueEdit {
    fn from(c: &Catalogue) -> Self {
        Self {
            classes: c.classes.clone(),
            categories: c.categories.iter().map(CategoryRow::from).collect(),
        }
    }
}

#[component]
fn Categories() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    // The catalogue as the server gives it, edited in place and sent back whole.
    let catalogue = RwSignal::new(None::<CatalogueEdit>);
    let message = RwSignal::new(None::<(bool, String)>);
    spawn_local(async move {
        match api::get::<Catalogue>("/api/v1/categories").await {
            Ok(v) => catalogue.set(Some(CatalogueEdit::from(&v))),
            Err(e) => message.set(Some((false, e))),
        }
    });
    let set = move |code: String, field: &'static str, value: String| {
        catalogue.update(|c| {
            if let Some(row) = c
                .as_mut()
                .and_then(|c| c.categories.iter_mut().find(|r| r.code == code))
            {
                match field {
                    "name_zh" => row.name_zh = value,
                    "limit" => row.limit = value,
                    _ => row.unit = value,
                }
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(body) = catalogue.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let sent = api::send_json::<_, Catalogue>("PUT", "/api/v1/categories", &body).await;
            match sent {
                Ok(v) => {
                    catalogue.set(Some(CatalogueEdit::from(&v)));
                    c.categories.set(v.categories);
                    message.set(Some((true, t(lang.get_untracked(), "saved").to_owned())));
                }
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    view! {
        <form class="categories" on:submit=save>
            <h2>{move || t(lang.get(), "categories")}</h2>
            <table>
                <thead><tr><th>{move || t(lang.get(), "code")}</th><th>{move || t(lang.get(), "name")}</th>
                    <th>{move || t(lang.get(), "limit")}</th><th>{move || t(lang.get(), "unit")}</th></tr></thead>
                <tbody>{move || catalogue.get().map(|c| c.categories).unwrap_or_default().into_iter().map(|k| {
                    let code = k.code.clone();
                    let (c1, c2, c3) = (code.clone(), code.clone(), code.clone());
                    view! {
                        <tr data-code=code.clone()>
                            <td>{code.clone()}</td>
                            <td><input type="text" name="name_zh" aria-label=t(lang.get_untracked(), "name") prop:value=k.name_zh.clone()
                                on:change=move |ev| set(c1.clone(), "name_zh", event_target_value(&ev)) /></td>
                            <td><input type="text" name="limit" size="4" aria-label=t(lang.get_untracked(), "limit") prop:value=k.limit.clone()
                                on:change=move |ev| set(c2.clone(), "limit", event_target_value(&ev)) /></td>
                            <td><input type="text" name="unit" size="4" aria-label=t(lang.get_untracked(), "unit") prop:value=k.unit.clone()
                                on:change=move |ev| set(c3.clone(), "unit", event_target_value(&ev)) /></td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
            <p class="hint">{move || t(lang.get(), "limit_hint")}</p>
            <button type="submit">{move || t(lang.get(), "save")}</button>
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
        </form>
    }
}
