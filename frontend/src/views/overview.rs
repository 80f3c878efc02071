//! The case map: base layers, cases filtered by time, category, state, source, community and
//! grid cell; a click on the map says who is responsible there, a click on a case opens it.

use citygrid_core::api::GeocodeCandidate;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::case_detail::CaseDetail;
use crate::cases::{self, Filter, SOURCES, STATES};
use crate::context::ctx;
use crate::i18n::t;
use crate::panel::{LocationPanel, Lookup};
use crate::{api, map};
use citygrid_core::access::Permission;

/// The date a year before today, `YYYY-MM-DD`.
fn a_year_ago() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year() - 1,
        d.get_month() + 1,
        d.get_date()
    )
}

/// The case number a search means, if it is one: digits, with an optional `#` or `案件`.
fn case_number(q: &str) -> Option<i64> {
    let digits = q
        .trim()
        .trim_start_matches('#')
        .trim_start_matches("案件")
        .trim();
    // Community (12 digits) and grid codes (15) are places, not cases.
    (!digits.is_empty() && digits.len() <= 9 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

#[component]
pub fn MapView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let filter = RwSignal::new(Filter {
        from: a_year_ago(),
        ..Filter::default()
    });
    let shown = RwSignal::new(None::<Result<(usize, bool), String>>);
    Effect::new(move |_| {
        let f = filter.get();
        c.changed.track();
        spawn_local(async move {
            if let Some(answer) = cases::show_on_map(&f).await {
                shown.set(Some(answer));
            }
        });
    });
    spawn_local(map::show_shop_ratings());
    let lookup = RwSignal::new(Lookup::Hint);
    let locate = move |lon: f64, lat: f64| {
        lookup.set(Lookup::Loading);
        spawn_local(async move {
            lookup.set(match api::locate(lon, lat).await {
                Ok(loc) => Lookup::Found(Box::new(loc)),
                Err(e) => Lookup::Failed(e),
            });
        });
    };
    Effect::new(move |_| {
        if let Some((lon, lat)) = c.clicked.get() {
            locate(lon, lat);
        }
    });
    let query = RwSignal::new(String::new());
    let candidates = RwSignal::new(None::<Vec<GeocodeCandidate>>);
    let search = move || {
        let q = query.get_untracked();
        if q.trim().is_empty() {
            return;
        }
        // A case number (`10903`, `#10903`) opens that case and shows where it is.
        if let Some(id) = case_number(&q) {
            candidates.set(None);
            c.selected.set(Some(id));
            spawn_local(async move {
                let url = format!("/api/v1/cases/{id}");
                if let Ok(d) = api::get::<citygrid_core::api::cases::CaseDetail>(&url).await {
                    map::show_point(d.view.case.point.lon, d.view.case.point.lat);
                }
            });
            return;
        }
        spawn_local(async move {
            candidates.set(Some(api::geocode(&q).await.unwrap_or_default()));
        });
    };
    let pick = move |g: GeocodeCandidate| {
        candidates.set(None);
        map::show_point(g.point.lon, g.point.lat);
        locate(g.point.lon, g.point.lat);
    };
    // Places offered by name while typing, from the layers the map has downloaded.
    let community_names = RwSignal::new(Vec::<String>::new());
    let grid_names = RwSignal::new(Vec::<String>::new());
    let offer = move |layer: &str, names: RwSignal<Vec<String>>| {
        if names.with_untracked(Vec::is_empty) {
            names.set(serde_json::from_str(&map::names(layer)).unwrap_or_default());
        }
    };
    let set = move |f: fn(&mut Filter, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            filter.update(|x| f(x, v));
        }
    };
    view! {
        <form class="search" role="search" on:submit=move |ev| { ev.prevent_default(); search(); }>
            <input id="search" type="search"
                aria-label=move || t(lang.get(), "search")
                placeholder=move || t(lang.get(), "search")
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev)) />
            <button type="submit">{move || t(lang.get(), "search_button")}</button>
        </form>
        <Show when=move || candidates.get().is_some()>
            <ul class="candidates" aria-live="polite">
                {move || {
                    let list = candidates.get().unwrap_or_default();
                    if list.is_empty() {
                        return view! { <li class="empty">{t(lang.get(), "no_results")}</li> }.into_any();
                    }
                    list.into_iter().map(|g| {
                        let label = g.label.clone();
                        let score = format!("{:.0}%", g.score * 100.0);
                        view! { <li><button type="button" on:click=move |_| pick(g.clone())>{label}<small>{score}</small></button></li> }
                    }).collect_view().into_any()
                }}
            </ul>
        </Show>
        <fieldset class="filters">
            <legend>{move || t(lang.get(), "filters")}</legend>
            <label>{move || t(lang.get(), "from")}
                <input type="date" name="from" prop:value=move || filter.get().from on:change=set(|f, v| f.from = v) /></label>
            <label>{move || t(lang.get(), "to")}
                <input type="date" name="to" prop:value=move || filter.get().to on:change=set(|f, v| f.to = v) /></label>
            <label>{move || t(lang.get(), "category")}
                <select name="category" on:change=set(|f, v| f.category = v)>
                    <option value="">{move || t(lang.get(), "all")}</option>
                    {move || c.categories.get().into_iter().map(|k| {
                        let name = format!("{} {}", k.code.0, crate::context::category_name(&k, lang.get()));
                        view! { <option value=k.code.0.clone()>{name}</option> }
                    }).collect_view()}
                </select></label>
            <label>{move || t(lang.get(), "status")}
                <select name="status" on:change=set(|f, v| f.statuses = if v.is_empty() { Vec::new() } else if v == "open" { cases::OPEN.map(str::to_owned).to_vec() } else { vec![v] })>
                    <option value="">{move || t(lang.get(), "all")}</option>
                    <option value="open">{move || t(lang.get(), "open_cases")}</option>
                    {STATES.map(|s| view! { <option value=s>{move || t(lang.get(), s)}</option> }).collect_view()}
                </select></label>
            <label>{move || t(lang.get(), "source")}
                <select name="source" on:change=set(|f, v| f.source = v)>
                    <option value="">{move || t(lang.get(), "all")}</option>
                    {SOURCES.map(|s| view! { <option value=s>{move || t(lang.get(), s)}</option> }).collect_view()}
                </select></label>
            <label>{move || t(lang.get(), "community")}
                <input type="text" name="community" placeholder="古城社区" list="community-names"
                    on:focus=move |_| offer("communities", community_names) on:change=set(|f, v| f.community = v) /></label>
                <datalist id="community-names">{move || community_names.get().into_iter().map(|n| view! { <option value=n /> }).collect_view()}</datalist>
            <label>{move || t(lang.get(), "grid")}
                <input type="text" name="grid" placeholder="古城社区001号网格" list="grid-names"
                    on:focus=move |_| offer("grids", grid_names) on:change=set(|f, v| f.grid = v) /></label>
                <datalist id="grid-names">{move || grid_names.get().into_iter().map(|n| view! { <option value=n /> }).collect_view()}</datalist>
            <label class="check"><input type="checkbox" name="overdue"
                on:change=move |ev| filter.update(|f| f.overdue = event_target_checked(&ev)) />
                {move || t(lang.get(), "overdue_only")}</label>
            <p class="shown" aria-live="polite">{move || match shown.get() {
                None => t(lang.get(), "loading").to_owned(),
                Some(Ok((n, cut))) => format!("{}: {n}{}", t(lang.get(), "cases_shown"), if cut { t(lang.get(), "truncated") } else { "" }),
                Some(Err(e)) => e,
            }}</p>
        </fieldset>
        <fieldset class="layers">
            <legend>{move || t(lang.get(), "layers")}</legend>
            {map::LAYERS.iter().rev().map(|&layer| view! {
                <label>
                    <input type="checkbox" name=layer checked=map::shown_at_start(layer) on:change=move |ev| map::set_visible(layer, event_target_checked(&ev)) />
                    {move || t(lang.get(), layer)}
                </label>
            }).collect_view()}
        </fieldset>
        <CaseDetail />
        <LocationPanel lookup=lookup lang=lang />
        {move || match lookup.get() {
            Lookup::Found(loc) if Permission::ReportCases.granted_to(c.role()) => {
                let address = super::desk_report::address_of(&loc);
                Some(view! { <super::desk_report::DeskReport lon=loc.point.lon lat=loc.point.lat address=address /> })
            }
            _ => None,
        }}
    }
}
