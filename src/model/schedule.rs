//! Schedule expressions, converted at compile time to the form AppFlow accepts.
//!
//! AppFlow's rate syntax differs from the one other AWS schedules use: `rate(5 minutes)` must be written
//! `rate(5minutes)`, always plural, with no space. The reference library fixes this up in a
//! Lambda custom resource at deploy time; flowform does it here, and rejects what AppFlow
//! would reject: units other than minutes, hours and days, zero rates, and malformed cron
//! expressions (six fields, one of day-of-month and day-of-week being `?`).

use std::fmt;

/// A `rate(...)` or `cron(...)` expression as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub(crate) expression: String,
}

/// A rate unit AppFlow supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateUnit {
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Days.
    Days,
}

impl RateUnit {
    fn as_str(self) -> &'static str {
        match self {
            RateUnit::Minutes => "minutes",
            RateUnit::Hours => "hours",
            RateUnit::Days => "days",
        }
    }

    /// The unit's length in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            RateUnit::Minutes => 60,
            RateUnit::Hours => 3_600,
            RateUnit::Days => 86_400,
        }
    }
}

/// A parsed, AppFlow-ready schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParsedSchedule {
    /// Every `value` `unit`s.
    Rate {
        /// How many units between runs.
        value: u32,
        /// The unit.
        unit: RateUnit,
    },
    /// A six-field AWS cron expression (the fields, space-joined).
    Cron(String),
}

impl fmt::Display for ParsedSchedule {
    /// The expression in AppFlow's form: `rate(5minutes)`, `cron(0 12 * * ? *)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParsedSchedule::Rate { value, unit } => write!(f, "rate({value}{})", unit.as_str()),
            ParsedSchedule::Cron(fields) => write!(f, "cron({fields})"),
        }
    }
}

impl Schedule {
    /// Any expression; validation parses it.
    pub fn expression(expression: impl Into<String>) -> Self {
        Schedule {
            expression: expression.into(),
        }
    }

    /// Every `value` `unit`s.
    ///
    /// ```
    /// use flowform::model::*;
    ///
    /// let hourly = Schedule::rate(1, RateUnit::Hours);
    /// assert_eq!(hourly.as_str(), "rate(1 hours)");
    /// assert_eq!(hourly.parse().unwrap().shortest_interval(), 3_600);
    /// let nightly = Schedule::cron("0 2 * * ? *");
    /// assert_eq!(nightly.as_str(), "cron(0 2 * * ? *)");
    /// assert!(Schedule::expression("rate(1 week)").parse().is_err());
    /// ```
    pub fn rate(value: u32, unit: RateUnit) -> Self {
        Schedule {
            expression: format!("rate({value} {})", unit.as_str()),
        }
    }

    /// An AWS cron expression (six fields, without the `cron(...)` wrapper).
    pub fn cron(fields: impl AsRef<str>) -> Self {
        Schedule {
            expression: format!("cron({})", fields.as_ref()),
        }
    }

    /// The expression as given.
    pub fn as_str(&self) -> &str {
        &self.expression
    }

    /// Parses the expression, saying what is wrong when AppFlow would reject it.
    pub fn parse(&self) -> Result<ParsedSchedule, String> {
        let text = self.expression.trim();
        if let Some(body) = wrapped(text, "rate") {
            parse_rate(body)
        } else if let Some(body) = wrapped(text, "cron") {
            parse_cron(body)
        } else {
            Err("expected `rate(...)` or `cron(...)`".into())
        }
    }
}

impl ParsedSchedule {
    /// The shortest time between two runs, in seconds, as far as it can be told without
    /// enumerating the runs: a rate's interval; for cron, a day when the minutes and hours
    /// fields are single values (it fires at most once a day), an hour when the minutes
    /// field is, else a minute.
    pub fn shortest_interval(&self) -> i64 {
        let single = |field: &str| !field.is_empty() && field.chars().all(|c| c.is_ascii_digit());
        match self {
            ParsedSchedule::Rate { value, unit } => i64::from(*value) * unit.seconds(),
            ParsedSchedule::Cron(fields) => {
                let mut fields = fields.split(' ');
                let minutes = fields.next().unwrap_or_default();
                let hours = fields.next().unwrap_or_default();
                match (single(minutes), single(hours)) {
                    (true, true) => 86_400,
                    (true, false) => 3_600,
                    _ => 60,
                }
            }
        }
    }
}

/// The text inside `name(...)`, if `text` has that shape.
fn wrapped<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.strip_prefix(name)?
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')
}

