//! The dispatcher's desk: the queue of new cases (overdue first, then newest), updating live;
//! for the selected case its responsibility and the nearest officers by arrival time, drawn on
//! the map; one click assigns; officers' positions move as their fixes arrive.

use std::collections::HashMap;

use citygrid_core::api::cases::{CaseDetail as Detail, CaseList, CaseView};
use citygrid_core::api::dispatch::{Candidates as Ranking, Officers};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::case_detail::CaseDetail;
use crate::cases::{self, Filter};
use crate::context::ctx;
use crate::i18n::t;
use crate::map;
use crate::views::supervisor::CaseList;

/// Officers by code: (lon, lat, status) of those whose position is known.
type Positions = HashMap<String, (f64, f64, String)>;

fn draw_officers(positions: &Positions) {
    let marks: Vec<map::OfficerMark> = positions
        .iter()
        .map(|(code, (lon, lat, status))| map::OfficerMark {
            code: code.clone(),
            lon: *lon,
            lat: *lat,
            status: status.clone(),
        })
        .collect();
    map::draw_officers(&marks);
}

/// The dispatcher's queues: what waits for them at each step they take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Queue {
    /// Reported or registered: to register and send.
    ToDispatch,
    /// Sent and not yet handled: to recall, extend (an officer may have asked) or chase.
    Dispatched,
    /// Verified on site: to close.
    ToClose,
    /// Every open case past its deadline.
    Overdue,
}

impl Queue {
    const ALL: [Queue; 4] = [
        Queue::ToDispatch,
        Queue::Dispatched,
        Queue::ToClose,
        Queue::Overdue,
    ];

    fn key(self) -> &'static str {
        match self {
            Queue::ToDispatch => "queue",
            Queue::Dispatched => "queue_dispatched",
            Queue::ToClose => "queue_to_close",
            Queue::Overdue => "queue_overdue",
        }
    }

    fn filter(self) -> Filter {
        let statuses = |s: &[&str]| s.iter().map(|s| (*s).to_owned()).collect();
        match self {
            Queue::ToDispatch => Filter {
                statuses: statuses(&["reported", "registered"]),
                ..Filter::default()
            },
            Queue::Dispatched => Filter {
                statuses: statuses(&["dispatched"]),
                ..Filter::default()
            },
            Queue::ToClose => Filter {
                statuses: statuses(&["verified"]),
                ..Filter::default()
            },
            Queue::Overdue => Filter {
                overdue: true,
                ..Filter::default()
            },
        }
    }
}

#[component]
pub fn DispatchView() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let queue = RwSignal::new(None::<Result<Vec<CaseView>, String>>);
    let positions = RwSignal::new(Positions::new());
    let chosen = RwSignal::new(Queue::ToDispatch);
    Effect::new(move |_| {
        c.changed.track();
        let filter = chosen.get().filter();
        spawn_local(async move {
            let _ = cases::show_on_map(&filter).await;
            let listed =
                api::get::<CaseList>(&format!("/api/v1/cases?limit=200&{}", filter.query()))
                    .await
                    .map(|l| {
                        let mut list = l.cases;
                        list.sort_by(|a, b| {
                            (!a.overdue)
                                .cmp(&!b.overdue)
                                .then_with(|| b.case.created_at.cmp(&a.case.created_at))
                        });
                        list
                    });
            queue.set(Some(listed));
        });
        spawn_local(async move {
            if let Ok(list) = api::get::<Officers>("/api/v1/officers").await {
                let mut known = Positions::new();
                for o in list.officers {
                    if let Some(at) = o.position.filter(|_| o.position_known) {
                        known.insert(o.code, (at.lon, at.lat, o.status.as_str().to_owned()));
                    }
                }
                draw_officers(&known);
                positions.set(known);
            }
        });
    });
    // A live fix moves its officer.
    Effect::new(move |_| {
        let Some(fix) = c.last_fix.get() else { return };
        positions.update(|p| {
            let status = p
                .get(&fix.officer)
                .map_or_else(|| "on_duty".to_owned(), |e| e.2.clone());
            p.insert(fix.officer.clone(), (fix.lon, fix.lat, status));
            draw_officers(p);
        });
    });
    on_cleanup(|| {
        map::set_officers("[]");
        map::set_candidates("[]", 0.0, 0.0);
    });
    view! {
        <section class="dispatch">
            <h2>{move || t(lang.get(), chosen.get().key())}" "<span class="live-dot" title=move || t(lang.get(), "live")></span></h2>
            <div class="queues" role="tablist">
                {Queue::ALL.into_iter().map(|q| view! {
                    <button type="button" role="tab" class="queue-tab" data-queue=q.key()
                        aria-selected=move || (chosen.get() == q).to_string()
                        on:click=move |_| chosen.set(q)>{move || t(lang.get(), q.key())}</button>
                }).collect_view()}
            </div>
            {move || match queue.get() {
                None => view! { <p>{t(lang.get(), "loading")}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="hint">{t(lang.get(), "queue_empty")}</p> }.into_any(),
                Some(Ok(list)) => view! { <CaseList cases=list /> }.into_any(),
            }}
        </section>
        <Candidates positions=positions />
        <CaseDetail />
    }
}

