//! What an import would do — counts, the coordinate system and encoding of each file, the field
//! mapping, the extent and the first errors — worked out without changing anything.

use citygrid_core::api::layers::{FieldUse, FilePreview, LayerPreview};
use citygrid_core::features::{LayerRows, ShopFront};
use citygrid_core::layer::Layer;
use geo::{BoundingRect, Geometry, Rect};

use super::error::ImportError;
use super::source_file::{ReadOptions, SourceFile};

/// The preview of reading `files` as `layer`. A file-level problem (an unreadable `.prj`, a
/// datum without its transformation) is an error, as the import would be.
pub fn preview(
    layer: Layer,
    files: Vec<SourceFile>,
    options: &ReadOptions,
) -> Result<LayerPreview, ImportError> {
    let mut shown = Vec::new();
    let mut fields = Vec::new();
    for file in &files {
        let crs = super::file_crs(file, options)?;
        shown.push(FilePreview {
            name: file.name.clone(),
            features: file.features.len(),
            crs: crs.name(),
            encoding: file.encoding.clone(),
            fields: file.fields.clone(),
        });
        for field in &file.fields {
            if !fields.contains(field) {
                fields.push(field.clone());
            }
        }
    }
    let mapping = super::field_names::mapping(layer, &fields, &options.fields)
        .into_iter()
        .map(|(field, from)| FieldUse { field, from })
        .collect();
    let (count, extent, errors) = match super::parse_files(layer, files, options) {
        Ok(rows) => (rows.len(), extent(&rows), Vec::new()),
        Err(ImportError::Invalid { errors }) => (
            0,
            None,
            errors.iter().map(super::FeatureError::to_api).collect(),
        ),
        Err(other) => return Err(other),
    };
    Ok(LayerPreview {
        layer,
        count,
        files: shown,
        mapping,
        extent,
        errors,
    })
}

/// The envelope of every geometry of the rows.
fn extent(rows: &LayerRows) -> Option<[f64; 4]> {
    let geometries: Vec<Geometry> = match rows {
        LayerRows::Communities(v) => v.iter().map(|r| r.geometry.clone().into()).collect(),
        LayerRows::Grids(v) => v.iter().map(|r| r.geometry.clone().into()).collect(),
        LayerRows::Streets(v) => v.iter().map(|r| r.geometry.clone().into()).collect(),
        LayerRows::Zones(v) => v.iter().map(|r| r.geometry.clone().into()).collect(),
        LayerRows::Components(v) => v.iter().map(|r| r.geometry.into()).collect(),
        LayerRows::Addresses(v) => v.iter().map(|r| r.geometry.into()).collect(),
        LayerRows::Shops(v) => v
            .iter()
            .map(|r| match &r.front {
                ShopFront::Door(p) => Geometry::from(*p),
                ShopFront::Area(a) => Geometry::from(a.clone()),
            })
            .collect(),
        LayerRows::Sections(v) => v.iter().map(|r| r.extent.to_geometry()).collect(),
        LayerRows::Officers(_) => Vec::new(),
    };
    let rect = geometries
        .iter()
        .filter_map(BoundingRect::bounding_rect)
        .reduce(|a, b| {
            Rect::new(
                (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
            )
        })?;
    Some([rect.min().x, rect.min().y, rect.max().x, rect.max().y])
}
