//! The live event stream (`/api/v1/events`, server-sent events over the session cookie): case
//! changes and officers' positions as they happen. One stream per session, closed at logout.

use std::cell::RefCell;

use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

thread_local! {
    static STREAM: RefCell<Option<web_sys::EventSource>> = const { RefCell::new(None) };
}

/// Opens the stream: `on_case` gets each case event, `on_position` each officer's fix.
pub fn open(on_case: impl Fn(Value) + 'static, on_position: impl Fn(Value) + 'static) {
    close();
    let Ok(stream) = web_sys::EventSource::new("/api/v1/events") else {
        return;
    };
    let listen = |name: &str, handler: Box<dyn Fn(Value)>| {
        let callback =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Some(Ok(v)) = e.data().as_string().map(|d| serde_json::from_str(&d)) {
                    handler(v);
                }
            });
        let _ = stream.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
        // Lives as long as the stream.
        callback.forget();
    };
    listen("case", Box::new(on_case));
    listen("position", Box::new(on_position));
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
