//! Asking before what cannot be taken back.

/// Asks the user `question` (the browser's confirmation box); `false` when they decline or the
/// box cannot be shown.
pub fn confirmed(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// Asks the user for a line of text (the browser's prompt box); `None` when they cancel, leave
/// it empty or the box cannot be shown.
pub fn asked(question: &str) -> Option<String> {
    web_sys::window()
        .and_then(|w| w.prompt_with_message(question).ok().flatten())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}
