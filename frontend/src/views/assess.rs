//! The assessor's phone form (考核检查): choose the checklist, pick the section from the list or
//! the shop by a tap on the map, score the checklist item by item (a fixed deduction ticked,
//! the points of a range, the times of a per-occurrence item), weigh dust squares where the
//! phone stands, ask for a rectification notice on a failed item; the score and rating are
//! worked out on the phone as the form is filled (citygrid-core's scoring, the server's own)
//! and the assessment is sent with the phone's position.

use std::collections::BTreeMap;

use citygrid_core::LonLat;
use citygrid_core::api::Location;
use citygrid_core::api::assessments::{Assessment, NewAssessment, NoticeRequest, Subject};
use citygrid_core::checklist::{Checklist, Checklists, Deduct, Finding, Measure, Sample};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::Closure;

use crate::api;
use crate::context::ctx;
use crate::i18n::t;
use crate::map;

/// What the assessor set for one item.
#[derive(Debug, Clone, Default, PartialEq)]
struct Entry {
    points: Option<f64>,
    occurrences: Option<u32>,
    fixed: bool,
    notice: bool,
    /// Photos of what was found, by the hash the upload answered.
    photos: Vec<String>,
}

impl Entry {
    fn failed(&self) -> bool {
        self.fixed || self.points.is_some() || self.occurrences.is_some_and(|n| n > 0)
    }
}

/// The findings of the entries, in the template's order.
fn findings(c: &Checklist, entries: &BTreeMap<String, Entry>) -> Vec<Finding> {
    c.items
        .iter()
        .filter_map(|item| {
            let e = entries.get(&item.code).filter(|e| e.failed())?;
            Some(Finding {
                item: item.code.clone(),
                points: e.points,
                occurrences: e.occurrences,
                photos: e.photos.clone(),
                ..Finding::default()
            })
        })
        .collect()
}

