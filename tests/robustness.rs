//! Robustness: random text and random mutations of the examples go through parse →
//! lower → validate → synth → render. Never a panic, and always either templates or at
//! least one error, each of which renders.

mod support;

use proptest::prelude::*;

/// Tokens that make mutations likely to hit interesting parser and lowering paths.
const TOKENS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    "=",
    ",",
    "\"",
    "'",
    "\n",
    "[[flow.x]]",
    "[flow.x]",
    "[bucket.b]",
    "map-all = {}",
    "0",
    "-1",
    "1e999",
    "nan",
    "9999999999999999999",
    "2024-01-01",
    "2030-01-01T00:00:00Z",
    "true",
    "\"\"",
    "\"x\"",
    "key",
    "import",
    "trigger.event = {}",
    "trigger.schedule = { expression = \"rate(1 week)\" }",
    "source.s3 = { bucket = \"b\", prefix = \"p\" }",
    "destination.eventbridge = {}",
    "op = \"between\"",
    "value = [1, 2, [3]]",
    "é",
    "\u{0}",
    "#",
    "\\u0000",
    "aws:",
    "oauth = {}",
    "client-secret = \"x\"",
    "[profile.p.salesforce]",
];

fn examples() -> Vec<String> {
    let mut texts: Vec<String> = std::fs::read_dir(support::root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    texts.sort();
    texts
}

#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, token: usize },
    DuplicateLine { line: usize },
    SwapLines { a: usize, b: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Edit::Insert { at, token }),
        any::<usize>().prop_map(|line| Edit::DuplicateLine { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines { a, b }),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, edit: &Edit) {
    match edit {
        Edit::Delete { at, len } => {
            let start = boundary(text, *at);
            let end = boundary(text, start + len).max(start);
            text.replace_range(start..end, "");
        }
        Edit::Insert { at, token } => {
            let at = boundary(text, *at);
            text.insert_str(at, TOKENS[*token]);
        }
        Edit::DuplicateLine { line } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let index = line % lines.len();
                lines.insert(index, lines[index]);
                *text = lines.join("\n");
            }
        }
        Edit::SwapLines { a, b } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let (a, b) = (a % lines.len(), b % lines.len());
                lines.swap(a, b);
                *text = lines.join("\n");
            }
        }
    }
}

/// The property: templates, or at least one error; every diagnostic renders.
fn check(text: &str) {
    let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    let diagnostics = match flowform::compile_source("fuzz.toml", text, &support::options()) {
        Ok(synthesized) => {
            assert!(!synthesized.templates.is_empty(), "success without a template");
            for template in &synthesized.templates {
                assert!(!template.template.to_json().is_empty());
            }
            synthesized.warnings
        }
        Err(report) => {
            assert!(report.has_errors(), "failure without an error");
            report.diagnostics
        }
    };
    for diagnostic in &diagnostics {
        let mut out = String::new();
        handler.render_report(&mut out, diagnostic).expect("renders");
        assert!(diagnostic.code.starts_with("flowform::"), "{}", diagnostic.code);
        // The safety net for a stage that fails silently must never be what catches it.
        assert_ne!(diagnostic.code, flowform::input::UNREPORTED_FAILURE, "{text}");
        let _ = diagnostic.one_line();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn mutated_examples_never_panic(example in 0usize..7, edits in prop::collection::vec(edit(), 1..6)) {
        let texts = examples();
        let mut text = texts[example % texts.len()].clone();
        for edit in &edits {
            apply(&mut text, edit);
        }
        check(&text);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,300}") {
        check(&text);
    }

    #[test]
    fn random_toml_shaped_text_never_panics(parts in prop::collection::vec(0..TOKENS.len(), 0..60)) {
        let text: String = parts.iter().map(|i| TOKENS[*i]).collect::<Vec<_>>().join(" ");
        check(&text);
    }
}

#[test]
fn every_unmutated_example_compiles() {
    for text in examples() {
        assert!(flowform::compile_source("example.toml", &text, &support::options()).is_ok());
    }
}
