//! Charts drawn as SVG on the server: no script, readable by screen readers (a title and a
//! description, and every chart sits beside a table with the same figures).

/// A horizontal bar chart of labelled values.
pub fn bars(id: &str, title: &str, rows: &[(String, i64, String)]) -> String {
    const W: i64 = 680;
    const LABEL_W: i64 = 270;
    const ROW_H: i64 = 26;
    const VALUE_W: i64 = 90;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let h = ROW_H * rows.len() as i64 + 8;
    let mut s = format!(
        "<svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {W} {h}\" \
         width=\"{W}\" height=\"{h}\" class=\"chart-svg\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(&rows
            .iter()
            .map(|r| format!("{}: {}", r.0, r.2))
            .collect::<Vec<_>>()
            .join("; "))
    );
    let span = W - LABEL_W - VALUE_W;
    for (i, (label, v, shown)) in rows.iter().enumerate() {
        let y = i as i64 * ROW_H + 4;
        let w = (v * span / max).max(if *v > 0 { 2 } else { 0 });
        let label = truncate(label, 32);
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"chart-label\">{}</text>\
             <rect x=\"{LABEL_W}\" y=\"{y}\" width=\"{w}\" height=\"{}\" rx=\"2\" class=\"chart-bar\"></rect>\
             <text x=\"{}\" y=\"{}\" class=\"chart-value\">{}</text>",
            LABEL_W - 8,
            y + 17,
            esc(&label),
            ROW_H - 8,
            LABEL_W + w + 6,
            y + 17,
            esc(shown)
        ));
    }
    s.push_str("</svg>");
    s
}

/// A column chart over time (months), the values labelled under each column.
pub fn columns(id: &str, title: &str, rows: &[(String, i64, String)]) -> String {
    const H: i64 = 220;
    const BASE: i64 = 180;
    let col_w: i64 = 60;
    let w = (rows.len() as i64 * col_w).max(200) + 20;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let mut s = format!(
        "<svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {w} {H}\" \
         width=\"{w}\" height=\"{H}\" class=\"chart-svg\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>\
         <line x1=\"10\" y1=\"{BASE}\" x2=\"{}\" y2=\"{BASE}\" class=\"chart-axis\"></line>",
        esc(title),
        esc(&rows
            .iter()
            .map(|r| format!("{}: {}", r.0, r.2))
            .collect::<Vec<_>>()
            .join("; ")),
        w - 10
    );
    for (i, (label, v, shown)) in rows.iter().enumerate() {
        let x = 14 + i as i64 * col_w;
        let hgt = v * (BASE - 30) / max;
        s.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{hgt}\" rx=\"2\" class=\"chart-bar\"></rect>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"chart-value small\">{}</text>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"chart-label small\">{}</text>",
            BASE - hgt,
            col_w - 10,
            x + (col_w - 10) / 2,
            BASE - hgt - 5,
            esc(shown),
            x + (col_w - 10) / 2,
            BASE + 16,
            esc(&truncate(label, 8)),
        ));
    }
    s.push_str("</svg>");
    s
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// SVG text is XML: escape the five characters that could end it.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_lengths_are_proportional_and_labels_escaped() {
        let svg = bars(
            "c",
            "T <x>",
            &[
                ("A&B".into(), 100, "100".into()),
                ("<b>".into(), 50, "50".into()),
            ],
        );
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"c-t\">T &lt;x&gt;</title>"));
        assert!(svg.contains("A&amp;B"));
        assert!(!svg.contains("<b>"));
        // The longest bar spans the plot area (680 - 270 - 90), the half one half of it.
        assert!(svg.contains("width=\"320\""));
        assert!(svg.contains("width=\"160\""));
    }

    #[test]
    fn empty_and_zero_series_draw_without_dividing_by_zero() {
        assert!(bars("e", "t", &[]).ends_with("</svg>"));
        let z = columns("z", "t", &[("2026-01".into(), 0, "0".into())]);
        assert!(z.contains("height=\"0\""));
    }
}
