//! Campaigns (专项整治): the list, and a campaign's page — its targets and how far they are
//! reached, the tallies summed by item and by community, rates with numerator and denominator,
//! the actions drawn on the map and listed, the cases found on the way (opened by a click).

use citygrid_core::api::campaigns::{
    ActionList, ActionPlace, Campaign, CampaignFigures, CampaignList,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::context::ctx;
use crate::i18n::{Lang, t};
use crate::map;

/// A quantity as a report writes it: whole numbers without decimals.
pub fn quantity(q: f64) -> String {
    if q.fract() == 0.0 {
        format!("{q:.0}")
    } else {
        format!("{q:.2}")
    }
}

/// The point an action is drawn at: its point, or its area's first corner.
fn action_point(place: &ActionPlace) -> Option<(f64, f64)> {
    match place {
        ActionPlace::Point { at } => Some((at.lon, at.lat)),
        ActionPlace::Area { ring } => ring.first().map(|p| (p.lon, p.lat)),
    }
}

#[component]
pub fn CampaignsView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let list = RwSignal::new(None::<Result<CampaignList, String>>);
    let chosen = RwSignal::new(None::<i64>);
    let figures = RwSignal::new(None::<Result<CampaignFigures, String>>);
    let actions = RwSignal::new(None::<ActionList>);
    spawn_local(async move {
        let answer = api::get::<CampaignList>("/api/v1/campaigns").await;
        if let Ok(l) = &answer {
            chosen.set(l.campaigns.first().map(|c| c.id));
        }
        list.set(Some(answer));
    });
    Effect::new(move |_| {
        let Some(id) = chosen.get() else { return };
        figures.set(None);
        spawn_local(async move {
            let f = api::get::<CampaignFigures>(&format!("/api/v1/campaigns/{id}/figures")).await;
            let a = api::get::<ActionList>(&format!("/api/v1/campaigns/{id}/actions")).await;
            // A campaign chosen meanwhile wins.
            if chosen.get_untracked() != Some(id) {
                return;
            }
            if let Ok(a) = &a {
                let marks: Vec<serde_json::Value> = a
                    .actions
                    .iter()
                    .filter_map(|x| {
                        let (lon, lat) = action_point(&x.place)?;
                        Some(serde_json::json!({ "id": x.id, "lon": lon, "lat": lat }))
                    })
                    .collect();
                map::set_actions(&serde_json::Value::from(marks).to_string());
            }
            actions.set(a.ok());
            figures.set(Some(f));
        });
    });
    on_cleanup(|| map::set_actions("[]"));
    let campaign = move || {
        let id = chosen.get()?;
        list.with(|l| {
            l.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|l| l.campaigns.iter().find(|c| c.id == id).cloned())
        })
    };
    view! {
        <section class="campaigns">
            <h2>{move || t(lang.get(), "view_campaigns")}</h2>
            {move || match list.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ul class="campaign-list">{l.campaigns.into_iter().map(|k| {
                        let id = k.id;
                        view! {
                            <li data-campaign=id.to_string() class:chosen=move || chosen.get() == Some(id)>
                                <button type="button" class="link" on:click=move |_| chosen.set(Some(id))>{k.name.clone()}</button>
                                <span class="period">{format!(" {} – {}", k.starts, k.ends)}</span>
                            </li>
                        }
                    }).collect_view()}</ul>
                }.into_any(),
            }}
            {move || campaign().map(|k| view! { <CampaignPage campaign=k figures actions /> })}
        </section>
    }
}

