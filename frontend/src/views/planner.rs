//! The planner's analyses on the map: Gi* hot and cold spots coloured by confidence, emerging
//! hot spot categories, the heat surface, a time slider over the last twelve months, and the
//! recurring problem places with each one's history as a chart.

use std::collections::BTreeMap;

use citygrid_core::api::analytics::{
    EmergingAnswer, HeatAnswer, Hotspots, RecurringAnswer, RecurringPlace,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::context::ctx;
use crate::i18n::t;
use crate::map;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    Hotspots,
    Emerging,
    Heat,
}

/// Grid cells coloured, by code.
fn colour_grids(colours: &BTreeMap<String, &str>) {
    map::set_grid_colours(&serde_json::to_string(colours).unwrap_or_else(|_| "{}".into()));
}

/// Gi* bins (99/95/90 % hot, then cold) and their colours.
pub const BIN_COLOURS: [(i8, &str, &str); 6] = [
    (3, "#b2182b", "hot99"),
    (2, "#ef8a62", "hot95"),
    (1, "#fddbc7", "hot90"),
    (-1, "#d1e5f0", "cold"),
    (-2, "#67a9cf", "cold"),
    (-3, "#2166ac", "cold"),
];

/// Emerging hot spot categories and their colours: each hot kind its own hue (reds for the
/// trends that matter most), each cold twin a cool hue, so no two read alike.
const EMERGING_COLOURS: [(&str, &str); 16] = [
    ("new", "#f472b6"),
    ("consecutive", "#fb7185"),
    ("intensifying", "#dc2626"),
    ("persistent", "#7f1d1d"),
    ("diminishing", "#f97316"),
    ("sporadic", "#facc15"),
    ("oscillating", "#a855f7"),
    ("historical", "#78716c"),
    ("new_cold", "#67e8f9"),
    ("consecutive_cold", "#38bdf8"),
    ("intensifying_cold", "#1d4ed8"),
    ("persistent_cold", "#172554"),
    ("diminishing_cold", "#14b8a6"),
    ("sporadic_cold", "#84cc16"),
    ("oscillating_cold", "#6366f1"),
    ("historical_cold", "#94a3b8"),
];

/// The first days of the last twelve months, oldest first, and the day after this month.
fn months() -> Vec<String> {
    let now = js_sys::Date::new_0();
    let (mut y, mut m) = (now.get_full_year() as i32, now.get_month() as i32 + 1);
    let mut out = Vec::new();
    for _ in 0..13 {
        out.push(format!("{y:04}-{m:02}-01"));
        m -= 1;
        if m == 0 {
            m = 12;
            y -= 1;
        }
    }
    out.reverse();
    // 13 starts: twelve months ago … this month; and the start of next month closes the range.
    let (mut ny, mut nm) = (now.get_full_year() as i32, now.get_month() as i32 + 2);
    if nm == 13 {
        nm = 1;
        ny += 1;
    }
    out.push(format!("{ny:04}-{nm:02}-01"));
    out
}

