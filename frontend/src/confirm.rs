//! Asking before what cannot be taken back.

/// Asks the user `question` (the browser's confirmation box); `false` when they decline or the
/// box cannot be shown.
pub fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}
