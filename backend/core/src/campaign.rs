//! Campaigns (专项整治, FIELDWORK §4): the catalogue of campaign kinds with the items their
//! actions tally, the check of a tally against it, and a campaign's figures — totals per item,
//! per community and per month, progress against its targets, and rates that keep their
//! numerator and denominator. Pure, so the phone form checks a tally as it is typed.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The unit a tally item is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "TallyUnit"))]
pub enum Unit {
    /// Places, sites.
    #[serde(rename = "处")]
    Sites,
    /// Long things: wires, cables, banners.
    #[serde(rename = "条")]
    Lengths,
    /// Vehicles.
    #[serde(rename = "辆")]
    Vehicles,
    /// Shops, businesses.
    #[serde(rename = "家")]
    Shops,
    /// Boards, signs.
    #[serde(rename = "块")]
    Boards,
    /// Households.
    #[serde(rename = "户")]
    Households,
    /// Times, events.
    #[serde(rename = "次")]
    Times,
    #[serde(rename = "m²", alias = "m2", alias = "平方米")]
    SquareMetres,
    #[serde(rename = "t", alias = "吨")]
    Tonnes,
    #[serde(rename = "元")]
    Yuan,
}

impl Unit {
    /// Whether a quantity in this unit is a whole count (things, places, times), not a measure.
    pub fn counts(self) -> bool {
        !matches!(self, Unit::SquareMetres | Unit::Tonnes | Unit::Yuan)
    }

    /// The unit as a Chinese report writes it after a number.
    pub fn zh(self) -> &'static str {
        match self {
            Unit::Sites => "处",
            Unit::Lengths => "条",
            Unit::Vehicles => "辆",
            Unit::Shops => "家",
            Unit::Boards => "块",
            Unit::Households => "户",
            Unit::Times => "次",
            Unit::SquareMetres => "平方米",
            Unit::Tonnes => "吨",
            Unit::Yuan => "元",
        }
    }

    /// The unit in English.
    pub fn en(self) -> &'static str {
        match self {
            Unit::Sites => "places",
            Unit::Lengths => "pieces",
            Unit::Vehicles => "vehicles",
            Unit::Shops => "shops",
            Unit::Boards => "boards",
            Unit::Households => "households",
            Unit::Times => "times",
            Unit::SquareMetres => "m²",
            Unit::Tonnes => "t",
            Unit::Yuan => "yuan",
        }
    }
}

/// One thing a campaign's actions count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TallyItem {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: Unit,
    /// A fine in 元: each tally also counts the parties fined.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fine: bool,
    /// A campaign may give this item a base (the households of its area), making it a rate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rate: bool,
}

/// A kind of campaign and the items its actions tally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignKind {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub items: Vec<TallyItem>,
}

impl CampaignKind {
    pub fn item(&self, code: &str) -> Option<&TallyItem> {
        self.items.iter().find(|i| i.code == code)
    }

    pub fn name(&self, zh: bool) -> &str {
        if zh { &self.name_zh } else { &self.name_en }
    }
}

impl TallyItem {
    pub fn name(&self, zh: bool) -> &str {
        if zh { &self.name_zh } else { &self.name_en }
    }
}

/// The catalogue of campaign kinds (`data/campaigns.json`, or an admin's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignKinds {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub about: String,
    pub kinds: Vec<CampaignKind>,
}

/// Why a catalogue or a tally was refused: the field, by path, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    pub field: String,
    pub problem: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