#[component]
pub fn PlannerView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let layer = RwSignal::new(Layer::Hotspots);
    let starts = months();
    let last = starts.len() - 2;
    // The slider: 0…last picks a month, last+1 the whole twelve months.
    let slot = RwSignal::new(last + 1);
    let status = RwSignal::new(None::<Result<String, String>>);
    // The heat surface's highest density (cases per km²), for the scale's numbers.
    let heat_max = RwSignal::new(None::<f64>);
    map::set_cases(r#"{"type":"FeatureCollection","features":[]}"#);
    on_cleanup(|| {
        map::set_grid_colours("{}");
        map::set_heat("null");
    });
    let range = {
        let starts = starts.clone();
        move |s: usize| -> (String, String) {
            if s > last {
                (starts[1].clone(), starts[last + 1].clone())
            } else {
                (starts[s].clone(), starts[s + 1].clone())
            }
        }
    };
    let range_for_label = range.clone();
    // Each choice draws its own answer only: one arriving after a newer choice is dropped.
    let generation = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let (from, to) = range(slot.get());
        let which = layer.get();
        status.set(None);
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let stale = move || generation.get_value() != mine;
        spawn_local(async move {
            let result = match which {
                Layer::Hotspots => {
                    map::set_heat("null");
                    api::get::<Hotspots>(&format!("/api/v1/analytics/hotspots?from={from}&to={to}"))
                        .await
                        .map(|v| {
                            if stale() {
                                return String::new();
                            }
                            let mut colours = BTreeMap::new();
                            let mut hot = 0;
                            for cell in v.cells {
                                if let Some((_, colour, _)) =
                                    BIN_COLOURS.iter().find(|b| b.0 == cell.bin)
                                {
                                    colours.insert(cell.grid, *colour);
                                    hot += usize::from(cell.bin > 0);
                                }
                            }
                            colour_grids(&colours);
                            format!("{hot}")
                        })
                }
                Layer::Emerging => {
                    map::set_heat("null");
                    api::get::<EmergingAnswer>("/api/v1/analytics/emerging?slice=month")
                        .await
                        .map(|v| {
                            if stale() {
                                return String::new();
                            }
                            let mut colours = BTreeMap::new();
                            for cell in v.cells {
                                let category = cell.category.as_str();
                                if let Some((_, colour)) =
                                    EMERGING_COLOURS.iter().find(|e| e.0 == category)
                                {
                                    colours.insert(cell.grid, *colour);
                                }
                            }
                            let n = colours.len();
                            colour_grids(&colours);
                            format!("{n}")
                        })
                }
                Layer::Heat => {
                    map::set_grid_colours("{}");
                    api::get::<HeatAnswer>(&format!("/api/v1/analytics/heat?from={from}&to={to}"))
                        .await
                        .map(|v| {
                            if stale() {
                                return String::new();
                            }
                            heat_max.set(v.heat.as_ref().map(|h| h.surface.max));
                            map::set_heat(
                                &serde_json::to_string(&v.heat).unwrap_or_else(|_| "null".into()),
                            );
                            String::new()
                        })
                }
            };
            if !stale() {
                status.set(Some(result));
            }
        });
    });
    let choose = move |l: Layer| move |_| layer.set(l);
    view! {
        <section class="planner">
            <fieldset class="analysis" role="radiogroup">
                <legend>{move || t(lang.get(), "view_planner")}</legend>
                <label><input type="radio" name="analysis" checked=true on:change=choose(Layer::Hotspots) />{move || t(lang.get(), "hotspots")}</label>
                <label><input type="radio" name="analysis" on:change=choose(Layer::Emerging) />{move || t(lang.get(), "emerging")}</label>
                <label><input type="radio" name="analysis" on:change=choose(Layer::Heat) />{move || t(lang.get(), "heat")}</label>
            </fieldset>
            <label class="slider">{move || t(lang.get(), "month")}
                <input type="range" min="0" max=last + 1 step="1" prop:value=move || slot.get().to_string()
                    disabled=move || layer.get() == Layer::Emerging
                    on:input=move |ev| slot.set(event_target_value(&ev).parse().unwrap_or(last + 1)) />
                <output>{move || {
                    let s = slot.get();
                    if s > last { t(lang.get(), "whole_year").to_owned() } else { range_for_label(s).0[..7].to_owned() }
                }}</output>
            </label>
            <p class="analysis-status" aria-live="polite">{move || match status.get() {
                None => t(lang.get(), "loading").to_owned(),
                Some(Ok(n)) if layer.get() == Layer::Hotspots => format!("{}: {n}", t(lang.get(), "hot95")),
                Some(Ok(_)) => String::new(),
                Some(Err(e)) => e,
            }}</p>
            <Legend layer=layer heat_max=heat_max />
        </section>
        <Recurring />
    }
}

