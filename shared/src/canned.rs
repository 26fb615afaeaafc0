//! Canned responses: text an agent inserts into a reply, with placeholders filled from the
//! ticket. The browser expands them as the agent picks one; nothing here reads a ticket.

/// The values placeholders stand for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placeholders<'a> {
    /// `{{customer_name}}`: the requester.
    pub customer_name: &'a str,
    /// `{{reference}}`: `RG-000123`.
    pub reference: &'a str,
    /// `{{subject}}`: the ticket's subject.
    pub subject: &'a str,
    /// `{{organisation}}`: the requester's organisation.
    pub organisation: &'a str,
    /// `{{agent_name}}`: the agent who inserts the text.
    pub agent_name: &'a str,
}

/// The placeholder names a canned response may use.
pub const PLACEHOLDERS: [&str; 5] = [
    "customer_name",
    "reference",
    "subject",
    "organisation",
    "agent_name",
];

/// Fills `{{name}}` placeholders (spaces inside the braces allowed); an unknown or unclosed one
/// stays as written, so a typo is visible in the reply rather than silently dropped.
///
/// # Examples
///
/// ```
/// use shared::canned::{expand, Placeholders};
///
/// let values = Placeholders { customer_name: "Anna", reference: "RG-000042", ..Default::default() };
/// assert_eq!(
///     expand("Hello {{ customer_name }}, about {{reference}}: {{unknown}}", &values),
///     "Hello Anna, about RG-000042: {{unknown}}",
/// );
/// ```
pub fn expand(text: &str, values: &Placeholders<'_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            return out;
        };
        let value = match after[..close].trim() {
            "customer_name" => Some(values.customer_name),
            "reference" => Some(values.reference),
            "subject" => Some(values.subject),
            "organisation" => Some(values.organisation),
            "agent_name" => Some(values.agent_name),
            _ => None,
        };
        match value {
            Some(value) => out.push_str(value),
            None => out.push_str(&rest[open..open + 2 + close + 2]),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Placeholders<'static> {
        Placeholders {
            customer_name: "Анна",
            reference: "RG-000007",
            subject: "Export {{reference}} fails",
            organisation: "Northwind",
            agent_name: "Vera",
        }
    }

    #[test]
    fn fills_every_placeholder_once_and_never_re_expands_values() {
        let text = "{{customer_name}}/{{reference}}/{{subject}}/{{organisation}}/{{agent_name}}";
        assert_eq!(
            expand(text, &values()),
            "Анна/RG-000007/Export {{reference}} fails/Northwind/Vera"
        );
    }

    #[test]
    fn leaves_unknown_unclosed_and_plain_text_alone() {
        let cases = [
            ("no placeholders", "no placeholders"),
            ("{{nope}} {{reference}}", "{{nope}} RG-000007"),
            ("open {{reference", "open {{reference"),
            ("{{}}", "{{}}"),
            ("{ {reference} }", "{ {reference} }"),
            ("{{{reference}}}", "{{{reference}}}"),
            ("", ""),
        ];
        for (text, want) in cases {
            assert_eq!(expand(text, &values()), want, "{text}");
        }
    }
}