#[component]
pub fn AssessView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let templates = RwSignal::new(Vec::<Checklist>::new());
    let chosen = RwSignal::new(String::new());
    let sections = RwSignal::new(Vec::<(String, String)>::new());
    let section = RwSignal::new(String::new());
    let shop = RwSignal::new(None::<(String, String)>);
    let entries = RwSignal::new(BTreeMap::<String, Entry>::new());
    let samples = RwSignal::new(Vec::<Sample>::new());
    let position = RwSignal::new(None::<LonLat>);
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(all) = api::get::<Checklists>("/api/v1/checklists").await {
            let list = all.newest().into_iter().cloned().collect::<Vec<_>>();
            chosen.set(list.first().map(|c| c.code.clone()).unwrap_or_default());
            templates.set(list);
        }
        if let Ok(layer) = api::get::<serde_json::Value>("/api/v1/layers/sections").await {
            let list = layer["features"]
                .as_array()
                .map(|fs| {
                    fs.iter()
                        .filter_map(|f| {
                            let p = &f["properties"];
                            Some((
                                p["code"].as_str()?.to_owned(),
                                p["name"].as_str()?.to_owned(),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default();
            sections.set(list);
        }
    });
    spawn_local(map::show_shop_ratings());
    // Where the phone is: asked once, kept for the assessment and its dust squares.
    let on_fix = Closure::<dyn FnMut(f64, f64, f64)>::new(move |lon: f64, lat: f64, acc: f64| {
        if let Ok(p) = LonLat::new(lon, lat) {
            position.set(Some(p));
            map::show_self(lon, lat, acc);
        }
    });
    map::locate_device(&on_fix);
    on_fix.forget();
    // A tap on the map picks the shop whose door front it is in.
    Effect::new(move |_| {
        let Some((lon, lat)) = c.clicked.get() else {
            return;
        };
        spawn_local(async move {
            if let Ok(loc) =
                api::get::<Location>(&format!("/api/v1/locate?lon={lon}&lat={lat}")).await
                && let Some(hit) = loc.shop
            {
                shop.set(Some((hit.code.to_string(), hit.name.to_string())));
            }
        });
    });
    let template =
        move || templates.with(|list| list.iter().find(|c| c.code == chosen.get()).cloned());
    let score = move || {
        let c = template()?;
        Some(
            c.score(&entries.with(|e| findings(&c, e)), &samples.get())
                .map(|s| {
                    let band = c.bands.iter().find(|b| b.code == s.rating).cloned();
                    (s, band)
                }),
        )
    };
    let set = move |code: String, change: Box<dyn Fn(&mut Entry)>| {
        entries.update(|all| change(all.entry(code).or_default()));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let Some(tpl) = template() else { return };
        let subject = if tpl.kind.of_shops() {
            shop.get_untracked()
                .map(|(code, _)| Subject::Shop(code.into()))
        } else {
            Some(section.get_untracked())
                .filter(|s| !s.is_empty())
                .map(|s| Subject::Section(s.into()))
        };
        let Some(subject) = subject else {
            message.set(Some((false, t(l, "choose_subject").to_owned())));
            return;
        };
        let found = entries.with_untracked(|e| findings(&tpl, e));
        let notices = entries.with_untracked(|all| {
            found
                .iter()
                .filter(|f| all.get(&f.item).is_some_and(|e| e.notice))
                .map(|f| NoticeRequest {
                    item: f.item.clone(),
                    note: None,
                })
                .collect()
        });
        let body = NewAssessment {
            checklist: tpl.code.clone(),
            version: Some(tpl.version),
            subject,
            assessors: Vec::new(),
            at: None,
            position: position.get_untracked(),
            findings: found,
            samples: samples.get_untracked(),
            note: None,
            notices,
            campaign: None,
        };
        busy.set(true);
        spawn_local(async move {
            let answer = api::post::<_, Assessment>("/api/v1/assessments", &body).await;
            busy.set(false);
            match answer {
                Ok(a) => {
                    message.set(Some((
                        true,
                        format!(
                            "{} #{} · {:.1} {}",
                            t(l, "assessment_saved"),
                            a.id,
                            a.score.score,
                            a.score.rating
                        ),
                    )));
                    entries.set(BTreeMap::new());
                    samples.set(Vec::new());
                    map::show_shop_ratings().await;
                    c.changed.update(|n| *n += 1);
                }
                Err(f) => message.set(Some((false, crate::problem_text::problem_in(l, &f.detail)))),
            }
        });
    };
    let add_sample = move |_| {
        samples.update(|s| {
            s.push(Sample {
                area_m2: 1.0,
                grams: 0.0,
                point: position.get_untracked(),
            });
        });
    };
    view! {
        <section class="assess">
            <h2>{move || t(lang.get(), "view_assess")}</h2>
            <form class="assess-form" on:submit=submit>
                <label>{move || t(lang.get(), "checklist")}
                    <select name="checklist" on:change=move |ev| { chosen.set(event_target_value(&ev)); entries.set(BTreeMap::new()); samples.set(Vec::new()); }>
                        {move || templates.get().into_iter().map(|c| {
                            let name = if lang.get() == crate::i18n::Lang::Zh { c.name_zh.clone() } else { c.name_en.clone() };
                            view! { <option value=c.code.clone() selected=c.code == chosen.get_untracked()>{name}</option> }
                        }).collect_view()}
                    </select></label>
                {move || {
                    let shops = template().is_some_and(|c| c.kind.of_shops());
                    if shops {
                        view! {
                            <p class="subject shop-pick">{t(lang.get(), "subject")}": "
                                {move || shop.get().map_or_else(|| t(lang.get(), "choose_subject").to_owned(), |(code, name)| format!("{name}（{code}）"))}</p>
                        }.into_any()
                    } else {
                        view! {
                            <label>{t(lang.get(), "section")}
                                <select name="section" on:change=move |ev| section.set(event_target_value(&ev))>
                                    <option value="">"—"</option>
                                    {sections.get().into_iter().map(|(code, name)| view! { <option value=code.clone()>{name}</option> }).collect_view()}
                                </select></label>
                        }.into_any()
                    }
                }}
                <fieldset class="items"><legend>{move || t(lang.get(), "findings")}</legend>
                {move || template().map(|c| c.items.into_iter().filter(|i| !matches!(i.measure, Some(Measure::GramsPerSquareMetre { .. }))).map(|item| {
                    let code = item.code.clone();
                    let text = if lang.get_untracked() == crate::i18n::Lang::Zh { item.text_zh.clone() } else { item.text_en.clone() };
                    let failed = { let code = code.clone(); move || entries.with(|e| e.get(&code).is_some_and(Entry::failed)) };
                    let control = match item.deduct {
                        Deduct::Fixed { points } => {
                            let code = code.clone();
                            view! { <label class="fixed"><input type="checkbox" name=format!("item-{code}")
                                on:change=move |ev| { let on = event_target_checked(&ev); set(code.clone(), Box::new(move |e| e.fixed = on)); } />
                                {format!("−{points}")}</label> }.into_any()
                        }
                        Deduct::Range { min, max } => {
                            let code = code.clone();
                            view! { <label>{move || t(lang.get(), "points")}
                                <input type="number" name=format!("item-{code}") min=min max=max step="1" placeholder=format!("{min}–{max}")
                                    on:input=move |ev| { let v = event_target_value(&ev).parse::<f64>().ok(); set(code.clone(), Box::new(move |e| e.points = v)); } /></label> }.into_any()
                        }
                        Deduct::PerOccurrence { points, .. } => {
                            let code = code.clone();
                            view! { <label>{move || t(lang.get(), "occurrences")}{format!("（−{points}）")}
                                <input type="number" name=format!("item-{code}") min="0" step="1"
                                    on:input=move |ev| { let v = event_target_value(&ev).parse::<u32>().ok(); set(code.clone(), Box::new(move |e| e.occurrences = v)); } /></label> }.into_any()
                        }
                    };
                    let notice_code = code.clone();
                    let photo_code = code.clone();
                    let count_code = code.clone();
                    view! {
                        <div class="item" data-item=code.clone() class:failed=failed.clone()>
                            <p><b>{code.clone()}</b>" "{text}{item.major.then_some(" ⚠")}</p>
                            {control}
                            <Show when=failed.clone()>
                                <label class="notice"><input type="checkbox" name=format!("notice-{notice_code}")
                                    on:change={ let code = notice_code.clone(); move |ev| { let on = event_target_checked(&ev); set(code.clone(), Box::new(move |e| e.notice = on)); } } />
                                    {move || t(lang.get(), "raise_notice")}</label>
                                <label class="photo">{move || t(lang.get(), "photo")}
                                    <input type="file" accept="image/*" capture="environment" name=format!("photo-{photo_code}")
                                        on:change={ let code = photo_code.clone(); move |ev| {
                                            let Some(file) = super::officer::chosen_file(&ev) else { return };
                                            let code = code.clone();
                                            spawn_local(async move {
                                                match super::officer::upload(file).await {
                                                    Ok(hash) => set(code, Box::new(move |e| e.photos.push(hash.clone()))),
                                                    Err(e) => message.set(Some((false, e))),
                                                }
                                            });
                                        } } /></label>
                                <span class="photos-taken">{ let code = count_code.clone(); move || entries.with(|e| e.get(&code).map_or(0, |x| x.photos.len())).to_string() }</span>
                            </Show>
                        </div>
                    }
                }).collect_view())}
                </fieldset>
                {move || template().and_then(|c| c.dust).map(|rule| view! {
                    <fieldset class="samples"><legend>{t(lang.get(), "samples")}{format!(" (≥ {}, ≤ {} g/m²)", rule.min_samples, rule.threshold)}</legend>
                        {move || samples.get().into_iter().enumerate().map(|(i, s)| view! {
                            <label>{format!("{} ", i + 1)}{t(lang.get(), "grams")}
                                <input type="number" name=format!("sample-{i}") min="0" step="0.1" prop:value=s.grams
                                    on:input=move |ev| { let g = event_target_value(&ev).parse::<f64>().unwrap_or(0.0); samples.update(|all| if let Some(x) = all.get_mut(i) { x.grams = g }); } /></label>
                        }).collect_view()}
                        <button type="button" class="add-sample" on:click=add_sample>{t(lang.get(), "add_sample")}</button>
                    </fieldset>
                })}
                <p class="live-score" aria-live="polite">{move || match score() {
                    None => String::new(),
                    Some(Ok((s, band))) => format!("{} {:.1} · {}", t(lang.get(), "score"), s.score,
                        band.map_or(s.rating.clone(), |b| if lang.get() == crate::i18n::Lang::Zh { b.name_zh } else { b.name_en })),
                    Some(Err(e)) => e.to_string(),
                }}</p>
                <button type="submit" prop:disabled=move || busy.get()>{move || t(lang.get(), "submit")}</button>
                {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
            </form>
        </section>
    }
}
