//! A year of case history for the demo district, made deterministically: about 2,700 cases a
//! quarter from every source, most handled on time, some overdue, some reworked, hotline cases
//! answered; and places a planner should find — problems that recur week after week at the same
//! spot, some that emerge in the last three months, and a night market busy only in the evening.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Asia::Shanghai;
use citygrid_core::LonLat;
use citygrid_core::case::{Case, CaseEvent, CaseId, Source, Status};
use citygrid_core::features::{BaseLayers, ShopFront};
use geo::Coord;

use super::{CENTRE, District};
use crate::atlas::{Atlas, LocateOptions};
use crate::cases::CaseRules;
use crate::projection::LocalProjection;
use crate::rng::Rng;

/// The history covers the 365 days before this moment.
pub fn history_end() -> DateTime<Utc> {
    Shanghai
        .with_ymd_and_hms(2026, 11, 27, 0, 0, 0)
        .single()
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

/// Background cases per day on average; with the hotspots, about 2,700 a quarter.
const PER_DAY: f64 = 26.4;

/// Background categories and their weights.
const MIX: [(&str, f64); 15] = [
    ("0501", 22.0),
    ("0502", 14.0),
    ("0101", 12.0),
    ("0503", 10.0),
    ("0504", 6.0),
    ("0201", 8.0),
    ("0102", 6.0),
    ("9001", 4.0),
    ("0106", 3.0),
    ("0103", 3.0),
    ("0105", 2.0),
    ("0302", 2.0),
    ("0301", 1.0),
    ("0203", 1.0),
    ("0505", 3.0),
];

/// A place where one problem keeps coming back: metres about the centre, category, cases a
/// week, and the day (counted from the start of the year) it begins.
pub struct Hotspot {
    pub name: &'static str,
    pub x: f64,
    pub y: f64,
    pub category: &'static str,
    pub per_week: f64,
    pub from_day: i64,
    /// Only in the evening (18:00–23:00).
    pub evening: bool,
}

/// The recurring and emerging places the demo was made with.
pub const HOTSPOTS: [Hotspot; 7] = [
    Hotspot {
        name: "人民路店外经营",
        x: -465.0,
        y: 459.0,
        category: "0502",
        per_week: 3.0,
        from_day: 0,
        evening: false,
    },
    Hotspot {
        name: "惠黎路二巷积存垃圾",
        x: -725.0,
        y: -150.0,
        category: "0102",
        per_week: 2.0,
        from_day: 0,
        evening: false,
    },
    Hotspot {
        name: "实验小学门口非机动车",
        x: 300.0,
        y: -160.0,
        category: "0503",
        per_week: 3.0,
        from_day: 0,
        evening: false,
    },
    Hotspot {
        name: "惠黎路飞线充电",
        x: -850.0,
        y: 300.0,
        category: "9001",
        per_week: 1.5,
        from_day: 0,
        evening: false,
    },
    Hotspot {
        name: "濉河路二巷游商（新出现）",
        x: 750.0,
        y: 250.0,
        category: "0501",
        per_week: 4.0,
        from_day: 275,
        evening: false,
    },
    Hotspot {
        name: "长山路四巷暴露垃圾（新出现）",
        x: 150.0,
        y: -550.0,
        category: "0101",
        per_week: 3.0,
        from_day: 300,
        evening: false,
    },
    Hotspot {
        name: "南湖夜市游商",
        x: 750.0,
        y: -350.0,
        category: "0501",
        per_week: 10.0,
        from_day: 0,
        evening: true,
    },
];

fn local(day: NaiveDate, minute: u32) -> DateTime<Utc> {
    let t = day
        .and_hms_opt(minute / 60, minute % 60, 0)
        .unwrap_or_default();
    Shanghai
        .from_local_datetime(&t)
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&t), |l| l.with_timezone(&Utc))
}

/// A minute of the day: mostly working hours, fewer at night.
fn minute_of_day(rng: &mut Rng, evening: bool) -> u32 {
    if evening {
        return 18 * 60 + rng.below(5 * 60) as u32;
    }
    let hour = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21][rng.weighted(&[
        1.0, 3.0, 8.0, 10.0, 10.0, 9.0, 5.0, 6.0, 9.0, 10.0, 9.0, 7.0, 4.0, 3.0, 2.0, 1.0,
    ])];
    hour * 60 + rng.below(60) as u32
}