fn code_ok(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 40
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl CampaignKinds {
    pub fn kind(&self, code: &str) -> Option<&CampaignKind> {
        self.kinds.iter().find(|k| k.code == code)
    }

    /// Checks the catalogue alone: codes of letters, digits and dashes, unique; names given;
    /// fines in 元.
    pub fn check(&self) -> Result<(), FieldError> {
        let mut kinds = std::collections::HashSet::new();
        for (k, kind) in self.kinds.iter().enumerate() {
            let at = |f: &str| format!("kinds[{k}].{f}");
            if !code_ok(&kind.code) {
                return Err(FieldError::new(
                    at("code"),
                    "a code is 1–40 letters, digits, - or _",
                ));
            }
            if !kinds.insert(kind.code.as_str()) {
                return Err(FieldError::new(
                    at("code"),
                    format!("kind {} is given twice", kind.code),
                ));
            }
            if kind.name_zh.trim().is_empty() {
                return Err(FieldError::new(at("name_zh"), "a kind needs a name"));
            }
            if kind.items.is_empty() {
                return Err(FieldError::new(
                    at("items"),
                    "a kind tallies at least one item",
                ));
            }
            let mut items = std::collections::HashSet::new();
            for (i, item) in kind.items.iter().enumerate() {
                let at = |f: &str| format!("kinds[{k}].items[{i}].{f}");
                if !code_ok(&item.code) {
                    return Err(FieldError::new(
                        at("code"),
                        "a code is 1–40 letters, digits, - or _",
                    ));
                }
                if !items.insert(item.code.as_str()) {
                    return Err(FieldError::new(
                        at("code"),
                        format!("item {} is given twice in kind {}", item.code, kind.code),
                    ));
                }
                if item.name_zh.trim().is_empty() {
                    return Err(FieldError::new(at("name_zh"), "an item needs a name"));
                }
                if item.fine && item.unit != Unit::Yuan {
                    return Err(FieldError::new(at("unit"), "a fine is counted in 元"));
                }
            }
        }
        Ok(())
    }

    /// Checks a catalogue that is to replace `previous`: no kind or item removed and no item's
    /// unit changed, so the tallies already recorded keep their meaning.
    pub fn check_replacing(&self, previous: &CampaignKinds) -> Result<(), FieldError> {
        self.check()?;
        for old in &previous.kinds {
            let Some(new) = self.kind(&old.code) else {
                return Err(FieldError::new(
                    "kinds",
                    format!("kind {} cannot be removed (campaigns may use it)", old.code),
                ));
            };
            for item in &old.items {
                match new.item(&item.code) {
                    None => {
                        return Err(FieldError::new(
                            "kinds",
                            format!(
                                "item {} of kind {} cannot be removed (tallies may count it)",
                                item.code, old.code
                            ),
                        ));
                    }
                    Some(n) if n.unit != item.unit || n.fine != item.fine => {
                        return Err(FieldError::new(
                            "kinds",
                            format!(
                                "item {} of kind {} keeps its unit {} (tallies count in it)",
                                item.code,
                                old.code,
                                item.unit.zh()
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(())
    }
}

/// A quantity of one item counted in an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tally {
    /// An item of the campaign kind's catalogue.
    pub item: String,
    pub quantity: f64,
    /// For a fine: how many parties were fined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parties: Option<u32>,
}

/// The most a single tally may count (a typing slip, not a campaign).
pub const MAX_QUANTITY: f64 = 1.0e9;

/// Checks a tally against its kind's catalogue; a bad field is named after `at`
/// (`tallies[2]`).
pub fn check_tally(kind: &CampaignKind, t: &Tally, at: &str) -> Result<(), FieldError> {
    let item = kind.item(&t.item).ok_or_else(|| {
        let known: Vec<&str> = kind.items.iter().map(|i| i.code.as_str()).collect();
        FieldError::new(
            format!("{at}.item"),
            format!(
                "{:?} is not an item of campaign kind {} (one of: {})",
                t.item,
                kind.code,
                known.join(", ")
            ),
        )
    })?;
    let q = t.quantity;
    if !q.is_finite() || q < 0.0 {
        return Err(FieldError::new(
            format!("{at}.quantity"),
            format!(
                "a quantity is a number of {} from 0 up, got {q}",
                item.unit.zh()
            ),
        ));
    }
    if q > MAX_QUANTITY {
        return Err(FieldError::new(
            format!("{at}.quantity"),
            format!("{q} is more than one action can count"),
        ));
    }
    if item.unit.counts() && q.fract() != 0.0 {
        return Err(FieldError::new(
            format!("{at}.quantity"),
            format!("{} are counted whole, got {q}", item.unit.en()),
        ));
    }
    match (item.fine, t.parties) {
        (true, None | Some(0)) => Err(FieldError::new(
            format!("{at}.parties"),
            "a fine counts the parties fined (1 or more)",
        )),
        (false, Some(_)) => Err(FieldError::new(
            format!("{at}.parties"),
            format!("only a fine counts parties; {} is not one", item.code),
        )),
        _ => Ok(()),
    }
}

/// A quantity of an item to reach by a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Target {
    pub item: String,
    pub quantity: f64,
    pub by: NaiveDate,
}

/// The denominator of a rate item: how many there are in the campaign's area (households).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateBase {
    pub item: String,
    pub of: f64,
}

/// What the figures need of one action: its local date, community, and tallies.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionFact<'a> {
    pub date: NaiveDate,
    pub community: Option<&'a str>,
    pub tallies: &'a [Tally],
}

/// The sum of one item's tallies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ItemTotal {
    pub item: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit: Unit,
    pub quantity: f64,
    /// For a fine: the parties fined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parties: Option<u64>,
    /// The actions that counted it.
    pub actions: u64,
}

/// A rate: the item's total over the campaign's base for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Rate {
    pub item: String,
    pub numerator: f64,
    pub denominator: f64,
}

/// How far a target is reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TargetProgress {
    pub item: String,
    pub target: f64,
    pub by: NaiveDate,
    /// Counted by the target's date.
    pub done: f64,
    pub met: bool,
}

/// Totals of a group of actions (a community, a month).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupTotals {
    /// The community's code or the month (`2026-09`); empty for actions outside any community.
    pub key: String,
    pub actions: u64,
    pub totals: Vec<ItemTotal>,
}

