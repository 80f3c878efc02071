//! `/checklists`: the shipped templates, and an admin's change made a new version while the
//! earlier versions stay (an assessment keeps the version it was made with).

use axum::http::StatusCode;
use citygrid_core::checklist::{Checklists, Deduct};
use serde_json::Value;

use crate::support::{demo_app_with, exchange};

fn versions(c: &Checklists, code: &str) -> Vec<u32> {
    c.checklists
        .iter()
        .filter(|t| t.code == code)
        .map(|t| t.version)
        .collect()
}

#[tokio::test]
async fn a_changed_template_becomes_its_next_version_and_the_old_one_stays() {
    let demo = demo_app_with(|s| s).await;
    let admin = format!("Bearer {}", demo.token(citygrid_core::account::Role::Admin));
    let call = |method: &'static str, body: Option<String>| {
        let router = demo.router.clone();
        let admin = admin.clone();
        async move {
            exchange(
                &router,
                method,
                "/api/v1/checklists",
                &[("authorization", &admin)],
                body,
            )
            .await
        }
    };
    let (status, _, body) = call("GET", None).await;
    assert_eq!(status, StatusCode::OK);
    let shipped: Checklists = serde_json::from_value(body).unwrap();
    assert_eq!(versions(&shipped, "door-front"), [1]);

    // Posters now cost 40 to 150 on the door-front list; only that template is sent.
    let mut door = shipped.latest("door-front").unwrap().clone();
    let posters = door.items.iter_mut().find(|i| i.code == "M04").unwrap();
    posters.deduct = Deduct::Range {
        min: 40.0,
        max: 100.0,
    };
    let body = Checklists {
        about: String::new(),
        checklists: vec![door.clone()],
        rules: Vec::new(),
    };
    let (status, _, answer) = call("PUT", Some(serde_json::to_string(&body).unwrap())).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let saved: Checklists = serde_json::from_value(answer).unwrap();
    assert_eq!(versions(&saved, "door-front"), [1, 2]);
    assert_eq!(
        versions(&saved, "urban-daily"),
        [1],
        "templates left out stay"
    );
    assert_eq!(
        saved.get("door-front", 1).unwrap(),
        shipped.get("door-front", 1).unwrap(),
        "the earlier version is unchanged"
    );
    let v2 = saved.get("door-front", 2).unwrap();
    assert_eq!(
        v2.item("M04").unwrap().deduct,
        Deduct::Range {
            min: 40.0,
            max: 100.0
        }
    );
    // Saving the same again makes no new version.
    let (_, _, again) = call("PUT", Some(serde_json::to_string(&body).unwrap())).await;
    let again: Checklists = serde_json::from_value(again).unwrap();
    assert_eq!(versions(&again, "door-front"), [1, 2]);

    // A broken template is refused naming the body, and nothing changes.
    let mut broken = body.clone();
    broken.checklists[0].scale = 50.0;
    let (status, _, problem) = call("PUT", Some(serde_json::to_string(&broken).unwrap())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["field"], Value::from("checklists"));
    assert!(
        problem["detail"].as_str().unwrap().contains("scale"),
        "{problem}"
    );
    let (_, _, now) = call("GET", None).await;
    let now: Checklists = serde_json::from_value(now).unwrap();
    assert_eq!(versions(&now, "door-front"), [1, 2]);

    // What was saved is what a restarted server uses.
    let book = citygrid::assessments::ChecklistBook::new(demo.state.district.store().clone());
    assert!(book.load_saved().await.unwrap());
    assert_eq!(*book.current(), now);
}
