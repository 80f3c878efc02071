//! The rules cases follow: the category catalogue and the working calendar, built in from
//! `data/` and replaceable by files.

use std::path::Path;

use chrono::{DateTime, Utc};
use citygrid_core::api::Location;
use citygrid_core::calendar::{CalendarError, WorkingCalendar};
use citygrid_core::category::{Catalogue, CatalogueError, Category};
use citygrid_core::zone::ZoneLevel;

/// The catalogue shipped in `data/categories.json`.
pub const BUILTIN_CATEGORIES: &str = include_str!("../../../../data/categories.json");
/// The calendar shipped in `data/calendar.json`.
pub const BUILTIN_CALENDAR: &str = include_str!("../../../../data/calendar.json");

/// Why the rules could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Catalogue {
        path: String,
        source: CatalogueError,
    },
    #[error("{path}: {source}")]
    Calendar { path: String, source: CalendarError },
}

/// Categories and calendar.
#[derive(Debug, Clone)]
pub struct CaseRules {
    pub catalogue: Catalogue,
    pub calendar: WorkingCalendar,
}

fn read(path: &Path) -> Result<String, RulesError> {
    std::fs::read_to_string(path).map_err(|source| RulesError::Read {
        path: path.display().to_string(),
        source,
    })
}

impl CaseRules {
    /// The built-in rules, or those in the given files.
    pub fn load(categories: Option<&Path>, calendar: Option<&Path>) -> Result<Self, RulesError> {
        let (cat_text, cat_name) = match categories {
            Some(p) => (read(p)?, p.display().to_string()),
            None => (
                BUILTIN_CATEGORIES.to_owned(),
                "data/categories.json".to_owned(),
            ),
        };
        let (cal_text, cal_name) = match calendar {
            Some(p) => (read(p)?, p.display().to_string()),
            None => (BUILTIN_CALENDAR.to_owned(), "data/calendar.json".to_owned()),
        };
        Ok(Self {
            catalogue: Catalogue::from_json(&cat_text).map_err(|source| RulesError::Catalogue {
                path: cat_name,
                source,
            })?,
            calendar: WorkingCalendar::from_json(&cal_text).map_err(|source| {
                RulesError::Calendar {
                    path: cal_name,
                    source,
                }
            })?,
        })
    }

    /// The handling deadline of a case of `category` reported at `at` where `location` says:
    /// the category's limit, or in a prohibited zone its prohibited limit (half the limit when
    /// it has none), counted in working time.
    pub fn deadline(
        &self,
        category: &Category,
        location: &Location,
        at: DateTime<Utc>,
    ) -> DateTime<Utc> {
        let prohibited = location
            .zones
            .iter()
            .any(|z| z.level == ZoneLevel::Prohibited);
        let hours_per_day = (self.calendar.minutes_per_day() / 60).max(1) as u32;
        let limit = if prohibited {
            category
                .limit_prohibited
                .unwrap_or_else(|| category.limit.halved(hours_per_day))
        } else {
            category.limit
        };
        self.calendar.deadline(at, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped catalogue covers every problem the bureau reports on.
    #[test]
    fn the_builtin_catalogue_covers_the_bureaus_problems() {
        let rules = CaseRules::load(None, None).unwrap();
        let names: Vec<String> = rules
            .catalogue
            .categories
            .iter()
            .map(|c| c.name_en.to_lowercase())
            .collect();
        for problem in [
            "street vending",
            "stalls outside",
            "piled debris",
            "bicycles",
            "cars parked",
            "flying-wire",
            "flyers",
            "illegal building",
            "restaurant fumes",
            "muck-truck",
            "exposed garbage",
            "dirty road",
            "overhead cables",
            "shop sign",
            "hotline",
        ] {
            assert!(
                names.iter().any(|n| n.contains(problem)),
                "no category for {problem}"
            );
        }
        for class in ["01", "02", "03", "04", "05"] {
            assert!(
                rules.catalogue.classes.iter().any(|c| c.code == class),
                "class {class}"
            );
        }
        let units: std::collections::HashSet<&str> = rules
            .catalogue
            .categories
            .iter()
            .map(|c| c.unit.as_str())
            .collect();
        for unit in ["处", "辆", "平方米", "条", "家"] {
            assert!(units.contains(unit), "unit {unit}");
        }
        assert_eq!(rules.calendar.minutes_per_day(), 420);
    }

    #[test]
    fn bad_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cal.json");
        std::fs::write(&path, "{").unwrap();
        let err = CaseRules::load(None, Some(&path)).unwrap_err();
        assert!(
            err.to_string().starts_with(&path.display().to_string()),
            "{err}"
        );
    }
}
