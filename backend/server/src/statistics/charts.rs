//! The quarterly report's charts as SVG drawn here (issue 21, in progress): horizontal bars, a
//! label and a count each, scaled to the largest — small enough to sit in the printable page
//! and, later, the Word file.

use std::fmt::Write;

/// Height of one bar's row, and the widths of the label column and of the bars.
const ROW: f64 = 22.0;
const LABEL: f64 = 150.0;
const BARS: f64 = 360.0;

/// A bar chart of `bars` (label, count), at most `limit` of them, largest first.
pub fn bars(title: &str, bars: &[(String, u64)], limit: usize) -> String {
    let mut bars: Vec<&(String, u64)> = bars.iter().filter(|(_, n)| *n > 0).collect();
    bars.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    bars.truncate(limit);
    let max = bars.first().map_or(1, |(_, n)| (*n).max(1)) as f64;
    let height = ROW * bars.len() as f64 + 30.0;
    let width = LABEL + BARS + 60.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" \
         font-size=\"12\"><title>{t}</title><text x=\"0\" y=\"14\" font-weight=\"bold\">{t}</text>",
        t = html_escape::encode_text(title)
    );
    for (i, (label, n)) in bars.iter().enumerate() {
        let y = 24.0 + ROW * i as f64;
        let w = (*n as f64 / max * BARS).max(1.0);
        let _ = write!(
            svg,
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bh}\" fill=\"#2f6f9f\"/>\
             <text x=\"{nx:.1}\" y=\"{ty}\">{n}</text>",
            lx = LABEL - 6.0,
            ty = y + 13.0,
            bh = ROW - 6.0,
            nx = LABEL + w + 4.0,
            label = html_escape::encode_text(label),
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_for_each_count_largest_first_scaled_to_the_largest() {
        let svg = bars(
            "案件类别",
            &[
                ("店外经营".into(), 50),
                ("无照经营<游商>".into(), 100),
                ("无".into(), 0),
            ],
            10,
        );
        assert_eq!(svg.matches("<rect").count(), 2, "{svg}");
        assert!(
            svg.find("无照经营&lt;游商&gt;") < svg.find("店外经营"),
            "{svg}"
        );
        assert!(
            svg.contains("width=\"360.0\"") && svg.contains("width=\"180.0\""),
            "{svg}"
        );
    }
}
