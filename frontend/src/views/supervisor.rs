//! The supervisor's grids and communities at a glance: open, overdue and due today, per grid
//! cell, with the list and the map in step (a click on either opens the case in both).

use std::collections::BTreeMap;

use citygrid_core::api::cases::{CaseList, CaseView};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::case_detail::CaseDetail;
use crate::cases::{self, Filter, OPEN, local_time};
use crate::context::ctx;
use crate::i18n::t;

/// Today's date as the browser sees it, `YYYY-MM-DD`.
fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

#[component]
pub fn SupervisorView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let open = RwSignal::new(None::<Result<Vec<CaseView>, String>>);
    Effect::new(move |_| {
        c.changed.track();
        let filter = Filter {
            statuses: OPEN.map(str::to_owned).to_vec(),
            ..Filter::default()
        };
        spawn_local(async move {
            let _ = cases::show_on_map(&filter).await;
            let listed =
                api::get::<CaseList>(&format!("/api/v1/cases?limit=500&{}", filter.query()))
                    .await
                    .map(|l| l.cases);
            open.set(Some(listed));
        });
    });
    let summary = move || {
        let list = open.get().and_then(Result::ok).unwrap_or_default();
        let today = today();
        let due_today =
            |v: &CaseView| !v.overdue && local_time(&v.case.deadline).starts_with(&today);
        let overdue = list.iter().filter(|v| v.overdue).count();
        let due = list.iter().filter(|v| due_today(v)).count();
        let mut by_grid: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
        for v in &list {
            let e = by_grid.entry(grid_name(v)).or_default();
            e.0 += 1;
            e.1 += usize::from(v.overdue);
            e.2 += usize::from(due_today(v));
        }
        (list.len(), overdue, due, by_grid)
    };
    let sorted = move || {
        let mut list = open.get().and_then(Result::ok).unwrap_or_default();
        list.sort_by(|a, b| {
            (!a.overdue)
                .cmp(&!b.overdue)
                .then_with(|| a.case.deadline.cmp(&b.case.deadline))
        });
        list
    };
    view! {
        <section class="supervisor">
            <h2>{move || t(lang.get(), "my_area")}": "{c.user.with_value(|u| u.scope.join(", "))}</h2>
            {move || {
                let (n, overdue, due, by_grid) = summary();
                view! {
                    <div class="tiles">
                        <div class="tile" data-kind="open"><strong>{n}</strong>{t(lang.get(), "open_cases")}</div>
                        <div class="tile alert" data-kind="overdue"><strong>{overdue}</strong>{t(lang.get(), "overdue")}</div>
                        <div class="tile" data-kind="due"><strong>{due}</strong>{t(lang.get(), "due_today")}</div>
                    </div>
                    <table class="grid-summary">
                        <thead><tr><th>{t(lang.get(), "grid")}</th><th>{t(lang.get(), "open_cases")}</th>
                            <th>{t(lang.get(), "overdue")}</th><th>{t(lang.get(), "due_today")}</th></tr></thead>
                        <tbody>{by_grid.into_iter().map(|(g, (a, b, d))| view! {
                            <tr><td>{g}</td><td>{a}</td><td class={if b > 0 { "alert" } else { "" }}>{b}</td><td>{d}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                }
            }}
            {move || match open.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="hint">{t(lang.get(), "none_open")}</p> }.into_any(),
                Some(Ok(_)) => view! { <CaseList cases=sorted() /> }.into_any(),
            }}
        </section>
        <CaseDetail />
    }
}

/// The name of a case's grid cell ("—" outside every cell).
fn grid_name(v: &CaseView) -> String {
    v.case
        .location
        .grid
        .as_ref()
        .and_then(|g| g.name.as_deref())
        .unwrap_or("—")
        .to_owned()
}

/// Cases as a list whose rows open the case (and show it on the map).
#[component]
pub fn CaseList(cases: Vec<CaseView>) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    view! {
        <ul class="case-list">
            {cases.into_iter().map(|v| {
                let id = v.case.id.0;
                let status = v.case.status.as_str().to_owned();
                let overdue = v.overdue;
                let (lon, lat) = (v.case.point.lon, v.case.point.lat);
                let category = c.category_name(&v.case.category.0);
                let place = grid_name(&v);
                let deadline = local_time(&v.case.deadline);
                view! {
                    <li class:overdue=overdue class:selected=move || c.selected.get() == Some(id)>
                        <button type="button" data-case=id on:click=move |_| {
                            c.selected.set(Some(id));
                            crate::map::show_point(lon, lat);
                        }>
                            <span class=format!("status status-{status}")>{let s = status.clone(); move || t(lang.get(), &s)}</span>
                            " #"{id}" "{category.clone()}
                            <small>{place.clone()}" · "{t(lang.get_untracked(), "deadline")}" "{deadline.clone()}</small>
                            {overdue.then(|| view! { <span class="badge overdue">{move || t(lang.get(), "overdue")}</span> })}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
