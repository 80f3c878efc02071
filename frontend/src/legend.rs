//! The legend drawn over the shared map: what the colours of cases, clusters, officers and
//! zones mean, in the user's language. The planner's analyses have their own legend.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::context::ctx;
use crate::i18n::t;
use crate::map;
use crate::views::Page;

/// The case states a legend names: the loop's, without the two that end it unhandled.
fn states() -> &'static [&'static str] {
    &crate::cases::STATES[..6]
}

/// Zone levels and their colours (as `map.js` fills them: hues apart from the hot-spot reds).
pub const ZONE_COLOURS: [(&str, &str); 5] = [
    ("demonstration", "#0369a1"),
    ("prohibited", "#6d28d9"),
    ("strict", "#a21caf"),
    ("controlled", "#0f766e"),
    ("permitted", "#65a30d"),
];

/// The map's legend for the page shown; none on the planner's page.
#[component]
pub fn MapLegend(page: RwSignal<Page>) -> impl IntoView {
    let lang = ctx().lang;
    let colours: BTreeMap<String, String> =
        serde_json::from_str(&map::status_colours()).unwrap_or_default();
    // Folded at first on a phone, where the map is small.
    let narrow = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < 700.0);
    let open = RwSignal::new(!narrow);
    move || {
        let page = page.get();
        if matches!(page, Page::Planner | Page::Reports | Page::Admin) {
            return None;
        }
        let l = lang.get();
        let states = states()
            .iter()
            .map(|s| {
                let colour = colours.get(*s).cloned().unwrap_or_default();
                view! { <li><i class="dot" style=format!("background:{colour}")></i>{t(l, s)}</li> }
            })
            .collect_view();
        let officers = matches!(page, Page::Dispatch | Page::Officer).then(|| {
            view! {
                <li><i class="dot officer" style="background:#16a34a"></i>{t(l, "on_duty")}</li>
                <li><i class="dot officer" style="background:#ea580c"></i>{t(l, "busy")}</li>
            }
        });
        let zones = ZONE_COLOURS
            .iter()
            .map(|(level, colour)| {
                view! { <li><i class="zone" style=format!("border-color:{colour};background:{colour}22")></i>{t(l, level)}</li> }
            })
            .collect_view();
        Some(view! {
            <aside class="map-legend" data-open=move || open.get().then_some("1")
                aria-label=t(l, "legend")>
                <button type="button" class="legend-toggle" aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>{t(l, "legend")}</button>
                <ul class="legend" hidden=move || !open.get()>
                    {states}
                    <li><i class="dot overdue"></i>{t(l, "overdue")}</li>
                    <li><i class="dot cluster">"12"</i>{t(l, "cluster_count")}</li>
                    {officers}
                    {zones}
                </ul>
            </aside>
        })
    }
}
