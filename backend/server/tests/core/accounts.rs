//! Accounts: users, password login, sessions by bearer token or cookie, lockout.

use axum::http::StatusCode;
use chrono::Utc;
use citygrid::accounts::{AccountError, Accounts, UserSpec};
use citygrid_core::account::Role;
use serde_json::{Value, json};

use crate::support::{demo_district, rules};

const LOCALHOST: std::net::IpAddr = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

fn spec(username: &str, password: &str, role: Role) -> UserSpec {
    UserSpec {
        username: username.into(),
        password: Some(password.into()),
        role,
        display_name: None,
        scope: Vec::new(),
        officer: None,
    }
}

async fn call(
    router: &axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    crate::support::exchange(router, method, uri, headers, body.map(|b| b.to_string())).await
}

/// The application over the demo district with one more user.
async fn app_with_user(username: &str, password: &str, role: Role) -> axum::Router {
    let district = demo_district().await;
    let accounts = Accounts::new(district.store().clone());
    accounts
        .add_user(spec(username, password, role), Utc::now())
        .await
        .unwrap();
    citygrid::http::app(
        citygrid::http::AppState::new(district, rules()),
        citygrid::http::WebApp::None,
    )
}

/// `GET /me` with a bearer token.
async fn me(router: &axum::Router, token: &str) -> (StatusCode, Value) {
    let auth = format!("Bearer {token}");
    let (status, _, me) = call(
        router,
        "GET",
        "/api/v1/me",
        &[("authorization", &auth)],
        None,
    )
    .await;
    (status, me)
}

/// `POST /login` as `username`.
async fn log_in(
    router: &axum::Router,
    username: &str,
    password: &str,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    call(
        router,
        "POST",
        "/api/v1/login",
        &[],
        Some(json!({ "username": username, "password": password })),
    )
    .await
}

