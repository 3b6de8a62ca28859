//! An SVG picture of a run: |offset| of every node from the grandmaster over time (log scale,
//! so the first 0.1 s and the last few ns both show), the convergence bound, the scenario's
//! events, and below it the |frequency error| against the grandmaster.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::{fmt_ns, Outcome};

/// The plot could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the plot: {0}")]
pub struct PlotError(String);

fn err<E: std::fmt::Debug>(e: E) -> PlotError {
    PlotError(format!("{e:?}"))
}

/// Node colours (Tableau 10), picked in node order.
const COLOURS: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// Width and height of the picture in pixels.
pub const SIZE: (u32, u32) = (1000, 720);

/// The SVG text of the plot of `outcome`.
pub fn svg(outcome: &Outcome) -> Result<String, PlotError> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let (top, bottom) = root.split_vertically(SIZE.1 * 62 / 100);
        let title = format!("ptp-sim {}: |offset from the grandmaster| (seed {})", outcome.scenario, outcome.seed);
        panel(outcome, &top, &title, Panel::Offset)?;
        panel(outcome, &bottom, "|frequency error against the grandmaster|", Panel::Frequency)?;
        root.present().map_err(err)?;
    }
    Ok(buf)
}

#[derive(Clone, Copy, PartialEq)]
enum Panel {
    Offset,
    Frequency,
}

/// `1 ns`, `10 us`, `1 ms`; `1 ppb`, `10 ppm`.
fn axis_label(v: f64, panel: Panel) -> String {
    let (units, scale): (&[&str], f64) = match panel {
        Panel::Offset => (&["ns", "us", "ms", "s"], 1e3),
        Panel::Frequency => (&["ppb", "ppm"], 1e3),
    };
    let mut v = v;
    let mut u = 0;
    while v.abs() >= scale && u + 1 < units.len() {
        v /= scale;
        u += 1;
    }
    let text = if (v - v.round()).abs() < 1e-6 { format!("{v:.0}") } else { format!("{v:.1}") };
    format!("{text} {}", units[u])
}

fn panel(
    outcome: &Outcome,
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    title: &str,
    which: Panel,
) -> Result<(), PlotError> {
    let s = &outcome.samples;
    let (series, floor): (_, f64) = match which {
        Panel::Offset => (&s.offset_ns, 1.0),
        Panel::Frequency => (&s.freq_ppb, 0.01),
    };
    let x_max = (outcome.duration_ns as f64 * 1e-9).max(1e-3);
    let mut y_max = floor * 10.0;
    for (i, v) in series.iter().enumerate() {
        for (k, x) in v.iter().enumerate() {
            if s.reference.get(k).copied().flatten() != Some(i) && x.is_finite() {
                y_max = y_max.max(x.abs());
            }
        }
    }
    if which == Panel::Offset {
        y_max = y_max.max(outcome.converge_bound_ns * 10.0);
    }
    let y_max = 10f64.powf(y_max.log10().ceil());

    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(10)
        .margin_right(30)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(0f64..x_max, (floor..y_max).log_scale())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("time (s)")
        .y_desc(match which {
            Panel::Offset => "|offset|",
            Panel::Frequency => "|frequency error|",
        })
        .y_label_formatter(&|v| axis_label(*v, which))
        .x_label_formatter(&|v| if x_max >= 10.0 { format!("{v:.0}") } else { format!("{v:.1}") })
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;

    // Scenario events: thin grey vertical lines with a label.
    for e in &outcome.events {
        let x = e.at_ns as f64 * 1e-9;
        let grey = RGBColor(150, 150, 150);
        chart.draw_series(LineSeries::new(vec![(x, floor), (x, y_max)], grey.stroke_width(1))).map_err(err)?;
        if which == Panel::Offset {
            let name = outcome.nodes.get(e.node).map_or("", |n| n.name.as_str());
            let what = format!("{name} {}", action_word(&e.action));
            chart
                .draw_series(std::iter::once(Text::new(
                    what,
                    (x, y_max / 2.0),
                    ("sans-serif", 12).into_font().color(&grey),
                )))
                .map_err(err)?;
        }
    }

    if which == Panel::Offset {
        let b = outcome.converge_bound_ns;
        chart
            .draw_series(LineSeries::new(vec![(0.0, b), (x_max, b)], BLACK.mix(0.5).stroke_width(1)))
            .map_err(err)?
            .label(format!("convergence bound {}", fmt_ns(b)))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.5)));
    }

    for (i, node) in outcome.nodes.iter().enumerate() {
        let Some(v) = series.get(i) else { continue };
        let colour = COLOURS[i % COLOURS.len()];
        // Segments where the node ran and was not the reference.
        let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (k, x) in v.iter().enumerate() {
            let is_ref = s.reference.get(k).copied().flatten() == Some(i);
            let t = s.times_ns.get(k).copied().unwrap_or(0) as f64 * 1e-9;
            if x.is_finite() && !is_ref {
                if let Some(seg) = segments.last_mut() {
                    seg.push((t, x.abs().clamp(floor, y_max)));
                }
            } else if segments.last().is_some_and(|s| !s.is_empty()) {
                segments.push(Vec::new());
            }
        }
        let mut labelled = false;
        // A lone sample (a node measured against a passing grandmaster) is not drawn.
        for seg in segments.into_iter().filter(|s| s.len() >= 2) {
            let drawn = chart.draw_series(LineSeries::new(seg, colour.stroke_width(2))).map_err(err)?;
            if !labelled {
                labelled = true;
                drawn
                    .label(node.name.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3)));
            }
        }
    }

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(("sans-serif", 14))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(err)?;
    Ok(())
}

fn action_word(a: &crate::scenario::Action) -> String {
    use crate::scenario::Action;
    match a {
        Action::Stop => "stops".into(),
        Action::Start => "starts".into(),
        Action::LinkDown(p) => format!("port {p} down"),
        Action::LinkUp(p) => format!("port {p} up"),
        Action::Priority1(v) => format!("priority1 {v}"),
        Action::Priority2(v) => format!("priority2 {v}"),
        Action::ClockClass(v) => format!("clockClass {v}"),
        Action::Step(ns) => format!("steps {}", fmt_ns(*ns as f64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_labels_carry_units() {
        assert_eq!(axis_label(1.0, Panel::Offset), "1 ns");
        assert_eq!(axis_label(10_000.0, Panel::Offset), "10 us");
        assert_eq!(axis_label(1e8, Panel::Offset), "100 ms");
        assert_eq!(axis_label(100_000.0, Panel::Frequency), "100 ppm");
        assert_eq!(axis_label(0.1, Panel::Frequency), "0.1 ppb");
        assert_eq!(axis_label(1e6, Panel::Frequency), "1000 ppm");
    }
}
