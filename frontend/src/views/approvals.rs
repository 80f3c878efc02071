//! The approvals desk (审批备案): an application received at the window (type, applicant with
//! the credit code, what for, the shop or the address), the open ones queued by deadline with
//! their clocks — overdue in red, paused while materials are awaited — and the desk's steps:
//! ask for materials, materials received, approve with a certificate number, reject with a
//! reason. The quarter's figures above.

use citygrid_core::api::approvals::{
    Applicant, Application, ApplicationList, ApplicationPlace, ApplicationStatus, ApprovalFigures,
    NewApplication, NewStep, SignDetails, StepRequest,
};
use citygrid_core::approval::{ApprovalTypes, check_credit_code};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::context::ctx;
use crate::i18n::{Lang, t};

/// Working minutes as hours and minutes.
fn working(minutes: i64) -> String {
    format!("{}h{:02}", minutes / 60, minutes % 60)
}

fn local(t: chrono::DateTime<chrono::Utc>) -> String {
    crate::cases::local_time(&t)
}

#[component]
pub fn ApprovalsView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let types = RwSignal::new(None::<ApprovalTypes>);
    let queue = RwSignal::new(None::<Result<ApplicationList, String>>);
    let figures = RwSignal::new(None::<ApprovalFigures>);
    let message = RwSignal::new(None::<(bool, String)>);
    let reload = RwSignal::new(0_u32);
    spawn_local(async move {
        types.set(
            api::get::<ApprovalTypes>("/api/v1/approval-types")
                .await
                .ok(),
        );
    });
    Effect::new(move |_| {
        reload.track();
        spawn_local(async move {
            queue.set(Some(
                api::get::<ApplicationList>("/api/v1/applications?status=open").await,
            ));
            figures.set(
                api::get::<ApprovalFigures>("/api/v1/applications/figures")
                    .await
                    .ok(),
            );
        });
    });
    let take = move |a: &Application, step: StepRequest| {
        let (id, version) = (a.id, a.version);
        let l = lang.get_untracked();
        spawn_local(async move {
            let body = NewStep {
                version,
                step,
                at: None,
            };
            match api::post::<_, Application>(&format!("/api/v1/applications/{id}/steps"), &body)
                .await
            {
                Ok(done) => message.set(Some((
                    true,
                    format!(
                        "{} {}",
                        done.number,
                        if l == Lang::Zh {
                            done.status.zh()
                        } else {
                            done.status.as_str()
                        }
                    ),
                ))),
                Err(f) => message.set(Some((false, f.detail))),
            }
            reload.update(|n| *n += 1);
        });
    };
    let ask = move |key: &str| crate::confirm::asked(t(lang.get_untracked(), key));
    view! {
        <section class="approvals">
            <h2>{move || t(lang.get(), "view_approvals")}</h2>
            {move || figures.get().map(|f| view! {
                <p class="approval-figures">{move || format!("{} {} · {} {} · {} {} · {} {}",
                    t(lang.get(), "ap_handled"), f.handled, t(lang.get(), "ap_same_day"), f.same_day,
                    t(lang.get(), "ap_on_time"), f.on_time, t(lang.get(), "overdue"), f.overdue)}</p>
            })}
            <ReceiveForm types message reload />
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
            {move || match queue.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(q)) => {
                    let l = lang.get();
                    view! {
                        <table class="application-queue">
                            <thead><tr><th>{t(l, "ap_number")}</th><th>{t(l, "ap_type")}</th><th>{t(l, "ap_subject")}</th>
                                <th>{t(l, "ap_applicant")}</th><th>{t(l, "ap_received")}</th><th>{t(l, "ap_deadline")}</th>
                                <th>{t(l, "ap_clock")}</th><th></th></tr></thead>
                            <tbody>{q.applications.into_iter().map(|a| {
                                let awaiting = a.status == ApplicationStatus::AwaitingMaterials;
                                let (x1, x2, x3, x4) = (a.clone(), a.clone(), a.clone(), a.clone());
                                view! {
                                    <tr data-number=a.number.clone() class:overdue=a.clock.overdue class:paused=a.clock.paused>
                                        <td>{a.number.clone()}</td>
                                        <td>{if l == Lang::Zh { a.type_name_zh.clone() } else { a.type_name_en.clone() }}</td>
                                        <td>{a.subject.clone()}</td>
                                        <td>{a.applicant.as_ref().map(|p| format!("{} {}", p.name, p.contact)).unwrap_or_default()}</td>
                                        <td>{local(a.received_at)}</td>
                                        <td>{a.clock.deadline.map_or_else(|| t(l, "ap_paused").to_owned(), local)}</td>
                                        <td class="num">{format!("{} / {}", working(a.clock.used_minutes), working(a.clock.limit_minutes))}</td>
                                        <td class="steps">{if awaiting {
                                            view! {
                                                <button type="button" class="materials-received" on:click=move |_| take(&x1, StepRequest::MaterialsReceived)>{t(l, "materials_received")}</button>
                                                <button type="button" class="reject" on:click=move |_| if let Some(reason) = ask("reject_reason") { take(&x2, StepRequest::Reject { reason }) }>{t(l, "ap_reject")}</button>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <button type="button" class="approve" on:click=move |_| if let Some(certificate) = ask("certificate") { take(&x1, StepRequest::Approve { certificate }) }>{t(l, "ap_approve")}</button>
                                                <button type="button" class="request-materials" on:click=move |_| if let Some(m) = ask("materials") { take(&x3, StepRequest::RequestMaterials { materials: m.split(['；', ';', '、']).map(str::to_owned).collect(), note: None }) }>{t(l, "request_materials")}</button>
                                                <button type="button" class="reject" on:click=move |_| if let Some(reason) = ask("reject_reason") { take(&x4, StepRequest::Reject { reason }) }>{t(l, "ap_reject")}</button>
                                            }.into_any()
                                        }}</td>
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

#[component]
fn ReceiveForm(
    types: RwSignal<Option<ApprovalTypes>>,
    message: RwSignal<Option<(bool, String)>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let lang = ctx().lang;
    let kind = RwSignal::new("shop-sign".to_owned());
    let fields = [
        "applicant_name",
        "credit_code",
        "ap_contact",
        "ap_subject",
        "shop_code",
        "address",
        "sign_text",
    ]
    .map(|k| (k, RwSignal::new(String::new())));
    let value = move |key: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, s)| s.get_untracked().trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    // The credit code checked as it is typed.
    let code_problem = move || {
        let code = fields[1].1.get();
        (!code.trim().is_empty())
            .then(|| check_credit_code(&code).err())
            .flatten()
    };
    let submit = move |()| {
        let l = lang.get_untracked();
        let is_sign = kind.get_untracked() == "shop-sign";
        let body = NewApplication {
            kind: kind.get_untracked(),
            applicant: Applicant {
                name: value("applicant_name").unwrap_or_default(),
                credit_code: value("credit_code"),
                contact: value("ap_contact").unwrap_or_default(),
            },
            subject: value("ap_subject").unwrap_or_default(),
            place: ApplicationPlace {
                position: None,
                shop: value("shop_code"),
                address: value("address"),
            },
            received_at: None,
            materials: Vec::new(),
            sign: is_sign.then(|| SignDetails {
                text: value("sign_text").unwrap_or_default(),
                area_m2: None,
            }),
            note: None,
        };
        spawn_local(async move {
            match api::post::<_, Application>("/api/v1/applications", &body).await {
                Ok(a) => {
                    message.set(Some((
                        true,
                        format!("{} {}", t(l, "ap_received"), a.number),
                    )));
                    for (_, s) in fields {
                        s.set(String::new());
                    }
                    reload.update(|n| *n += 1);
                }
                Err(f) => message.set(Some((false, f.detail))),
            }
        });
    };
    view! {
        <form class="receive-application" on:submit=move |ev| { ev.prevent_default(); submit(()); }>
            <label>{move || t(lang.get(), "ap_type")}
                <select name="type" on:change=move |ev| kind.set(event_target_value(&ev))>
                    {move || types.get().map(|ts| ts.types.into_iter().map(|ty| {
                        let name = if lang.get() == Lang::Zh { ty.name_zh.clone() } else { ty.name_en.clone() };
                        view! { <option value=ty.code.clone() selected=ty.code == kind.get_untracked()>{name}</option> }
                    }).collect_view())}
                </select></label>
            {fields.into_iter().map(|(key, signal)| view! {
                <label class=key>{move || t(lang.get(), key)}
                    <input type="text" name=key prop:value=move || signal.get() on:input=move |ev| signal.set(event_target_value(&ev)) /></label>
            }).collect_view()}
            {move || code_problem().map(|e| view! { <p class="error credit-code-error">{e}</p> })}
            <button type="submit" class="primary">{move || t(lang.get(), "ap_receive")}</button>
        </form>
    }
}
