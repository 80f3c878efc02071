//! Calls to citygrid's HTTP API. The session is the HttpOnly cookie set at login (the page
//! never sees it); changes carry the session's CSRF token, kept here once known.

use std::cell::RefCell;

use citygrid_core::account::User;
use citygrid_core::api::accounts::{LoginBody, PasswordBody, SessionAnswer, SessionState};
use citygrid_core::api::{GeocodeCandidate, Geocoded, Location, Problem};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;

use crate::i18n::{Lang, t};
use wasm_bindgen_futures::JsFuture;

/// Why a call failed, in words for the user.
pub type ApiResult<T> = Result<T, String>;

thread_local! {
    static CSRF: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A failed call: the HTTP status (0 when the network failed) and the server's words.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub status: u16,
    pub detail: String,
    /// The problem document, when the server sent one (e.g. `errors` of a rejected file).
    pub problem: Option<Box<Problem>>,
}

pub async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    call(url, None).await.map_err(|f| f.detail)
}

/// GET (no body) or POST a JSON body, with the CSRF token on a POST.
async fn call<T: DeserializeOwned>(url: &str, body: Option<&str>) -> Result<T, Failure> {
    let body = body.map(wasm_bindgen::JsValue::from_str);
    send(
        if body.is_some() { "POST" } else { "GET" },
        url,
        body.as_ref().map(|b| (b, "application/json")),
    )
    .await
}

/// A request body as JSON text.
fn json_text<B: Serialize>(body: &B) -> Result<String, Failure> {
    serde_json::to_string(body).map_err(|e| Failure {
        status: 0,
        detail: e.to_string(),
        problem: None,
    })
}

/// POSTs a JSON body.
pub async fn post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, Failure> {
    call(url, Some(&json_text(body)?)).await
}

/// Sends a JSON body with another method (`PATCH` of a change, `PUT` of a whole document).
pub async fn send_json<B: Serialize, T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: &B,
) -> Result<T, Failure> {
    let body = wasm_bindgen::JsValue::from_str(&json_text(body)?);
    send(method, url, Some((&body, "application/json"))).await
}

/// Sends a request without a body (`DELETE`).
pub async fn send_empty<T: DeserializeOwned>(method: &str, url: &str) -> Result<T, Failure> {
    send(method, url, None).await
}

/// Sends a file (or any Blob) as the body: a photo, a layer file.
pub async fn send_file<T: DeserializeOwned>(
    method: &str,
    url: &str,
    file: &web_sys::Blob,
    content_type: &str,
) -> Result<T, Failure> {
    send(method, url, Some((file.as_ref(), content_type))).await
}

/// One request; changes carry the CSRF token. A failure keeps the server's words and, for a
/// rejected file, the whole problem document.
async fn send<T: DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<(&wasm_bindgen::JsValue, &str)>,
) -> Result<T, Failure> {
    let text = send_raw(method, url, body).await?;
    // 204: nothing to read.
    let text = if text.is_empty() { "null" } else { &text };
    serde_json::from_str(text).map_err(|e| Failure {
        status: 0,
        detail: e.to_string(),
        problem: None,
    })
}

/// GETs a body as text (a large collection handed to the map as it came).
pub async fn get_text(url: &str) -> ApiResult<String> {
    send_raw("GET", url, None).await.map_err(|f| f.detail)
}

