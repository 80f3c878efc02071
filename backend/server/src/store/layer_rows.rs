//! Base-layer rows to features, written once for both databases. Each row brings its `fid`, its
//! geometry and its attributes as JSON text; only the geometry's encoding differs (GeoPackage
//! binary in the embedded file, WKB from `ST_AsBinary` in PostgreSQL), and [`Geometries`]
//! bridges that. Each store selects the rows; [`base_layers`] turns them into the layers.

use citygrid_core::features::{
    AddressPoint, Attributes, BaseLayers, Community, Component, Grid, NumberRange, Officer,
    Section, SectionExtent, Shop, ShopFront, Street, Zone,
};
use citygrid_core::ids::{
    CommunityCode, ComponentCode, GridCode, OfficerCode, SectionCode, ShopCode, StreetId, ZoneId,
};
use geo::{Geometry, MultiLineString, MultiPolygon};
use geozero::ToGeo;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{ColumnIndex, Row};

use super::StoreError;
use super::gpkg;
use super::rows::{Columns, Record, corrupt, record};

/// A row's geometry, decoded from the column its database keeps it in.
pub(super) trait Geometries: Columns {
    fn geometry(&self) -> Result<Result<Geometry, String>, sqlx::Error>;
}

impl Geometries for SqliteRow {
    fn geometry(&self) -> Result<Result<Geometry, String>, sqlx::Error> {
        Ok(gpkg::decode(self.try_get::<&[u8], _>("geom")?))
    }
}

impl Geometries for PgRow {
    fn geometry(&self) -> Result<Result<Geometry, String>, sqlx::Error> {
        let bytes: Vec<u8> = self.try_get("wkb")?;
        Ok(geozero::wkb::Wkb(bytes).to_geo().map_err(|e| e.to_string()))
    }
}

/// The rows of every layer, each in `fid` order, as a store selected them.
pub(super) struct LayerRowSets<R> {
    pub communities: Vec<R>,
    pub grids: Vec<R>,
    pub streets: Vec<R>,
    pub shops: Vec<R>,
    pub zones: Vec<R>,
    pub components: Vec<R>,
    pub addresses: Vec<R>,
    pub officers: Vec<R>,
    pub sections: Vec<R>,
}

