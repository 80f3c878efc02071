//! The admin's checklist templates (考核表): a template's items with their text, most points,
//! deduction and major flag, edited in place and saved as the template's next version (past
//! assessments keep the version they were scored by).

use citygrid_core::checklist::{Checklist, Checklists, Deduct};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::context::ctx;
use crate::i18n::{Lang, t};

/// Sets one number of an item's deduction (`a` the fixed points, the range's least or the points
/// per occurrence; `b` the range's most or the cap).
fn set_deduct(d: &mut Deduct, which: char, v: f64) {
    match (d, which) {
        (Deduct::Fixed { points } | Deduct::PerOccurrence { points, .. }, 'a')
        | (Deduct::Fixed { points }, _) => *points = v,
        (Deduct::Range { min, .. }, 'a') => *min = v,
        (Deduct::Range { max, .. }, _) => *max = v,
        (Deduct::PerOccurrence { cap, .. }, _) => *cap = v,
    }
}

fn deduct_text(lang: Lang, d: &Deduct) -> &'static str {
    match d {
        Deduct::Fixed { .. } => t(lang, "points"),
        Deduct::Range { .. } => "min–max",
        Deduct::PerOccurrence { .. } => t(lang, "occurrences"),
    }
}

#[component]
pub fn ChecklistEditor() -> impl IntoView {
    let lang = ctx().lang;
    let templates = RwSignal::new(Vec::<Checklist>::new());
    let chosen = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let load = move || {
        spawn_local(async move {
            match api::get::<Checklists>("/api/v1/checklists").await {
                Ok(all) => {
                    let list = all.newest().into_iter().cloned().collect::<Vec<_>>();
                    if chosen.get_untracked().is_empty() {
                        chosen.set(list.first().map(|c| c.code.clone()).unwrap_or_default());
                    }
                    templates.set(list);
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
    };
    load();
    let edit =
        move |item: String, change: Box<dyn Fn(&mut citygrid_core::checklist::ChecklistItem)>| {
            let code = chosen.get_untracked();
            templates.update(|list| {
                if let Some(i) = list
                    .iter_mut()
                    .find(|c| c.code == code)
                    .and_then(|c| c.items.iter_mut().find(|i| i.code == item))
                {
                    change(i);
                }
            });
        };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = chosen.get_untracked();
        let Some(template) =
            templates.with_untracked(|l| l.iter().find(|c| c.code == code).cloned())
        else {
            return;
        };
        let body = Checklists {
            about: String::new(),
            checklists: vec![template],
            rules: Vec::new(),
        };
        spawn_local(async move {
            match api::send_json::<_, Checklists>("PUT", "/api/v1/checklists", &body).await {
                Ok(saved) => {
                    let version = saved.latest(&code).map_or(0, |c| c.version);
                    message.set(Some((
                        true,
                        format!("{} · v{version}", t(lang.get_untracked(), "saved_version")),
                    )));
                    templates.set(saved.newest().into_iter().cloned().collect());
                }
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    view! {
        <form class="checklist-editor" on:submit=save>
            <h2>{move || t(lang.get(), "checklists")}</h2>
            <label>{move || t(lang.get(), "checklist")}
                <select name="template" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {move || templates.get().into_iter().map(|c| {
                        let label = format!("{} · v{}", if lang.get() == Lang::Zh { c.name_zh.clone() } else { c.name_en.clone() }, c.version);
                        view! { <option value=c.code.clone() selected=c.code == chosen.get_untracked()>{label}</option> }
                    }).collect_view()}
                </select></label>
            <table>
                <thead><tr><th>{move || t(lang.get(), "code")}</th><th>{move || t(lang.get(), "name")}</th>
                    <th>{move || t(lang.get(), "max_points")}</th><th>{move || t(lang.get(), "points")}</th><th></th><th>"⚠"</th></tr></thead>
                <tbody>{move || {
                    let l = lang.get();
                    let code = chosen.get();
                    templates.with(|list| list.iter().find(|c| c.code == code).cloned()).map(|c| c.items.into_iter().map(|item| {
                        let id = item.code.clone();
                        let (i1, i2, i3, i4, i5) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
                        let (a, b) = match item.deduct {
                            Deduct::Fixed { points } => (points, None),
                            Deduct::Range { min, max } => (min, Some(max)),
                            Deduct::PerOccurrence { points, cap } => (points, Some(cap)),
                        };
                        view! {
                            <tr data-item=id.clone()>
                                <td>{id.clone()}</td>
                                <td><input type="text" name="text_zh" aria-label=t(l, "name") prop:value=item.text_zh.clone()
                                    on:change=move |ev| { let v = event_target_value(&ev); edit(i1.clone(), Box::new(move |i| i.text_zh.clone_from(&v))); } /></td>
                                <td><input type="number" name="max_points" aria-label=t(l, "max_points") prop:value=item.max_points
                                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() { edit(i2.clone(), Box::new(move |i| i.max_points = v)); } } /></td>
                                <td><input type="number" name="deduct_a" aria-label=deduct_text(l, &item.deduct) prop:value=a
                                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() { edit(i3.clone(), Box::new(move |i| set_deduct(&mut i.deduct, 'a', v))); } } /></td>
                                <td>{b.map(|b| view! { <input type="number" name="deduct_b" aria-label=deduct_text(l, &item.deduct) prop:value=b
                                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() { edit(i4.clone(), Box::new(move |i| set_deduct(&mut i.deduct, 'b', v))); } } /> })}</td>
                                <td><input type="checkbox" name="major" aria-label=t(l, "major") prop:checked=item.major
                                    on:change=move |ev| { let on = event_target_checked(&ev); edit(i5.clone(), Box::new(move |i| i.major = on)); } /></td>
                            </tr>
                        }
                    }).collect_view())
                }}</tbody>
            </table>
            <p class="hint">{move || t(lang.get(), "checklist_hint")}</p>
            <button type="submit">{move || t(lang.get(), "save")}</button>
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
        </form>
    }
}
