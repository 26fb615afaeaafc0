//! Numbers as text without Rust's float formatting, which would add about ten kilobytes to the
//! bundle for a handful of figures: integer arithmetic, and the browser's own `Number` formatting
//! for chart coordinates.

/// `value` as the shortest text that reads back as the same number, as `f64`'s `Display` writes
/// it for the chart's coordinates (the browser's `Number.prototype.toString`; the two differ only
/// for magnitudes below 1e-7 or from 1e21, which a chart never has).
pub fn shortest(value: f64) -> String {
    js_sys::Number::from(value)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// `value` with `decimals` digits after the point, as `format!("{value:.decimals$}")` writes the
/// figures the server sends, which it has already rounded to that many digits.
pub fn fixed(value: f64, decimals: u32) -> String {
    let scale = 10_u64.pow(decimals);
    let scaled = (value * scale as f64).round();
    let sign = if scaled < 0.0 { "-" } else { "" };
    let scaled = scaled.abs() as u64;
    if decimals == 0 {
        format!("{sign}{scaled}")
    } else {
        format!(
            "{sign}{}.{:0width$}",
            scaled / scale,
            scaled % scale,
            width = decimals as usize
        )
    }
}

/// `part` as a whole percentage of `whole`, rounded half to even: what
/// `format!("{:.0}", part as f64 * 100.0 / whole as f64)` writes.
pub fn whole_percent(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        return 0;
    }
    let hundredfold = part * 100;
    let (quotient, remainder) = (hundredfold / whole, hundredfold % whole);
    match (remainder * 2).cmp(&whole) {
        std::cmp::Ordering::Greater => quotient + 1,
        std::cmp::Ordering::Equal => quotient + quotient % 2,
        std::cmp::Ordering::Less => quotient,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_rusts_float_formatting_writes() {
        for (value, decimals) in [
            (33.3, 1),
            (0.0, 1),
            (100.0, 1),
            (4.67, 2),
            (5.0, 2),
            (12.0, 0),
        ] {
            assert_eq!(
                fixed(value, decimals),
                format!("{value:.*}", decimals as usize)
            );
        }
        for (part, whole) in [(1, 8), (3, 8), (1, 3), (2, 3), (0, 5), (5, 5), (1, 200)] {
            assert_eq!(
                whole_percent(part, whole).to_string(),
                format!("{:.0}", part as f64 * 100.0 / whole as f64)
            );
        }
    }
}