#[component]
fn Legend(layer: RwSignal<Layer>, heat_max: RwSignal<Option<f64>>) -> impl IntoView {
    let lang = ctx().lang;
    move || {
        match layer.get() {
        Layer::Hotspots => view! {
            <ul class="legend">
                {BIN_COLOURS.iter().map(|(bin, colour, key)| {
                    let label = format!("{}{}", t(lang.get(), key), if *bin < 0 { format!(" {}%", [90, 95, 99][(-bin - 1) as usize]) } else { String::new() });
                    view! { <li><i style=format!("background:{colour}")></i>{label}</li> }
                }).collect_view()}
            </ul>
        }.into_any(),
        Layer::Emerging => view! {
            <ul class="legend">
                {EMERGING_COLOURS.iter().map(|(name, colour)| view! { <li><i style=format!("background:{colour}")></i>{t(lang.get(), name)}</li> }).collect_view()}
            </ul>
        }.into_any(),
        Layer::Heat => view! {
            <div class="heat-legend">
                <p class="legend heat-ramp"></p>
                <p class="heat-scale">
                    {move || heat_ticks(heat_max.get()).into_iter().map(|v| view! { <span>{v}</span> }).collect_view()}
                </p>
                <p class="hint">{t(lang.get(), "per_km2")}</p>
            </div>
        }.into_any(),
    }
    }
}

/// The heat scale's numbers: 0, half and the highest density, rounded as a person reads them.
fn heat_ticks(max: Option<f64>) -> Vec<String> {
    let Some(max) = max.filter(|m| m.is_finite() && *m > 0.0) else {
        return Vec::new();
    };
    let show = |v: f64| {
        if v >= 100.0 {
            format!("{v:.0}")
        } else if v >= 10.0 {
            format!("{v:.1}")
        } else {
            format!("{v:.2}")
        }
    };
    vec!["0".to_owned(), show(max / 2.0), show(max)]
}

/// The recurring problem places, ranked; a click shows the place's history.
#[component]
fn Recurring() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let places = RwSignal::new(None::<Result<Vec<RecurringPlace>, String>>);
    let chosen = RwSignal::new(None::<RecurringPlace>);
    spawn_local(async move {
        places.set(Some(
            api::get::<RecurringAnswer>("/api/v1/analytics/recurring?limit=20")
                .await
                .map(|v| v.places),
        ));
    });
    view! {
        <section class="recurring">
            <h3>{move || t(lang.get(), "recurring")}</h3>
            {move || match places.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ol class="places">
                        {list.into_iter().map(|p| {
                            let name = place_name(&p);
                            let kind = p.kind.clone();
                            let months = p.months_recurring;
                            let total = p.total;
                            let category = c.category_name(&p.main_category);
                            let place = p.clone();
                            view! {
                                <li><button type="button" data-kind=kind.clone() on:click=move |_| chosen.set(Some(place.clone()))>
                                    <strong>{name}</strong>" · "{category}
                                    <small>{t(lang.get(), "cases_count")}" "{total}" · "{t(lang.get(), "months_recurring")}" "{months}</small>
                                </button></li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            {move || chosen.get().map(|p| view! { <HistoryChart place=p /> })}
        </section>
    }
}

/// A place's name, or its code when it has none.
fn place_name(p: &RecurringPlace) -> String {
    if p.name.is_empty() {
        p.key.clone()
    } else {
        p.name.clone()
    }
}

/// Cases per month of one place, as bars.
#[component]
fn HistoryChart(place: RecurringPlace) -> impl IntoView {
    let name = place_name(&place);
    let history = place.history;
    let max = history
        .iter()
        .map(|h| h.total as f64)
        .fold(1.0_f64, f64::max);
    let (w, h, pad) = (300.0, 120.0, 18.0);
    let bar = (w - pad) / history.len().max(1) as f64;
    if place.kind == "grid" {
        colour_grids(&BTreeMap::from([(place.key.clone(), "#7c3aed")]));
    }
    view! {
        <figure class="history-chart">
            <figcaption>{name}</figcaption>
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label="history">
                {history.into_iter().enumerate().map(|(i, m)| {
                    let total = m.total as f64;
                    let bh = (h - pad) * total / max;
                    let x = pad + i as f64 * bar;
                    let month = m.month.format("%m").to_string();
                    view! {
                        <g>
                            <rect x=x + 1.0 y=h - pad - bh width=(bar - 2.0).max(1.0) height=bh fill="#dc2626">
                                <title>{format!("{}: {total}", m.month)}</title>
                            </rect>
                            <text x=x + bar / 2.0 y=h - 4.0 font-size="8" text-anchor="middle">{month}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}
