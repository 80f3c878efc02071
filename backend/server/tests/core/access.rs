//! Authorisation: the routes × roles table (docs/access.md) walked over the whole router, each
//! role's reach over cases, the actions of the loop by role, reporters' contacts, CSRF for
//! cookie sessions, user management and the audit log as an admin reads it.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use citygrid::cases::{Actor, NewCase};
use citygrid::http::open311::Open311Config;
use citygrid_core::access::Permission;
use citygrid_core::account::Role;
use citygrid_core::api::cases::TransitionBody;
use citygrid_core::case::{Action, Reporter, Source};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::support::{Demo, OFFICER, SUPERVISOR_SCOPE, demo_app_with};

const KEY: &str = "access-test-key";

/// One request: what a client sends.
struct Call<'a> {
    method: &'a str,
    uri: String,
    content_type: &'a str,
    body: Vec<u8>,
}

async fn send(
    router: &axum::Router,
    call: &Call<'_>,
    headers: &[(&str, String)],
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method(call.method)
        .uri(&call.uri)
        .header("content-type", call.content_type);
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(call.body.clone())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    if res
        .headers()
        .get("content-type")
        .is_some_and(|t| t.to_str().unwrap_or("").starts_with("text/event-stream"))
    {
        // An event stream never ends; its status is the answer.
        return (status, Value::Null);
    }
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn bearer(token: &str) -> Vec<(&'static str, String)> {
    vec![("authorization", format!("Bearer {token}"))]
}

#[allow(clippy::needless_pass_by_value)] // `json!` temporaries read better passed by value
fn json_call(method: &'static str, uri: impl Into<String>, body: Value) -> Call<'static> {
    Call {
        method,
        uri: uri.into(),
        content_type: "application/json",
        body: body.to_string().into_bytes(),
    }
}

fn get(uri: impl Into<String>) -> Call<'static> {
    Call {
        method: "GET",
        uri: uri.into(),
        content_type: "application/json",
        body: Vec::new(),
    }
}

/// A point inside the supervisor's community, and one outside it.
fn inside_and_outside() -> (citygrid_core::LonLat, citygrid_core::LonLat) {
    (
        crate::support::cell_centre(true),
        crate::support::cell_centre(false),
    )
}

/// The community of the point `inside_and_outside` gives outside the supervisor's area.
fn other_community() -> String {
    let base = crate::support::demo_base();
    base.grids
        .iter()
        .filter_map(|g| g.community.as_ref())
        .find(|c| c.as_str() != SUPERVISOR_SCOPE)
        .unwrap()
        .to_string()
}

fn report(point: citygrid_core::LonLat, phone: &str) -> NewCase {
    NewCase {
        category: "0501".into(),
        source: Source::Hotline,
        description: "占道经营".into(),
        quantity: None,
        point: Some(point),
        address: None,
        accept_best: false,
        reporter: Some(Reporter {
            name: Some("王先生".into()),
            phone: Some(phone.into()),
        }),
        photos: Vec::new(),
    }
}

fn act(action: Action, assignee: Option<&str>) -> TransitionBody {
    TransitionBody {
        assignee: assignee.map(str::to_owned),
        ..TransitionBody::just(action)
    }
}

/// A case at `point`, registered and dispatched to `officer`.
async fn dispatched(demo: &Demo, point: citygrid_core::LonLat, officer: &str) -> i64 {
    let system = Actor::system("test");
    let now = Utc::now();
    let cases = &demo.state.cases;
    let id = cases
        .create(report(point, "13800000000"), &system, now)
        .await
        .unwrap()
        .case
        .case
        .id;
    cases
        .transition(id, act(Action::Register, None), &system, now)
        .await
        .unwrap();
    cases
        .transition(id, act(Action::Dispatch, Some(officer)), &system, now)
        .await
        .unwrap();
    id.0
}

/// The key the 12345 platform pushes with in these tests.
const HOTLINE_KEY: &str = "hotline-test-key";

async fn demo() -> Demo {
    demo_app_with(|s| {
        s.with_open311(Open311Config {
            api_keys: vec![KEY.into()],
            jurisdiction_id: "citygrid.test".into(),
        })
        .with_hotline_keys(vec![HOTLINE_KEY.into()])
    })
    .await
}

/// A sample request for every route that succeeds for a caller allowed to make it.
#[allow(clippy::too_many_arguments)]
fn sample(
    method: &str,
    path: &str,
    case: i64,
    photo: &str,
    spare_user: i64,
    doomed_user: i64,
    round: usize,
    fixtures: &Fixtures,
) -> Call<'static> {
    let (inside, _) = inside_and_outside();
    let csv = format!(
        "category,source,created_at,lon,lat\n0501,patrol,2026-01-0{} 10:00,{},{}\n",
        1 + round % 9,
        inside.lon,
        inside.lat
    );
    let png = tiny_png();
    match (method, path) {
        ("get", "/api/v1/health") => get("/api/v1/health"),
        ("get", "/api/v1/layers/{layer}") => get("/api/v1/layers/communities"),
        ("put", "/api/v1/layers/{layer}") => Call {
            method: "PUT",
            uri: "/api/v1/layers/components".into(),
            content_type: "application/geo+json",
            body: json!({ "type": "FeatureCollection", "features": [{
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [inside.lon, inside.lat] },
                "properties": { "code": format!("B{round}"), "kind": "bin" },
            }] })
            .to_string()
            .into_bytes(),
        },
        ("post", "/api/v1/layers/{layer}/preview") => Call {
            method: "POST",
            uri: "/api/v1/layers/components/preview".into(),
            content_type: "application/geo+json",
            body: json!({ "type": "FeatureCollection", "features": [{
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [inside.lon, inside.lat] },
                "properties": { "code": "P1", "kind": "bin" },
            }] })
            .to_string()
            .into_bytes(),
        },
        ("get", "/api/v1/district") => get("/api/v1/district"),
        ("get", "/api/v1/locate") => get(format!(
            "/api/v1/locate?lon={}&lat={}",
            inside.lon, inside.lat
        )),
        ("post", "/api/v1/locate") => {
            json_call("POST", "/api/v1/locate", json!([[inside.lon, inside.lat]]))
        }
        ("get", "/api/v1/geocode") => get("/api/v1/geocode?q=%E4%BA%BA%E6%B0%91%E8%B7%AF"),
        ("get", "/api/v1/categories") => get("/api/v1/categories"),
        ("put", "/api/v1/categories") => Call {
            method: "PUT",
            uri: "/api/v1/categories".into(),
            content_type: "application/json",
            body: citygrid::cases::rules::BUILTIN_CATEGORIES
                .as_bytes()
                .to_vec(),
        },
        ("get", "/api/v1/checklists") => get("/api/v1/checklists"),
        ("post", "/api/v1/assessments") => json_call(
            "POST",
            "/api/v1/assessments",
            json!({ "checklist": "urban-daily", "subject": { "type": "section", "code": "340688-HW01" },
                    "findings": [{ "item": "U01", "occurrences": 2 }] }),
        ),
        ("get", "/api/v1/assessments") => get("/api/v1/assessments?from=2026-01"),
        ("get", "/api/v1/assessments/{id}") => get("/api/v1/assessments/1"),
        ("post", "/api/v1/assessments/import") => Call {
            method: "POST",
            uri: "/api/v1/assessments/import".into(),
            content_type: "text/csv",
            body: format!(
                "at,checklist,subject,findings\n2026-0{}-10 09:00,urban-daily,340688-HW02,U01x2;U05\n",
                1 + round % 9
            )
            .into_bytes(),
        },
        ("get", "/api/v1/shops/ratings") => get("/api/v1/shops/ratings"),
        ("get", "/api/v1/shops/incomplete") => get("/api/v1/shops/incomplete"),
        ("get", "/api/v1/periods") => get("/api/v1/periods?from=2026-01&to=2026-03"),
        // A month of its own each time, long past, so that each signs off anew.
        ("post", "/api/v1/periods/changes") => json_call(
            "POST",
            "/api/v1/periods/changes",
            json!({ "section": "340688-HW01", "month": format!("{}-01", 1000 + round),
                    "change": { "type": "sign_off" } }),
        ),
        ("post", "/api/v1/periods/signoff") => json_call(
            "POST",
            "/api/v1/periods/signoff",
            json!({ "month": "2001-01" }),
        ),
        ("put", "/api/v1/checklists") => Call {
            method: "PUT",
            uri: "/api/v1/checklists".into(),
            content_type: "application/json",
            body: citygrid::assessments::checklist_book::BUILTIN_CHECKLISTS
                .as_bytes()
                .to_vec(),
        },
        ("post", "/api/v1/cases") => json_call(
            "POST",
            "/api/v1/cases",
            json!({ "category": "0501", "source": "patrol", "lon": inside.lon, "lat": inside.lat }),
        ),
        ("get", "/api/v1/cases") => get("/api/v1/cases"),
        ("post", "/api/v1/cases/import") => Call {
            method: "POST",
            uri: "/api/v1/cases/import".into(),
            content_type: "text/csv",
            body: csv.into_bytes(),
        },
        ("get", "/api/v1/cases/{id}") => get(format!("/api/v1/cases/{case}")),
        ("post", "/api/v1/cases/{id}/transitions") => json_call(
            "POST",
            format!("/api/v1/cases/{case}/transitions"),
            json!({ "action": "comment", "note": "到场查看" }),
        ),
        ("get", "/api/v1/events") => get("/api/v1/events"),
        ("post", "/api/v1/photos") => Call {
            method: "POST",
            uri: "/api/v1/photos".into(),
            content_type: "application/octet-stream",
            body: png,
        },
        ("get", "/api/v1/photos/{hash}") => get(format!("/api/v1/photos/{photo}")),
        ("post", "/api/v1/login") => json_call(
            "POST",
            "/api/v1/login",
            json!({ "username": "walker", "password": "a long enough password" }),
        ),
        ("post", "/api/v1/logout") => json_call("POST", "/api/v1/logout", json!({})),
        ("post", "/api/v1/me/password") => json_call(
            "POST",
            "/api/v1/me/password",
            json!({ "current_password": "a long enough password", "new_password": format!("another long password {round}") }),
        ),
        ("get", "/api/v1/me") => get("/api/v1/me"),
        ("get", "/api/v1/session") => get("/api/v1/session"),
        ("get", "/api/v1/officers") => get("/api/v1/officers"),
        ("get", "/api/v1/analytics/counts") => get("/api/v1/analytics/counts?by=grid&slice=month"),
        ("get", "/api/v1/analytics/hotspots") => get("/api/v1/analytics/hotspots"),
        ("get", "/api/v1/analytics/emerging") => get("/api/v1/analytics/emerging?slice=month"),
        ("get", "/api/v1/analytics/evaluation") => get("/api/v1/analytics/evaluation?by=community"),
        ("get", "/api/v1/analytics/recurring") => get("/api/v1/analytics/recurring"),
        ("get", "/api/v1/analytics/heat") => get("/api/v1/analytics/heat"),
        ("get", "/api/v1/reports/draft-templates") => get("/api/v1/reports/draft-templates"),
        ("put", "/api/v1/reports/draft-templates") => json_call(
            "PUT",
            "/api/v1/reports/draft-templates",
            serde_json::from_str::<serde_json::Value>(include_str!(
                "../../../../data/report_draft.json"
            ))
            .unwrap(),
        ),
        // The quarter the walk's own records are made in.
        ("get", "/api/v1/reports/quarterly/draft") => get(format!(
            "/api/v1/reports/quarterly/draft?quarter={}",
            this_quarter()
        )),
        ("put", "/api/v1/reports/quarterly/draft") => json_call(
            "PUT",
            format!("/api/v1/reports/quarterly/draft?quarter={}", this_quarter()),
            json!({ "version": fixtures.fresh, "plan": format!("第{round}次修改的工作计划") }),
        ),
        ("get", "/api/v1/reports/quarterly") => get("/api/v1/reports/quarterly?quarter=2026-Q4"),
        ("put", "/api/v1/officers/{code}") => json_call(
            "PUT",
            format!("/api/v1/officers/NEW{round}"),
            json!({ "name": "新队员", "team": "东山一中队", "grids": [] }),
        ),
        ("delete", "/api/v1/officers/{code}") => Call {
            method: "DELETE",
            uri: format!("/api/v1/officers/DEL{round}"),
            content_type: "application/json",
            body: Vec::new(),
        },
        ("post", "/api/v1/officers/{code}/shifts") => json_call(
            "POST",
            format!("/api/v1/officers/{OFFICER}/shifts"),
            json!({ "starts_at": "2026-11-30T08:00:00+08:00", "ends_at": "2026-11-30T17:00:00+08:00" }),
        ),
        ("get", "/api/v1/officers/{code}/shifts") => {
            get(format!("/api/v1/officers/{OFFICER}/shifts"))
        }
        ("get", "/api/v1/officers/{code}/status") => {
            get(format!("/api/v1/officers/{OFFICER}/status"))
        }
        ("post", "/api/v1/officers/{code}/status") => json_call(
            "POST",
            format!("/api/v1/officers/{OFFICER}/status"),
            json!({ "status": "on_duty" }),
        ),
        ("post", "/api/v1/officers/{code}/positions") => json_call(
            "POST",
            format!("/api/v1/officers/{OFFICER}/positions"),
            json!({ "lon": inside.lon, "lat": inside.lat, "accuracy_m": 5 }),
        ),
        ("get", "/api/v1/officers/{code}/positions") => {
            get(format!("/api/v1/officers/{OFFICER}/positions"))
        }
        ("get", "/api/v1/cases/{id}/candidates") => get(format!("/api/v1/cases/{case}/candidates")),
        ("get", "/open311/v2/{resource}") => get("/open311/v2/services.json"),
        ("post", "/open311/v2/{resource}") => Call {
            method: "POST",
            uri: "/open311/v2/requests.json".into(),
            content_type: "application/x-www-form-urlencoded",
            body: format!(
                "api_key={KEY}&service_code=0501&lat={}&long={}",
                inside.lat, inside.lon
            )
            .into_bytes(),
        },
        ("get", "/open311/v2/services/{code}") => get("/open311/v2/services/0501.json"),
        ("get", "/open311/v2/requests/{id}") => get(format!("/open311/v2/requests/{case}.json")),
        ("get", "/api/v1/users") => get("/api/v1/users"),
        ("post", "/api/v1/users") => json_call(
            "POST",
            "/api/v1/users",
            json!({ "username": format!("new.user{round}"), "role": "planner" }),
        ),
        ("patch", "/api/v1/users/{id}") => json_call(
            "PATCH",
            format!("/api/v1/users/{spare_user}"),
            json!({ "display_name": format!("第{round}次") }),
        ),
        ("delete", "/api/v1/users/{id}") => Call {
            method: "DELETE",
            uri: format!("/api/v1/users/{doomed_user}"),
            content_type: "application/json",
            body: Vec::new(),
        },
        ("get", "/api/v1/login-throttles") => get("/api/v1/login-throttles"),
        ("delete", "/api/v1/login-throttles") => Call {
            method: "DELETE",
            uri: "/api/v1/login-throttles?address=192.0.2.1".into(),
            content_type: "application/json",
            body: Vec::new(),
        },
        ("get", "/api/v1/audit") => get("/api/v1/audit?limit=5"),
        ("get", "/api/v1/openapi.json") => get("/api/v1/openapi.json"),
        ("get", "/api/v1/campaign-kinds") => get("/api/v1/campaign-kinds"),
        ("put", "/api/v1/campaign-kinds") => Call {
            method: "PUT",
            uri: "/api/v1/campaign-kinds".into(),
            content_type: "application/json",
            body: citygrid::campaigns::kinds::BUILTIN_CAMPAIGN_KINDS
                .as_bytes()
                .to_vec(),
        },
        ("get", "/api/v1/campaigns") => get("/api/v1/campaigns?kind=flying-wires"),
        ("post", "/api/v1/campaigns") => json_call("POST", "/api/v1/campaigns", campaign_body()),
        ("get", "/api/v1/campaigns/{id}") => get("/api/v1/campaigns/1"),
        ("put", "/api/v1/campaigns/{id}") => {
            let mut body = campaign_body();
            body["version"] = json!(1);
            body["name"] = json!(format!("飞线充电整治（第{round}次修改）"));
            json_call("PUT", format!("/api/v1/campaigns/{}", fixtures.fresh), body)
        }
        ("get", "/api/v1/campaigns/{id}/actions") => get("/api/v1/campaigns/1/actions"),
        ("post", "/api/v1/campaigns/{id}/actions") => json_call(
            "POST",
            "/api/v1/campaigns/1/actions",
            json!({ "place": { "type": "point", "at": { "lon": inside.lon, "lat": inside.lat } },
                    "tallies": [{ "item": "wires-removed", "quantity": 3 }] }),
        ),
        ("get", "/api/v1/campaigns/{id}/figures") => get("/api/v1/campaigns/1/figures"),
        ("post", "/api/v1/campaign-actions/import") => Call {
            method: "POST",
            uri: "/api/v1/campaign-actions/import".into(),
            content_type: "text/csv",
            body: format!(
                "campaign,at,lon,lat,tallies\n1,2026-12-0{} 10:00,{},{},wires-removed=2;ebikes-cleared=5\n",
                1 + round % 5,
                inside.lon,
                inside.lat
            )
            .into_bytes(),
        },
        ("get", "/api/v1/approval-types") => get("/api/v1/approval-types"),
        ("get", "/api/v1/applications") => get("/api/v1/applications?status=open"),
        ("post", "/api/v1/applications") => {
            json_call("POST", "/api/v1/applications", application_body())
        }
        ("get", "/api/v1/applications/figures") => {
            get("/api/v1/applications/figures?from=2026-01-01&to=2026-12-31")
        }
        ("post", "/api/v1/applications/import") => Call {
            method: "POST",
            uri: "/api/v1/applications/import".into(),
            content_type: "text/csv",
            body: format!(
                "type,applicant,contact,subject,address,received_at\nposter,某公司,0551-1234567,第{round}次宣传,人民路1号,2026-11-02 09:00\n"
            )
            .into_bytes(),
        },
        ("get", "/api/v1/applications/{id}") => get("/api/v1/applications/1"),
        ("post", "/api/v1/applications/{id}/steps") => json_call(
            "POST",
            format!("/api/v1/applications/{}/steps", fixtures.fresh),
            json!({ "version": 1, "step": { "type": "approve", "certificate": format!("BA{round}") } }),
        ),
        ("get", "/api/v1/work-order-types") => get("/api/v1/work-order-types"),
        ("get", "/api/v1/work-orders") => get("/api/v1/work-orders?status=open"),
        ("post", "/api/v1/work-orders") => json_call(
            "POST",
            "/api/v1/work-orders",
            work_order_body(&format!("GD-R{round}")),
        ),
        ("post", "/api/v1/work-orders/import") => Call {
            method: "POST",
            uri: "/api/v1/work-orders/import".into(),
            content_type: "text/csv",
            body: format!(
                "工单编号,受理时间,工单类型,诉求人,联系电话,诉求内容,事发地址\nGD-I{round},2026-11-02 09:00,投诉,王女士,13800000000,夜间施工噪音扰民,人民路1号\n"
            )
            .into_bytes(),
        },
        ("post", "/api/v1/work-orders/push") => json_call(
            "POST",
            "/api/v1/work-orders/push",
            json!({ "orders": [work_order_body(&format!("GD-P{round}"))] }),
        ),
        ("get", "/api/v1/work-orders/figures") => {
            get("/api/v1/work-orders/figures?from=2026-07-01&to=2026-09-30")
        }
        ("get", "/api/v1/work-orders/{id}") => get("/api/v1/work-orders/1"),
        ("get", "/api/v1/work-orders/{id}/suggestions") => {
            get("/api/v1/work-orders/1/suggestions")
        }
        ("put", "/api/v1/work-order-types") => json_call(
            "PUT",
            "/api/v1/work-order-types",
            serde_json::from_str::<serde_json::Value>(include_str!("../../../../data/hotline.json"))
                .unwrap(),
        ),
        ("post", "/api/v1/work-order-suggester") => Call {
            method: "POST",
            uri: "/api/v1/work-order-suggester".into(),
            content_type: "application/json",
            body: Vec::new(),
        },
        ("post", "/api/v1/work-orders/{id}/actions") => json_call(
            "POST",
            format!("/api/v1/work-orders/{}/actions", fixtures.fresh),
            json!({ "version": 1, "action": { "type": "accept" } }),
        ),
        ("get", "/api/v1/public/applications/{number}") => {
            get(format!("/api/v1/public/applications/{}", fixtures.number))
        }
        (m, p) => panic!("no sample request for {m} {p}: add one, and its row in docs/access.md"),
    }
}