async fn send_raw(
    method: &str,
    url: &str,
    body: Option<(&wasm_bindgen::JsValue, &str)>,
) -> Result<String, Failure> {
    let failure = |detail: &str| Failure {
        status: 0,
        detail: words(0, None, detail),
        problem: None,
    };
    let window = web_sys::window().ok_or_else(|| failure("no window"))?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| failure("headers"))?;
    if method != "GET"
        && let Some(token) = CSRF.with(|c| c.borrow().clone())
    {
        let _ = headers.set("x-csrf-token", &token);
    }
    if let Some((body, content_type)) = body {
        let _ = headers.set("content-type", content_type);
        init.set_body(body);
    }
    init.set_headers(&headers);
    let promise = window.fetch_with_str_and_init(url, &init);
    let response = JsFuture::from(promise)
        .await
        .map_err(|_| failure("network error"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| failure("bad response"))?;
    let text = JsFuture::from(response.text().map_err(|_| failure("bad response"))?)
        .await
        .map_err(|_| failure("bad response"))?
        .as_string()
        .unwrap_or_default();
    if !response.ok() {
        let problem = serde_json::from_str::<Problem>(&text).ok().map(Box::new);
        let detail = problem.as_ref().map_or_else(
            || format!("HTTP {}", response.status()),
            |p| p.detail.clone(),
        );
        let detail = words(response.status(), problem.as_deref(), &detail);
        return Err(Failure {
            status: response.status(),
            detail,
            problem,
        });
    }
    Ok(text)
}

/// The page's language, as the app set it on the document.
fn page_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .map_or(Lang::Zh, |code| Lang::from_code(&code))
}

/// A failure in the user's words: the common refusals in the page's language (a lost network,
/// an action the case's state no longer allows, a case changed meanwhile, a refusal, too many
/// tries, a busy server); a field's problem keeps the server's words after the field's name.
fn words(status: u16, problem: Option<&Problem>, detail: &str) -> String {
    let lang = page_lang();
    let said = |key: &str| t(lang, key).to_owned();
    match (status, problem) {
        (0, _) => said("network_error"),
        (409, Some(p)) if p.case_status.is_some() => format!(
            "{}（{}）",
            said("not_allowed_now"),
            p.case_status.map_or("", |s| t(lang, s.as_str()))
        ),
        (409, Some(p)) if p.version.is_some() => said("changed_meanwhile"),
        (
            422,
            Some(Problem {
                field: Some(field),
                problem: Some(problem),
                ..
            }),
        ) => format!(
            "{}：{}",
            crate::problem_text::field_in(lang, field),
            crate::problem_text::problem_in(lang, problem)
        ),
        (403, _) => said("forbidden"),
        (429, _) => said("too_many_tries"),
        (503, _) => said("server_busy"),
        _ => detail.to_owned(),
    }
}

fn keep_csrf(token: Option<String>) {
    CSRF.with(|c| *c.borrow_mut() = token);
}

/// Who is logged in (the cookie's session from an earlier visit), if anyone.
pub async fn session() -> Result<Option<User>, Failure> {
    let current: SessionState = call("/api/v1/session", None).await?;
    Ok(current.user.map(|me| {
        keep_csrf(Some(me.csrf_token));
        me.user
    }))
}

/// Logs in; the server sets the session cookie.
pub async fn login(username: &str, password: &str) -> Result<User, Failure> {
    let body = LoginBody {
        username: username.to_owned(),
        password: password.to_owned(),
    };
    let session: SessionAnswer = post("/api/v1/login", &body).await?;
    keep_csrf(Some(session.csrf_token));
    Ok(session.user)
}

/// Changes the user's own password; every other session of theirs ends, and this one goes on
/// with the new session the server sets (and its CSRF token).
pub async fn change_password(current: &str, new: &str) -> Result<(), Failure> {
    let body = PasswordBody {
        current_password: current.to_owned(),
        new_password: new.to_owned(),
    };
    let session: SessionAnswer = post("/api/v1/me/password", &body).await?;
    keep_csrf(Some(session.csrf_token));
    Ok(())
}

/// Ends the session.
pub async fn logout() -> Result<(), Failure> {
    let _: Option<()> = call("/api/v1/logout", Some("{}")).await?;
    keep_csrf(None);
    Ok(())
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s)
        .as_string()
        .unwrap_or_default()
}

pub async fn locate(lon: f64, lat: f64) -> ApiResult<Location> {
    get(&format!("/api/v1/locate?lon={lon}&lat={lat}")).await
}

pub async fn geocode(q: &str) -> ApiResult<Vec<GeocodeCandidate>> {
    let found: Geocoded = get(&format!("/api/v1/geocode?q={}&limit=8", encode(q))).await?;
    Ok(found.candidates)
}