#[derive(Default)]
struct Sum {
    quantity: f64,
    parties: u64,
    actions: u64,
}

/// Sums tallies item by item, in the catalogue's order (items no longer in the kind last).
fn totals<'a>(
    kind: &CampaignKind,
    facts: impl Iterator<Item = &'a ActionFact<'a>>,
) -> Vec<ItemTotal> {
    let mut sums: BTreeMap<&str, Sum> = BTreeMap::new();
    for f in facts {
        for t in f.tallies {
            let s = sums.entry(t.item.as_str()).or_default();
            s.quantity += t.quantity;
            s.parties += u64::from(t.parties.unwrap_or(0));
            s.actions += 1;
        }
    }
    kind.items
        .iter()
        .filter_map(|item| {
            let s = sums.get(item.code.as_str())?;
            Some(ItemTotal {
                item: item.code.clone(),
                name_zh: item.name_zh.clone(),
                name_en: item.name_en.clone(),
                unit: item.unit,
                // Sums of decimal measures are kept to the hundredth, as reports write them.
                quantity: (s.quantity * 100.0).round() / 100.0,
                parties: item.fine.then_some(s.parties),
                actions: s.actions,
            })
        })
        .collect()
}

fn grouped<'a>(
    kind: &CampaignKind,
    facts: &'a [ActionFact<'a>],
    key: impl Fn(&ActionFact<'a>) -> String,
) -> Vec<GroupTotals> {
    let mut groups: BTreeMap<String, Vec<&ActionFact<'a>>> = BTreeMap::new();
    for f in facts {
        groups.entry(key(f)).or_default().push(f);
    }
    groups
        .into_iter()
        .map(|(key, fs)| GroupTotals {
            key,
            actions: fs.len() as u64,
            totals: totals(kind, fs.into_iter()),
        })
        .collect()
}

/// A campaign's figures from its actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TallyFigures {
    pub actions: u64,
    pub totals: Vec<ItemTotal>,
    pub by_community: Vec<GroupTotals>,
    pub by_month: Vec<GroupTotals>,
    pub targets: Vec<TargetProgress>,
    pub rates: Vec<Rate>,
}

