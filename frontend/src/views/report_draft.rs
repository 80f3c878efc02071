//! The quarterly report's draft as the bureau hands it in: its sections of prose, each
//! paragraph with links to the records behind its figures; the headline figures compared; a
//! leader rewrites a paragraph or leaves it out and writes next quarter's plan (kept with the
//! quarter); exported as a Word file or a printable page.

use citygrid_core::access::Permission;
use citygrid_core::api::report_draft::{DraftEdit, EditedParagraph, ReportDraft};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::context::ctx;
use crate::i18n::t;

#[component]
pub fn ReportDraftView(quarter: RwSignal<String>) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let may_write = Permission::WriteReports.granted_to(c.role());
    let draft = RwSignal::new(None::<Result<ReportDraft, String>>);
    let message = RwSignal::new(None::<Result<String, String>>);
    Effect::new(move |_| {
        let q = quarter.get();
        draft.set(None);
        message.set(None);
        spawn_local(async move {
            draft.set(Some(
                api::get::<ReportDraft>(&format!("/api/v1/reports/quarterly/draft?quarter={q}"))
                    .await,
            ));
        });
    });
    // Saves the draft's edits with `change` made to them, from the version read.
    let save = move |change: Box<dyn FnOnce(&mut DraftEdit)>| {
        let Some(Ok(d)) = draft.get_untracked() else {
            return;
        };
        let mut edit = DraftEdit {
            version: d.version,
            paragraphs: d.edits.clone(),
            plan: d.plan.clone(),
        };
        change(&mut edit);
        let q = quarter.get_untracked();
        spawn_local(async move {
            let url = format!("/api/v1/reports/quarterly/draft?quarter={q}");
            match api::send_json::<_, ReportDraft>("PUT", &url, &edit).await {
                Ok(next) => {
                    draft.set(Some(Ok(next)));
                    message.set(Some(Ok(t(lang.get_untracked(), "draft_saved").to_owned())));
                }
                Err(f) => message.set(Some(Err(f.detail))),
            }
        });
    };
    view! {
        <section class="report-draft">
            <h2>{move || t(lang.get(), "report_draft")}</h2>
            <div class="toolbar">
                <a class="button export-docx" href=move || format!("/api/v1/reports/quarterly?quarter={}&format=docx", quarter.get()) download="">{move || t(lang.get(), "export_word")}</a>
                <a class="button print" href=move || format!("/api/v1/reports/quarterly?quarter={}&format=html", quarter.get()) target="_blank">{move || t(lang.get(), "print")}</a>
            </div>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="saved" role="status">{text}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
            })}
            {move || match draft.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(d)) => view! { <Draft draft=d may_write=may_write save=save /> }.into_any(),
            }}
        </section>
    }
}

/// Where each edit goes: the whole edit changed by a closure, then saved.
type Save = dyn Fn(Box<dyn FnOnce(&mut DraftEdit)>) + Send + Sync;

