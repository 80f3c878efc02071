//! The 12345 hotline desk (热线工单): the quarter's figures as a small dashboard, the queue by
//! due time (overdue in red), and the order taken: the caller's words, the categories they
//! suggest with their scores and the place on the map — one click settles the category and
//! place —, its case created or followed, the reply and callback forms and the other steps
//! the order's state allows.

use citygrid_core::api::hotline::{
    NewOrderAction, OrderFigures, OrderSuggestions, WorkOrder, WorkOrderList,
};
use citygrid_core::work_order::{HotlineRules, OrderAction, OrderStatus, Satisfaction};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::context::ctx;
use crate::i18n::{Lang, t};
use crate::map;

fn local(at: chrono::DateTime<chrono::Utc>) -> String {
    crate::cases::local_time(&at)
}

fn status_key(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::Received => "wo_received",
        OrderStatus::Accepted => "wo_accepted",
        OrderStatus::Replied => "wo_replied",
        OrderStatus::CalledBack => "wo_called_back",
        OrderStatus::Closed => "wo_closed",
    }
}

fn percent(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

#[component]
pub fn HotlineView() -> impl IntoView {
    let lang = ctx().lang;
    let queue = RwSignal::new(None::<Result<WorkOrderList, String>>);
    let figures = RwSignal::new(None::<OrderFigures>);
    let shown = RwSignal::new("open".to_owned());
    let chosen = RwSignal::new(None::<WorkOrder>);
    let message = RwSignal::new(None::<(bool, String)>);
    let reload = RwSignal::new(0_u32);
    let types = RwSignal::new(None::<HotlineRules>);
    spawn_local(async move {
        types.set(
            api::get::<HotlineRules>("/api/v1/work-order-types")
                .await
                .ok(),
        );
    });
    let type_name = move |code: &str| {
        types.with(|r| {
            r.as_ref().and_then(|r| r.get(code)).map_or_else(
                || code.to_owned(),
                |x| {
                    if lang.get() == Lang::Zh {
                        x.name_zh.clone()
                    } else {
                        x.name_en.clone()
                    }
                },
            )
        })
    };
    Effect::new(move |_| {
        reload.track();
        let status = shown.get();
        spawn_local(async move {
            let url = if status.is_empty() {
                "/api/v1/work-orders".to_owned()
            } else {
                format!("/api/v1/work-orders?status={status}")
            };
            queue.set(Some(api::get::<WorkOrderList>(&url).await));
            figures.set(
                api::get::<OrderFigures>("/api/v1/work-orders/figures")
                    .await
                    .ok(),
            );
        });
    });
    view! {
        <section class="hotline">
            <h2>{move || t(lang.get(), "view_hotline")}</h2>
            {move || figures.get().map(|f| {
                let x = f.total;
                view! {
                    <dl class="hotline-figures">
                        <div><dt>{move || t(lang.get(), "wo_received_n")}</dt><dd>{x.received}</dd></div>
                        <div><dt>{move || t(lang.get(), "wo_replied_n")}</dt><dd>{x.replied}</dd></div>
                        <div><dt>{move || t(lang.get(), "wo_on_time")}</dt><dd>{x.replied_on_time}</dd></div>
                        <div><dt>{move || t(lang.get(), "wo_called_back_n")}</dt><dd>{x.called_back}</dd></div>
                        <div><dt>{move || t(lang.get(), "wo_satisfied_rate")}</dt><dd class="satisfied-rate">{percent(x.satisfied_rate)}</dd></div>
                        <div><dt>{move || t(lang.get(), "wo_rehandled")}</dt><dd>{x.rehandled}</dd></div>
                        <div><dt>{move || t(lang.get(), "overdue")}</dt><dd>{x.overdue}</dd></div>
                    </dl>
                }
            })}
            <label>{move || t(lang.get(), "wo_show")}
                <select class="order-status" on:change=move |ev| shown.set(event_target_value(&ev))>
                    <option value="open" selected=true>{move || t(lang.get(), "wo_open")}</option>
                    <option value="replied">{move || t(lang.get(), "wo_replied")}</option>
                    <option value="called_back">{move || t(lang.get(), "wo_called_back")}</option>
                    <option value="">{move || t(lang.get(), "wo_all")}</option>
                </select></label>
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
            {move || chosen.get().map(|o| view! { <OrderPanel order=o chosen message reload /> })}
            {move || match queue.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(q)) => {
                    let l = lang.get();
                    view! {
                        <table class="order-queue">
                            <thead><tr><th>{t(l, "wo_number")}</th><th>{t(l, "ap_type")}</th><th>{t(l, "wo_due")}</th>
                                <th>{t(l, "wo_words")}</th><th>{t(l, "status")}</th></tr></thead>
                            <tbody>{q.orders.into_iter().map(|o| {
                                let kind = o.kind.clone();
                                let picked = o.clone();
                                let words: String = o.text.chars().take(24).collect();
                                view! {
                                    <tr data-number=o.number.clone() class:overdue=o.overdue
                                        class:chosen=move || chosen.with(|c| c.as_ref().is_some_and(|c| c.id == o.id))
                                        on:click=move |_| { message.set(None); chosen.set(Some(picked.clone())) }>
                                        <td>{o.number.clone()}</td>
                                        <td>{move || type_name(&kind)}</td>
                                        <td>{local(o.state.due)}</td>
                                        <td class="words">{words}</td>
                                        <td>{t(l, status_key(o.state.status))}</td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// Posts a step from the version shown; the order as it now stands, or the problem.
async fn step(o: &WorkOrder, action: OrderAction) -> Result<WorkOrder, String> {
    let body = NewOrderAction {
        version: o.version,
        action,
    };
    api::post::<_, WorkOrder>(&format!("/api/v1/work-orders/{}/actions", o.id), &body)
        .await
        .map_err(|f| f.detail)
}

#[component]
fn OrderPanel(
    order: WorkOrder,
    chosen: RwSignal<Option<WorkOrder>>,
    message: RwSignal<Option<(bool, String)>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let suggestions = RwSignal::new(None::<OrderSuggestions>);
    let panel = NodeRef::<leptos::html::Article>::new();
    // The order taken is brought into view above the queue it was picked from.
    Effect::new(move |_| {
        if let Some(p) = panel.get() {
            p.scroll_into_view();
        }
    });
    let id = order.id;
    // Where its cases stand.
    let progress = RwSignal::new(Vec::<(i64, citygrid_core::case::Status)>::new());
    let ids = order.state.cases.clone();
    spawn_local(async move {
        let mut out = Vec::new();
        for c in ids {
            if let Ok(v) =
                api::get::<citygrid_core::api::cases::CaseView>(&format!("/api/v1/cases/{c}")).await
            {
                out.push((c, v.case.status));
            }
        }
        progress.set(out);
    });
    spawn_local(async move {
        if let Ok(s) =
            api::get::<OrderSuggestions>(&format!("/api/v1/work-orders/{id}/suggestions")).await
        {
            if let Some(p) = &s.place {
                map::show_point(p.point.lon, p.point.lat);
            }
            suggestions.set(Some(s));
        }
    });
    let done = move |r: Result<WorkOrder, String>, key: &'static str| match r {
        Ok(o) => {
            message.set(Some((
                true,
                format!("{} {}", o.number, t(lang.get_untracked(), key)),
            )));
            chosen.set(Some(o));
            reload.update(|n| *n += 1);
        }
        Err(e) => message.set(Some((false, e))),
    };
    let o = order.clone();
    // One click: accepted first if need be, then the category and the place settled.
    let settle = move |category: String| {
        let o = o.clone();
        let (point, top) = suggestions.with_untracked(|s| {
            s.as_ref().map_or((None, None), |s| {
                (
                    s.place.as_ref().map(|p| p.point),
                    s.categories.first().map(|c| c.category.clone()),
                )
            })
        });
        spawn_local(async move {
            let mut o = o;
            if o.state.status == OrderStatus::Received {
                match step(&o, OrderAction::Accept).await {
                    Ok(next) => o = next,
                    Err(e) => return message.set(Some((false, e))),
                }
            }
            let r = step(
                &o,
                OrderAction::Classify {
                    category,
                    point,
                    suggested: top,
                },
            )
            .await;
            done(r, "wo_classified");
        });
    };
    let act = {
        let o = order.clone();
        move |action: OrderAction, key: &'static str| {
            let o = o.clone();
            spawn_local(async move { done(step(&o, action).await, key) });
        }
    };
    let s = order.state.clone();
    let reply_text = RwSignal::new(String::new());
    let satisfaction = RwSignal::new("satisfied".to_owned());
    let solved = RwSignal::new(true);
    let at_fault = RwSignal::new(false);
    let (a1, a2, a3, a4, a5, a6, a7) = (
        act.clone(),
        act.clone(),
        act.clone(),
        act.clone(),
        act.clone(),
        act.clone(),
        act,
    );
    let settle2 = settle.clone();
    let category_name = move |code: &str| {
        c.categories.with(|cs| {
            cs.iter().find(|x| x.code.0 == code).map(|x| {
                if lang.get() == Lang::Zh {
                    x.name_zh.clone()
                } else {
                    x.name_en.clone()
                }
            })
        })
    };
    let settled = s.category.clone();
    view! {
        <article class="order" data-number=order.number.clone() node_ref=panel>
            <h3>{order.number.clone()}" · "{move || t(lang.get(), status_key(s.status))}</h3>
            <blockquote class="caller-words">{order.text.clone()}</blockquote>
            {order.address.clone().map(|a| view! { <p class="order-address">{move || t(lang.get(), "address")}": "{a.clone()}</p> })}
            {order.caller.clone().map(|p| view! { <p class="caller">{p.name.unwrap_or_default()}" "{p.phone.unwrap_or_default()}</p> })}
            <p class:overdue=order.overdue>{move || t(lang.get(), "wo_due")}": "{local(s.due)}</p>
            {settled.clone().map(|code| view! { <p class="settled">{move || t(lang.get(), "wo_settled")}": "{category_name(&code).unwrap_or_else(|| code.clone())}</p> })}
            {move || suggestions.get().map(|sg| {
                let settle = settle2.clone();
                view! {
                    <div class="suggestions">
                        <p>{move || t(lang.get(), "wo_suggested")}</p>
                        {sg.categories.into_iter().map(|x| {
                            let settle = settle.clone();
                            let code = x.category.clone();
                            let name = if lang.get() == Lang::Zh { x.name_zh.clone() } else { x.name_en.clone() };
                            view! {
                                <button type="button" class="suggestion" data-category=x.category.clone()
                                    on:click=move |_| settle(code.clone())>
                                    {format!("{name} {:.0}%", x.score * 100.0)}
                                </button>
                            }
                        }).collect_view()}
                        <p class="suggested-place">{match sg.place {
                            Some(p) => p.label.clone(),
                            None => t(lang.get(), "wo_no_place").to_owned(),
                        }}</p>
                        {sg.note.map(|n| view! { <p class="note">{n}</p> })}
                        <label>{move || t(lang.get(), "wo_correct")}
                            <select class="correct-category" on:change={
                                let settle = settle.clone();
                                move |ev| { let v = event_target_value(&ev); if !v.is_empty() { settle(v) } }
                            }>
                                <option value="">"—"</option>
                                {move || c.categories.get().into_iter().map(|x| {
                                    let name = if lang.get() == Lang::Zh { x.name_zh.clone() } else { x.name_en.clone() };
                                    view! { <option value=x.code.0.clone()>{format!("{} {name}", x.code.0)}</option> }
                                }).collect_view()}
                            </select></label>
                    </div>
                }
            })}
            {(!s.cases.is_empty()).then(|| view! {
                <p class="order-cases">{move || t(lang.get(), "wo_cases")}": "
                    {s.cases.iter().map(|id| view! { <a href=format!("#cases/{id}")>{format!("#{id} ")}</a> }).collect_view()}
                    {move || progress.get().into_iter().map(|(id, st)| view! { <span class="case-progress" data-case=id.to_string()>{format!("{} ", t(lang.get(), st.as_str()))}</span> }).collect_view()}</p>
            })}
            <div class="order-steps">
                {(s.status == OrderStatus::Received).then(|| view! {
                    <button type="button" class="accept" on:click=move |_| a1(OrderAction::Accept, "wo_accepted")>{move || t(lang.get(), "wo_accept")}</button>
                })}
                {(s.category.is_some() && s.point.is_some() && s.cases.is_empty() && s.status != OrderStatus::Received && s.status != OrderStatus::Closed).then(|| view! {
                    <button type="button" class="create-case" on:click=move |_| a2(OrderAction::CreateCase, "wo_case_created")>{move || t(lang.get(), "wo_create_case")}</button>
                })}
                {(s.status == OrderStatus::Accepted).then(|| view! {
                    <form class="reply" on:submit=move |ev| { ev.prevent_default(); a3(OrderAction::Reply { text: reply_text.get_untracked() }, "wo_replied"); }>
                        <label class="reply-text">{move || t(lang.get(), "wo_reply_text")}
                            <textarea name="reply" prop:value=move || reply_text.get() on:input=move |ev| reply_text.set(event_target_value(&ev))></textarea></label>
                        <button type="submit" class="primary">{move || t(lang.get(), "wo_reply")}</button>
                    </form>
                })}
                {(s.status == OrderStatus::Replied).then(|| view! {
                    <form class="callback" on:submit=move |ev| {
                        ev.prevent_default();
                        let sat = match satisfaction.get_untracked().as_str() {
                            "basically_satisfied" => Satisfaction::BasicallySatisfied,
                            "dissatisfied" => Satisfaction::Dissatisfied,
                            _ => Satisfaction::Satisfied,
                        };
                        a4(OrderAction::Callback { solved: solved.get_untracked(), satisfaction: sat, bureau_at_fault: at_fault.get_untracked() }, "wo_called_back");
                    }>
                        <label>{move || t(lang.get(), "wo_satisfaction")}
                        <select name="satisfaction" on:change=move |ev| satisfaction.set(event_target_value(&ev))>
                            <option value="satisfied">{move || t(lang.get(), "wo_satisfied")}</option>
                            <option value="basically_satisfied">{move || t(lang.get(), "wo_basically")}</option>
                            <option value="dissatisfied">{move || t(lang.get(), "wo_dissatisfied")}</option>
                        </select></label>
                        <label><input type="checkbox" name="solved" prop:checked=move || solved.get() on:change=move |ev| solved.set(event_target_checked(&ev)) />{move || t(lang.get(), "wo_solved")}</label>
                        <label><input type="checkbox" name="at_fault" prop:checked=move || at_fault.get() on:change=move |ev| at_fault.set(event_target_checked(&ev)) />{move || t(lang.get(), "wo_at_fault")}</label>
                        <button type="submit" class="primary">{move || t(lang.get(), "wo_callback")}</button>
                    </form>
                })}
                {s.to_rehandle.then(|| view! {
                    <button type="button" class="rehandle" on:click=move |_| if let Some(reason) = crate::confirm::asked(t(lang.get_untracked(), "wo_rehandle_reason")) { a5(OrderAction::Rehandle { reason }, "wo_rehandled") }>{move || t(lang.get(), "wo_rehandle")}</button>
                })}
                {(matches!(s.status, OrderStatus::Replied | OrderStatus::CalledBack) && !s.to_rehandle).then(|| view! {
                    <button type="button" class="close" on:click=move |_| a6(OrderAction::Close, "wo_closed")>{move || t(lang.get(), "wo_close")}</button>
                })}
                {order.overdue.then(|| view! {
                    <button type="button" class="urge" on:click=move |_| a7(OrderAction::Urge, "wo_urged")>{move || t(lang.get(), "wo_urge")}</button>
                })}
            </div>
        </article>
    }
}
