//! The live event stream (`/api/v1/events`, server-sent events over the session cookie): case
//! changes and officers' positions as they happen. One stream per session, closed at logout.

use std::cell::RefCell;

use citygrid_core::case::LiveEvent;
use citygrid_core::officer::Fix;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

thread_local! {
    static STREAM: RefCell<Option<web_sys::EventSource>> = const { RefCell::new(None) };
}

/// Calls `handler` with each event `name` of the stream, read as a `T`.
fn listen<T: DeserializeOwned + 'static>(
    stream: &web_sys::EventSource,
    name: &str,
    handler: impl Fn(T) + 'static,
) {
    let callback =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(Ok(v)) = e.data().as_string().map(|d| serde_json::from_str(&d)) {
                handler(v);
            }
        });
    let _ = stream.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
    // Lives as long as the stream.
    callback.forget();
}

/// Opens the stream: `on_case` gets each case event, `on_position` each officer's fix.
pub fn open(on_case: impl Fn(LiveEvent) + 'static, on_position: impl Fn(Fix) + 'static) {
    close();
    let Ok(stream) = web_sys::EventSource::new("/api/v1/events") else {
        return;
    };
    listen(&stream, "case", on_case);
    listen(&stream, "position", on_position);
    STREAM.with(|s| *s.borrow_mut() = Some(stream));
}

/// Closes the stream, if open.
pub fn close() {
    STREAM.with(|s| {
        if let Some(stream) = s.borrow_mut().take() {
            stream.close();
        }
    });
}
