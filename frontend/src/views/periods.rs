//! The sanitation periods (环卫考核): for a month, each contract section's assessments, score,
//! settlement and deduction, signed off or not, with the totals for town and villages; a leader
//! signs the month off here. CSV for the bureau's own sheets.

use citygrid_core::access::Permission;
use citygrid_core::api::assessments::{PeriodTable, SignOffBody};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::context::ctx;
use crate::i18n::{Lang, t};

/// This month and the eleven before it, newest first: `2026-12`, …
fn months() -> Vec<String> {
    let now = js_sys::Date::new_0();
    let (mut y, mut m) = (now.get_full_year() as i32, now.get_month() as i32 + 1);
    let mut out = Vec::new();
    for _ in 0..12 {
        out.push(format!("{y:04}-{m:02}"));
        m -= 1;
        if m == 0 {
            m = 12;
            y -= 1;
        }
    }
    out
}

fn yuan(v: f64) -> String {
    format!("{v:.2}")
}

fn area_name(lang: Lang, area: citygrid_core::features::SectionArea) -> &'static str {
    t(lang, area.as_str())
}

#[component]
pub fn PeriodsView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let list = months();
    // The last month by default: the one a leader signs off early in this one.
    let month = RwSignal::new(list.get(1).cloned().unwrap_or_default());
    let table = RwSignal::new(None::<Result<PeriodTable, String>>);
    let message = RwSignal::new(None::<(bool, String)>);
    let reload = RwSignal::new(0_u32);
    // One contractor's sections, or all.
    let contractor = RwSignal::new(String::new());
    Effect::new(move |_| {
        let m = month.get();
        reload.track();
        spawn_local(async move {
            table.set(Some(
                api::get::<PeriodTable>(&format!("/api/v1/periods?from={m}&to={m}")).await,
            ));
        });
    });
    let may_sign = Permission::SignOffPeriods.granted_to(c.role());
    let sign = move |section: Option<String>| {
        let l = lang.get_untracked();
        if !crate::confirm::confirmed(&format!("{}?", t(l, "confirm_sign_off"))) {
            return;
        }
        let body = SignOffBody {
            month: month.get_untracked(),
            sections: section.into_iter().collect(),
        };
        spawn_local(async move {
            match api::post::<_, PeriodTable>("/api/v1/periods/signoff", &body).await {
                Ok(done) => message.set(Some((
                    true,
                    format!("{} {}", t(l, "signed_off"), done.periods.len()),
                ))),
                Err(f) => message.set(Some((false, f.detail))),
            }
            reload.update(|n| *n += 1);
        });
    };
    view! {
        <section class="periods">
            <h2>{move || t(lang.get(), "view_periods")}</h2>
            <div class="toolbar">
                <label>{move || t(lang.get(), "month")}
                    <select name="month" on:change=move |ev| month.set(event_target_value(&ev))>
                        {list.iter().map(|m| view! { <option value=m.clone() selected=*m == month.get_untracked()>{m.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <a class="button export" href=move || format!("/api/v1/periods?from={0}&to={0}&format=csv{1}", month.get(), if lang.get() == Lang::Zh { "&lang=zh" } else { "" }) download="">{move || t(lang.get(), "export_csv")}</a>
                <label>{move || t(lang.get(), "contractor")}
                    <select name="contractor" on:change=move |ev| contractor.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {move || {
                            let mut names: Vec<String> = table.with(|t| t.as_ref().and_then(|r| r.as_ref().ok())
                                .map(|v| v.periods.iter().map(|p| p.figures.contractor.clone()).collect()).unwrap_or_default());
                            names.sort();
                            names.dedup();
                            names.into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()
                        }}
                    </select></label>
                {may_sign.then(|| view! {
                    <button type="button" class="sign-month" on:click=move |_| sign(None)>{move || t(lang.get(), "sign_off_month")}</button>
                })}
            </div>
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
            {move || match table.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(v)) => {
                    let l = lang.get();
                    view! {
                        <table class="period-table">
                            <thead><tr>
                                <th>{t(l, "section")}</th><th>{t(l, "contractor")}</th><th>{t(l, "area")}</th>
                                <th>{t(l, "daily")}</th><th>{t(l, "comprehensive")}</th><th>{t(l, "score")}</th>
                                <th>{t(l, "notices")}</th><th>{t(l, "fee")}</th><th>{t(l, "deducted")}</th>
                                <th>{t(l, "appeals")}</th><th>{t(l, "signed_off")}</th>
                            </tr></thead>
                            <tbody>{v.periods.into_iter().filter(|p| { let c = contractor.get(); c.is_empty() || p.figures.contractor == c }).map(|p| {
                                let f = p.figures.clone();
                                let code = f.section.to_string();
                                let signed = p.signed_by.clone();
                                let is_signed = signed.is_some().to_string();
                                let assessed = f.score.is_some();
                                view! {
                                    <tr data-section=code.clone() data-signed=is_signed>
                                        <td>{f.name.clone()}</td><td>{f.contractor.clone()}</td><td>{area_name(l, f.area)}</td>
                                        <td class="num">{f.daily}</td><td class="num">{f.comprehensive}</td>
                                        <td class="num">{f.score.map_or_else(|| "—".to_owned(), |s| format!("{s:.2}"))}</td>
                                        <td class="num">{f.notices}</td>
                                        <td class="num">{f.settlement.map_or_else(|| "—".to_owned(), |s| yuan(s.fee))}</td>
                                        <td class="num deducted">{yuan(p.deducted)}</td>
                                        <td class="num">{p.appeals.len()}</td>
                                        <td>{match signed {
                                            Some(by) => view! { <span class="signed">{by}</span> }.into_any(),
                                            None if may_sign && assessed => {
                                                let code = code.clone();
                                                view! { <button type="button" class="sign" on:click=move |_| sign(Some(code.clone()))>{t(l, "sign_off")}</button> }.into_any()
                                            }
                                            None => view! { <span>"—"</span> }.into_any(),
                                        }}</td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                            <tfoot>{v.totals.into_iter().map(|total| view! {
                                <tr class="total" data-area=total.area.as_str()>
                                    <th>{t(l, "totals")}</th><td></td><td>{area_name(l, total.area)}</td>
                                    <td class="num">{total.daily}</td><td class="num">{total.comprehensive}</td><td></td>
                                    <td class="num">{total.notices}</td><td class="num">{yuan(total.fee)}</td>
                                    <td class="num deducted">{yuan(total.deducted)}</td><td></td><td></td>
                                </tr>
                            }).collect_view()}</tfoot>
                        </table>
                    }.into_any()
                }
            }}
        </section>
    }
}