/// The layers of these rows.
pub(super) fn base_layers<R>(rows: &LayerRowSets<R>) -> Result<BaseLayers, StoreError>
where
    R: Geometries,
    for<'a> &'a str: ColumnIndex<R>,
{
    fn all<R, T>(
        rows: &[R],
        table: &'static str,
        read: impl Fn(Feature<'_, R>) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError>
    where
        R: Geometries,
        for<'a> &'a str: ColumnIndex<R>,
    {
        rows.iter()
            .map(|row| read(Feature::of(row, table)?))
            .collect()
    }
    Ok(BaseLayers {
        communities: all(&rows.communities, "communities", community)?,
        grids: all(&rows.grids, "grids", grid)?,
        streets: all(&rows.streets, "streets", street)?,
        shops: all(&rows.shops, "shops", shop)?,
        zones: all(&rows.zones, "zones", zone)?,
        components: all(&rows.components, "components", component)?,
        addresses: all(&rows.addresses, "addresses", address)?,
        officers: rows
            .officers
            .iter()
            .map(officer)
            .collect::<Result<_, _>>()?,
        sections: all(&rows.sections, "sections", section)?,
    })
}

/// A feature row: its record, decoded geometry and attributes.
struct Feature<'r, R> {
    r: Record<'r, R>,
    geometry: Geometry,
    attributes: Attributes,
}

impl<'r, R> Feature<'r, R>
where
    R: Geometries,
    for<'a> &'a str: ColumnIndex<R>,
{
    fn of(row: &'r R, table: &'static str) -> Result<Self, StoreError> {
        let r = record(row, table, "fid")?;
        let geometry = row
            .geometry()?
            .map_err(|e| corrupt(table, r.fid, format!("geom: {e}")))?;
        let serde_json::Value::Object(attributes) = r.json("attributes")? else {
            return Err(corrupt(table, r.fid, "attributes are not a JSON object"));
        };
        Ok(Self {
            r,
            geometry,
            attributes,
        })
    }

    /// Polygons, as one multipolygon.
    fn areas(&self) -> Result<MultiPolygon, StoreError> {
        areas(self.r.table, self.r.fid, self.geometry.clone())
    }

    fn point(&self) -> Result<geo::Point, StoreError> {
        match self.geometry {
            Geometry::Point(p) => Ok(p),
            _ => Err(corrupt(self.r.table, self.r.fid, "expected a point")),
        }
    }

    /// A house-number range, from `{side}_from` and `{side}_to`.
    fn range(&self, side: &str) -> Result<Option<NumberRange>, StoreError> {
        let from = self.r.row.int(format!("{side}_from").as_str())?;
        let to = self.r.row.int(format!("{side}_to").as_str())?;
        Ok(from.zip(to).map(|(from, to)| NumberRange {
            from: from as u32,
            to: to as u32,
        }))
    }
}

/// Polygons, as one multipolygon; anything else is a corrupt row.
pub(super) fn areas(
    table: &'static str,
    fid: i64,
    g: Geometry,
) -> Result<MultiPolygon, StoreError> {
    match g {
        Geometry::MultiPolygon(mp) => Ok(mp),
        Geometry::Polygon(p) => Ok(MultiPolygon::new(vec![p])),
        other => Err(corrupt(
            table,
            fid,
            format!("expected a polygon, found {other:?}"),
        )),
    }
}

fn community<R>(f: Feature<'_, R>) -> Result<Community, StoreError>
where
    R: Geometries,
    for<'a> &'a str: ColumnIndex<R>,
{
    Ok(Community {
        code: CommunityCode::from(f.r.string("code")?),
        name: f.r.string("name")?,
        subdistrict: f.r.opt_string("subdistrict")?,
        geometry: f.areas()?,
        attributes: f.attributes,
    })
}

fn grid<R>(f: Feature<'_, R>) -> Result<Grid, StoreError>
where
    R: Geometries,
    for<'a> &'a str: ColumnIndex<R>,
{
    Ok(Grid {
        code: GridCode::from(f.r.string("code")?),
        name: f.r.opt_string("name")?,
        community: f.r.opt_string("community")?.map(CommunityCode::from),
        geometry: f.areas()?,
        attributes: f.attributes,
    })
}

fn street<R>(f: Feature<'_, R>) -> Result<Street, StoreError>
where
    R: Geometries,
    for<'a> &'a str: ColumnIndex<R>,
{
    let geometry = match &f.geometry {
        Geometry::MultiLineString(m) => m.clone(),
        Geometry::LineString(l) => MultiLineString::new(vec![l.clone()]),
        other => {
            return Err(corrupt(
                "streets",
                f.r.fid,
                format!("expected a line, found {other:?}"),
            ));
        }
    };
    Ok(Street {
        id: StreetId(f.r.int("street_id")? as u32),
        name: f.r.string("name")?,
        class: f.r.opt_string("class")?,
        left: f.range("left")?,
        right: f.range("right")?,
        geometry,
        attributes: f.attributes,
    })
}

fn shop<R>(f: Feature<'_, R>) -> Result<Shop, StoreError>
where
    R: Geometries,
    for<'a> &'a str: ColumnIndex<R>,
{
    let front = match f.geometry {
        Geometry::Point(p) => ShopFront::Door(p),
        _ => ShopFront::Area(f.areas()?),
    };
    Ok(Shop {
        code: ShopCode::from(f.r.string("code")?),
        name: f.r.string("name")?,
        address: f.r.opt_string("address")?,
        category: f.r.opt_string("category")?,
        contact: f.r.opt_string("contact")?,
        phone: f.r.opt_string("phone")?,
        license: f.r.opt_string("license")?,
        door_radius_m: f.r.row.real("door_radius_m")?,
        front,
        attributes: f.attributes,
    })
}

fn zone<R>(f: Feature<'_, R>) -> Result<Zone, StoreError>
where
    R: Geometries,
    for<'a> &'a str: ColumnIndex<R>,
{
    Ok(Zone {
        id: ZoneId(f.r.int("zone_id")? as u32),
        name: f.r.string("name")?,
        level: f.r.parsed("level")?,
        hours: f.r.opt_parsed("hours")?,
        categories: f.r.json("categories")?,
        geometry: f.areas()?,
        attributes: f.attributes,
    })
}

fn component<R>(f: Feature<'_, R>) -> Result<Component, StoreError>
where
    R: Geometries,
    for<'a> &'a str: ColumnIndex<R>,
{
    Ok(Component {
        code: ComponentCode::from(f.r.string("code")?),
        kind: f.r.string("kind")?,
        status: f.r.opt_string("status")?,
        geometry: f.point()?,
        attributes: f.attributes,
    })
}

fn address<R>(f: Feature<'_, R>) -> Result<AddressPoint, StoreError>
where
    R: Geometries,
    for<'a> &'a str: ColumnIndex<R>,
{
    Ok(AddressPoint {
        street: f.r.string("street")?,
        number: f.r.string("number")?,
        geometry: f.point()?,
        attributes: f.attributes,
    })
}

fn section<R>(f: Feature<'_, R>) -> Result<Section, StoreError>
where
    R: Geometries,
    for<'a> &'a str: ColumnIndex<R>,
{
    let extent = match &f.geometry {
        Geometry::MultiLineString(m) => SectionExtent::Streets(m.clone()),
        Geometry::LineString(l) => SectionExtent::Streets(MultiLineString::new(vec![l.clone()])),
        _ => SectionExtent::Area(f.areas()?),
    };
    Ok(Section {
        code: SectionCode::from(f.r.string("code")?),
        name: f.r.string("name")?,
        contractor: f.r.string("contractor")?,
        area: f.r.parsed("area")?,
        fee_per_month: f.r.real("fee_per_month")?,
        rule: f.r.string("rule")?,
        streets: f.r.json("streets")?,
        extent,
        attributes: f.attributes,
    })
}

/// Officers have no geometry: their grids are JSON text.
fn officer<R>(row: &R) -> Result<Officer, StoreError>
where
    R: Columns,
    for<'a> &'a str: ColumnIndex<R>,
{
    let r = record(row, "officers", "fid")?;
    Ok(Officer {
        code: OfficerCode::from(r.string("code")?),
        name: r.string("name")?,
        team: r.opt_string("team")?,
        phone: r.opt_string("phone")?,
        grids: r.json("grids")?,
    })
}
