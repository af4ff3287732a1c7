//! The official schemas' limits on a scalar property: length, pattern and range, as the
//! generator reads them (`Task::SOURCE_FIELDS_LIMITS` and the like in [`super::generated`],
//! `PropertyFacts::limits` for a connector's properties), and the one check of a value
//! against them, so no length or pattern a schema sets is typed by hand.
//!
//! JSON Schema patterns are not anchored (a value matches when the pattern matches any
//! part of it); the schemas anchor those that must hold throughout, and CloudFormation's
//! handlers and cfn-lint read them the same way.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;

use crate::hash::FastState;

/// A schema's limits on one property (on each item of an array, each value of a map).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `Definition.Property`, as the schema spells it (`Task.SourceFields`).
    pub property: &'static str,
    /// `pattern`.
    pub pattern: Option<&'static str>,
    /// `minLength`, in characters.
    pub min_length: Option<u64>,
    /// `maxLength`, in characters.
    pub max_length: Option<u64>,
    /// `minimum`.
    pub minimum: Option<i64>,
    /// `maximum`.
    pub maximum: Option<i64>,
}

impl Limits {
    /// What is wrong with the string `value`, in words, if anything: too long, too short,
    /// or not matching the pattern. Length is counted in characters, as JSON Schema does.
    pub fn violation(&self, value: &str) -> Option<String> {
        // A string has no more characters than bytes: most values are counted for free.
        let length = || value.chars().count() as u64;
        if let Some(max) = self.max_length
            && value.len() as u64 > max
            && length() > max
        {
            return Some(format!("is {} characters long; the limit is {max}", length()));
        }
        if let Some(min) = self.min_length
            && length() < min
        {
            let length = length();
            let unit = if min == 1 { "character" } else { "characters" };
            return Some(format!("is {length} characters long; it needs at least {min} {unit}"));
        }
        let pattern = self.pattern?;
        match matches(pattern, value) {
            true => None,
            false if value.is_empty() => Some(format!("is empty, which the schema's pattern `{pattern}` refuses")),
            false => Some(format!("does not match the schema's pattern `{pattern}`")),
        }
    }

    /// What is wrong with the number `value`, in words, if anything: out of range.
    pub fn number_violation(&self, value: i64) -> Option<String> {
        match (self.minimum, self.maximum) {
            (Some(min), Some(max)) if !(min..=max).contains(&value) => {
                Some(format!("is {value}; it must be from {min} to {max}"))
            }
            (Some(min), None) if value < min => Some(format!("is {value}; the least is {min}")),
            (None, Some(max)) if value > max => Some(format!("is {value}; the most is {max}")),
            _ => None,
        }
    }
}

/// Whether `value` matches the schema pattern `pattern`, each pattern compiled once per
/// thread. Validation checks big stacks on several threads, a few values per flow: a
/// shared, locked cache made them wait for each other. A pattern the regex crate cannot
/// read (a look-ahead; a test lists them) matches everything: the schema, not flowform,
/// is then the authority.
fn matches(pattern: &'static str, value: &str) -> bool {
    thread_local! {
        static COMPILED: RefCell<HashMap<&'static str, Option<Regex>, FastState>> = RefCell::default();
    }
    COMPILED.with_borrow_mut(|compiled| {
        let regex = compiled.entry(pattern).or_insert_with(|| Regex::new(pattern).ok());
        regex.as_ref().is_none_or(|regex| regex.is_match(value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        property: "Thing.Name",
        pattern: Some(r"^\S+$"),
        min_length: Some(1),
        max_length: Some(4),
        minimum: Some(1),
        maximum: Some(100),
    };

    #[test]
    fn strings_are_measured_in_characters_and_matched_unanchored_unless_the_pattern_says() {
        assert_eq!(LIMITS.violation("ééé"), None);
        assert!(LIMITS.violation("abcde").unwrap().contains("the limit is 4"));
        assert!(LIMITS.violation("").unwrap().contains("at least 1 character"));
        assert!(LIMITS.violation("a b").unwrap().contains(r"`^\S+$`"));
        let unanchored = Limits {
            pattern: Some(r"\S+"),
            ..LIMITS
        };
        assert_eq!(unanchored.violation("a b"), None);
    }

    #[test]
    fn numbers_are_checked_against_the_range() {
        assert_eq!(LIMITS.number_violation(1), None);
        assert_eq!(LIMITS.number_violation(100), None);
        assert!(LIMITS.number_violation(0).unwrap().contains("from 1 to 100"));
        let floor = Limits {
            maximum: None,
            ..LIMITS
        };
        assert!(floor.number_violation(-1).unwrap().contains("the least is 1"));
    }

    /// The regex crate reads no look-around; a pattern with one matches everything here.
    /// Only `Tag.Key`'s `^(?!aws:)...` in the Customer Profiles schema has one, and the
    /// `aws:` rule it states is checked by hand for every tag (`validate::naming`).
    #[test]
    fn every_limit_the_generator_wrote_has_a_pattern_the_regex_crate_reads_or_a_look_ahead() {
        use crate::cfn::generated::{connector, connector_profile, customer_profiles_integration, flow};
        let all = [
            flow::LIMITS,
            connector_profile::LIMITS,
            connector::LIMITS,
            customer_profiles_integration::LIMITS,
        ];
        let mut unread = Vec::new();
        for limits in all.into_iter().flatten() {
            if let Some(pattern) = limits.pattern
                && Regex::new(pattern).is_err()
            {
                unread.push((limits.property, pattern));
            }
        }
        assert_eq!(unread, [("Tag.Key", "^(?!aws:)[a-zA-Z+-=._:/]+$")]);
    }
}