#[component]
fn Draft(
    draft: ReportDraft,
    may_write: bool,
    save: impl Fn(Box<dyn FnOnce(&mut DraftEdit)>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = ctx().lang;
    let save: std::sync::Arc<Save> = std::sync::Arc::new(save);
    let l = lang.get_untracked();
    let edited = draft.edited_by.clone().map(|by| {
        let at = draft
            .edited_at
            .map(|a| a.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        format!("{}{}（{by}，{at}）", t(l, "draft_version"), draft.version)
    });
    let plan = RwSignal::new(draft.plan.clone());
    let save_plan = save.clone();
    view! {
        <article class="draft" data-version=draft.version>
            <h3 class="draft-title">{draft.title.clone()}</h3>
            {edited.map(|e| view! { <p class="edited">{e}</p> })}
            {draft.sections.into_iter().filter(|s| !s.paragraphs.is_empty() || s.key == "plan").map(|s| {
                let section = s.key.clone();
                view! {
                    <h4>{s.title}</h4>
                    {s.paragraphs.into_iter().filter(|p| p.key != "plan").map(|p| view! {
                        <Paragraph section=section.clone() key=p.key text=p.text drafted=p.drafted
                            sources=p.sources may_write=may_write save=save.clone() />
                    }).collect_view()}
                }
            }).collect_view()}
            <label class="plan">{t(l, "next_quarter_plan")}
                <textarea name="plan" rows="5" prop:value=move || plan.get() readonly=!may_write
                    on:input=move |ev| plan.set(event_target_value(&ev))></textarea>
            </label>
            {may_write.then(|| view! {
                <button class="save-plan" on:click=move |_| {
                    let text = plan.get_untracked();
                    save_plan(Box::new(move |e: &mut DraftEdit| e.plan = text));
                }>{t(l, "save_plan")}</button>
            })}
            {(!draft.comparisons.is_empty()).then(|| view! {
                <table class="comparisons">
                    <caption>{t(l, "comparisons")}</caption>
                    <thead><tr><th>{t(l, "figure")}</th><th>{t(l, "this_quarter")}</th><th>{t(l, "previous_quarter")}</th><th>{t(l, "against_previous")}</th><th>{t(l, "last_year")}</th><th>{t(l, "against_last_year")}</th></tr></thead>
                    <tbody>{draft.comparisons.into_iter().map(|c| {
                        let shown = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format!("{v:.0}"));
                        view! {
                            <tr><td>{format!("{}（{}）", c.name, c.unit)}</td><td class="n">{format!("{:.0}", c.now)}</td>
                                <td class="n">{shown(c.previous)}</td><td>{c.against_previous}</td>
                                <td class="n">{shown(c.last_year)}</td><td>{c.against_last_year}</td></tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            })}
        </article>
    }
}

/// One paragraph: its text (a leader's, with what the templates wrote beside it), the
/// records behind it, and for a leader a way to rewrite it.
#[component]
fn Paragraph(
    section: String,
    key: String,
    text: String,
    drafted: Option<String>,
    sources: Vec<citygrid_core::api::report_draft::SourceLink>,
    may_write: bool,
    save: std::sync::Arc<Save>,
) -> impl IntoView {
    let lang = ctx().lang;
    let l = lang.get_untracked();
    let editing = RwSignal::new(false);
    let value = RwSignal::new(text.clone());
    let is_edited = drafted.is_some();
    let shown = text.clone();
    let apply = move |_| {
        let next = value.get_untracked();
        let (section, key) = (section.clone(), key.clone());
        save(Box::new(move |e: &mut DraftEdit| {
            e.paragraphs
                .retain(|p| p.section != section || p.key != key);
            e.paragraphs.push(EditedParagraph {
                section,
                key,
                text: next,
            });
        }));
        editing.set(false);
    };
    view! {
        <div class="paragraph" class:edited=is_edited>
            {move || if editing.get() {
                let apply = apply.clone();
                view! {
                    <label class="edit">{t(l, "edit_paragraph")}
                        <textarea name="paragraph" rows="4" prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev))></textarea>
                    </label>
                    <button class="save-paragraph" on:click=apply>{t(l, "save")}</button>
                    <button on:click=move |_| editing.set(false)>{t(l, "cancel")}</button>
                }.into_any()
            } else {
                view! { <p>{shown.clone()}</p> }.into_any()
            }}
            <p class="sources">
                {sources.iter().map(|s| view! { <a href=s.href.clone() target="_blank">{s.label.clone()}</a>" " }).collect_view()}
                {drafted.clone().map(|d| view! { <span class="drafted" title=d>{t(l, "was_drafted")}</span> })}
                {may_write.then(|| view! {
                    <button class="edit-paragraph" on:click=move |_| editing.set(true)>{t(l, "edit")}</button>
                })}
            </p>
        </div>
    }
}
