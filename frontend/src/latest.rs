//! Only the answer to the latest request of a kind is drawn. A view starts a request with
//! [`begin`] and, when the answer arrives, draws it only if [`Ticket::is_latest`]: an earlier
//! request that answers late (a slow unfiltered list after the filtered one) is dropped.

use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    static LATEST: RefCell<HashMap<&'static str, u64>> = RefCell::new(HashMap::new());
}

/// One request of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    kind: &'static str,
    number: u64,
}

/// A new request of `kind`: every earlier one of that kind is outdated.
pub fn begin(kind: &'static str) -> Ticket {
    LATEST.with(|l| {
        let mut l = l.borrow_mut();
        let number = l.get(kind).copied().unwrap_or(0) + 1;
        l.insert(kind, number);
        Ticket { kind, number }
    })
}

impl Ticket {
    /// Whether no request of the same kind began after this one.
    pub fn is_latest(self) -> bool {
        LATEST.with(|l| l.borrow().get(self.kind).copied() == Some(self.number))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_request_outdates_an_earlier_one_of_its_kind_only() {
        let first = begin("map");
        let other = begin("list");
        let second = begin("map");
        assert!(!first.is_latest());
        assert!(second.is_latest() && other.is_latest());
    }
}
