//! The quarterly report as the bureau files it (received by source, category with quantities,
//! community; hotline; on-time rates; recurring places and emerging hot spots), with CSV and
//! printable exports; and the evaluation ratios per community, team, officer, grid or month.

use citygrid_core::api::analytics::{
    Evaluation as Figures, EvaluationAnswer, QuarterlyReport, Ratio,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::context::ctx;
use crate::i18n::t;

/// The last five quarters, newest first: `2026-Q4`, …
fn quarters() -> Vec<String> {
    let now = js_sys::Date::new_0();
    let (mut y, mut q) = (now.get_full_year() as i32, now.get_month() as i32 / 3 + 1);
    let mut out = Vec::new();
    for _ in 0..5 {
        out.push(format!("{y}-Q{q}"));
        q -= 1;
        if q == 0 {
            q = 4;
            y -= 1;
        }
    }
    out
}

fn percent(ratio: Option<Ratio>) -> String {
    ratio
        .and_then(|r| r.rate)
        .map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

/// One ratio of a group's figures.
type RatioOf = fn(&Figures) -> Ratio;

/// The ratios shown, each with its label.
const RATIOS: [(RatioOf, &str); 7] = [
    (|e| e.handled, "handled_rate"),
    (|e| e.handled_on_time, "handled_on_time"),
    (|e| e.closed, "closed_rate"),
    (|e| e.closed_on_time, "closed_on_time"),
    (|e| e.rework, "rework_rate"),
    (|e| e.extension, "extension_rate"),
    (|e| e.accurate_dispatch, "accurate_dispatch"),
];

#[component]
pub fn ReportsView() -> impl IntoView {
    let lang = ctx().lang;
    let list = quarters();
    // The last complete quarter by default.
    let quarter = RwSignal::new(list.get(1).cloned().unwrap_or_default());
    let report = RwSignal::new(None::<Result<QuarterlyReport, String>>);
    Effect::new(move |_| {
        let q = quarter.get();
        report.set(None);
        spawn_local(async move {
            report.set(Some(
                api::get::<QuarterlyReport>(&format!("/api/v1/reports/quarterly?quarter={q}"))
                    .await,
            ));
        });
    });
    view! {
        <section class="reports">
            <h2>{move || t(lang.get(), "quarterly")}</h2>
            <div class="toolbar">
                <label>{move || t(lang.get(), "quarter")}
                    <select name="quarter" on:change=move |ev| quarter.set(event_target_value(&ev))>
                        {list.iter().map(|q| view! { <option value=q.clone() selected=*q == quarter.get_untracked()>{q.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <a class="button" href=move || format!("/api/v1/reports/quarterly?quarter={}&format=csv{}", quarter.get(), if lang.get() == crate::i18n::Lang::Zh { "&lang=zh" } else { "" }) download="">{move || t(lang.get(), "export_csv")}</a>
                <a class="button" href=move || format!("/api/v1/reports/quarterly?quarter={}&format=html", quarter.get()) target="_blank">{move || t(lang.get(), "print")}</a>
            </div>
            {move || match report.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(r)) => view! { <Report report=r /> }.into_any(),
            }}
        </section>
        <super::report_draft::ReportDraftView quarter=quarter />
        <Evaluation quarter=quarter />
        <IncompleteShopList />
    }
}

/// The shop records to complete (查缺补漏): what each lacks.
#[component]
fn IncompleteShopList() -> impl IntoView {
    use citygrid_core::api::assessments::IncompleteShops;
    let lang = ctx().lang;
    let list = RwSignal::new(None::<Result<IncompleteShops, String>>);
    spawn_local(async move {
        list.set(Some(
            api::get::<IncompleteShops>("/api/v1/shops/incomplete").await,
        ));
    });
    view! {
        <section class="incomplete-shops">
            <h2>{move || t(lang.get(), "incomplete_records")}</h2>
            {move || match list.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(v)) => {
                    let l = lang.get();
                    view! {
                        <p class="count" data-count=v.shops.len()>{v.shops.len()}</p>
                        <table>
                            <thead><tr><th>{t(l, "code")}</th><th>{t(l, "name")}</th><th>{t(l, "address")}</th><th>{t(l, "missing")}</th></tr></thead>
                            <tbody>{v.shops.into_iter().take(200).map(|s| view! {
                                <tr><td>{s.code.to_string()}</td><td>{s.name}</td><td>{s.address.unwrap_or_default()}</td>
                                    <td>{s.missing.iter().map(|m| t(l, m)).collect::<Vec<_>>().join("、")}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Report(report: QuarterlyReport) -> impl IntoView {
    let lang = ctx().lang.get_untracked();
    let hotline = report.hotline.clone();
    let evaluation = report.evaluation.clone();
    view! {
        <div class="report" data-received=report.received>
            <p class="headline"><strong>{report.received}</strong>" "{t(lang, "received")}
                " · "{t(lang, "hotline_answered")}" "{hotline.answered}"/"{hotline.received}</p>
            <table><caption>{t(lang, "by_source")}</caption>
                <tbody>{report.by_source.into_iter().map(|r| view! {
                    <tr><td>{r.name}</td><td class="num">{r.cases}</td></tr>
                }).collect_view()}</tbody></table>
            <table><caption>{t(lang, "by_category")}</caption>
                <thead><tr><th>{t(lang, "code")}</th><th>{t(lang, "name")}</th><th>{t(lang, "cases_count")}</th><th>{t(lang, "quantity")}</th></tr></thead>
                <tbody>{report.by_category.into_iter().map(|r| view! {
                    <tr><td>{r.code}</td><td>{r.name}</td>
                        <td class="num">{r.cases}</td>
                        <td class="num">{format!("{} {}", r.quantity, r.unit)}</td></tr>
                }).collect_view()}</tbody></table>
            <table><caption>{t(lang, "by_community")}</caption>
                <tbody>{report.by_community.into_iter().map(|r| view! {
                    <tr><td>{r.name}</td><td class="num">{r.cases}</td></tr>
                }).collect_view()}</tbody></table>
            <table><caption>{t(lang, "evaluation")}</caption>
                <tbody>{RATIOS.iter().map(|(ratio, label)| view! {
                    <tr><td>{t(lang, label)}</td><td class="num">{percent(evaluation.as_ref().map(ratio))}</td></tr>
                }).collect_view()}</tbody></table>
            <table><caption>{t(lang, "recurring")}</caption>
                <tbody>{report.recurring.into_iter().take(10).map(|r| view! {
                    <tr><td>{if r.name.is_empty() { r.key } else { r.name }}</td><td class="num">{r.total}</td></tr>
                }).collect_view()}</tbody></table>
            <table><caption>{t(lang, "emerging")}</caption>
                <tbody>{report.emerging.into_iter().map(|(k, n)| view! {
                    <tr><td>{t(lang, &k)}</td><td class="num">{n}</td></tr>
                }).collect_view()}</tbody></table>
            {report.inspections.map(|i| view! {
                <table class="inspections"><caption>{t(lang, "inspections")}</caption>
                    <thead><tr><th></th><th>{t(lang, "daily")}</th><th>{t(lang, "comprehensive")}</th>
                        <th>{t(lang, "dust_sampling")}</th><th>{t(lang, "notices")}</th><th>{t(lang, "deducted")}</th></tr></thead>
                    <tbody>{i.sanitation.into_iter().map(|l| view! {
                        <tr data-area=l.area.as_str()><td>{t(lang, l.area.as_str())}</td>
                            <td class="num">{l.daily}</td><td class="num">{l.comprehensive}</td>
                            <td class="num">{l.dust_samplings}</td><td class="num">{l.notices}</td>
                            <td class="num deducted">{format!("{:.2}", l.deducted)}</td></tr>
                    }).collect_view()}</tbody></table>
                <table class="door-front"><caption>{t(lang, "door_front")}</caption>
                    <tbody>
                        <tr><td>{t(lang, "surveyed_shops")}</td><td class="num">{i.door_front.shops_surveyed}</td></tr>
                        <tr><td>{t(lang, "surveys")}</td><td class="num">{i.door_front.surveys}</td></tr>
                        <tr><td>{t(lang, "incomplete_records")}</td><td class="num">{i.door_front.incomplete_records}</td></tr>
                        {i.door_front.by_rating.into_iter().map(|b| view! {
                            <tr><td>{format!("{} {}", t(lang, "rating"), b.name)}</td><td class="num">{b.cases}</td></tr>
                        }).collect_view()}
                    </tbody></table>
            })}
            {report.campaigns.filter(|c| !c.is_empty()).map(|cs| view! {
                <table class="campaign-lines"><caption>{t(lang, "view_campaigns")}</caption>
                    <tbody>{cs.into_iter().map(|c| {
                        let zh = lang == crate::i18n::Lang::Zh;
                        let name = c.name.clone();
                        let names: Vec<(String, String)> = c.totals.iter().map(|x| (x.item.clone(), if zh { x.name_zh.clone() } else { x.name_en.clone() })).collect();
                        view! {
                            <tr class="campaign" data-campaign=c.campaign.to_string()><th colspan="3">{name}</th></tr>
                            <tr><td>{t(lang, "cp_actions")}</td><td class="num">{c.actions}</td><td>{t(lang, "cp_times")}</td></tr>
                            {c.totals.into_iter().map(|x| {
                                let unit = if zh { x.unit.zh() } else { x.unit.en() };
                                let parties = x.parties.map(|p| format!(" ({p})")).unwrap_or_default();
                                view! { <tr data-item=x.item.clone()><td>{format!("{}{parties}", if zh { x.name_zh.clone() } else { x.name_en.clone() })}</td>
                                    <td class="num">{super::campaigns::quantity(x.quantity)}</td><td>{unit}</td></tr> }
                            }).collect_view()}
                            {c.rates.into_iter().map(|r| view! {
                                <tr><td>{names.iter().find(|(code, _)| *code == r.item).map_or_else(|| r.item.clone(), |(_, n)| n.clone())}</td><td class="num">{format!("{}/{}", super::campaigns::quantity(r.numerator), super::campaigns::quantity(r.denominator))}</td>
                                    <td>{if r.denominator > 0.0 { format!("{:.1}%", r.numerator / r.denominator * 100.0) } else { "—".into() }}</td></tr>
                            }).collect_view()}
                        }
                    }).collect_view()}</tbody></table>
            })}
            {report.approvals.map(|a| view! {
                <table class="approval-lines"><caption>{t(lang, "view_approvals")}</caption>
                    <thead><tr><th></th><th>{t(lang, "ap_handled")}</th><th>{t(lang, "ap_same_day")}</th><th>{t(lang, "ap_on_time")}</th><th>{t(lang, "overdue")}</th></tr></thead>
                    <tbody>{a.types.into_iter().map(|x| view! {
                        <tr data-type=x.kind.clone()><td>{if lang == crate::i18n::Lang::Zh { x.name_zh } else { x.name_en }}</td>
                            <td class="num">{x.handled}</td><td class="num">{x.same_day}</td><td class="num">{x.on_time}</td><td class="num">{x.overdue}</td></tr>
                    }).collect_view()}</tbody>
                    <tfoot><tr class="total"><th>{t(lang, "totals")}</th><td class="num handled">{a.handled}</td><td class="num">{a.same_day}</td>
                        <td class="num">{a.on_time}</td><td class="num">{a.overdue}</td></tr></tfoot></table>
            })}
            {report.work_orders.filter(|w| w.total.received > 0).map(|w| {
                let row = |what: String, x: citygrid_core::api::hotline::OrderTally| view! {
                    <tr data-key=x.key.clone()><td>{what}</td><td class="num received">{x.received}</td><td class="num replied">{x.replied}</td>
                        <td class="num">{x.replied_on_time}</td><td class="num called-back">{x.called_back}</td>
                        <td class="num satisfied-rate">{x.satisfied_rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))}</td>
                        <td class="num">{x.rehandled}</td></tr>
                };
                view! {
                    <table class="order-lines"><caption>{t(lang, "view_hotline")}</caption>
                        <thead><tr><th></th><th>{t(lang, "wo_received_n")}</th><th>{t(lang, "wo_replied_n")}</th><th>{t(lang, "wo_on_time")}</th>
                            <th>{t(lang, "wo_called_back_n")}</th><th>{t(lang, "wo_satisfied_rate")}</th><th>{t(lang, "wo_rehandled")}</th></tr></thead>
                        <tbody>{w.by_month.into_iter().map(|m| row(m.key.clone(), m)).collect_view()}</tbody>
                        <tfoot class="total">{row(t(lang, "totals").to_owned(), w.total)}</tfoot></table>
                }
            })}
        </div>
    }
}

/// Evaluation ratios for the quarter, by a chosen grouping.
#[component]
fn Evaluation(quarter: RwSignal<String>) -> impl IntoView {
    let lang = ctx().lang;
    let by = RwSignal::new("community".to_owned());
    let table = RwSignal::new(None::<Result<EvaluationAnswer, String>>);
    Effect::new(move |_| {
        let (q, b) = (quarter.get(), by.get());
        let (year, n) = q.split_once("-Q").map_or((0, 1), |(y, n)| {
            (y.parse::<i32>().unwrap_or(0), n.parse::<i32>().unwrap_or(1))
        });
        let from = format!("{year:04}-{:02}-01", (n - 1) * 3 + 1);
        let to = if n == 4 {
            format!("{:04}-01-01", year + 1)
        } else {
            format!("{year:04}-{:02}-01", n * 3 + 1)
        };
        spawn_local(async move {
            table.set(Some(
                api::get::<EvaluationAnswer>(&format!(
                    "/api/v1/analytics/evaluation?by={b}&from={from}&to={to}"
                ))
                .await,
            ));
        });
    });
    view! {
        <section class="evaluation">
            <h2>{move || t(lang.get(), "evaluation")}</h2>
            <label>{move || t(lang.get(), "by")}
                <select name="by" on:change=move |ev| by.set(event_target_value(&ev))>
                    {["community", "team", "officer", "grid", "month"].map(|k| view! { <option value=k>{move || t(lang.get(), k)}</option> }).collect_view()}
                </select>
            </label>
            {move || match table.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(v)) => view! {
                    <table class="ratios">
                        <thead><tr><th>{t(lang.get(), "by")}</th><th>{t(lang.get(), "cases_count")}</th>
                            {RATIOS.iter().map(|(_, label)| view! { <th>{t(lang.get(), label)}</th> }).collect_view()}</tr></thead>
                        <tbody>{v.groups.into_iter().map(|g| view! {
                            <tr><td>{g.key.clone()}</td>
                                <td class="num">{g.cases}</td>
                                {RATIOS.iter().map(|(ratio, _)| view! { <td class="num">{percent(Some(ratio(&g)))}</td> }).collect_view()}</tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
