//! The detail of the selected case: where it is and who answers for it, its photos, its whole
//! history, and the actions of the closed loop the user's role may take now.

use citygrid_core::access::may_act;
use citygrid_core::api::cases::{CaseDetail as Detail, TransitionBody};
use citygrid_core::case::{Action, Visibility};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::cases::{act, local_time};
use crate::context::ctx;
use crate::i18n::t;

/// The label of an action (its key differs from the state it leads to only for `close`).
pub fn action_key(action: &str) -> &str {
    if action == "close" {
        "close_case"
    } else {
        action
    }
}

#[component]
pub fn CaseDetail() -> impl IntoView {
    let c = ctx();
    let case = RwSignal::new(None::<Detail>);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let selected = c.selected.get();
        c.changed.track();
        let Some(id) = selected else {
            case.set(None);
            return;
        };
        spawn_local(async move {
            let answer = api::get::<Detail>(&format!("/api/v1/cases/{id}")).await;
            // An answer for a case no longer selected (a slower, older request) is dropped, or it
            // would cover the card of the case chosen since.
            if c.selected.get_untracked() != Some(id) {
                return;
            }
            match answer {
                Ok(v) => {
                    error.set(None);
                    case.set(Some(v));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    });
    move || {
        let lang = c.lang.get();
        if let Some(e) = error.get() {
            return view! { <p class="error" role="alert">{e}</p> }.into_any();
        }
        let Some(v) = case.get() else {
            return view! { <p class="hint">{t(lang, "select_case")}</p> }.into_any();
        };
        view! { <CaseCard case=v /> }.into_any()
    }
}

#[component]
fn CaseCard(case: Detail) -> impl IntoView {
    let c = ctx();
    let lang = c.lang.get_untracked();
    let overdue = case.view.overdue;
    let events = case.view.events.clone().unwrap_or_default();
    let case = case.view.case;
    let id = case.id.0;
    let status = case.status.as_str().to_owned();
    let loc = &case.location;
    let text = |v: Option<&str>| v.unwrap_or("—").to_owned();
    let rows = vec![
        (t(lang, "category"), c.category_name(&case.category.0)),
        (t(lang, "source"), t(lang, case.source.as_str()).to_owned()),
        (t(lang, "created"), local_time(&case.created_at)),
        (t(lang, "deadline"), local_time(&case.deadline)),
        (t(lang, "description"), case.description.clone()),
        (t(lang, "address"), text(case.address.as_deref())),
        (
            t(lang, "grid"),
            text(loc.grid.as_ref().and_then(|g| g.name.as_deref())),
        ),
        (
            t(lang, "community"),
            text(loc.community.as_ref().map(|k| &*k.name)),
        ),
        (
            t(lang, "street"),
            text(loc.street.as_ref().map(|s| &*s.name)),
        ),
        (t(lang, "shop"), text(loc.shop.as_ref().map(|s| &*s.name))),
        (
            t(lang, "assignee"),
            case.assignee
                .as_deref()
                .map_or_else(|| "—".to_owned(), |a| c.officer_name(a)),
        ),
    ];
    // The reporter's contact, for those who call back (the server leaves it out for others).
    let reporter = case
        .reporter
        .clone()
        .filter(|r| r.name.is_some() || r.phone.is_some());
    let photos = case.photos.clone();
    // The photos of the handling (and of other steps), apart from the report's.
    let handled_photos: Vec<String> = events
        .iter()
        .filter(|e| e.action != "report")
        .filter_map(|e| e.photo.clone())
        .filter(|h| !photos.contains(h))
        .collect();
    let actions: Vec<Action> = Action::allowed(case.status)
        .into_iter()
        .filter(|a| may_act(c.role(), *a))
        .collect();
    let version = Some(case.version);
    let point = (case.point.lon, case.point.lat);
    view! {
        <article class="case-card" data-case=id data-status=status.clone()>
            <p class="print-title">
                {c.district.get_untracked().map(|d| d.name).unwrap_or_default()}" · "{t(lang, "case_sheet")}
            </p>
            <h2>
                {t(lang, "case")}" #"{id}" "
                <span class=format!("status status-{status}")>{t(lang, &status)}</span>
                {overdue.then(|| view! { <span class="badge overdue">{t(lang, "overdue")}</span> })}
            </h2>
            <dl class="facts">
                {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                {reporter.map(|r| view! {
                    <dt>{t(lang, "reporter")}</dt>
                    <dd class="reporter">
                        {r.name.unwrap_or_default()}" "
                        {r.phone.map(|p| view! { <a href=format!("tel:{p}")>{p.clone()}</a> })}
                    </dd>
                })}
            </dl>
            <button type="button" class="link" on:click=move |_| crate::map::show_point(point.0, point.1)>
                {t(lang, "show_on_map")}
            </button>
            <button type="button" class="link print" on:click=move |_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.print();
                }
            }>{t(lang, "print_sheet")}</button>
            <PhotoGroup class="photos-reported" title=t(lang, "photos_reported") photos=photos />
            <PhotoGroup class="photos-handled" title=t(lang, "photos_handled") photos=handled_photos />
            <Actions id=id version=version actions=actions />
            <h3>{t(lang, "history")}</h3>
            <ol class="history">
                {events.into_iter().map(|e| view! {
                    <li>
                        <time>{local_time(&e.at)}</time>" "
                        <strong>{t(lang, action_key(&e.action))}</strong>" · "
                        {e.actor}
                        {e.assignee.map(|a| format!(" → {}", c.officer_name(&a)))}
                        {e.deadline.map(|d| format!(" · {} {}", t(lang, "deadline"), local_time(&d)))}
                        {e.note.map(|n| view! { <q>{n}</q> })}
                        {e.visibility.is_public().then(|| view! {
                            <span class="public-note">{t(lang, "public_note_mark")}</span>
                        })}
                    </li>
                }).collect_view()}
            </ol>
        </article>
    }
}

/// Photos under a heading that says whose they are; nothing when there are none.
#[component]
fn PhotoGroup(class: &'static str, title: &'static str, photos: Vec<String>) -> impl IntoView {
    let lang = ctx().lang.get_untracked();
    (!photos.is_empty()).then(|| {
        view! {
            <h3>{title}</h3>
            <div class=format!("photos {class}")>
                {photos.into_iter().map(|h| view! {
                    <a href=format!("/api/v1/photos/{h}") target="_blank">
                        <img src=format!("/api/v1/photos/{h}") alt=t(lang, "photo") loading="lazy" />
                    </a>
                }).collect_view()}
            </div>
        }
    })
}

#[component]
fn Actions(id: i64, version: Option<i64>, actions: Vec<Action>) -> impl IntoView {
    let c = ctx();
    let lang = c.lang.get_untracked();
    let note = RwSignal::new(String::new());
    // Notes are for staff unless the writer publishes them (Open311 shows public ones).
    let public_note = RwSignal::new(false);
    let assignee = RwSignal::new(String::new());
    let deadline = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let run = move |action: Action| {
        let n = note.get_untracked();
        let mut body = TransitionBody {
            version,
            note: Some(n.trim().to_owned()).filter(|n| !n.is_empty()),
            visibility: Some(if public_note.get_untracked() {
                Visibility::Public
            } else {
                Visibility::Internal
            }),
            ..TransitionBody::just(action)
        };
        if action == Action::Dispatch {
            body.assignee = Some(assignee.get_untracked().trim().to_owned());
        }
        // What cannot be taken back is asked first: a slip would send, close or drop a case.
        if matches!(
            action,
            Action::Dispatch | Action::Close | Action::Void | Action::Reject
        ) {
            let whom = body
                .assignee
                .as_deref()
                .map(|a| format!(" {}", c.officer_name(a)))
                .unwrap_or_default();
            let question = format!("{}{whom}（#{id}）?", t(lang, action_key(action.as_str())));
            let sure = crate::confirm::confirmed(&question);
            if !sure {
                return;
            }
        }
        if matches!(action, Action::Extend | Action::RequestExtension) {
            let Some(at) = crate::cases::from_local_input(&deadline.get_untracked()) else {
                message.set(Some((false, t(lang, "new_deadline").to_owned())));
                return;
            };
            body.deadline = Some(at);
        }
        busy.set(true);
        spawn_local(async move {
            let result = act(id, &body).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    message.set(Some((true, t(lang, "done").to_owned())));
                    note.set(String::new());
                    public_note.set(false);
                    c.changed.update(|n| *n += 1);
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
    };
    if actions.is_empty() {
        return view! { <p class="hint">{t(lang, "no_actions")}</p> }.into_any();
    }
    let needs_assignee = actions.contains(&Action::Dispatch);
    let needs_deadline = actions
        .iter()
        .any(|a| matches!(a, Action::Extend | Action::RequestExtension));
    view! {
        <fieldset class="actions">
            <legend>{t(lang, "actions")}</legend>
            <label>{t(lang, "note")}
                <input type="text" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
            </label>
            <label class="public-note-choice">
                <input type="checkbox" class="public-note" prop:checked=move || public_note.get()
                    on:change=move |ev| public_note.set(event_target_checked(&ev)) />
                {t(lang, "public_note")}
            </label>
            {needs_assignee.then(|| {
                let known = c.officers.get_untracked();
                if known.is_empty() {
                    view! {
                        <label>{t(lang, "assignee")}
                            <input type="text" class="assignee" placeholder="ZF0001" prop:value=move || assignee.get()
                                on:input=move |ev| assignee.set(event_target_value(&ev)) />
                        </label>
                    }.into_any()
                } else {
                    view! {
                        <label>{t(lang, "assignee")}
                            <select class="assignee" on:change=move |ev| assignee.set(event_target_value(&ev))>
                                <option value="">"—"</option>
                                {known.into_iter().map(|(code, name)| view! {
                                    <option value=code.clone()>{format!("{name} · {code}")}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    }.into_any()
                }
            })}
            {needs_deadline.then(|| view! {
                <label>{t(lang, "new_deadline")}
                    <input type="datetime-local" prop:value=move || deadline.get()
                        on:input=move |ev| deadline.set(event_target_value(&ev)) />
                </label>
            })}
            <div class="buttons">
                {actions.into_iter().map(|a| view! {
                    <button type="button" data-action=a.as_str() disabled=move || busy.get() on:click=move |_| run(a)>
                        {t(lang, action_key(a.as_str()))}
                    </button>
                }).collect_view()}
            </div>
            {move || message.get().map(|(ok, m)| view! {
                <p class={if ok { "ok" } else { "error" }} role="status">{m}</p>
            })}
        </fieldset>
    }
    .into_any()
}