/// The nearest officers for the selected case, with one-click assignment.
#[component]
fn Candidates(positions: RwSignal<Positions>) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let ranked = RwSignal::new(None::<Result<Ranking, String>>);
    let message = RwSignal::new(None::<(bool, String)>);
    Effect::new(move |_| {
        let Some(id) = c.selected.get() else {
            ranked.set(None);
            return;
        };
        message.set(None);
        spawn_local(async move {
            let answer = api::get::<Ranking>(&format!("/api/v1/cases/{id}/candidates?k=5")).await;
            let case = api::get::<Detail>(&format!("/api/v1/cases/{id}")).await;
            if c.selected.get_untracked() != Some(id) {
                return;
            }
            if let (Ok(a), Ok(case)) = (&answer, &case) {
                let point = case.view.case.point;
                let at = positions.get_untracked();
                let minutes = t(lang.get_untracked(), "minutes");
                let drawn: Vec<map::CandidateMark> = a
                    .candidates
                    .iter()
                    .filter_map(|k| {
                        let (lon, lat, _) = at.get(&k.officer)?;
                        let eta = k.eta_s / 60.0;
                        Some(map::CandidateMark {
                            officer: k.officer.clone(),
                            rank: k.rank,
                            lon: *lon,
                            lat: *lat,
                            label: format!(
                                "{} {} · {eta:.1} {minutes}",
                                k.rank,
                                c.officers.with_untracked(|o| o
                                    .get(&k.officer)
                                    .cloned()
                                    .unwrap_or_else(|| k.officer.clone()))
                            ),
                        })
                    })
                    .collect();
                map::draw_candidates(&drawn, point.lon, point.lat);
                map::show_point(point.lon, point.lat);
            }
            ranked.set(Some(answer));
        });
    });
    let assign = move |officer: String| {
        let Some(id) = c.selected.get_untracked() else {
            return;
        };
        // Sending an officer out is asked first: a slip would send the wrong one.
        let sure = crate::confirm::confirmed(&format!(
            "{} {}（#{id}）?",
            t(lang.get_untracked(), "confirm_dispatch"),
            c.officer_name(&officer)
        ));
        if !sure {
            return;
        }
        spawn_local(async move {
            match cases::assign(id, &officer).await {
                Ok(_) => {
                    message.set(Some((
                        true,
                        format!(
                            "{} → {}",
                            t(lang.get_untracked(), "dispatched"),
                            c.officer_name(&officer)
                        ),
                    )));
                    map::set_candidates("[]", 0.0, 0.0);
                    c.changed.update(|n| *n += 1);
                }
                Err(e) => message.set(Some((false, e))),
            }
        });
    };
    view! {
        <section class="candidates-panel" aria-live="polite">
            {move || ranked.get().map(|r| match r {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(v) => {
                    let list = v.candidates;
                    view! {
                        <h3>{t(lang.get(), "candidates")}</h3>
                        <ol class="ranked">
                            {list.into_iter().map(|k| {
                                let officer = k.officer;
                                let eta = k.eta_s / 60.0;
                                let metres = k.network_m;
                                let responsible = k.responsible;
                                let estimated = k.estimated;
                                let who = officer.clone();
                                let name = c.officers.with(|o| o.get(&officer).cloned());
                                view! {
                                    <li data-officer=officer.clone()>
                                        <strong>{name.unwrap_or_else(|| officer.clone())}</strong>
                                        " "<small class="code">{officer.clone()}</small>
                                        " "{format!("{eta:.1}")}" "{t(lang.get(), "minutes")}" · "{format!("{metres:.0}")}" "{t(lang.get(), "metres")}
                                        {responsible.then(|| view! { <span class="badge">{t(lang.get(), "responsible")}</span> })}
                                        {estimated.then(|| view! { <span class="badge">{t(lang.get(), "estimated")}</span> })}
                                        <button type="button" class="assign" on:click=move |_| assign(who.clone())>{t(lang.get(), "assign")}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }
            })}
            {move || message.get().map(|(ok, m)| view! { <p class={if ok { "ok" } else { "error" }} role="status">{m}</p> })}
        </section>
    }
}
