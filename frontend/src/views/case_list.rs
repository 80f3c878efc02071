//! The case list (案件列表): every case the user may see, filtered by state, category, period
//! and overdue, newest first, sortable by column, a page at a time; a case number opens that
//! case; the same filter exports as CSV, or as a GeoPackage for a GIS. A row opens the case beside the map.

use citygrid_core::api::cases::{CaseList, CaseView};
use citygrid_core::case::Status;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::case_detail::CaseDetail;
use crate::cases::{self, Filter, STATES, local_time};
use crate::context::ctx;
use crate::i18n::t;
use crate::{api, map};

/// The columns a list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Newest,
    Deadline,
    Category,
    Status,
}

fn sorted(mut rows: Vec<CaseView>, by: Sort) -> Vec<CaseView> {
    match by {
        Sort::Newest => rows.sort_by_key(|r| std::cmp::Reverse(r.case.id.0)),
        Sort::Deadline => rows.sort_by_key(|r| r.case.deadline),
        Sort::Category => rows.sort_by(|a, b| a.case.category.cmp(&b.case.category)),
        Sort::Status => rows.sort_by_key(|r| Status::ALL.iter().position(|s| *s == r.case.status)),
    }
    rows
}

/// Where a case is, as a person reads it: community and grid cell names.
fn place(v: &CaseView) -> String {
    let l = &v.case.location;
    let community = l.community.as_ref().map(|k| k.name.to_string());
    let grid = l.grid.as_ref().map(|g| {
        g.name
            .as_deref()
            .map_or_else(|| g.code.to_string(), str::to_owned)
    });
    [community, grid]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

#[component]
pub fn CaseListView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let filter = RwSignal::new(Filter {
        statuses: cases::OPEN.map(str::to_owned).to_vec(),
        ..Filter::default()
    });
    let rows = RwSignal::new(Vec::<CaseView>::new());
    let next = RwSignal::new(None::<i64>);
    let failed = RwSignal::new(None::<String>);
    let sort = RwSignal::new(Sort::Newest);
    let number = RwSignal::new(String::new());
    // A page of the filter; `after` continues the list. Only the latest filter's answer counts.
    let load = move |after: Option<i64>| {
        let ticket = crate::latest::begin("case-list");
        let mut query = filter.get_untracked().case_query();
        query.cursor = after;
        query.limit = Some(100);
        spawn_local(async move {
            let url = format!("/api/v1/cases?{}", cases::query_string(&query));
            let answer = api::get::<CaseList>(&url).await;
            if !ticket.is_latest() {
                return;
            }
            match answer {
                Ok(page) => {
                    failed.set(None);
                    next.set(page.next_cursor.map(|id| id.0));
                    if after.is_some() {
                        rows.update(|r| r.extend(page.cases));
                    } else {
                        rows.set(page.cases);
                    }
                }
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        filter.track();
        c.changed.track();
        load(None);
    });
    let open = move |id: i64| {
        c.selected.set(Some(id));
        spawn_local(async move {
            let url = format!("/api/v1/cases/{id}");
            if let Ok(d) = api::get::<citygrid_core::api::cases::CaseDetail>(&url).await {
                map::show_point(d.view.case.point.lon, d.view.case.point.lat);
            }
        });
    };
    let go_to_number = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Ok(id) = number
            .get_untracked()
            .trim()
            .trim_start_matches('#')
            .parse::<i64>()
        {
            open(id);
        }
    };
    let set = move |f: fn(&mut Filter, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            filter.update(|x| f(x, v));
        }
    };
    let export_as = move |format: citygrid_core::api::cases::ListFormat| {
        let mut query = filter.get().case_query();
        query.format = Some(format);
        // The header row in the user's language (the values stay codes, to import back).
        query.lang = Some(match lang.get() {
            crate::i18n::Lang::Zh => citygrid_core::api::cases::HeaderLanguage::Zh,
            crate::i18n::Lang::En => citygrid_core::api::cases::HeaderLanguage::En,
        });
        format!("/api/v1/cases?{}", cases::query_string(&query))
    };
    let export = move || export_as(citygrid_core::api::cases::ListFormat::Csv);
    // For the bureau's GIS: the same cases with their responsibility, as a GeoPackage.
    let export_gis = move || export_as(citygrid_core::api::cases::ListFormat::Gpkg);
    let header = move |key: &'static str, by: Sort| {
        view! {
            <th><button type="button" class="sort" class:active=move || sort.get() == by
                on:click=move |_| sort.set(by)>{move || t(lang.get(), key)}</button></th>
        }
    };
    view! {
        <section class="cases-table">
            <h2>{move || t(lang.get(), "view_cases")}</h2>
            <form class="case-number" on:submit=go_to_number>
                <input type="search" name="number" inputmode="numeric"
                    placeholder=move || t(lang.get(), "case_number")
                    aria-label=move || t(lang.get(), "case_number")
                    on:input=move |ev| number.set(event_target_value(&ev)) />
                <button type="submit">{move || t(lang.get(), "open_case")}</button>
            </form>
            <fieldset class="filters">
                <label>{move || t(lang.get(), "status")}
                    <select name="status" on:change=set(|f, v| f.statuses = if v.is_empty() { Vec::new() } else if v == "open" { cases::OPEN.map(str::to_owned).to_vec() } else { vec![v] })>
                        <option value="open" selected=true>{move || t(lang.get(), "open_cases")}</option>
                        <option value="">{move || t(lang.get(), "all")}</option>
                        {STATES.map(|s| view! { <option value=s>{move || t(lang.get(), s)}</option> }).collect_view()}
                    </select></label>
                <label>{move || t(lang.get(), "category")}
                    <select name="category" on:change=set(|f, v| f.category = v)>
                        <option value="">{move || t(lang.get(), "all")}</option>
                        {move || c.categories.get().into_iter().map(|k| {
                            let name = crate::context::category_name(&k, lang.get()).to_owned();
                            view! { <option value=k.code.0.clone()>{name}</option> }
                        }).collect_view()}
                    </select></label>
                <label>{move || t(lang.get(), "from")}
                    <input type="date" name="from" on:change=set(|f, v| f.from = v) /></label>
                <label>{move || t(lang.get(), "to")}
                    <input type="date" name="to" on:change=set(|f, v| f.to = v) /></label>
                <label class="check"><input type="checkbox" name="overdue"
                    on:change=move |ev| filter.update(|f| f.overdue = event_target_checked(&ev)) />
                    {move || t(lang.get(), "overdue_only")}</label>
                <a class="export" href=export download="cases.csv">{move || t(lang.get(), "export_csv")}</a>
                <a class="export-gis" href=export_gis download="cases.gpkg">{move || t(lang.get(), "export_gpkg")}</a>
            </fieldset>
            {move || failed.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <table>
                <thead><tr>
                    {header("case_number", Sort::Newest)}
                    {header("category", Sort::Category)}
                    {header("status", Sort::Status)}
                    <th>{move || t(lang.get(), "place")}</th>
                    <th>{move || t(lang.get(), "assignee")}</th>
                    <th>{move || t(lang.get(), "reported_at")}</th>
                    {header("deadline", Sort::Deadline)}
                </tr></thead>
                <tbody>
                    {move || sorted(rows.get(), sort.get()).into_iter().map(|v| {
                        let id = v.case.id.0;
                        let category = c.category_name(v.case.category.as_str());
                        let status = t(lang.get(), v.case.status.as_str());
                        view! {
                            <tr data-id=id class:overdue=v.overdue on:click=move |_| open(id)>
                                <td>{format!("#{id}")}</td>
                                <td>{category}</td>
                                <td>{status}</td>
                                <td>{place(&v)}</td>
                                <td>{v.case.assignee.as_deref().map(|a| c.officer_name(a))}</td>
                                <td>{local_time(&v.case.created_at)}</td>
                                <td>{local_time(&v.case.deadline)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || next.get().map(|after| view! {
                <button type="button" class="more" on:click=move |_| load(Some(after))>{t(lang.get(), "more")}</button>
            })}
        </section>
        <CaseDetail />
    }
}
