//! The quarterly report as a Word file (.docx, read by Word, WPS and LibreOffice): the title,
//! the draft's sections as the leader left them, the headline figures compared, the charts (as
//! PNG), then every table of the printable page under 附表.

use citygrid_core::api::analytics::QuarterlyReport;
use citygrid_core::api::report_draft::ReportDraft;
use docx_rs::{
    AlignmentType, Docx, LineSpacing, Paragraph, Pic, Run, RunFonts, SpecialIndentType, Table,
    TableCell, TableRow, WidthType,
};

use super::charts::Chart;
use super::report_html::{ReportTable, numeric, tables};

/// Sizes in half-points: the title (二号), headings and body (三号 is customary; 四号 keeps
/// tables readable), table cells.
const TITLE: usize = 44;
const HEADING: usize = 32;
const BODY: usize = 28;
const CELL: usize = 21;
/// The widest a chart may be on an A4 page with customary margins, in pixels at 96 dpi.
const PAGE_PX: u32 = 590;

fn run(text: &str, size: usize, font: &str) -> Run {
    Run::new()
        .add_text(text)
        .size(size)
        .fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, HEADING, "黑体"))
        .line_spacing(LineSpacing::new().before(240).after(120))
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY, "仿宋"))
        .indent(None, Some(SpecialIndentType::FirstLine(560)), None, None)
        .line_spacing(LineSpacing::new().line(560))
}

fn caption(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, CELL, "黑体").bold())
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().before(120).after(60))
}

fn table(t: &ReportTable) -> Table {
    let cell = |text: &str, head: bool| {
        let mut r = run(text, CELL, "宋体");
        if head {
            r = r.bold();
        }
        let mut p = Paragraph::new().add_run(r);
        if !head && numeric(text) {
            p = p.align(AlignmentType::Right);
        }
        TableCell::new().add_paragraph(p)
    };
    let mut rows = vec![TableRow::new(
        t.head.iter().map(|h| cell(h, true)).collect(),
    )];
    rows.extend(t.rows.iter().map(|row| {
        let mut cells: Vec<TableCell> = row.iter().map(|c| cell(c, false)).collect();
        // A short row still fills the header's columns.
        cells.resize_with(t.head.len().max(row.len()), || cell("", false));
        TableRow::new(cells)
    }));
    Table::new(rows).width(5000, WidthType::Pct)
}

/// The Word file's bytes.
pub fn docx(r: &QuarterlyReport, d: &ReportDraft, charts: &[Chart]) -> Result<Vec<u8>, String> {
    let title = &d.title;
    let mut doc = Docx::new()
        .add_paragraph(
            Paragraph::new()
                .add_run(run(title, TITLE, "黑体").bold())
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().after(240)),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(run(
                    &format!("统计期间：{} 至 {}（不含）", r.from, r.to),
                    CELL,
                    "宋体",
                ))
                .align(AlignmentType::Center),
        );
    for s in d.sections.iter().filter(|s| !s.paragraphs.is_empty()) {
        doc = doc.add_paragraph(heading(&s.title));
        for p in &s.paragraphs {
            for line in p.text.lines().filter(|l| !l.trim().is_empty()) {
                doc = doc.add_paragraph(body(line.trim()));
            }
        }
    }
    if !d.comparisons.is_empty() {
        let t = super::report_html::comparisons(d);
        doc = doc.add_paragraph(caption(&t.caption)).add_table(table(&t));
    }
    if !charts.is_empty() {
        doc = doc.add_paragraph(heading("图表"));
    }
    for chart in charts {
        let Some((png, w, h)) = super::chart_png::png(chart) else {
            continue;
        };
        // Shown at the chart's own size, narrowed to the page.
        let shown_w = (w / 2).min(PAGE_PX);
        let shown_h = (f64::from(h / 2) * f64::from(shown_w) / f64::from((w / 2).max(1))) as u32;
        let pic = Pic::new_with_dimensions(png, w, h).size(shown_w * 9525, shown_h * 9525);
        doc = doc
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_image(pic))
                    .align(AlignmentType::Center),
            )
            .add_paragraph(caption(&chart.title));
    }
    doc = doc.add_paragraph(heading("附表"));
    for t in tables(r) {
        doc = doc.add_paragraph(caption(&t.caption)).add_table(table(&t));
    }
    let mut out = Vec::new();
    doc.build()
        .pack(std::io::Cursor::new(&mut out))
        .map_err(|e| e.to_string())?;
    Ok(out)
}
