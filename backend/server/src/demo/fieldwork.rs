//! A year of the demo district's campaigns and approvals, of the order of the seed's quarter
//! (FIELDWORK §1): each quarter some twenty flying-wire actions (about a hundred wires and a
//! hundred and forty e-bikes), fifteen nights of muck-truck checks (some sixty trucks fined,
//! forty thousand 元), signs and flyers removed, illegal structures demolished, garbage-sorting
//! events with the households visited against the district's 10,687, a summer of night-barbecue
//! patrols; now and then a case found on the way, handled and closed. About sixty applications a
//! quarter in the seed's mix — shop signs above all —, most decided the day they came, a few
//! asked for materials, refused, or still open at the end; approved signs written onto their
//! shops. Everything goes through the checks of the API. Deterministic.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Asia::Shanghai;
use citygrid_core::LonLat;
use citygrid_core::api::approvals::{
    Applicant, Application, ApplicationPlace, NewApplication, NewStep, SignDetails, StepRequest,
};
use citygrid_core::api::campaigns::{Action, ActionPlace, CampaignArea, NewAction, NewCampaign};
use citygrid_core::approval::credit_check_char;
use citygrid_core::calendar::WorkingCalendar;
use citygrid_core::campaign::{RateBase, Tally, Target};
use citygrid_core::case::Source;
use geo::InteriorPoint;

use super::assessments::{at_local, close_notice, months};
use crate::approvals::{number_prefix, read_clock, receive, steps, types};
use crate::campaigns::{CampaignBook, actions};
use crate::cases::{Actor, CaseService, NewCase};
use crate::record_error::RecordError;
use crate::rng::Rng;

/// The households of the district, the base of the garbage-sorting visits' rate.
const HOUSEHOLDS: f64 = 10_687.0;