/// The quarter the walk's own records are made in.
fn this_quarter() -> citygrid_core::api::analytics::Quarter {
    citygrid_core::api::analytics::Quarter::of(
        Utc::now()
            .with_timezone(&chrono_tz::Asia::Shanghai)
            .date_naive(),
    )
}

/// Records made for the routes that need one of their own.
struct Fixtures {
    /// A campaign or an application made for this round alone (a change from version 1).
    fresh: i64,
    /// Application 1's number.
    number: String,
}

fn campaign_body() -> serde_json::Value {
    json!({ "name": "飞线充电整治", "kind": "flying-wires", "starts": "2026-01-01",
            "ends": "2027-12-31", "lead_team": "东山一中队",
            "targets": [{ "item": "wires-removed", "quantity": 100, "by": "2027-06-30" }] })
}

fn work_order_body(number: &str) -> serde_json::Value {
    json!({ "number": number, "received_at": "2026-11-02T09:00:00+08:00", "type": "complaint",
            "caller": { "name": "王女士", "phone": "13800000000" },
            "text": "楼下烧烤店油烟直排，窗户都不能开", "address": "淮海西路12号" })
}

fn application_body() -> serde_json::Value {
    json!({ "type": "poster", "subject": "国庆宣传横幅",
            "applicant": { "name": "某某文化传媒有限公司", "credit_code": "91110108551385082Q",
                           "contact": "13800000000" },
            "place": { "address": "人民路1号" } })
}

