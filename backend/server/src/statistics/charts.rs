//! The quarterly report's charts, drawn here as SVG: horizontal bars (a label and a value each,
//! scaled to the largest) and a small map of the quarter's hot spots over the grid cells. The
//! printable page embeds the SVG; the Word file a PNG of it (`chart_png.rs`).

use std::fmt::Write;

use citygrid_core::api::analytics::QuarterlyReport;
use geo::{BoundingRect, MultiPolygon};

/// Height of one bar's row, and the widths of the label column and of the bars.
const ROW: f64 = 22.0;
const LABEL: f64 = 200.0;
const BARS: f64 = 360.0;
/// The hot spot map's width; its height follows the district's shape.
const MAP: f64 = 520.0;

/// A chart: its title, its SVG and its size in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub svg: String,
    pub width: f64,
    pub height: f64,
}

fn open(title: &str, width: f64, height: f64) -> String {
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" \
         font-size=\"12\"><title>{t}</title><rect width=\"{width}\" height=\"{height}\" \
         fill=\"#ffffff\"/><text x=\"0\" y=\"14\" font-weight=\"bold\">{t}</text>",
        t = html_escape::encode_text(title)
    );
    svg
}

/// A bar chart of `bars` (label, value) above zero, at most `limit` of them — largest first
/// when `largest_first`, else in the order given — each value written by `label`.
pub fn bars(
    title: &str,
    bars: &[(String, f64)],
    limit: usize,
    largest_first: bool,
    label: fn(f64) -> String,
) -> Chart {
    let mut bars: Vec<&(String, f64)> = bars.iter().filter(|(_, n)| *n > 0.0).collect();
    if largest_first {
        bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    }
    bars.truncate(limit);
    let max = bars
        .iter()
        .map(|(_, n)| *n)
        .fold(f64::MIN_POSITIVE, f64::max);
    let height = ROW * bars.len() as f64 + 30.0;
    let width = LABEL + BARS + 70.0;
    let mut svg = open(title, width, height);
    for (i, (name, n)) in bars.iter().enumerate() {
        let y = 24.0 + ROW * i as f64;
        let w = (n / max * BARS).max(1.0);
        let _ = write!(
            svg,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{name}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bh}\" fill=\"#2f6f9f\"/>\
             <text x=\"{nx:.1}\" y=\"{ty}\">{value}</text>",
            lx = LABEL - 6.0,
            ty = y + 13.0,
            bh = ROW - 6.0,
            nx = LABEL + w + 4.0,
            name = html_escape::encode_text(name),
            value = label(*n),
        );
    }
    svg.push_str("</svg>");
    Chart {
        title: title.to_owned(),
        svg,
        width,
        height,
    }
}

/// `2026-07` as 7月 (another key as it is).
fn month_name(key: &str) -> String {
    key.split_once('-').map_or_else(
        || key.to_owned(),
        |(_, m)| format!("{}月", m.trim_start_matches('0')),
    )
}

/// A count as written in the bars.
pub fn whole(n: f64) -> String {
    format!("{n:.0}")
}

/// A score to one decimal.
pub fn score(n: f64) -> String {
    format!("{n:.1}")
}

/// The fill of a Gi* bin: 99 %, 95 %, 90 % hot.
fn heat(bin: i8) -> &'static str {
    match bin {
        3.. => "#b2182b",
        2 => "#ef8a62",
        1 => "#fddbc7",
        _ => "#f4f4f4",
    }
}

/// A small map of the grid cells (code, shape in longitude/latitude), the hot ones (code,
/// bin) filled by their confidence; longitude shrunk by the latitude's cosine so that the
/// district keeps its shape.
pub fn hot_map(title: &str, cells: &[(&str, &MultiPolygon)], hot: &[(&str, i8)]) -> Chart {
    let bounds = cells
        .iter()
        .filter_map(|(_, g)| g.bounding_rect())
        .reduce(|a, b| {
            geo::Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        });
    let Some(b) = bounds else {
        let svg = format!("{}</svg>", open(title, MAP, 30.0));
        return Chart {
            title: title.to_owned(),
            svg,
            width: MAP,
            height: 30.0,
        };
    };
    let shrink = b.center().y.to_radians().cos().max(0.1);
    let (w, h) = ((b.width() * shrink).max(1e-9), b.height().max(1e-9));
    let scale = MAP / w;
    let height = ((h * scale).min(MAP * 1.5) + 50.0).round();
    let scale = scale.min((height - 50.0) / h);
    let mut svg = open(title, MAP, height);
    for (code, shape) in cells {
        let bin = hot.iter().find(|(c, _)| c == code).map_or(0, |(_, b)| *b);
        let mut d = String::new();
        for poly in &shape.0 {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for (i, c) in ring.coords().enumerate() {
                    let x = (c.x - b.min().x) * shrink * scale;
                    let y = 24.0 + (b.max().y - c.y) * scale;
                    let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
        }
        let _ = write!(
            svg,
            "<path d=\"{d}\" fill=\"{}\" stroke=\"#9aa7b0\" stroke-width=\"0.5\"/>",
            heat(bin)
        );
    }
    let legend_y = height - 12.0;
    for (i, (bin, name)) in [(3, "99%热点"), (2, "95%热点"), (1, "90%热点")]
        .iter()
        .enumerate()
    {
        let x = 10.0 + 110.0 * i as f64;
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{ry}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{tx}\" y=\"{legend_y}\">{name}</text>",
            heat(*bin),
            ry = legend_y - 10.0,
            tx = x + 16.0,
        );
    }
    svg.push_str("</svg>");
    Chart {
        title: title.to_owned(),
        svg,
        width: MAP,
        height,
    }
}

