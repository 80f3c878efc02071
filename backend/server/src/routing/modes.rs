//! Travel modes and their speeds by street class.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use citygrid_core::api::dispatch::Mode;

/// Speeds in km/h by street class for each mode; `0` means the mode may not use the class.
/// Classes not listed use `default`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Speeds {
    pub walk: ModeSpeeds,
    pub ebike: ModeSpeeds,
    pub car: ModeSpeeds,
    /// The speed, km/h, at which an officer covers the distance between their position (or the
    /// case) and the street they are snapped to.
    pub off_network_kmh: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModeSpeeds {
    pub default: f64,
    #[serde(default)]
    pub classes: HashMap<String, f64>,
}

impl ModeSpeeds {
    fn of(default: f64, classes: &[(&str, f64)]) -> Self {
        Self {
            default,
            classes: classes.iter().map(|(c, v)| ((*c).to_owned(), *v)).collect(),
        }
    }

    /// km/h on a street of this class (0: not allowed).
    pub fn kmh(&self, class: Option<&str>) -> f64 {
        class
            .and_then(|c| self.classes.get(c))
            .copied()
            .unwrap_or(self.default)
    }
}

impl Default for Speeds {
    /// Urban speeds for officers on duty: walking 5 km/h everywhere but motorways; e-bikes
    /// 15 km/h on roads and walked through pedestrian ways and steps; cars by class.
    fn default() -> Self {
        let pedestrian = [
            "footway",
            "pedestrian",
            "path",
            "steps",
            "corridor",
            "bridleway",
        ];
        let mut ebike: Vec<(&str, f64)> = pedestrian.iter().map(|c| (*c, 5.0)).collect();
        ebike.extend([("motorway", 0.0), ("motorway_link", 0.0), ("trunk", 12.0)]);
        let mut car: Vec<(&str, f64)> = pedestrian.iter().map(|c| (*c, 0.0)).collect();
        car.extend([
            ("motorway", 60.0),
            ("motorway_link", 40.0),
            ("trunk", 50.0),
            ("trunk_link", 35.0),
            ("primary", 40.0),
            ("primary_link", 30.0),
            ("secondary", 35.0),
            ("secondary_link", 25.0),
            ("tertiary", 30.0),
            ("tertiary_link", 25.0),
            ("residential", 20.0),
            ("living_street", 10.0),
            ("service", 15.0),
            ("cycleway", 0.0),
        ]);
        Self {
            walk: ModeSpeeds::of(5.0, &[("motorway", 0.0), ("motorway_link", 0.0)]),
            ebike: ModeSpeeds::of(15.0, &ebike),
            car: ModeSpeeds::of(25.0, &car),
            off_network_kmh: 5.0,
        }
    }
}

impl Speeds {
    pub fn mode(&self, mode: Mode) -> &ModeSpeeds {
        match mode {
            Mode::Walk => &self.walk,
            Mode::Ebike => &self.ebike,
            Mode::Car => &self.car,
        }
    }

    /// Reads speeds from JSON (the shape of [`Speeds`]); every speed must be ≥ 0 and finite,
    /// and the off-network speed positive.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let speeds: Speeds = serde_json::from_str(text).map_err(|e| e.to_string())?;
        for mode in Mode::ALL {
            let m = speeds.mode(mode);
            let bad = std::iter::once(m.default)
                .chain(m.classes.values().copied())
                .any(|v| !(v.is_finite() && (0.0..=200.0).contains(&v)));
            if bad {
                return Err(format!("{mode}: speeds must be between 0 and 200 km/h"));
            }
        }
        if !(speeds.off_network_kmh.is_finite() && speeds.off_network_kmh > 0.0) {
            return Err("off_network_kmh must be positive".into());
        }
        Ok(speeds)
    }

    /// The fastest speed of a mode, m/s (bounds travel times from below).
    pub fn top_speed(&self, mode: Mode) -> f64 {
        let m = self.mode(mode);
        m.classes
            .values()
            .copied()
            .chain([m.default, self.off_network_kmh])
            .fold(0.0_f64, f64::max)
            / 3.6
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_keep_cars_off_footways_and_walkers_off_motorways() {
        let s = Speeds::default();
        assert_eq!(s.car.kmh(Some("footway")), 0.0);
        assert_eq!(s.walk.kmh(Some("motorway")), 0.0);
        assert_eq!(s.walk.kmh(Some("residential")), 5.0);
        assert_eq!(s.ebike.kmh(Some("steps")), 5.0);
        assert_eq!(s.car.kmh(Some("unknown_class")), 25.0);
        assert!((s.top_speed(Mode::Car) - 60.0 / 3.6).abs() < 1e-9);
    }

    #[test]
    fn speeds_round_trip_through_json_and_bad_ones_are_refused() {
        let text = serde_json::to_string(&Speeds::default()).unwrap();
        assert_eq!(Speeds::from_json(&text).unwrap(), Speeds::default());
        let bad = text.replace("\"off_network_kmh\":5.0", "\"off_network_kmh\":0.0");
        assert!(Speeds::from_json(&bad).is_err());
        assert!("bike".parse::<Mode>().is_err());
        assert_eq!("car".parse::<Mode>(), Ok(Mode::Car));
    }
}