fn tiny_png() -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        [
            (data.len() as u32).to_be_bytes().as_slice(),
            kind,
            data,
            &[0, 0, 0, 0],
        ]
        .concat()
    };
    [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        chunk(b"IHDR", &[0; 13]),
        chunk(b"IDAT", &[9; 64]),
        chunk(b"IEND", &[]),
    ]
    .concat()
}

#[test]
fn the_docs_hold_the_routes_by_roles_table_of_the_code() {
    let table = citygrid::http::endpoint::access_table(&citygrid::http::endpoints());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/access.md");
    let docs = std::fs::read_to_string(path).unwrap();
    let between = docs
        .split("<!-- routes:begin -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- routes:end -->").next())
        .unwrap();
    assert_eq!(
        between.trim(),
        table.trim(),
        "docs/access.md is out of date: paste the output of `citygrid routes`"
    );
}

#[test]
fn every_route_declares_its_permission() {
    for e in citygrid::http::endpoints() {
        assert!(
            e.access.is_some(),
            "{} {} declares no permission",
            e.method,
            e.full_path()
        );
    }
}

#[tokio::test]
async fn every_route_answers_401_403_or_success_for_every_role_as_the_table_says() {
    let demo = demo().await;
    let (inside, _) = inside_and_outside();
    let case = dispatched(&demo, inside, OFFICER).await;
    let photo = demo.state.cases.add_photo(&tiny_png()).await.unwrap().hash;
    let accounts = &demo.state.accounts;
    let now = Utc::now();
    // Assessment 1, for the route that reads one.
    let first: citygrid_core::api::assessments::NewAssessment = serde_json::from_value(json!({
        "checklist": "urban-daily", "subject": { "type": "section", "code": "340688-HW01" } }))
    .unwrap();
    let recorded = citygrid::assessments::record(
        &demo.state.cases,
        &demo.state.checklists,
        &first,
        &citygrid::cases::Actor::system("test"),
        now,
    )
    .await
    .unwrap();
    assert_eq!(recorded.id, 1);
    // Campaign 1 and application 1, for the routes that read them.
    let plan = |body: serde_json::Value| -> citygrid_core::api::campaigns::NewCampaign {
        serde_json::from_value(body).unwrap()
    };
    let receive = |body: serde_json::Value| -> citygrid_core::api::approvals::NewApplication {
        serde_json::from_value(body).unwrap()
    };
    let calendar = demo.state.cases.rules().calendar.clone();
    let campaign = citygrid::campaigns::create(
        &demo.state.district,
        &demo.state.campaign_kinds,
        &plan(campaign_body()),
        "test",
        now,
    )
    .await
    .unwrap();
    assert_eq!(campaign.id, 1);
    let application = citygrid::approvals::receive(
        &demo.state.district,
        &calendar,
        &receive(application_body()),
        "test",
        now,
    )
    .await
    .unwrap();
    assert_eq!(application.id, 1);
    let first_order: citygrid_core::api::hotline::NewWorkOrder =
        serde_json::from_value(work_order_body("GD-1")).unwrap();
    let order = citygrid::hotline::orders::receive(
        &demo.state.district,
        &demo.state.hotline.current(),
        &calendar,
        &first_order,
        "test",
        now,
    )
    .await
    .unwrap();
    assert_eq!(order.id, 1);
    // A real password for the login route, and a user that PATCH may change freely.
    accounts
        .add_user(user_spec("walker", Role::Planner), now)
        .await
        .unwrap();
    let (spare, _) = accounts
        .add_user(user_spec("spare", Role::Leader), now)
        .await
        .unwrap();
    let mut round = 0;
    let mut checked = 0;
    for e in citygrid::http::endpoints() {
        let permission = e.permission();
        let callers: Vec<Option<Role>> = std::iter::once(None).chain(Role::ALL.map(Some)).collect();
        for caller in callers {
            round += 1;
            // A user to delete, each time the route is the user's deletion.
            let doomed = if e.method == "delete" && e.full_path() == "/api/v1/users/{id}" {
                let spec = user_spec(&format!("del{round}"), Role::Planner);
                accounts.add_user(spec, now).await.unwrap().0.id
            } else {
                0
            };
            let fresh = match (e.method, e.full_path().as_str()) {
                ("put", "/api/v1/campaigns/{id}") => {
                    citygrid::campaigns::create(
                        &demo.state.district,
                        &demo.state.campaign_kinds,
                        &plan(campaign_body()),
                        "test",
                        now,
                    )
                    .await
                    .unwrap()
                    .id
                }
                ("post", "/api/v1/work-orders/{id}/actions") => {
                    let body: citygrid_core::api::hotline::NewWorkOrder =
                        serde_json::from_value(work_order_body(&format!("GD-F{round}"))).unwrap();
                    citygrid::hotline::orders::receive(
                        &demo.state.district,
                        &demo.state.hotline.current(),
                        &calendar,
                        &body,
                        "test",
                        now,
                    )
                    .await
                    .unwrap()
                    .id
                }
                // The version of this quarter's text as it stands.
                ("put", "/api/v1/reports/quarterly/draft") => demo
                    .state
                    .district
                    .store()
                    .report_text(&this_quarter().to_string())
                    .await
                    .unwrap()
                    .map_or(0, |t| t.version),
                ("post", "/api/v1/applications/{id}/steps") => {
                    citygrid::approvals::receive(
                        &demo.state.district,
                        &calendar,
                        &receive(application_body()),
                        "test",
                        now,
                    )
                    .await
                    .unwrap()
                    .id
                }
                _ => 0,
            };
            let fixtures = Fixtures {
                fresh,
                number: application.number.clone(),
            };
            let call = sample(
                e.method,
                &e.full_path(),
                case,
                &photo,
                spare.id,
                doomed,
                round,
                &fixtures,
            );
            if e.method == "delete" {
                // Something to remove.
                let spec = citygrid::dispatch::OfficerSpec {
                    code: format!("DEL{round}"),
                    name: "待删除".into(),
                    team: None,
                    phone: None,
                    grids: Vec::new(),
                };
                demo.state.dispatch.put_officer(spec).await.unwrap();
            }
            let headers = match caller {
                None => Vec::new(),
                // Logging out ends the session: use a fresh one so the others stay.
                Some(role) if e.path == "/logout" => {
                    let user = accounts
                        .users()
                        .await
                        .unwrap()
                        .into_iter()
                        .find(|u| u.username == role.as_str())
                        .unwrap();
                    bearer(&accounts.open_session(user, now).await.unwrap().token)
                }
                // Changing a password ends every session of the user: a user of this role of
                // its own, with a known password.
                Some(role) if e.path == "/me/password" => {
                    let mut spec = user_spec(&format!("pw{round}"), role);
                    if role == Role::Supervisor {
                        spec.scope = vec![crate::support::SUPERVISOR_SCOPE.into()];
                    }
                    if role == Role::Officer {
                        spec.officer = Some(crate::support::OFFICER.into());
                    }
                    let (user, _) = accounts.add_user(spec, now).await.unwrap();
                    bearer(&accounts.open_session(user, now).await.unwrap().token)
                }
                Some(role) => bearer(demo.token(role)),
            };
            // The 12345 platform's push carries its own key, whoever else is signed in.
            let mut headers = headers;
            if e.path == "/work-orders/push" {
                headers.push(("x-api-key", HOTLINE_KEY.to_owned()));
            }
            let (status, body) = send(&demo.router, &call, &headers).await;
            let who = caller.map_or("nobody", Role::as_str);
            let route = format!("{} {}", e.method.to_uppercase(), e.full_path());
            match caller {
                None if permission.needs_login() => {
                    assert_eq!(status, StatusCode::UNAUTHORIZED, "{route} as {who}: {body}");
                }
                Some(role) if !permission.granted_to(role) => {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{route} as {who}: {body}");
                }
                _ => assert!(status.is_success(), "{route} as {who}: {status} {body}"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, citygrid::http::endpoints().len() * 7);
}

fn user_spec(name: &str, role: Role) -> citygrid::accounts::UserSpec {
    citygrid::accounts::UserSpec {
        username: name.into(),
        password: Some("a long enough password".into()),
        role,
        display_name: None,
        scope: Vec::new(),
        officer: None,
    }
}

async fn list_ids(demo: &Demo, role: Role) -> Vec<i64> {
    let (status, out) = send(
        &demo.router,
        &get("/api/v1/cases?limit=500"),
        &bearer(demo.token(role)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    out["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn officers_see_their_tasks_and_supervisors_their_area_and_nothing_else_is_revealed() {
    let demo = demo().await;
    let (inside, outside) = inside_and_outside();
    let mine_inside = dispatched(&demo, inside, OFFICER).await;
    let other_inside = dispatched(&demo, inside, "ZF0002").await;
    let other_outside = dispatched(&demo, outside, "ZF0002").await;
    let mine_outside = dispatched(&demo, outside, OFFICER).await;

    let mut officer = list_ids(&demo, Role::Officer).await;
    officer.sort_unstable();
    assert_eq!(officer, [mine_inside, mine_outside]);
    let mut supervisor = list_ids(&demo, Role::Supervisor).await;
    supervisor.sort_unstable();
    assert_eq!(supervisor, [mine_inside, other_inside]);
    for role in [Role::Admin, Role::Leader, Role::Dispatcher, Role::Planner] {
        assert_eq!(
            list_ids(&demo, role).await.len(),
            4,
            "{role} sees every case"
        );
    }

    // A case out of reach is answered exactly like one that does not exist.
    let missing = 999_999;
    for (role, hidden) in [
        (Role::Officer, other_inside),
        (Role::Supervisor, other_outside),
    ] {
        let token = bearer(demo.token(role));
        let (status, problem) = send(
            &demo.router,
            &get(format!("/api/v1/cases/{hidden}")),
            &token,
        )
        .await;
        let (absent_status, absent) = send(
            &demo.router,
            &get(format!("/api/v1/cases/{missing}")),
            &token,
        )
        .await;
        assert_eq!(
            (status, absent_status),
            (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
        );
        assert_eq!(
            problem["detail"]
                .as_str()
                .unwrap()
                .replace(&hidden.to_string(), "N"),
            absent["detail"]
                .as_str()
                .unwrap()
                .replace(&missing.to_string(), "N"),
            "{role}"
        );
        let comment = json_call(
            "POST",
            format!("/api/v1/cases/{hidden}/transitions"),
            json!({ "action": "comment", "note": "?" }),
        );
        assert_eq!(
            send(&demo.router, &comment, &token).await.0,
            StatusCode::NOT_FOUND,
            "{role} acts out of reach"
        );
        // Naming a place outside one's area is refused; an officer's filters only narrow
        // their own tasks.
        let elsewhere = format!("/api/v1/cases?community={}", other_community());
        let (status, out) = send(&demo.router, &get(elsewhere), &token).await;
        if role == Role::Supervisor {
            assert_eq!(status, StatusCode::FORBIDDEN, "{out}");
            let (status, _) = send(
                &demo.router,
                &get("/api/v1/events?community=340688002001"),
                &token,
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN);
            let own_cell = format!("/api/v1/cases?grid={SUPERVISOR_SCOPE}001");
            assert_eq!(
                send(&demo.router, &get(own_cell), &token).await.0,
                StatusCode::OK
            );
        } else {
            let ids: Vec<i64> = out["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_i64().unwrap())
                .collect();
            assert_eq!(ids, [mine_outside]);
        }
    }

    // The live stream carries only what is within reach.
    let events = |role: Role| {
        let cases = demo.state.cases.clone();
        let user = demo.state.clone();
        async move {
            let me = user
                .accounts
                .users()
                .await
                .unwrap()
                .into_iter()
                .find(|u| u.role == role)
                .unwrap();
            cases
                .events_after(0, &Default::default(), &Actor::user(&me), 1000)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.case.id.0)
                .collect::<std::collections::BTreeSet<_>>()
        }
    };
    assert_eq!(
        events(Role::Supervisor)
            .await
            .into_iter()
            .collect::<Vec<_>>(),
        [mine_inside, other_inside]
    );
    assert_eq!(
        events(Role::Officer).await.into_iter().collect::<Vec<_>>(),
        [mine_inside, mine_outside]
    );
    assert_eq!(events(Role::Dispatcher).await.len(), 4);
}

#[tokio::test]
async fn each_step_of_the_loop_is_taken_by_its_role_only() {
    let demo = demo().await;
    let (inside, _) = inside_and_outside();
    let id = dispatched(&demo, inside, OFFICER).await;
    let step = |role: Role, action: &str| {
        let call = json_call(
            "POST",
            format!("/api/v1/cases/{id}/transitions"),
            json!({ "action": action }),
        );
        let token = bearer(demo.token(role));
        let router = demo.router.clone();
        async move { send(&router, &call, &token).await }
    };
    // Out of turn: the dispatcher may not report it handled, the officer may not close it.
    let (status, problem) = step(Role::Dispatcher, "handle").await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::FORBIDDEN, Some("action"))
    );
    assert_eq!(
        step(Role::Supervisor, "handle").await.0,
        StatusCode::FORBIDDEN
    );
    // In turn: the officer handles, the supervisor verifies, the dispatcher closes.
    let (status, out) = step(Role::Officer, "handle").await;
    assert_eq!(
        (status, out["status"].as_str()),
        (StatusCode::OK, Some("handled")),
        "{out}"
    );
    assert_eq!(step(Role::Officer, "verify").await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        step(Role::Dispatcher, "verify").await.0,
        StatusCode::FORBIDDEN
    );
    let (status, out) = step(Role::Supervisor, "verify").await;
    assert_eq!(
        (status, out["status"].as_str()),
        (StatusCode::OK, Some("verified"))
    );
    assert_eq!(step(Role::Officer, "close").await.0, StatusCode::FORBIDDEN);
    let (status, out) = step(Role::Dispatcher, "close").await;
    assert_eq!(
        (status, out["status"].as_str()),
        (StatusCode::OK, Some("closed"))
    );
    // Who acted is the session's user, whatever the body says.
    let events = out["events"].as_array().unwrap();
    let actors: Vec<&str> = events
        .iter()
        .rev()
        .take(3)
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert_eq!(actors, ["dispatcher", "supervisor", "officer"]);
}

#[tokio::test]
async fn reporters_contacts_are_shown_only_to_those_who_call_them() {
    let demo = demo().await;
    let (inside, _) = inside_and_outside();
    let id = dispatched(&demo, inside, OFFICER).await;
    for role in Role::ALL {
        let token = bearer(demo.token(role));
        let (status, one) = send(&demo.router, &get(format!("/api/v1/cases/{id}")), &token).await;
        assert_eq!(status, StatusCode::OK);
        let (_, list) = send(&demo.router, &get("/api/v1/cases"), &token).await;
        let listed = &list["cases"][0];
        let sees = matches!(role, Role::Admin | Role::Dispatcher | Role::Officer);
        assert_eq!(
            one["reporter"]["phone"].as_str() == Some("13800000000"),
            sees,
            "{role}: {one}"
        );
        assert_eq!(listed.get("reporter").is_some(), sees, "{role} in a list");
    }
    // Open311 readers never do.
    let (_, public) = send(
        &demo.router,
        &get(format!("/open311/v2/requests/{id}.json")),
        &[],
    )
    .await;
    assert!(!public.to_string().contains("13800000000"));
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token_to_change_anything() {
    let demo = demo().await;
    let (inside, _) = inside_and_outside();
    let token = demo.token(Role::Dispatcher).to_owned();
    let cookie = ("cookie", format!("citygrid_session={token}"));
    let create = json_call(
        "POST",
        "/api/v1/cases",
        json!({ "category": "0501", "source": "hotline", "lon": inside.lon, "lat": inside.lat }),
    );
    let (status, problem) = send(&demo.router, &create, std::slice::from_ref(&cookie)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("x-csrf-token"));
    let wrong = ("x-csrf-token", "0".repeat(64));
    assert_eq!(
        send(&demo.router, &create, &[cookie.clone(), wrong])
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // The web app asks who is logged in without an error when nobody is.
    let (status, nobody) = send(&demo.router, &get("/api/v1/session"), &[]).await;
    assert_eq!((status, nobody), (StatusCode::OK, json!({ "user": null })));
    let (_, current) = send(
        &demo.router,
        &get("/api/v1/session"),
        std::slice::from_ref(&cookie),
    )
    .await;
    assert_eq!(current["user"]["role"], "dispatcher");
    // Reads need no token; /me gives it.
    let (status, me) = send(
        &demo.router,
        &get("/api/v1/me"),
        std::slice::from_ref(&cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let csrf = (
        "x-csrf-token",
        me["csrf_token"].as_str().unwrap().to_owned(),
    );
    assert!(
        me["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("report_cases"))
    );
    let (status, out) = send(&demo.router, &create, &[cookie, csrf]).await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    // A bearer token is never sent by a browser on its own: no CSRF token needed.
    assert_eq!(
        send(&demo.router, &create, &bearer(&token)).await.0,
        StatusCode::CREATED
    );
    // Nothing refused was stored: two cases.
    assert_eq!(list_ids(&demo, Role::Admin).await.len(), 2);
    assert!(Permission::ReportCases.granted_to(Role::Dispatcher));
}

#[tokio::test]
async fn admins_manage_users_changes_end_sessions_and_the_audit_log_tells_who_did_what() {
    let demo = demo().await;
    let admin = bearer(demo.token(Role::Admin));
    // A supervisor needs a known scope.
    let bad = json_call(
        "POST",
        "/api/v1/users",
        json!({ "username": "zhao.lei", "role": "supervisor", "scope": ["nowhere"] }),
    );
    let (status, problem) = send(&demo.router, &bad, &admin).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("scope"))
    );
    let add = json_call(
        "POST",
        "/api/v1/users",
        json!({ "username": "zhao.lei", "role": "supervisor", "scope": [SUPERVISOR_SCOPE], "password": "zhao's long password" }),
    );
    let (status, added) = send(&demo.router, &add, &admin).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let id = added["user"]["id"].as_i64().unwrap();
    let (status, again) = send(&demo.router, &add, &admin).await;
    assert_eq!(
        (status, again["field"].as_str()),
        (StatusCode::CONFLICT, Some("username"))
    );

    let login = json_call(
        "POST",
        "/api/v1/login",
        json!({ "username": "zhao.lei", "password": "zhao's long password" }),
    );
    let (status, session) = send(&demo.router, &login, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let theirs = bearer(session["token"].as_str().unwrap());
    assert_eq!(
        send(&demo.router, &get("/api/v1/me"), &theirs).await.0,
        StatusCode::OK
    );

    // Made a planner: the old session ends; the new one has the new role.
    let change = json_call(
        "PATCH",
        format!("/api/v1/users/{id}"),
        json!({ "role": "planner" }),
    );
    let (status, changed) = send(&demo.router, &change, &admin).await;
    assert_eq!(
        (status, changed["user"]["role"].as_str()),
        (StatusCode::OK, Some("planner"))
    );
    assert_eq!(
        send(&demo.router, &get("/api/v1/me"), &theirs).await.0,
        StatusCode::UNAUTHORIZED
    );
    // Disabled: cannot log in.
    let disable = json_call(
        "PATCH",
        format!("/api/v1/users/{id}"),
        json!({ "disabled": true }),
    );
    assert_eq!(send(&demo.router, &disable, &admin).await.0, StatusCode::OK);
    assert_eq!(
        send(&demo.router, &login, &[]).await.0,
        StatusCode::UNAUTHORIZED
    );
    let unknown = json_call("PATCH", "/api/v1/users/424242", json!({ "disabled": true }));
    assert_eq!(
        send(&demo.router, &unknown, &admin).await.0,
        StatusCode::NOT_FOUND
    );

    // The audit log, as the admin reads it: the failed login names who tried.
    let (status, log) = send(
        &demo.router,
        &get("/api/v1/audit?action=POST%20/api/v1/login"),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let logins: Vec<(i64, &str)> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["status"].as_i64().unwrap(),
                e["detail"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        logins,
        [(401, "username=zhao.lei"), (200, "username=zhao.lei")]
    );
    let (_, log) = send(
        &demo.router,
        &get("/api/v1/audit?actor=admin&action=PATCH"),
        &admin,
    )
    .await;
    let changes: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(changes.len(), 3);
    assert!(
        changes[1].contains("role=planner") && changes[1].contains("changed=disabled"),
        "{changes:?}"
    );
    assert!(changes[2].contains("changed=role"), "{changes:?}");
    // Passwords are never written into the log.
    let (_, all) = send(&demo.router, &get("/api/v1/audit?limit=1000"), &admin).await;
    assert!(!all.to_string().contains("zhao's long password"));
    // Nobody else reads it.
    assert_eq!(
        send(
            &demo.router,
            &get("/api/v1/audit"),
            &bearer(demo.token(Role::Leader))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn admins_delete_users_but_never_themselves_or_the_last_admin() {
    let demo = demo().await;
    let admin = bearer(demo.token(Role::Admin));
    let (_, users) = send(&demo.router, &get("/api/v1/users"), &admin).await;
    let id_of = |users: &Value, name: &str| {
        users["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == name)
            .map(|u| u["id"].as_i64().unwrap())
    };
    let me = id_of(&users, "admin").unwrap();
    let leader = id_of(&users, "leader").unwrap();
    let leader_session = bearer(demo.token(Role::Leader));
    assert_eq!(
        send(&demo.router, &get("/api/v1/me"), &leader_session)
            .await
            .0,
        StatusCode::OK
    );

    // Only admins delete; nobody deletes themselves; the only admin is never demoted or
    // disabled either (one slip would leave the district without anyone to manage it).
    let delete = |id: i64| Call {
        method: "DELETE",
        uri: format!("/api/v1/users/{id}"),
        content_type: "application/json",
        body: Vec::new(),
    };
    assert_eq!(
        send(
            &demo.router,
            &delete(leader),
            &bearer(demo.token(Role::Dispatcher))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, problem) = send(&demo.router, &delete(me), &admin).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    for change in [json!({ "role": "planner" }), json!({ "disabled": true })] {
        let call = json_call("PATCH", format!("/api/v1/users/{me}"), change.clone());
        let (status, problem) = send(&demo.router, &call, &admin).await;
        assert_eq!(status, StatusCode::CONFLICT, "{change}: {problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains("last admin"),
            "{problem}"
        );
    }

    // A user deleted: gone from the list, their session ended, the deletion audited.
    assert_eq!(
        send(&demo.router, &delete(leader), &admin).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(&demo.router, &get("/api/v1/me"), &leader_session)
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let (_, users) = send(&demo.router, &get("/api/v1/users"), &admin).await;
    assert_eq!(id_of(&users, "leader"), None);
    assert_eq!(
        send(&demo.router, &delete(leader), &admin).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, log) = send(&demo.router, &get("/api/v1/audit?action=DELETE"), &admin).await;
    assert!(
        log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["detail"] == "user=leader role=leader deleted"),
        "{log}"
    );
}
