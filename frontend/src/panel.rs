//! The answer to a click: grid cell, community, zones, street and door-front shop.

use citygrid_core::api::{Location, ShopRule, Side};
use leptos::prelude::*;

use crate::i18n::{Lang, t};

/// What the panel shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Hint,
    Loading,
    Found(Box<Location>),
    Failed(String),
}

fn side_word(lang: Lang, side: Side) -> &'static str {
    match side {
        Side::Left => t(lang, "left"),
        Side::Right => t(lang, "right"),
        Side::On => t(lang, "on"),
    }
}

fn rule_word(lang: Lang, rule: ShopRule) -> &'static str {
    match rule {
        ShopRule::DoorFrontArea => t(lang, "door_front_area"),
        ShopRule::SameSideDoor => t(lang, "same_side_door"),
        ShopRule::NearestDoor => t(lang, "nearest_door"),
    }
}

fn rows(lang: Lang, loc: &Location) -> Vec<(&'static str, String)> {
    let m = t(lang, "metres");
    let none = || t(lang, "none").to_owned();
    let mut out = Vec::new();
    match (&loc.grid, &loc.outside) {
        (Some(g), _) => {
            let boundary = if g.on_boundary {
                t(lang, "boundary")
            } else {
                ""
            };
            out.push((
                "grid",
                format!(
                    "{} {}{boundary}",
                    g.code,
                    g.name.clone().unwrap_or_default()
                ),
            ));
        }
        (None, Some(o)) => out.push((
            "grid",
            format!(
                "{} · {} {} ({:.0} {m})",
                t(lang, "outside"),
                t(lang, "nearest"),
                o.nearest_grid,
                o.distance_m
            ),
        )),
        (None, None) => out.push(("grid", none())),
    }
    out.push((
        "community",
        loc.community
            .as_ref()
            .map_or_else(none, |c| format!("{} ({})", c.name, c.code)),
    ));
    out.push((
        "subdistrict",
        loc.subdistrict.as_deref().map_or_else(none, str::to_owned),
    ));
    let zones: Vec<String> = loc
        .zones
        .iter()
        .map(|z| {
            let state = if z.active {
                t(lang, "active")
            } else {
                t(lang, "inactive")
            };
            let hours = z.hours.map(|h| format!(" {h}")).unwrap_or_default();
            format!(
                "{} · {}{hours} · {state}",
                z.name,
                t(lang, z.level.as_str())
            )
        })
        .collect();
    out.push((
        "zone",
        if zones.is_empty() {
            none()
        } else {
            zones.join("；")
        },
    ));
    out.push((
        "street",
        loc.street.as_ref().map_or_else(none, |s| {
            let number = s
                .house_number
                .map(|n| format!(" {n}号"))
                .unwrap_or_default();
            format!(
                "{}{number} · {} · {:.1} {m}",
                s.name,
                side_word(lang, s.side),
                s.distance_m
            )
        }),
    ));
    out.push((
        "shop",
        loc.shop.as_ref().map_or_else(none, |s| {
            format!(
                "{} ({}) · {} · {:.1} {m}",
                s.name,
                s.code,
                rule_word(lang, s.rule),
                s.distance_m
            )
        }),
    ));
    out
}

#[component]
pub fn LocationPanel(lookup: RwSignal<Lookup>, lang: RwSignal<Lang>) -> impl IntoView {
    view! {
        <section class="panel" aria-live="polite">
            {move || {
                let lang = lang.get();
                match lookup.get() {
                    Lookup::Hint => view! { <p class="hint">{t(lang, "click_hint")}</p> }.into_any(),
                    Lookup::Loading => view! { <p class="hint">{t(lang, "loading")}</p> }.into_any(),
                    Lookup::Failed(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                    Lookup::Found(loc) => {
                        let coords = format!("{:.6}, {:.6}", loc.point.lon, loc.point.lat);
                        view! {
                            <dl class="location" data-grid=loc.grid.as_ref().map(|g| g.code.to_string()).unwrap_or_default()>
                                <dt>"WGS 84"</dt><dd>{coords}</dd>
                                {rows(lang, &loc).into_iter().map(|(key, value)| view! {
                                    <dt>{t(lang, key)}</dt><dd>{value}</dd>
                                }).collect_view()}
                            </dl>
                            {loc.shop.as_ref().map(|s| view! { <ShopCard code=s.code.to_string() lang=lang /> })}
                        }.into_any()
                    }
                }
            }}
        </section>
    }
}

/// The door-front shop's card: its current rating and its surveys, newest first.
#[component]
fn ShopCard(code: String, lang: Lang) -> impl IntoView {
    use citygrid_core::api::assessments::AssessmentList;
    let surveys = RwSignal::new(None::<Result<AssessmentList, String>>);
    let url = format!(
        "/api/v1/assessments?subject_type=shop&subject={}",
        crate::api::encode(&code)
    );
    // The bands' names, from the templates the surveys were made with.
    let templates = RwSignal::new(None::<citygrid_core::checklist::Checklists>);
    leptos::task::spawn_local(async move {
        surveys.set(Some(crate::api::get::<AssessmentList>(&url).await));
        templates.set(crate::api::get("/api/v1/checklists").await.ok());
    });
    let band = move |a: &citygrid_core::api::assessments::Assessment| {
        templates
            .with(|t| {
                t.as_ref()?
                    .get(&a.checklist, a.version)?
                    .bands
                    .iter()
                    .find(|b| b.code == a.score.rating)
                    .map(|b| {
                        if lang == Lang::Zh {
                            b.name_zh.clone()
                        } else {
                            b.name_en.clone()
                        }
                    })
            })
            .unwrap_or_else(|| a.score.rating.clone())
    };
    view! {
        <section class="shop-card" data-shop=code.clone()>
            <h3>{t(lang, "door_front")}</h3>
            {move || match surveys.get() {
                None => view! { <p class="hint">{t(lang, "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) if list.assessments.is_empty() => view! { <p class="hint">"—"</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <p class="rating" data-rating=list.assessments[0].score.rating.clone()>
                        {t(lang, "rating")}": "<strong>{band(&list.assessments[0])}</strong>
                        {format!(" · {:.0}", list.assessments[0].score.score)}</p>
                    <ol class="surveys">{list.assessments.iter().take(10).map(|a| view! {
                        <li>{crate::cases::local_time(&a.at)}" · "{format!("{:.0}", a.score.score)}" · "{band(a)}
                            {(!a.score.failed_items.is_empty()).then(|| format!(" · {}", a.score.failed_items.join(", ")))}</li>
                    }).collect_view()}</ol>
                }.into_any(),
            }}
        </section>
    }
}
