//! The district service: the store and the current atlas, kept in step.
//!
//! Base-layer changes go through here: parse and check, replace in the store in one
//! transaction, then build a new atlas and swap it in. Readers keep whatever snapshot they hold.

use std::sync::Arc;

use citygrid_core::features::{BaseLayers, LayerRows};
use citygrid_core::layer::Layer;

use crate::atlas::{Atlas, AtlasHandle};
use crate::import::{self, FileFormat, ImportError, grid_checks};
use crate::projection::LocalProjection;
use crate::store::{Store, StoreError};

/// Why a change of base data failed. Nothing was applied.
#[derive(Debug, thiserror::Error)]
pub enum DistrictError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub use citygrid_core::api::layers::ImportReport;

/// The store and the atlas built from it.
#[derive(Clone)]
pub struct District {
    store: Arc<dyn Store>,
    atlas: AtlasHandle,
    timezone: chrono_tz::Tz,
    /// Serialises changes, so that each builds on the one before.
    writer: Arc<tokio::sync::Mutex<()>>,
}

impl std::fmt::Debug for District {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("District")
            .field("timezone", &self.timezone)
            .finish_non_exhaustive()
    }
}

impl District {
    /// Loads the base layers from the store and builds the first atlas.
    pub async fn open(store: Arc<dyn Store>, timezone: chrono_tz::Tz) -> Result<Self, StoreError> {
        let base = store.load_base().await?;
        let atlas = build(base, timezone).await;
        Ok(Self {
            store,
            atlas: AtlasHandle::new(atlas),
            timezone,
            writer: Arc::default(),
        })
    }

    pub fn atlas(&self) -> Arc<Atlas> {
        self.atlas.current()
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Parses one layer's file and, if it is valid, replaces the layer.
    pub async fn import_layer(
        &self,
        layer: Layer,
        bytes: &[u8],
        format: FileFormat,
        crs: &import::SourceCrs,
    ) -> Result<ImportReport, DistrictError> {
        let rows = import::parse_layer(layer, bytes, format, crs)?;
        self.replace(vec![rows])
            .await
            .map(|mut reports| reports.remove(0))
    }

    /// Reads one layer from its files (GeoJSON, Shapefiles, GeoPackage tables) and, if every
    /// feature is valid, replaces the layer.
    pub async fn import_files(
        &self,
        layer: Layer,
        files: Vec<import::SourceFile>,
        options: &import::ReadOptions,
    ) -> Result<ImportReport, DistrictError> {
        let rows = import::parse_files(layer, files, options)?;
        self.replace(vec![rows])
            .await
            .map(|mut reports| reports.remove(0))
    }

    /// Replaces several layers at once (a whole district from OpenStreetMap, the demo).
    pub async fn replace(
        &self,
        mut layers: Vec<LayerRows>,
    ) -> Result<Vec<ImportReport>, DistrictError> {
        let _writing = self.writer.lock().await;
        let current = self.atlas();
        let mut next = current.base().clone();
        // Sections given by street names are drawn from the streets they will stand beside.
        if let Some(LayerRows::Streets(streets)) =
            layers.iter().find(|r| r.layer() == Layer::Streets)
        {
            next.streets.clone_from(streets);
        }
        for rows in &mut layers {
            if let LayerRows::Sections(sections) = rows {
                import::draw_from_streets(sections, &next.streets)?;
            }
        }
        let mut reports = Vec::new();
        for rows in &layers {
            reports.push(ImportReport {
                layer: rows.layer(),
                count: rows.len(),
                warnings: Vec::new(),
            });
        }
        for rows in layers.iter().cloned() {
            next.set(rows);
        }
        // The grid checks (overlaps, gaps) only say something new when cells or communities change.
        let grid_layers = |l: Layer| matches!(l, Layer::Grids | Layer::Communities);
        if reports.iter().any(|r| grid_layers(r.layer)) {
            let warnings = check(&next);
            for report in reports.iter_mut().filter(|r| grid_layers(r.layer)) {
                report.warnings.clone_from(&warnings);
            }
        }
        self.store.replace_layers(layers).await?;
        self.atlas.replace(build(next, self.timezone).await);
        Ok(reports)
    }

    /// Changes the officers layer in place (one officer added, changed or removed), under the
    /// same lock as every other change, so that edits never overwrite each other.
    pub async fn edit_officers<E: From<StoreError>>(
        &self,
        edit: impl FnOnce(&mut Vec<citygrid_core::features::Officer>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.edit_layer(
            |base| edit(&mut base.officers),
            |base| LayerRows::Officers(base.officers.clone()),
        )
        .await
    }

    /// Changes the shops layer in place (a filed sign written onto its shop), under the same
    /// lock as every other change.
    pub async fn edit_shops<E: From<StoreError>>(
        &self,
        edit: impl FnOnce(&mut Vec<citygrid_core::features::Shop>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.edit_layer(
            |base| edit(&mut base.shops),
            |base| LayerRows::Shops(base.shops.clone()),
        )
        .await
    }

    async fn edit_layer<E: From<StoreError>>(
        &self,
        edit: impl FnOnce(&mut BaseLayers) -> Result<(), E>,
        rows: impl FnOnce(&BaseLayers) -> LayerRows,
    ) -> Result<(), E> {
        let _writing = self.writer.lock().await;
        let mut next = self.atlas().base().clone();
        edit(&mut next)?;
        self.store.replace_layers(vec![rows(&next)]).await?;
        self.atlas.replace(build(next, self.timezone).await);
        Ok(())
    }

    /// Reloads the atlas from the store (after another process changed it).
    pub async fn reload(&self) -> Result<(), StoreError> {
        let _writing = self.writer.lock().await;
        let base = self.store.load_base().await?;
        self.atlas.replace(build(base, self.timezone).await);
        Ok(())
    }
}

/// Cross-layer checks: grid cells against communities.
fn check(base: &BaseLayers) -> Vec<String> {
    let known: std::collections::HashSet<_> = base.communities.iter().map(|c| &c.code).collect();
    let mut warnings: Vec<String> = base
        .grids
        .iter()
        .filter_map(|g| {
            g.community
                .as_ref()
                .filter(|c| !known.contains(c))
                .map(|c| format!("grid cell {} names unknown community {c}", g.code))
        })
        .take(20)
        .collect();
    let proj = LocalProjection::new(crate::atlas::district_centre(base));
    warnings.extend(
        grid_checks::check_grid_layer(&base.grids, &base.communities, &proj)
            .into_iter()
            .take(50),
    );
    warnings
}

/// Builds an atlas off the async runtime's worker threads.
async fn build(base: BaseLayers, timezone: chrono_tz::Tz) -> Atlas {
    match tokio::task::spawn_blocking(move || Atlas::build(base, timezone)).await {
        Ok(atlas) => atlas,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