/// Works a campaign's figures out of its actions' facts.
pub fn figures(
    kind: &CampaignKind,
    targets: &[Target],
    bases: &[RateBase],
    facts: &[ActionFact<'_>],
) -> TallyFigures {
    let all = totals(kind, facts.iter());
    let total_of = |item: &str| {
        all.iter()
            .find(|t| t.item == item)
            .map_or(0.0, |t| t.quantity)
    };
    let targets = targets
        .iter()
        .map(|t| {
            let done: f64 = facts
                .iter()
                .filter(|f| f.date <= t.by)
                .flat_map(|f| f.tallies)
                .filter(|x| x.item == t.item)
                .map(|x| x.quantity)
                .sum();
            TargetProgress {
                item: t.item.clone(),
                target: t.quantity,
                by: t.by,
                done,
                met: done >= t.quantity,
            }
        })
        .collect();
    let rates = bases
        .iter()
        .map(|b| Rate {
            item: b.item.clone(),
            numerator: total_of(&b.item),
            denominator: b.of,
        })
        .collect();
    TallyFigures {
        actions: facts.len() as u64,
        by_community: grouped(kind, facts, |f| f.community.unwrap_or("").to_owned()),
        by_month: grouped(kind, facts, |f| f.date.format("%Y-%m").to_string()),
        totals: all,
        targets,
        rates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds() -> CampaignKinds {
        serde_json::from_str(include_str!("../../../data/campaigns.json")).unwrap()
    }

    fn tally(item: &str, q: f64, parties: Option<u32>) -> Tally {
        Tally {
            item: item.into(),
            quantity: q,
            parties,
        }
    }

    #[test]
    fn the_shipped_catalogue_holds() {
        let k = kinds();
        k.check().unwrap();
        for code in [
            "fumes-dust",
            "flying-wires",
            "outdoor-ads",
            "overhead-cables",
            "illegal-building",
            "muck-trucks",
            "night-barbecue",
            "garbage-sorting",
        ] {
            assert!(k.kind(code).is_some(), "{code}");
        }
        assert_eq!(
            k.kind("outdoor-ads")
                .unwrap()
                .item("signs-area")
                .unwrap()
                .unit,
            Unit::SquareMetres
        );
    }

    #[test]
    fn tallies_are_checked_against_the_kind() {
        let k = kinds();
        let wires = k.kind("flying-wires").unwrap();
        let trucks = k.kind("muck-trucks").unwrap();
        check_tally(wires, &tally("wires-removed", 7.0, None), "tallies[0]").unwrap();
        let e = check_tally(wires, &tally("fines", 100.0, Some(1)), "tallies[1]").unwrap_err();
        assert_eq!(e.field, "tallies[1].item");
        let e = check_tally(wires, &tally("wires-removed", -1.0, None), "t").unwrap_err();
        assert_eq!(e.field, "t.quantity");
        let e = check_tally(wires, &tally("wires-removed", 1.5, None), "t").unwrap_err();
        assert_eq!(e.field, "t.quantity");
        let e = check_tally(trucks, &tally("fines", 600.0, None), "t").unwrap_err();
        assert_eq!(e.field, "t.parties");
        let e = check_tally(trucks, &tally("trucks-checked", 3.0, Some(2)), "t").unwrap_err();
        assert_eq!(e.field, "t.parties");
        check_tally(trucks, &tally("fines", 1250.5, Some(2)), "t").unwrap();
    }

    #[test]
    fn a_replacing_catalogue_keeps_every_item_and_unit() {
        let old = kinds();
        let mut new = old.clone();
        new.kinds[0].items.pop();
        assert!(new.check_replacing(&old).is_err());
        let mut new = old.clone();
        new.kinds[1].items[0].unit = Unit::Sites;
        assert!(new.check_replacing(&old).is_err());
        let mut new = old.clone();
        new.kinds.push(CampaignKind {
            code: "stray-dogs".into(),
            name_zh: "犬只管理".into(),
            name_en: "Dogs".into(),
            items: vec![TallyItem {
                code: "dogs".into(),
                name_zh: "收容犬只".into(),
                name_en: "Dogs taken in".into(),
                unit: Unit::Times,
                fine: false,
                rate: false,
            }],
        });
        new.check_replacing(&old).unwrap();
    }

    #[test]
    fn figures_sum_by_item_community_month_and_target_date() {
        let k = kinds();
        let sorting = k.kind("garbage-sorting").unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let a = [
            tally("households-visited", 120.0, None),
            tally("publicity-events", 1.0, None),
        ];
        let b = [
            tally("households-visited", 80.0, None),
            tally("food-waste", 2.25, None),
        ];
        let c = [
            tally("households-visited", 50.0, None),
            tally("food-waste", 1.5, None),
        ];
        let facts = [
            ActionFact {
                date: d("2026-09-03"),
                community: Some("C01"),
                tallies: &a,
            },
            ActionFact {
                date: d("2026-09-20"),
                community: Some("C02"),
                tallies: &b,
            },
            ActionFact {
                date: d("2026-10-02"),
                community: Some("C01"),
                tallies: &c,
            },
        ];
        let targets = [Target {
            item: "households-visited".into(),
            quantity: 200.0,
            by: d("2026-09-30"),
        }];
        let bases = [RateBase {
            item: "households-visited".into(),
            of: 1000.0,
        }];
        let f = figures(sorting, &targets, &bases, &facts);
        assert_eq!(f.actions, 3);
        let visited = f
            .totals
            .iter()
            .find(|t| t.item == "households-visited")
            .unwrap();
        assert_eq!((visited.quantity, visited.actions), (250.0, 3));
        let waste = f.totals.iter().find(|t| t.item == "food-waste").unwrap();
        assert_eq!(waste.quantity, 3.75);
        assert_eq!(f.by_community.len(), 2);
        assert_eq!(f.by_community[0].key, "C01");
        assert_eq!(f.by_community[0].actions, 2);
        assert_eq!(
            f.by_month
                .iter()
                .map(|g| g.key.as_str())
                .collect::<Vec<_>>(),
            ["2026-09", "2026-10"]
        );
        assert_eq!(f.targets[0].done, 200.0);
        assert!(f.targets[0].met);
        assert_eq!(
            f.rates[0],
            Rate {
                item: "households-visited".into(),
                numerator: 250.0,
                denominator: 1000.0
            }
        );
    }
}