/// One item of an action: its code, the mean per action, the chance an action counts it.
struct Mean(&'static str, f64, f64);

/// A campaign of the demo: its kind, name, months (first, last), actions a month, the case
/// category of what it finds, evening or day, and its items.
struct Plan {
    kind: &'static str,
    name: &'static str,
    from: (i32, u32),
    to: (i32, u32),
    per_month: usize,
    category: &'static str,
    evening: bool,
    items: Vec<Mean>,
}

fn plans() -> Vec<Plan> {
    vec![
        Plan {
            kind: "flying-wires",
            name: "电动车飞线充电专项整治",
            from: (2025, 12),
            to: (2026, 12),
            per_month: 7,
            category: "9001",
            evening: true,
            items: vec![
                Mean("wires-removed", 5.2, 1.0),
                Mean("ebikes-cleared", 6.9, 1.0),
                Mean("households-advised", 28.0, 0.8),
            ],
        },
        Plan {
            kind: "muck-trucks",
            name: "渣土车夜间专项治理",
            from: (2025, 12),
            to: (2026, 12),
            per_month: 5,
            category: "0302",
            evening: true,
            items: vec![
                Mean("trucks-checked", 10.0, 1.0),
                Mean("trucks-fined", 3.8, 1.0),
            ],
        },
        Plan {
            kind: "fumes-dust",
            name: "大气污染防治（餐饮油烟、工地扬尘）",
            from: (2025, 12),
            to: (2026, 12),
            per_month: 4,
            category: "0106",
            evening: false,
            items: vec![
                Mean("restaurants-checked", 7.6, 1.0),
                Mean("fume-hoods-cleaned", 1.0, 0.33),
                Mean("gas-safety-checks", 1.7, 1.0),
                Mean("sites-checked", 1.5, 0.6),
            ],
        },
        Plan {
            kind: "outdoor-ads",
            name: "户外广告和小广告专项整治",
            from: (2025, 12),
            to: (2026, 12),
            per_month: 3,
            category: "0202",
            evening: false,
            items: vec![
                Mean("signs-removed", 3.2, 1.0),
                Mean("flyers-cleaned", 46.0, 1.0),
            ],
        },
        Plan {
            kind: "illegal-building",
            name: "违法建设治理",
            from: (2025, 12),
            to: (2026, 12),
            per_month: 3,
            category: "0301",
            evening: false,
            items: vec![Mean("structures-demolished", 2.0, 1.0)],
        },
        Plan {
            kind: "garbage-sorting",
            name: "生活垃圾分类宣传推进",
            from: (2025, 12),
            to: (2026, 12),
            per_month: 5,
            category: "0101",
            evening: false,
            items: vec![
                Mean("publicity-events", 1.0, 1.0),
                Mean("households-visited", 423.0, 1.0),
                Mean("food-waste", 33.8, 1.0),
                Mean("demonstration-compounds", 1.0, 0.2),
            ],
        },
        Plan {
            kind: "night-barbecue",
            name: "夏季夜间露天烧烤整治",
            from: (2026, 5),
            to: (2026, 9),
            per_month: 6,
            category: "0107",
            evening: true,
            items: vec![
                Mean("stalls-stopped", 4.0, 1.0),
                Mean("grills-held", 1.0, 0.6),
            ],
        },
        Plan {
            kind: "overhead-cables",
            name: "架空线缆整治",
            from: (2026, 3),
            to: (2026, 11),
            per_month: 1,
            category: "0105",
            evening: false,
            items: vec![
                Mean("cables-tidied", 25.0, 1.0),
                Mean("poles-cleared", 2.0, 0.7),
            ],
        },
    ]
}

fn first_day(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
}

fn last_day(y: i32, m: u32) -> NaiveDate {
    first_day(y, m)
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or_default()
}

/// About `mean`, between 0.5 and 1.5 of it; whole for a count.
fn about(rng: &mut Rng, mean: f64, whole: bool) -> f64 {
    let q = mean * (0.5 + rng.unit());
    if whole {
        q.round().max(1.0)
    } else {
        (q * 10.0).round() / 10.0
    }
}

/// A point inside a random grid cell of the district.
fn somewhere(rng: &mut Rng, base: &citygrid_core::features::BaseLayers) -> Option<LonLat> {
    let cell = rng.pick(&base.grids);
    let p = cell.geometry.interior_point()?;
    LonLat::new(p.x(), p.y()).ok()
}

/// The tallies of one action of `plan`.
fn tallies(rng: &mut Rng, plan: &Plan, kind: &citygrid_core::campaign::CampaignKind) -> Vec<Tally> {
    let mut out = Vec::new();
    for Mean(item, mean, chance) in &plan.items {
        let Some(it) = kind.item(item) else { continue };
        if !rng.chance(*chance) {
            continue;
        }
        out.push(Tally {
            item: (*item).to_owned(),
            quantity: about(rng, *mean, it.unit.counts()),
            parties: None,
        });
    }
    // Measures and fines follow from the counts.
    let count = |out: &[Tally], item: &str| {
        out.iter()
            .find(|t| t.item == item)
            .map_or(0.0, |t| t.quantity)
    };
    let fined = match plan.kind {
        "muck-trucks" => count(&out, "trucks-fined"),
        "fumes-dust" | "night-barbecue" if rng.chance(0.15) => 1.0,
        _ => 0.0,
    };
    if fined > 0.0 {
        let per = if plan.kind == "muck-trucks" {
            750.0
        } else {
            500.0
        };
        out.push(Tally {
            item: "fines".into(),
            quantity: (fined * per * (0.8 + 0.4 * rng.unit()) / 100.0).round() * 100.0,
            parties: Some(fined as u32),
        });
    }
    let signs = count(&out, "signs-removed");
    if signs > 0.0 {
        out.push(Tally {
            item: "signs-area".into(),
            quantity: (signs * 4.7 * (0.7 + 0.6 * rng.unit()) * 10.0).round() / 10.0,
            parties: None,
        });
    }
    let structures = count(&out, "structures-demolished");
    if structures > 0.0 {
        out.push(Tally {
            item: "area-demolished".into(),
            quantity: (structures * 18.2 * (0.6 + 0.8 * rng.unit())).round(),
            parties: None,
        });
    }
    out
}

/// The demo's campaigns and their actions; how many actions.
async fn campaigns(cases: &CaseService, end: DateTime<Utc>) -> Result<usize, RecordError> {
    let district = cases.district();
    let atlas = district.atlas();
    let store = district.store();
    let base = atlas.base();
    let book = CampaignBook::new(store.clone());
    let kinds = book.current();
    let officers: Vec<String> = base.officers.iter().map(|o| o.code.to_string()).collect();
    let officer = officers.first().cloned().unwrap_or_default();
    let last = end.with_timezone(&Shanghai).date_naive();
    let mut rng = Rng::new(0x5EC7_0019);
    let mut made: Vec<Action> = Vec::new();
    for plan in plans() {
        let Some(kind) = kinds.kind(plan.kind) else {
            continue;
        };
        let starts = first_day(plan.from.0, plan.from.1);
        let body = NewCampaign {
            name: plan.name.into(),
            kind: plan.kind.into(),
            starts,
            ends: last_day(plan.to.0, plan.to.1),
            area: CampaignArea::default(),
            lead_team: if plan.evening {
                "综合执法大队夜查中队".into()
            } else {
                "综合执法大队一中队".into()
            },
            targets: if plan.kind == "garbage-sorting" {
                vec![Target {
                    item: "demonstration-compounds".into(),
                    quantity: 10.0,
                    by: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or(starts),
                }]
            } else {
                Vec::new()
            },
            bases: if plan.kind == "garbage-sorting" {
                vec![RateBase {
                    item: "households-visited".into(),
                    of: HOUSEHOLDS,
                }]
            } else {
                Vec::new()
            },
            note: None,
            version: None,
        };
        let planned_at = at_local(starts.pred_opt().unwrap_or(starts), 10, 0);
        let campaign =
            crate::campaigns::create(district, &book, &body, "leader", planned_at).await?;
        for month in months(end) {
            if month < starts || month > campaign.ends {
                continue;
            }
            for _ in 0..plan.per_month {
                let day = month + Duration::days(rng.below(28) as i64);
                if day >= last {
                    continue;
                }
                let (hour, minute) = if plan.evening {
                    (19 + rng.below(4) as u32, 0)
                } else {
                    (9 + rng.below(6) as u32, 30)
                };
                let at = at_local(day, hour, minute);
                let Some(point) = somewhere(&mut rng, base) else {
                    continue;
                };
                let mut linked = Vec::new();
                if rng.chance(0.1) {
                    let new = NewCase {
                        category: plan.category.into(),
                        source: Source::Patrol,
                        description: format!("{}中发现", plan.name),
                        quantity: None,
                        point: Some(point),
                        address: None,
                        accept_best: false,
                        reporter: None,
                        photos: Vec::new(),
                    };
                    let created = cases
                        .create(new, &Actor::system("demo"), at)
                        .await
                        .map_err(|e| RecordError::field("cases", e.to_string()))?;
                    let id = created.case.case.id.0;
                    close_notice(cases, id, &officer, at)
                        .await
                        .map_err(|e| RecordError::field("cases", e.to_string()))?;
                    linked.push(id);
                }
                let action = NewAction {
                    at: Some(at),
                    place: ActionPlace::Point { at: point },
                    officers: vec![rng.pick(&officers).clone(), rng.pick(&officers).clone()],
                    vehicles: vec![format!("皖A·Z{}", rng.digits(4))],
                    note: None,
                    photos: Vec::new(),
                    tallies: tallies(&mut rng, &plan, kind),
                    cases: linked,
                };
                let mut officers_once = action.officers.clone();
                officers_once.dedup();
                let action = NewAction {
                    officers: officers_once,
                    ..action
                };
                made.push(
                    actions::prepare(
                        &kinds,
                        &atlas,
                        store.as_ref(),
                        &campaign,
                        &action,
                        "demo",
                        at + Duration::hours(2),
                    )
                    .await?,
                );
            }
        }
    }
    made.sort_by_key(|a| a.at);
    store.insert_actions(&made, false).await?;
    Ok(made.len())
}

/// The seed's mix of a quarter's applications: (type, weight).
const MIX: [(&str, f64); 8] = [
    ("shop-sign", 44.0),
    ("shop-front", 5.0),
    ("business-event", 6.0),
    ("muck-disposal", 2.0),
    ("car-park", 1.0),
    ("poster", 2.0),
    ("road-digging", 1.0),
    ("outdoor-ad", 0.5),
];

const COMPANIES: [&str; 8] = [
    "东山建筑工程有限公司",
    "合肥城建渣土运输有限公司",
    "明珠文化传媒有限公司",
    "安和物业服务有限公司",
    "新天地商业管理有限公司",
    "鑫源市政工程有限公司",
    "东山区商务促进会",
    "徽韵广告有限公司",
];

/// A unified social credit code with its right check character: an individual business
/// (`92`) or a company (`91`) of the district.
fn credit_code(rng: &mut Rng, company: bool) -> String {
    const ORG: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let org: String = (0..9).map(|_| ORG[rng.below(ORG.len())] as char).collect();
    let first = format!("{}340688{org}", if company { "91" } else { "92" });
    let check = credit_check_char(&first).unwrap_or('0');
    format!("{first}{check}")
}

/// Takes a step of a demo application as the desk would.
fn take(a: &mut Application, step: StepRequest, at: DateTime<Utc>) -> Result<(), RecordError> {
    let s = steps::next(
        a,
        &NewStep {
            version: a.version,
            step,
            at: Some(at),
        },
        "dispatcher",
        at,
    )?;
    a.steps.push(s);
    a.version += 1;
    Ok(())
}

/// The demo's applications; how many.
async fn applications(
    cases: &CaseService,
    calendar: &WorkingCalendar,
    end: DateTime<Utc>,
) -> Result<usize, RecordError> {
    let district = cases.district();
    let atlas = district.atlas();
    let base = atlas.base();
    let mut rng = Rng::new(0xA9_0019);
    let weights: Vec<f64> = MIX.iter().map(|(_, w)| *w).collect();
    let first = months(end).first().copied().unwrap_or_default();
    let last = end.with_timezone(&Shanghai).date_naive();
    let mut made: Vec<Application> = Vec::new();
    let mut signs: Vec<(String, String, String)> = Vec::new();
    let mut day = first;
    while day < last {
        let working = calendar.is_working_day(day);
        day = day.succ_opt().unwrap_or(last);
        let today = day.pred_opt().unwrap_or(day);
        if !working || !rng.chance(0.95) {
            continue;
        }
        let kind = MIX[rng.weighted(&weights)].0;
        let Some(t) = types().get(kind) else { continue };
        let received = at_local(today, 9 + rng.below(6) as u32, 10 * rng.below(5) as u32);
        let shop = rng.pick(&base.shops);
        let on_shop = matches!(kind, "shop-sign" | "shop-front");
        let company = !on_shop;
        let body = NewApplication {
            kind: kind.into(),
            applicant: Applicant {
                name: if company {
                    (*rng.pick(&COMPANIES)).to_owned()
                } else {
                    shop.name.clone()
                },
                credit_code: Some(credit_code(&mut rng, company)),
                contact: format!("139{}", rng.digits(8)),
            },
            subject: format!(
                "{}：{}",
                t.name_zh,
                if on_shop {
                    shop.name.as_str()
                } else {
                    "东山区"
                }
            ),
            place: ApplicationPlace {
                position: if on_shop {
                    None
                } else {
                    somewhere(&mut rng, base)
                },
                shop: on_shop.then(|| shop.code.to_string()),
                address: None,
            },
            received_at: Some(received),
            materials: t.materials.clone(),
            sign: (kind == "shop-sign").then(|| SignDetails {
                text: shop.name.clone(),
                area_m2: Some(about(&mut rng, 4.0, false)),
            }),
            note: None,
        };
        let mut a = receive::prepare(types(), &atlas, &body, "dispatcher", received)?;
        // The last days' applications are still on the desk.
        let recent = (last - today).num_days() < 3;
        let mut now = received + Duration::minutes(20 + rng.below(90) as i64);
        if rng.chance(0.06) {
            take(
                &mut a,
                StepRequest::RequestMaterials {
                    materials: vec![
                        t.materials
                            .last()
                            .cloned()
                            .unwrap_or_else(|| "补充材料".into()),
                    ],
                    note: None,
                },
                now,
            )?;
            if recent {
                now = received;
            } else {
                now = calendar.add_working_minutes(now, 420 + rng.below(420) as i64);
                take(&mut a, StepRequest::MaterialsReceived, now)?;
                now += Duration::minutes(30);
            }
        }
        if !recent {
            let late = !matches!(kind, "shop-sign" | "shop-front" | "car-park") && rng.chance(0.1);
            if late {
                now = calendar.add_working_minutes(now, 420 * (1 + rng.below(3) as i64));
            }
            if rng.chance(0.03) {
                take(
                    &mut a,
                    StepRequest::Reject {
                        reason: "设置位置不符合规划要求".into(),
                    },
                    now,
                )?;
            } else {
                let certificate = format!(
                    "东城管{}{}号",
                    if t.mode == citygrid_core::approval::Mode::Filing {
                        "备"
                    } else {
                        "许"
                    },
                    today.format("%Y%m%d")
                );
                take(
                    &mut a,
                    StepRequest::Approve {
                        certificate: format!("{certificate}-{}", made.len() + 1),
                    },
                    now,
                )?;
                if let (Some(sign), Some(code)) = (&a.sign, &a.place.shop) {
                    signs.push((
                        code.clone(),
                        sign.text.clone(),
                        format!("{certificate}-{}", made.len() + 1),
                    ));
                }
            }
        }
        read_clock(&mut a, calendar, end);
        let prefix = number_prefix(a.received_at, Shanghai);
        let n = made
            .iter()
            .filter(|x| x.number.starts_with(&prefix))
            .count()
            + 1;
        a.number = format!("{prefix}{n:03}");
        made.push(a);
    }
    // An outdoor advertisement that waited too long: received three weeks of working days
    // before the end, never decided — overdue on the desk.
    if let Some(t) = types().get("outdoor-ad") {
        let received = calendar.add_working_minutes(end - Duration::days(30), 60);
        let body = NewApplication {
            kind: t.code.clone(),
            applicant: Applicant {
                name: COMPANIES[7].into(),
                credit_code: Some(credit_code(&mut rng, true)),
                contact: format!("139{}", rng.digits(8)),
            },
            subject: "设置大型户外广告：东山路口".into(),
            place: ApplicationPlace {
                position: somewhere(&mut rng, base),
                shop: None,
                address: None,
            },
            received_at: Some(received),
            materials: t.materials.clone(),
            sign: None,
            note: None,
        };
        let mut a = receive::prepare(types(), &atlas, &body, "dispatcher", received)?;
        read_clock(&mut a, calendar, end);
        let prefix = number_prefix(a.received_at, Shanghai);
        let n = made
            .iter()
            .filter(|x| x.number.starts_with(&prefix))
            .count()
            + 1;
        a.number = format!("{prefix}{n:03}");
        made.push(a);
    }
    let store = district.store();
    store.insert_applications(&made, false).await?;
    district
        .edit_shops(|shops| {
            for (code, text, certificate) in &signs {
                if let Some(s) = shops.iter_mut().find(|s| s.code.as_str() == code) {
                    s.attributes.insert("sign".into(), text.clone().into());
                    s.attributes
                        .insert("sign_filing".into(), certificate.clone().into());
                }
            }
            Ok::<(), RecordError>(())
        })
        .await?;
    Ok(made.len())
}

/// Loads the demo's campaigns and applications; (actions, applications).
pub async fn load(cases: &CaseService, end: DateTime<Utc>) -> Result<(usize, usize), RecordError> {
    let calendar = cases.rules().calendar.clone();
    let actions = campaigns(cases, end).await?;
    let applications = applications(cases, &calendar, end).await?;
    Ok((actions, applications))
}