fn source_for(rng: &mut Rng, category: &str) -> Source {
    if category == "9002" {
        return Source::Hotline;
    }
    [
        Source::Patrol,
        Source::Video,
        Source::Public,
        Source::Hotline,
        Source::Inspection,
    ][rng.weighted(&[58.0, 15.0, 10.0, 8.0, 9.0])]
}

/// Builds a case's life from its report at `t0` up to `end`: who acted, when, and how.
struct Life<'a> {
    rng: &'a mut Rng,
    events: Vec<CaseEvent>,
    status: Status,
    now: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Life<'_> {
    /// Moves on by a few minutes to hours; false when that passes the end of the history.
    fn wait(&mut self, min_minutes: i64, max_minutes: i64) -> bool {
        let span = (max_minutes - min_minutes).max(1) as usize;
        self.now += Duration::minutes(min_minutes + self.rng.below(span) as i64);
        self.now < self.end
    }

    fn act(
        &mut self,
        actor: &str,
        action: &str,
        to: Status,
        note: Option<&str>,
        assignee: Option<&str>,
    ) {
        self.events.push(CaseEvent {
            seq: 0,
            at: self.now,
            actor: actor.to_owned(),
            action: action.to_owned(),
            from: Some(self.status),
            to,
            note: note.map(str::to_owned),
            assignee: assignee.map(str::to_owned),
            deadline: None,
            photo: None,
            visibility: citygrid_core::case::Visibility::Internal,
        });
        self.status = to;
    }
}

/// Generates the year. Cases come with their whole event log; ids are left to the store.
pub fn history(base: &BaseLayers, atlas: &Atlas, rules: &CaseRules) -> Vec<(Case, Vec<CaseEvent>)> {
    let mut rng = Rng::new(0x0c45_e5ee_d001);
    let end = history_end();
    let start_day = (end - Duration::days(365))
        .with_timezone(&Shanghai)
        .date_naive();
    let d = District::new();
    let proj = LocalProjection::new(CENTRE);
    let doors: Vec<Coord> = base
        .shops
        .iter()
        .filter_map(|s| {
            if let ShopFront::Door(p) = s.front {
                Some(proj.project(p.into()))
            } else {
                None
            }
        })
        .collect();
    let mut out = Vec::new();
    for day_index in 0..365_i64 {
        let day = start_day + Duration::days(day_index);
        let weekend = matches!(
            chrono::Datelike::weekday(&day),
            chrono::Weekday::Sat | chrono::Weekday::Sun
        );
        let expected = PER_DAY * if weekend { 0.7 } else { 1.12 };
        let count = (expected * (0.8 + 0.4 * rng.unit())).round() as usize;
        let mut reports: Vec<(Coord, &str, bool)> = Vec::with_capacity(count + 8);
        for _ in 0..count {
            let (category, _) = MIX[rng.weighted(&MIX.map(|m| m.1))];
            let near = doors[rng.below(doors.len())];
            let spot = Coord {
                x: near.x + (rng.unit() - 0.5) * 30.0,
                y: near.y + (rng.unit() - 0.5) * 30.0,
            };
            reports.push((spot, category, false));
        }
        if rng.chance(60.0 / 91.0) {
            // Hotline complaints: about 60 a quarter.
            let near = doors[rng.below(doors.len())];
            reports.push((near, "9002", false));
        }
        for h in HOTSPOTS.iter().filter(|h| day_index >= h.from_day) {
            let mut n = h.per_week / 7.0;
            while n > 0.0 {
                if rng.chance(n.min(1.0)) {
                    let spot = Coord {
                        x: h.x + (rng.unit() - 0.5) * 16.0,
                        y: h.y + (rng.unit() - 0.5) * 16.0,
                    };
                    reports.push((spot, h.category, h.evening));
                }
                n -= 1.0;
            }
        }
        for (spot, category, evening) in reports {
            let t0 = local(day, minute_of_day(&mut rng, evening));
            if t0 >= end {
                continue;
            }
            if let Some(case) = one_case(
                &mut rng,
                atlas,
                rules,
                base,
                d.unproject(spot).into(),
                category,
                t0,
                end,
            ) {
                out.push(case);
            }
        }
    }
    out.sort_by_key(|(c, _)| c.created_at);
    out
}

