//! Something built from an atlas snapshot (a street graph, spatial weights), kept until the
//! atlas changes and then rebuilt on first use.

use std::sync::{Arc, Mutex};

use super::Atlas;

/// The value and the snapshot it was built from.
type Built<T> = (Arc<Atlas>, Arc<T>);

#[derive(Debug)]
pub struct Derived<T>(Mutex<Option<Built<T>>>);

impl<T> Default for Derived<T> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

impl<T> Derived<T> {
    /// The value for `atlas`: the one already built from this very snapshot, or a new one.
    pub fn get(&self, atlas: &Arc<Atlas>, build: impl FnOnce(&Atlas) -> T) -> Arc<T> {
        let mut built = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((from, value)) = built.as_ref()
            && Arc::ptr_eq(from, atlas)
        {
            return value.clone();
        }
        let value = Arc::new(build(atlas));
        *built = Some((atlas.clone(), value.clone()));
        value
    }
}
