//! A horizontal bar chart drawn as SVG by the app itself: no chart library, so the bundle stays
//! small. Every bar carries its value as text, so the chart never speaks in colour alone.

use leptos::prelude::*;

use crate::components::number::shortest;

/// One bar: an optional series name printed before it, its length as a share of the full width
/// (0 to 1), the text printed after it, and a CSS class that picks its colour.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub name: Option<String>,
    pub share: f64,
    pub value: String,
    pub class: &'static str,
}

/// One row of the chart: its label and its bars. A row with a single unnamed bar draws the bar
/// beside the label; otherwise the label is a line of its own above the named bars.
#[derive(Clone, Debug, PartialEq)]
pub struct BarRow {
    pub label: String,
    pub bars: Vec<Bar>,
}

const WIDTH: f64 = 360.0;
const LABEL_WIDTH: f64 = 104.0;
const BAR_WIDTH: f64 = 150.0;
const LINE: f64 = 22.0;
const BAR_HEIGHT: f64 = 14.0;
/// The longest label drawn in the label column; longer ones are cut with an ellipsis (the
/// tables beside the charts carry the whole text).
const LABEL_CHARS: usize = 15;

fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(chars.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

/// Draws `rows` as horizontal bars; `label` is the chart's accessible name.
#[component]
pub fn BarChart(
    #[prop(into)] label: Signal<String>,
    rows: Vec<BarRow>,
    /// Whether to draw a faint track behind each bar to show the full scale (for percentages).
    #[prop(optional)]
    track: bool,
) -> impl IntoView {
    let mut y = 0.0;
    let mut shapes = Vec::new();
    for row in rows {
        let inline = row.bars.len() == 1 && row.bars[0].name.is_none();
        if !inline {
            shapes.push(
                view! {
                    <text class="chart-group" x="0" y=shortest(y + 15.0)>{shorten(&row.label, 50)}</text>
                }
                .into_any(),
            );
            y += LINE;
        }
        for bar in row.bars {
            let name = if inline {
                Some(row.label.clone())
            } else {
                bar.name.clone()
            };
            let length = (bar.share.clamp(0.0, 1.0) * BAR_WIDTH).max(if bar.share > 0.0 {
                2.0
            } else {
                0.0
            });
            let top = y + (LINE - BAR_HEIGHT) / 2.0;
            shapes.push(
                view! {
                    <g class="chart-bar">
                        {name.map(|name| view! {
                            <text class="chart-label" x="0" y=shortest(y + 15.0)>{shorten(&name, LABEL_CHARS)}</text>
                        })}
                        {track.then(|| view! {
                            <rect class="chart-track" x=shortest(LABEL_WIDTH) y=shortest(top) width=shortest(BAR_WIDTH) height=shortest(BAR_HEIGHT) rx="2"/>
                        })}
                        <rect class=format!("bar {}", bar.class) x=shortest(LABEL_WIDTH) y=shortest(top) width=shortest(length) height=shortest(BAR_HEIGHT) rx="2"/>
                        <text class="chart-value" x=shortest(LABEL_WIDTH + length + 6.0) y=shortest(y + 15.0)>{bar.value.clone()}</text>
                    </g>
                }
                .into_any(),
            );
            y += LINE;
        }
        y += 6.0;
    }
    let height = y.max(LINE);
    view! {
        <svg class="chart" role="img" aria-label={move || label.get()}
            viewBox=format!("0 0 {} {}", shortest(WIDTH), shortest(height)) width="100%" preserveAspectRatio="xMinYMin meet">
            {shapes}
        </svg>
    }
}