#[component]
fn CampaignPage(
    campaign: Campaign,
    figures: RwSignal<Option<Result<CampaignFigures, String>>>,
    actions: RwSignal<Option<ActionList>>,
) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let id = campaign.id;
    view! {
        <div class="campaign-page" data-campaign=id.to_string()>
            <h3>{campaign.name.clone()}</h3>
            <p class="facts">{move || format!("{} · {} – {} · {}",
                if lang.get() == Lang::Zh { campaign.kind_name_zh.clone() } else { campaign.kind_name_en.clone() },
                campaign.starts, campaign.ends, campaign.lead_team)}</p>
            <a class="button export" href=move || format!("/api/v1/campaigns/{id}/actions?format=csv{}", if lang.get() == Lang::Zh { "&lang=zh" } else { "" }) download="">{move || t(lang.get(), "export_csv")}</a>
            {move || match figures.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(f)) => {
                    let l = lang.get();
                    let zh = l == Lang::Zh;
                    view! {
                        <p class="action-count">{format!("{} {}", t(l, "cp_actions"), f.tallies.actions)}</p>
                        {(!f.tallies.targets.is_empty()).then(|| view! {
                            <table class="targets"><caption>{t(l, "cp_targets")}</caption><tbody>
                                {f.tallies.targets.iter().map(|g| view! {
                                    <tr class:met=g.met><td>{g.item.clone()}</td>
                                        <td class="num">{format!("{} / {}", quantity(g.done), quantity(g.target))}</td>
                                        <td>{g.by.to_string()}</td><td>{if g.met { "✓" } else { "" }}</td></tr>
                                }).collect_view()}
                            </tbody></table>
                        })}
                        <table class="tallies"><caption>{t(l, "cp_tallies")}</caption><tbody>
                            {f.tallies.totals.iter().map(|x| view! {
                                <tr data-item=x.item.clone()><td>{if zh { x.name_zh.clone() } else { x.name_en.clone() }}</td>
                                    <td class="num">{quantity(x.quantity)}</td>
                                    <td>{if zh { x.unit.zh() } else { x.unit.en() }}</td>
                                    <td class="num">{x.parties.map(|p| p.to_string()).unwrap_or_default()}</td></tr>
                            }).collect_view()}
                            {f.tallies.rates.iter().map(|r| view! {
                                <tr class="rate"><td>{f.tallies.totals.iter().find(|x| x.item == r.item).map_or_else(|| r.item.clone(), |x| if zh { x.name_zh.clone() } else { x.name_en.clone() })}</td>
                                    <td class="num">{format!("{}/{}", quantity(r.numerator), quantity(r.denominator))}</td>
                                    <td>{if r.denominator > 0.0 { format!("{:.1}%", r.numerator / r.denominator * 100.0) } else { "—".into() }}</td><td></td></tr>
                            }).collect_view()}
                        </tbody></table>
                        <table class="by-community"><caption>{t(l, "by_community")}</caption><tbody>
                            {f.tallies.by_community.iter().map(|g| view! {
                                <tr><td>{if g.key.is_empty() { "—".to_owned() } else { g.key.clone() }}</td>
                                    <td class="num">{g.actions}</td>
                                    <td>{g.totals.iter().map(|x| format!("{} {}", if zh { x.name_zh.clone() } else { x.name_en.clone() }, quantity(x.quantity))).collect::<Vec<_>>().join("，")}</td></tr>
                            }).collect_view()}
                        </tbody></table>
                        <div class="linked-cases"><h4>{t(l, "cp_linked_cases")}</h4>
                            {f.cases.iter().map(|k| {
                                let case = k.id;
                                view! { <button type="button" class="link" class:overdue=k.overdue on:click=move |_| c.selected.set(Some(case))>{format!("#{case}")}</button>" " }
                            }).collect_view()}
                        </div>
                        {(!f.assessments.is_empty()).then(|| view! {
                            <p class="linked-assessments">{format!("{} {}", t(l, "cp_assessments"),
                                f.assessments.iter().map(|a| format!("#{a}")).collect::<Vec<_>>().join(" "))}</p>
                        })}
                    }.into_any()
                }
            }}
            {move || actions.get().map(|a| view! {
                <table class="actions"><caption>{t(lang.get(), "cp_actions")}</caption><tbody>
                    {a.actions.into_iter().rev().take(30).map(|x| view! {
                        <tr data-action=x.id.to_string()><td>{x.day.to_string()}</td><td>{x.community.clone().unwrap_or_default()}</td>
                            <td>{x.tallies.iter().map(|t| format!("{} {}", t.item, quantity(t.quantity))).collect::<Vec<_>>().join("，")}</td></tr>
                    }).collect_view()}
                </tbody></table>
            })}
        </div>
    }
}
