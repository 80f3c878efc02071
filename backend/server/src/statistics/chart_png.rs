//! A chart's SVG as a PNG, for the Word file (Word, WPS and LibreOffice all read PNG): drawn
//! with resvg at twice the chart's size, with the machine's fonts — a Chinese one (文泉驿, Noto
//! CJK, Source Han) taken for `sans-serif` when there is one, so that labels read.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::charts::Chart;

/// How many pixels a chart's pixel becomes.
const SCALE: f32 = 2.0;

/// The families tried, in order, for the charts' Chinese labels.
const CHINESE: [&str; 6] = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
];

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            let found = CHINESE.iter().find(|name| {
                db.faces()
                    .any(|f| f.families.iter().any(|(family, _)| family == *name))
            });
            if let Some(name) = found {
                db.set_sans_serif_family(*name);
            }
            Arc::new(db)
        })
        .clone()
}

/// The chart as PNG bytes, with its width and height in pixels; `None` if it cannot be drawn.
pub fn png(chart: &Chart) -> Option<(Vec<u8>, u32, u32)> {
    let options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&chart.svg, &options).ok()?;
    let size = tree.size().to_int_size().scale_by(SCALE)?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap.encode_png().ok()?;
    Some((bytes, size.width(), size.height()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_becomes_a_png_twice_its_size() {
        let chart = super::super::charts::bars(
            "各月受理案件",
            &[("7月".into(), 3.0), ("8月".into(), 5.0)],
            12,
            false,
            super::super::charts::whole,
        );
        let (bytes, w, h) = png(&chart).unwrap();
        assert!(bytes.starts_with(&[0x89, b'P', b'N', b'G']));
        assert_eq!(
            (w, h),
            ((chart.width * 2.0) as u32, (chart.height * 2.0) as u32)
        );
    }
}