#[allow(clippy::too_many_arguments)]
fn one_case(
    rng: &mut Rng,
    atlas: &Atlas,
    rules: &CaseRules,
    base: &BaseLayers,
    point: LonLat,
    category: &str,
    t0: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Option<(Case, Vec<CaseEvent>)> {
    let cat = rules.catalogue.get(category)?;
    let location = atlas.locate(
        point,
        &LocateOptions {
            at: t0,
            ..LocateOptions::default()
        },
    );
    let grid = location.grid.as_ref()?.code.clone();
    let deadline = rules.deadline(cat, &location, t0);
    let source = source_for(rng, category);
    let officers: Vec<&str> = base
        .officers
        .iter()
        .filter(|o| o.grids.contains(&grid))
        .map(|o| o.code.as_str())
        .collect();
    let officer = if officers.is_empty() {
        base.officers.first().map_or("ZF0001", |o| o.code.as_str())
    } else {
        officers[rng.below(officers.len())]
    };
    let first = match source {
        Source::Patrol | Source::Inspection => Status::Registered,
        _ => Status::Reported,
    };
    let reporter_actor = match source {
        Source::Patrol => officer.to_owned(),
        Source::Inspection => "督查组".to_owned(),
        Source::Video => "视频监控".to_owned(),
        Source::Hotline => "12345".to_owned(),
        Source::Public => "市民".to_owned(),
    };
    let mut life = Life {
        rng,
        events: Vec::new(),
        status: first,
        now: t0,
        end,
    };
    life.events.push(CaseEvent {
        seq: 0,
        at: t0,
        actor: reporter_actor,
        action: "report".into(),
        from: None,
        to: first,
        note: None,
        assignee: None,
        deadline: Some(deadline),
        photo: None,
        visibility: citygrid_core::case::Visibility::Internal,
    });
    let limit_minutes = rules.calendar.working_minutes_between(t0, deadline).max(30);
    let mut assignee = None;
    'life: {
        if first == Status::Reported {
            if !life.wait(5, 90) {
                break 'life;
            }
            if life.rng.chance(0.03) {
                life.act(
                    "派遣员",
                    "reject",
                    Status::Rejected,
                    Some("不属于城管职责"),
                    None,
                );
                break 'life;
            }
            life.act("派遣员", "register", Status::Registered, None, None);
        }
        if !life.wait(5, 45) {
            break 'life;
        }
        life.act(
            "派遣员",
            "dispatch",
            Status::Dispatched,
            None,
            Some(officer),
        );
        assignee = Some(officer.to_owned());
        if source == Source::Hotline && life.wait(30, 240) {
            life.act(
                "派遣员",
                "comment",
                Status::Dispatched,
                Some("已电话回复市民"),
                None,
            );
        }
        // Most are handled well within the limit; about one in ten runs over.
        let late = life.rng.chance(0.1);
        let share = if late {
            1.1 + life.rng.unit()
        } else {
            0.2 + 0.7 * life.rng.unit()
        };
        let handle_at = rules
            .calendar
            .add_working_minutes(life.now, (limit_minutes as f64 * share) as i64);
        if handle_at >= end {
            break 'life;
        }
        life.now = handle_at;
        life.act(officer, "handle", Status::Handled, Some("已处置"), None);
        if life.rng.chance(0.05) {
            if !life.wait(30, 180) {
                break 'life;
            }
            life.act(
                "监督员",
                "rework",
                Status::Dispatched,
                Some("核查未通过，返工"),
                None,
            );
            if !life.wait(30, 300) {
                break 'life;
            }
            life.act(officer, "handle", Status::Handled, Some("已返工处置"), None);
        }
        if !life.wait(30, 240) {
            break 'life;
        }
        life.act("监督员", "verify", Status::Verified, None, None);
        if !life.wait(10, 120) {
            break 'life;
        }
        life.act("派遣员", "close", Status::Closed, None, None);
    }
    let status = life.status;
    let updated_at = life.events.last().map_or(t0, |e| e.at);
    let events = life.events;
    let quantity = match cat.unit.as_str() {
        "辆" => Some(f64::from(1 + rng_small(t0))),
        "平方米" => Some(f64::from(10 + 7 * rng_small(t0))),
        _ => Some(1.0),
    };
    let case = Case {
        id: CaseId(0),
        category: cat.code.clone(),
        source,
        status,
        description: format!(
            "{}（{}）",
            cat.name_zh,
            location.street.as_ref().map_or("", |s| &*s.name)
        ),
        quantity,
        point,
        address: None,
        location,
        reporter: None,
        assignee,
        duplicate_of: None,
        photos: Vec::new(),
        created_at: t0,
        updated_at,
        deadline,
        version: events.len() as i64,
    };
    Some((case, events))
}

/// A small number from the report time, for quantities.
fn rng_small(t: DateTime<Utc>) -> u32 {
    t.minute() % 5
}