/// The report's charts: cases by month, by category (top ten) and by community; the hot spot
/// map; the contractors' mean scores; the hotline orders by month — each only when it has
/// something to draw.
pub fn report_charts(r: &QuarterlyReport, cells: &[(&str, &MultiPolygon)]) -> Vec<Chart> {
    let lines = |v: &[citygrid_core::api::analytics::Line]| {
        v.iter()
            .map(|l| (l.name.clone(), l.cases as f64))
            .collect::<Vec<_>>()
    };
    let mut charts = Vec::new();
    if r.received > 0 {
        charts.push(bars("各月受理案件", &lines(&r.by_month), 12, false, whole));
        let categories: Vec<(String, f64)> = r
            .by_category
            .iter()
            .map(|c| (c.name.clone(), c.cases as f64))
            .collect();
        charts.push(bars("案件类别（前十）", &categories, 10, true, whole));
        charts.push(bars("各社区案件", &lines(&r.by_community), 20, true, whole));
        let hot: Vec<(&str, i8)> = r
            .hot_cells
            .iter()
            .map(|c| (c.grid.as_str(), c.bin))
            .collect();
        charts.push(hot_map("本季度案件热点（Gi*）", cells, &hot));
    }
    let contractors: Vec<(String, f64)> = r
        .inspections
        .iter()
        .flat_map(|i| &i.contractors)
        .map(|c| (c.contractor.clone(), c.mean_score))
        .collect();
    if !contractors.is_empty() {
        charts.push(bars("环卫作业单位平均得分", &contractors, 20, false, score));
    }
    if let Some(w) = r.work_orders.as_ref().filter(|w| w.total.received > 0) {
        let months: Vec<(String, f64)> = w
            .by_month
            .iter()
            .map(|m| (month_name(&m.key), m.received as f64))
            .collect();
        charts.push(bars("12345工单（按月）", &months, 12, false, whole));
    }
    charts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_for_each_count_largest_first_scaled_to_the_largest() {
        let chart = bars(
            "案件类别",
            &[
                ("店外经营".into(), 50.0),
                ("无照经营<游商>".into(), 100.0),
                ("无".into(), 0.0),
            ],
            10,
            true,
            whole,
        );
        let svg = &chart.svg;
        assert_eq!(
            svg.matches("<rect").count(),
            3,
            "background and two bars: {svg}"
        );
        assert!(
            svg.find("无照经营&lt;游商&gt;") < svg.find("店外经营"),
            "{svg}"
        );
        assert!(
            svg.contains("width=\"360.0\"")
                && svg.contains("width=\"180.0\"")
                && month_name("2026-07") == "7月",
            "{svg}"
        );
    }

    #[test]
    fn the_hot_map_fills_the_hot_cells_by_their_bin() {
        use geo::polygon;
        let square = |x: f64| {
            MultiPolygon(vec![polygon![
                (x: x, y: 30.0), (x: x + 0.01, y: 30.0), (x: x + 0.01, y: 30.01), (x: x, y: 30.01)
            ]])
        };
        let (a, b, c) = (square(120.0), square(120.01), square(120.02));
        let chart = hot_map("热点", &[("A", &a), ("B", &b), ("C", &c)], &[("B", 3)]);
        assert_eq!(chart.svg.matches("<path").count(), 3, "{}", chart.svg);
        assert_eq!(
            chart.svg.matches("fill=\"#b2182b\"").count(),
            2,
            "the cell and the legend"
        );
        assert_eq!(chart.svg.matches("fill=\"#f4f4f4\"").count(), 2);
    }
}