#[tokio::test]
async fn login_gives_a_session_by_bearer_token_and_cookie_until_logout() {
    let district = demo_district().await;
    let accounts = Accounts::new(district.store().clone());
    accounts
        .add_user(
            spec("zhang.wei", "correct horse battery", Role::Dispatcher),
            Utc::now(),
        )
        .await
        .unwrap();
    let router = citygrid::http::app(
        citygrid::http::AppState::new(district, rules()),
        citygrid::http::WebApp::None,
    );

    let (status, headers, session) = call(
        &router,
        "POST",
        "/api/v1/login",
        &[],
        Some(json!({ "username": "zhang.wei", "password": "correct horse battery" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    let token = session["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    assert_eq!(session["user"]["role"], "dispatcher");
    assert!(session["user"].get("password_hash").is_none());
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains("Secure"),
        "{cookie}"
    );

    let (status, user) = me(&router, &token).await;
    assert_eq!(
        (status, user["username"].as_str()),
        (StatusCode::OK, Some("zhang.wei"))
    );
    let bearer = format!("Bearer {token}");
    let cookie = format!("citygrid_session={token}");
    let (status, _, me) = call(&router, "GET", "/api/v1/me", &[("cookie", &cookie)], None).await;
    assert_eq!(
        (status, me["username"].as_str()),
        (StatusCode::OK, Some("zhang.wei"))
    );

    let (status, _, _) = call(
        &router,
        "POST",
        "/api/v1/logout",
        &[("authorization", &bearer)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, problem) = call(
        &router,
        "GET",
        "/api/v1/me",
        &[("authorization", &bearer)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{problem}");
    let (status, _, _) = call(&router, "GET", "/api/v1/me", &[], None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// The application over the demo district with one more user, behind a trusted proxy, so
/// that each request can name its client address in `X-Forwarded-For`.
async fn app_behind_proxy(username: &str, password: &str, role: Role) -> (axum::Router, String) {
    let demo = crate::support::demo_app_with(|s| {
        s.with_trusted_proxies(citygrid::http::client_address::TrustedProxies(vec![
            "0.0.0.0/32".parse().unwrap(),
        ]))
    })
    .await;
    Accounts::new(demo.state.district.store().clone())
        .add_user(spec(username, password, role), Utc::now())
        .await
        .unwrap();
    let admin = format!("Bearer {}", demo.token(Role::Admin));
    (demo.router, admin)
}

/// A login attempt from `address`.
async fn attempt_from(
    router: &axum::Router,
    address: &str,
    username: &str,
    password: &str,
) -> (StatusCode, Value) {
    let (status, _, body) = call(
        router,
        "POST",
        "/api/v1/login",
        &[("x-forwarded-for", address)],
        Some(json!({ "username": username, "password": password })),
    )
    .await;
    (status, body)
}

#[tokio::test]
async fn failed_logins_hold_back_that_address_only_and_unknown_users_look_the_same() {
    let (router, admin) = app_behind_proxy("li.na", "another long password", Role::Planner).await;
    // Li Na logs in from her office once: a known address.
    let (status, _) = attempt_from(&router, "10.1.0.5", "li.na", "another long password").await;
    assert_eq!(status, StatusCode::OK);
    // Someone elsewhere guesses her password, and another name that does not exist.
    let mut answers = Vec::new();
    for name in ["li.na", "nobody"] {
        let mut statuses = Vec::new();
        for _ in 0..5 {
            let (status, body) = attempt_from(&router, "203.0.113.9", name, "guess-guess").await;
            statuses.push(status);
            answers.push((status, body["detail"].clone()));
        }
        assert_eq!(
            statuses,
            [
                StatusCode::UNAUTHORIZED,
                StatusCode::UNAUTHORIZED,
                StatusCode::UNAUTHORIZED,
                StatusCode::UNAUTHORIZED,
                StatusCode::TOO_MANY_REQUESTS
            ],
            "{name}"
        );
    }
    // An existing and an unknown username get the same answers, throttled alike.
    let (known, unknown) = answers.split_at(5);
    for (a, b) in known.iter().zip(unknown) {
        assert_eq!(a.0, b.0);
        assert_eq!(
            a.1.as_str()
                .map(|d| d.split(" after ").next().map(str::to_owned)),
            b.1.as_str()
                .map(|d| d.split(" after ").next().map(str::to_owned))
        );
    }
    let (status, held) =
        attempt_from(&router, "203.0.113.9", "li.na", "another long password").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{held}");
    assert!(held["locked_until"].is_string());
    // From her own addresses, and from any other, the right password still works at once.
    for address in ["10.1.0.5", "198.51.100.7"] {
        let (status, body) = attempt_from(&router, address, "li.na", "another long password").await;
        assert_eq!(status, StatusCode::OK, "{address}: {body}");
    }
    // The admin sees what holds back whom, and clears it; the clearing is audited.
    let (status, _, list) = call(
        &router,
        "GET",
        "/api/v1/login-throttles",
        &[("authorization", &admin)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let held: Vec<(String, String, bool)> = list["throttles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["username"].as_str().unwrap().to_owned(),
                t["address"].as_str().unwrap().to_owned(),
                t["blocked_until"].is_string(),
            )
        })
        .collect();
    assert!(
        held.contains(&("li.na".into(), "203.0.113.9".into(), true)),
        "{held:?}"
    );
    assert!(
        held.contains(&("nobody".into(), "203.0.113.9".into(), true)),
        "{held:?}"
    );
    assert!(
        held.contains(&(String::new(), "203.0.113.9".into(), false)),
        "{held:?}"
    );
    let (status, _, cleared) = call(
        &router,
        "DELETE",
        "/api/v1/login-throttles?username=li.na&address=203.0.113.9",
        &[("authorization", &admin)],
        None,
    )
    .await;
    assert_eq!(
        (status, cleared["cleared"].as_u64()),
        (StatusCode::OK, Some(1))
    );
    let (status, _) = attempt_from(&router, "203.0.113.9", "li.na", "another long password").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, problem) = call(
        &router,
        "DELETE",
        "/api/v1/login-throttles",
        &[("authorization", &admin)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, _, problem) = call(
        &router,
        "POST",
        "/api/v1/login",
        &[],
        Some(json!({ "username": "li.na" })),
    )
    .await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("password"))
    );
}

#[tokio::test]
async fn users_are_checked_and_a_fresh_installation_gets_one_admin() {
    let district = demo_district().await;
    let accounts = Accounts::new(district.store().clone());
    let first = accounts
        .ensure_admin(Utc::now())
        .await
        .unwrap()
        .expect("a one-time password");
    assert!(first.len() >= 16);
    assert!(
        accounts.ensure_admin(Utc::now()).await.unwrap().is_none(),
        "only once"
    );
    assert!(
        accounts
            .login("admin", &first, LOCALHOST, Utc::now())
            .await
            .is_ok()
    );
    for (name, password, field) in [
        ("A", "long enough pw", "username"),
        ("x y", "long enough pw", "username"),
        ("ok.name", "short", "password"),
    ] {
        match accounts
            .add_user(spec(name, password, Role::Planner), Utc::now())
            .await
        {
            Err(AccountError::Field { field: f, .. }) => assert_eq!(f, field, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(matches!(
        accounts
            .add_user(spec("admin", "long enough pw", Role::Planner), Utc::now())
            .await,
        Err(AccountError::Duplicate(_))
    ));
    let (user, made) = accounts
        .add_user(
            UserSpec {
                password: None,
                ..spec("made", "", Role::Leader)
            },
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(user.role, Role::Leader);
    assert!(
        accounts
            .login("made", &made.unwrap(), LOCALHOST, Utc::now())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn changes_logins_and_exports_are_audited_reads_are_not() {
    let district = demo_district().await;
    let store = district.store().clone();
    Accounts::new(store.clone())
        .add_user(
            spec("wang.fang", "a good long password", Role::Dispatcher),
            Utc::now(),
        )
        .await
        .unwrap();
    let router = citygrid::http::app(
        citygrid::http::AppState::new(district, rules()),
        citygrid::http::WebApp::None,
    );
    call(
        &router,
        "POST",
        "/api/v1/login",
        &[],
        Some(json!({ "username": "wang.fang", "password": "wrong" })),
    )
    .await;
    let (_, _, session) = call(
        &router,
        "POST",
        "/api/v1/login",
        &[],
        Some(json!({ "username": "wang.fang", "password": "a good long password" })),
    )
    .await;
    let bearer = format!("Bearer {}", session["token"].as_str().unwrap());
    let p = crate::support::at(0.0, 0.0);
    call(
        &router,
        "POST",
        "/api/v1/cases",
        &[("authorization", &bearer)],
        Some(json!({ "category": "0501", "source": "patrol", "lon": p.lon, "lat": p.lat })),
    )
    .await;
    call(&router, "GET", "/api/v1/cases?limit=5", &[], None).await;
    call(
        &router,
        "GET",
        "/api/v1/cases?format=csv",
        &[("authorization", &bearer)],
        None,
    )
    .await;
    let log = store
        .audit_after(citygrid::store::Page {
            after: 0,
            limit: 100,
        })
        .await
        .unwrap();
    let lines: Vec<(String, String, i64)> = log
        .iter()
        .map(|e| (e.actor.clone(), e.action.clone(), e.status))
        .collect();
    assert_eq!(
        lines,
        [
            ("anonymous".to_owned(), "POST /api/v1/login".to_owned(), 401),
            ("anonymous".to_owned(), "POST /api/v1/login".to_owned(), 200),
            ("wang.fang".to_owned(), "POST /api/v1/cases".to_owned(), 201),
            ("wang.fang".to_owned(), "GET /api/v1/cases".to_owned(), 200),
        ]
    );
    assert_eq!(log[3].detail.as_deref(), Some("format=csv"));
}

#[tokio::test]
async fn logins_from_one_address_are_rate_limited() {
    let router = crate::support::demo_router().await;
    let mut statuses = Vec::new();
    for k in 0..22 {
        // A client naming itself another address each time gains nothing: no proxy is trusted.
        let spoofed = format!("10.9.0.{k}");
        let (status, headers, body) = call(
            &router,
            "POST",
            "/api/v1/login",
            &[("x-forwarded-for", spoofed.as_str())],
            // A new name each time: the failed-login throttle of one name stays out of it.
            Some(json!({ "username": format!("nobody{k}"), "password": "guess" })),
        )
        .await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert!(headers.contains_key("retry-after"));
            assert_eq!(body["status"], 429, "{body}");
            assert!(body["detail"].as_str().unwrap().contains("try again"));
        }
        statuses.push(status);
    }
    // Only that door is shut: the same address still reads what anyone may.
    let (status, _, _) = call(&router, "GET", "/api/v1/session", &[], None).await;
    assert_eq!(status, StatusCode::OK);
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!((1..=2).contains(&limited), "{statuses:?}");
    assert_eq!(statuses[0], StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn users_change_their_own_password_and_their_other_sessions_end() {
    let router = app_with_user("li.na", "one-time-pass-123", Role::Dispatcher).await;
    let login = |password: &'static str| {
        let router = router.clone();
        async move { log_in(&router, "li.na", password).await }
    };
    let (_, _, phone) = login("one-time-pass-123").await;
    let (_, _, desk) = login("one-time-pass-123").await;
    let desk_auth = format!("Bearer {}", desk["token"].as_str().unwrap());
    let change = |body: Value| {
        let router = router.clone();
        let auth = desk_auth.clone();
        async move {
            call(
                &router,
                "POST",
                "/api/v1/me/password",
                &[("authorization", &auth)],
                Some(body),
            )
            .await
        }
    };
    // Refused, naming the field, and nothing changes.
    for (body, field) in [
        (
            json!({ "current_password": "not-it-at-all", "new_password": "a-new-long-one" }),
            "current_password",
        ),
        (
            json!({ "current_password": "one-time-pass-123", "new_password": "short" }),
            "new_password",
        ),
        (
            json!({ "current_password": "one-time-pass-123", "new_password": "one-time-pass-123" }),
            "new_password",
        ),
        (
            json!({ "new_password": "a-new-long-one" }),
            "current_password",
        ),
    ] {
        let (status, _, problem) = change(body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["field"], field, "{problem}");
    }
    // Without a session, nobody's password changes.
    let (status, _, _) = call(
        &router,
        "POST",
        "/api/v1/me/password",
        &[],
        Some(json!({ "current_password": "one-time-pass-123", "new_password": "a-new-long-one" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, headers, session) = change(
        json!({ "current_password": "one-time-pass-123", "new_password": "a-new-long-one" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert!(headers.contains_key("set-cookie"));
    assert!(
        session["csrf_token"]
            .as_str()
            .is_some_and(|t| t.len() == 64)
    );
    // Every earlier session has ended (a lost phone is logged out); the new one works.
    for old in [&phone, &desk] {
        let (status, _) = me(&router, old["token"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, user) = me(&router, session["token"].as_str().unwrap()).await;
    assert_eq!(
        (status, user["username"].as_str()),
        (StatusCode::OK, Some("li.na"))
    );
    // Only the new password logs in.
    assert_eq!(login("one-time-pass-123").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(login("a-new-long-one").await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_admin_resets_a_forgotten_password_to_a_one_time_one_shown_once() {
    let demo = crate::support::demo_app_with(|s| s).await;
    let (user, _) = demo
        .state
        .accounts
        .add_user(
            spec("wu.gang", "forgotten long password", Role::Dispatcher),
            Utc::now(),
        )
        .await
        .unwrap();
    let (_, _, session) = log_in(&demo.router, "wu.gang", "forgotten long password").await;
    let uri = format!("/api/v1/users/{}", user.id);
    let patch = |body: Value| demo.send_as(Role::Admin, "PATCH", &uri, Some(body.to_string()));

    let (status, _, problem) =
        patch(json!({ "reset_password": true, "password": "chosen by admin" })).await;
    assert_eq!(
        (status, problem["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reset_password"))
    );
    let (status, _, reset) = patch(json!({ "reset_password": true })).await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    let one_time = reset["password"].as_str().unwrap().to_owned();
    assert_eq!(one_time.chars().count(), 16);
    assert_eq!(reset["user"]["username"], "wu.gang");
    // Their sessions have ended; only the one-time password logs in.
    assert_eq!(
        me(&demo.router, session["token"].as_str().unwrap()).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        log_in(&demo.router, "wu.gang", "forgotten long password")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        log_in(&demo.router, "wu.gang", &one_time).await.0,
        StatusCode::OK
    );
    // An ordinary change makes no password.
    let (_, _, changed) = patch(json!({ "display_name": "吴刚" })).await;
    assert!(changed["password"].is_null(), "{changed}");
    // The audit log says the password changed, never what it is.
    let (_, _, log) = demo
        .send_as(
            Role::Admin,
            "GET",
            "/api/v1/audit?action=PATCH&limit=10",
            None,
        )
        .await;
    let text = log.to_string();
    assert!(text.contains("changed=password"), "{text}");
    assert!(
        !text.contains(&one_time),
        "the one-time password is in the log"
    );
}

#[tokio::test]
async fn a_password_citygrid_made_must_be_changed_before_anything_else() {
    let demo = crate::support::demo_app_with(|s| s).await;
    // Added without a password: one is made, shown once, and must be changed.
    let (status, _, added) = demo
        .send_as(
            Role::Admin,
            "POST",
            "/api/v1/users",
            Some(json!({ "username": "sun.li", "role": "dispatcher" }).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["user"]["must_change_password"], true);
    let one_time = added["password"].as_str().unwrap().to_owned();
    let (status, _, session) = log_in(&demo.router, "sun.li", &one_time).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(session["user"]["must_change_password"], true);
    let token = session["token"].as_str().unwrap().to_owned();
    let auth = format!("Bearer {token}");
    let get = |uri: &'static str| {
        let (router, auth) = (demo.router.clone(), auth.clone());
        async move { call(&router, "GET", uri, &[("authorization", &auth)], None).await }
    };
    // Until then only their own account: no case, and no layer either (shops carry contacts).
    for uri in [
        "/api/v1/cases?limit=1",
        "/api/v1/layers/shops",
        "/api/v1/district",
    ] {
        let (status, _, refused) = get(uri).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}: {refused}");
        assert_eq!(refused["must_change_password"], true);
    }
    assert_eq!(get("/api/v1/me").await.0, StatusCode::OK);
    // Changed: the new session serves the role's work.
    let (status, _, changed) = call(
        &demo.router,
        "POST",
        "/api/v1/me/password",
        &[("authorization", &auth)],
        Some(json!({ "current_password": one_time, "new_password": "sun li's own password" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["user"]["must_change_password"], false);
    let auth = format!("Bearer {}", changed["token"].as_str().unwrap());
    let (status, _, _) = call(
        &demo.router,
        "GET",
        "/api/v1/cases?limit=1",
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // An admin's reset makes it a must again; a password an admin sets is not.
    let (_, _, listed) = demo
        .send_as(Role::Admin, "GET", "/api/v1/users", None)
        .await;
    let id = listed["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "sun.li")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let uri = format!("/api/v1/users/{id}");
    for (body, must) in [
        (json!({ "reset_password": true }), true),
        (json!({ "password": "set by the admin" }), false),
    ] {
        let (status, _, after) = demo
            .send_as(Role::Admin, "PATCH", &uri, Some(body.to_string()))
            .await;
        assert_eq!(status, StatusCode::OK, "{after}");
        assert_eq!(after["user"]["must_change_password"], must, "{body}");
    }
}