fn parse_rate(body: &str) -> Result<ParsedSchedule, String> {
    let body = body.trim();
    let digits_end = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
    let (number, unit) = body.split_at(digits_end);
    if number.is_empty() {
        return Err("a rate starts with a whole number, e.g. `rate(5 minutes)`".into());
    }
    let value: u32 = number.parse().map_err(|_| format!("`{number}` is too large"))?;
    if value == 0 {
        return Err("the rate must be at least 1".into());
    }
    let unit = match unit.trim().to_ascii_lowercase().as_str() {
        "minute" | "minutes" => RateUnit::Minutes,
        "hour" | "hours" => RateUnit::Hours,
        "day" | "days" => RateUnit::Days,
        "" => return Err("the rate has no unit; add `minutes`, `hours` or `days`".into()),
        other => {
            return Err(format!(
                "AppFlow does not support the unit `{other}`; use minutes, hours or days"
            ));
        }
    };
    Ok(ParsedSchedule::Rate { value, unit })
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

fn parse_cron(body: &str) -> Result<ParsedSchedule, String> {
    let fields: Vec<&str> = body.split_whitespace().collect();
    if fields.len() != 6 {
        return Err(format!(
            "a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), found {}",
            fields.len()
        ));
    }
    let specs: [(&str, u32, u32, &[&str]); 6] = [
        ("minutes", 0, 59, &[]),
        ("hours", 0, 23, &[]),
        ("day-of-month", 1, 31, &[]),
        ("month", 1, 12, &MONTHS),
        ("day-of-week", 1, 7, &DAYS),
        ("year", 1970, 2199, &[]),
    ];
    for (field, (name, min, max, names)) in fields.iter().zip(specs) {
        check_cron_field(field, name, min, max, names)?;
    }
    let (day_of_month, day_of_week) = (fields[2], fields[4]);
    if (day_of_month == "?") == (day_of_week == "?") {
        return Err("exactly one of day-of-month and day-of-week must be `?`".into());
    }
    Ok(ParsedSchedule::Cron(fields.join(" ")))
}

fn check_cron_field(field: &str, name: &str, min: u32, max: u32, names: &[&str]) -> Result<(), String> {
    let day_field = name.starts_with("day-of");
    if field == "*" || (field == "?" && day_field) {
        return Ok(());
    }
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((range, step)) => (range, Some(step)),
            None => (part, None),
        };
        if let Some(step) = step {
            match step.parse::<u32>() {
                Ok(step) if step > 0 => {}
                _ => {
                    return Err(format!(
                        "`{part}` in {name}: the step after `/` must be a positive number"
                    ));
                }
            }
        }
        if range == "*" {
            continue;
        }
        if day_field && (range == "L" || range.ends_with('W') || range.contains('#') || range.ends_with('L')) {
            // AWS extensions (last day, nearest weekday, nth weekday): checked by AppFlow.
            continue;
        }
        let bounds: Vec<&str> = range.split('-').collect();
        if bounds.len() > 2 || bounds.iter().any(|bound| bound.is_empty()) {
            return Err(format!("`{part}` in {name} is not a value, a range or a step"));
        }
        for bound in bounds {
            let value = match bound.parse::<u32>() {
                Ok(value) => value,
                Err(_) => match names.iter().position(|n| n.eq_ignore_ascii_case(bound)) {
                    Some(index) => index as u32 + 1,
                    None => return Err(format!("`{bound}` is not a valid {name} value")),
                },
            };
            if value < min || value > max {
                return Err(format!("{name} value {value} is outside {min}-{max}"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_runs_at_most_daily_with_one_minute_and_one_hour() {
        let interval = |expression: &str| Schedule::expression(expression).parse().unwrap().shortest_interval();
        assert_eq!(interval("cron(0 6 * * ? *)"), 86_400);
        assert_eq!(interval("cron(15 * * * ? *)"), 3_600);
        assert_eq!(interval("cron(0 6,18 * * ? *)"), 3_600);
        assert_eq!(interval("cron(0/15 * * * ? *)"), 60);
        assert_eq!(interval("rate(2 days)"), 2 * 86_400);
    }

    fn appflow(expression: &str) -> Result<String, String> {
        Schedule::expression(expression)
            .parse()
            .map(|parsed| parsed.to_string())
    }

    #[test]
    fn rates_are_rewritten_to_appflow_form() {
        assert_eq!(appflow("rate(5 minutes)").unwrap(), "rate(5minutes)");
        assert_eq!(appflow("rate(1 day)").unwrap(), "rate(1days)");
        assert_eq!(appflow("rate(1hour)").unwrap(), "rate(1hours)");
        assert_eq!(appflow(" rate( 2  Hours ) ").unwrap(), "rate(2hours)");
        assert_eq!(
            Schedule::rate(10, RateUnit::Minutes).parse().unwrap().to_string(),
            "rate(10minutes)"
        );
    }

    #[test]
    fn bad_rates_say_why() {
        assert!(
            appflow("rate(1 week)")
                .unwrap_err()
                .contains("does not support the unit `week`")
        );
        assert!(appflow("rate(0 minutes)").unwrap_err().contains("at least 1"));
        assert!(appflow("rate(minutes)").unwrap_err().contains("whole number"));
        assert!(appflow("rate(5)").unwrap_err().contains("no unit"));
        assert!(appflow("every 5 minutes").unwrap_err().contains("expected"));
        assert!(appflow("rate(99999999999 minutes)").unwrap_err().contains("too large"));
    }

    #[test]
    fn cron_expressions_are_checked_field_by_field() {
        assert_eq!(appflow("cron(0 12 * * ? *)").unwrap(), "cron(0 12 * * ? *)");
        assert_eq!(
            appflow("cron(0/15 8-17 ? * MON-FRI *)").unwrap(),
            "cron(0/15 8-17 ? * MON-FRI *)"
        );
        assert_eq!(appflow("cron(0 0 L * ? 2030)").unwrap(), "cron(0 0 L * ? 2030)");
        assert!(appflow("cron(0 12 * * *)").unwrap_err().contains("6 fields"));
        assert!(appflow("cron(0 12 * * * *)").unwrap_err().contains("`?`"));
        assert!(appflow("cron(61 12 * * ? *)").unwrap_err().contains("outside 0-59"));
        assert!(appflow("cron(0 12 ? FOO MON *)").unwrap_err().contains("`FOO`"));
        assert!(appflow("cron(0/0 12 ? * MON *)").unwrap_err().contains("step"));
    }
}
