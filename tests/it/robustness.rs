//! Robustness: random text and random mutations of the examples go through parse →
//! lower → validate → synth → render. Never a panic, and always either templates or at
//! least one error, each of which renders.

use crate::support;

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

/// Whether every span of `diagnostic` lies inside `text`, on character boundaries.
fn spans_inside(diagnostic: &flowform::input::InputDiagnostic, text: &str) -> bool {
    let inside = |span: &std::ops::Range<usize>| {
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end)
    };
    diagnostic.span.as_ref().is_none_or(inside) && diagnostic.also.as_ref().is_none_or(|(span, _)| inside(span))
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
        assert!(
            spans_inside(diagnostic, text),
            "{} points outside the file",
            diagnostic.code
        );
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
    fn mutated_examples_never_panic(example in any::<prop::sample::Index>(), edits in prop::collection::vec(edit(), 1..6)) {
        let texts = examples();
        let mut text = texts[example.index(texts.len())].clone();
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

/// The places a flow file's text reaches strings CloudFormation interprets: dynamic
/// references (a credential's JSON key, a secret's ARN), `Fn::Sub` templates (a partner
/// event source suffix, a Glue table prefix, a secret's JSON keys), and plain strings
/// beside them (prefixes, tags, objects, descriptions, fields, filter values, names and
/// ARNs of imported resources).
const PLACES: usize = 17;

/// The places where text stays text: the last, a whole imported key ARN, may also be a key
/// id, which flowform then writes as an ARN of its own (`Fn::Sub` with the partition).
const TEXT_PLACES: usize = PLACES - 1;

/// A flow file with `text` in place `place` (0..PLACES) and plain text everywhere else.
fn injectable(place: usize, text: &str) -> String {
    let at = |here: usize, plain: &str| {
        let value = if here == place { text } else { plain };
        serde_json::Value::from(value).to_string()
    };
    format!(
        r#"[stack]
name = "inj"
tags = {{ team = {tag}, {tag_key} = "x" }}

[bucket.lake]

[bucket.archive]
import = {bucket}

[key.shared]
import = {key}

[secret.client]
import = {arn}

[secret.owned]
value.{value_key} = {{ parameter = "P" }}
value.clientId = {{ parameter = "Q" }}
value.clientSecret = {{ parameter = "R" }}

[profile.sf.salesforce]
instance-url = "https://acme.my.salesforce.com"
oauth.access-token = {{ secret = "client", key = {imported_key} }}
oauth.refresh-token = {{ secret = "owned", key = {value_key} }}
oauth.client-secret = "owned"

[flow.events]
description = {description}
trigger.event = {{}}
source.salesforce = {{ profile = "sf", object = "AccountChangeEvent" }}
destination.eventbridge = {{ salesforce-bus-suffix = {suffix} }}
map-all = {{}}

[flow.catalogued]
source.salesforce = {{ profile = "sf", object = {object} }}
destination.s3 = {{ bucket = "lake", prefix = {prefix}, file-type = "parquet", catalog = {{ database = {database}, table-prefix = {table_prefix} }} }}
map-all = {{ exclude = [{exclude}] }}

[flow.archived]
key = "shared"
source.salesforce = {{ profile = "sf", object = "Contact" }}
destination.s3 = {{ bucket = "archive", prefix = "contacts" }}
map = [{{ from = "Email", to = {to} }}]
filter = [{{ field = "Email", type = "string", op = "contains", value = {filter_value} }}]
"#,
        tag = at(0, "data"),
        arn = serde_json::Value::from(format!(
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:{}-AbCdEf",
            if place == 1 { text } else { "appflow/sf" }
        )),
        value_key = at(2, "refreshToken"),
        imported_key = at(3, "accessToken"),
        description = at(4, "events"),
        suffix = at(5, "crm"),
        object = at(6, "Account"),
        prefix = at(7, "accounts"),
        table_prefix = at(8, "crm_"),
        exclude = at(9, "Ssn__c"),
        tag_key = at(10, "owner"),
        bucket = at(11, "archive-bucket"),
        key = match place {
            12 => serde_json::Value::from(format!("arn:aws:kms:eu-west-1:123456789012:key/{text}")),
            16 => serde_json::Value::from(text),
            _ => serde_json::Value::from("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        },
        database = at(13, "crm"),
        to = at(14, "email"),
        filter_value = at(15, "@"),
    )
}

/// What CloudFormation interprets in a template: intrinsic functions (objects with one
/// `Ref` or `Fn::` key), the variables of `Fn::Sub` templates (a `${` not escaped as
/// `${!`), and dynamic references in any string.
fn interpreted(template: &serde_json::Value) -> (usize, usize, usize) {
    use serde_json::Value;
    fn walk(value: &Value, in_sub: bool, counts: &mut (usize, usize, usize)) {
        match value {
            Value::String(text) => {
                counts.0 += text.matches("{{resolve:").count();
                if in_sub {
                    counts.1 += text.matches("${").count() - text.matches("${!").count();
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, in_sub, counts)),
            Value::Object(map) => {
                let intrinsic = map.len() == 1 && map.keys().all(|k| k == "Ref" || k.starts_with("Fn::"));
                if intrinsic {
                    counts.2 += 1;
                }
                for (key, child) in map {
                    walk(child, intrinsic && key == "Fn::Sub", counts);
                }
            }
            _ => {}
        }
    }
    let mut counts = (0, 0, 0);
    walk(template, false, &mut counts);
    counts
}

/// Text that tries to open, end or shift a dynamic reference or an `Fn::Sub` variable.
fn injection_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9_]{1,12}",
        "[ -~]{0,24}",
        prop::sample::select(vec![
            "x}}{{resolve:ssm:/prod/db-password".to_string(),
            "a:b:c".to_string(),
            "${AWS::StackName}".to_string(),
            "t_${Nope}".to_string(),
            "${!x}".to_string(),
            "}}".to_string(),
            "{{resolve:secretsmanager:other:SecretString:k}}".to_string(),
        ]),
    ]
}

/// Text with the characters JSON and YAML readers choke on: controls, DEL, C1, tabs.
fn unreadable_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\u{0}-\u{a0}]{0,12}",
        "\\PC{0,12}",
        prop::sample::select(vec![
            "\t\n:x".to_string(),
            "a\u{85}b\u{7f}c".to_string(),
            "\u{9f}".to_string()
        ]),
    ]
}

/// Text past the schemas' lengths and patterns, and near misses of S3's and ARNs' rules.
fn out_of_bounds_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9_]{1,12}",
        "[ -~]{0,16}",
        "[a-z]{100,140}",
        "[a-z]{240,270}",
        "[a-z]{500,530}",
        "[a-z]{1000,1050}",
        "[a-z]{2040,2060}",
        prop::sample::select(vec![
            "two words".to_string(),
            " ".to_string(),
            "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab".to_string(),
            "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab".to_string(),
            "arn:aws:kms:eu-west-1:123456789012:alias/lake".to_string(),
            "Bucket_Name".to_string(),
            "bucket..name".to_string(),
            "192.168.5.4".to_string(),
            "xn--bucket".to_string(),
            "bucket-s3alias".to_string(),
        ]),
    ]
}

fn interpreted_in(text: &str) -> Option<Vec<(usize, usize, usize)>> {
    let compiled = flowform::compile_source("inj.toml", text, &support::options()).ok()?;
    Some(
        compiled
            .templates
            .iter()
            .map(|t| interpreted(&t.template.to_json_value()))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Whatever text a flow file puts in one of those places, it either is refused or
    /// changes nothing CloudFormation interprets: the template has exactly the dynamic
    /// references, `Fn::Sub` variables and intrinsics it has with plain text there.
    #[test]
    fn no_text_changes_what_cloudformation_interprets(place in 0..TEXT_PLACES, text in injection_text()) {
        let expected = interpreted_in(&injectable(usize::MAX, "")).expect("the plain input compiles");
        if let Some(got) = interpreted_in(&injectable(place, &text)) {
            prop_assert_eq!(got, expected, "text {:?} in place {} changed what CloudFormation interprets", text, place);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Whatever text a flow file puts in one of those places, every template it is
    /// accepted into is one CloudFormation's readers can parse: no raw DEL or C1 control
    /// in the JSON (cfn-lint E0000), which parses back to the same value, and no YAML line
    /// that starts with a tab (libyaml refuses one in a block scalar).
    #[test]
    fn every_accepted_template_is_readable(place in 0..PLACES, text in unreadable_text()) {
        let Ok(compiled) = flowform::compile_source("read.toml", &injectable(place, &text), &support::options()) else {
            return Ok(());
        };
        for stack in &compiled.templates {
            let json = flowform::emit(&stack.template, flowform::Format::Json);
            prop_assert!(!json.chars().any(|c| ('\u{7f}'..='\u{9f}').contains(&c)), "raw control in {json}");
            let parsed: serde_json::Value = serde_json::from_str(&json).expect("the JSON parses");
            prop_assert_eq!(parsed, stack.template.to_json_value());
            let yaml = flowform::emit(&stack.template, flowform::Format::Yaml);
            prop_assert!(!yaml.lines().any(|line| line.trim_start_matches(' ').starts_with('\t')), "tab-led line in {yaml}");
            prop_assert!(!yaml.chars().any(|c| ('\u{7f}'..='\u{9f}').contains(&c)), "raw control in {yaml}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Whatever text a flow file puts in one of those places, every template it is
    /// accepted into meets every length, pattern and range the official schemas put on
    /// its properties: a value CloudFormation or AppFlow would refuse at deploy is a
    /// diagnostic at its span instead.
    #[test]
    fn every_accepted_template_meets_the_schemas(place in 0..PLACES, text in out_of_bounds_text()) {
        static SCHEMAS: std::sync::LazyLock<support::Schemas> = std::sync::LazyLock::new(support::Schemas::load);
        let Ok(compiled) = flowform::compile_source("meets.toml", &injectable(place, &text), &support::options()) else {
            return Ok(());
        };
        for stack in &compiled.templates {
            let problems = SCHEMAS.check_template(&stack.template.to_json_value());
            prop_assert!(problems.is_empty(), "text {:?} in place {} was accepted but: {:?}", text, place, problems);
        }
    }
}

/// What the campaign counts.
#[derive(Debug, Default)]
struct Tally {
    tried: usize,
    accepted: usize,
    panics: usize,
    slow: usize,
    injections: usize,
    unreadable: usize,
    schema_violations: usize,
    spans_outside: usize,
    /// The first inputs that broke a promise, with what broke.
    failures: Vec<String>,
}

impl Tally {
    fn failed(&mut self, what: &str, input: &str) {
        if self.failures.len() < 8 {
            self.failures.push(format!("{what}: {input:?}"));
        }
    }
}

/// Issue 15's campaign, rerun by hand with its counts: mutated examples, random text, TOML
/// token soup, and hostile text in every place of [`injectable`], each input through the
/// whole pipeline, counting what the issue counts (a lost flow has its own property test in
/// `split`). `FLOWFORM_CAMPAIGN` sets the number of inputs:
///
/// ```text
/// FLOWFORM_CAMPAIGN=100000 cargo test --release --test it robustness::campaign -- --ignored --nocapture
/// ```
#[test]
#[ignore = "a long campaign, run by hand"]
fn campaign() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let total: usize = std::env::var("FLOWFORM_CAMPAIGN")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let schemas = support::Schemas::load();
    let plain = interpreted_in(&injectable(usize::MAX, "")).expect("the plain input compiles");
    let texts = examples();
    let mut tally = Tally::default();
    let mut runner = TestRunner::deterministic();
    for round in 0..total {
        let (text, place) = match round % 6 {
            0 => {
                let edits = prop::collection::vec(edit(), 1..6)
                    .new_tree(&mut runner)
                    .unwrap()
                    .current();
                let mut text = texts[round / 6 % texts.len()].clone();
                edits.iter().for_each(|edit| apply(&mut text, edit));
                (text, None)
            }
            1 => ("\\PC{0,300}".new_tree(&mut runner).unwrap().current(), None),
            2 => {
                let parts = prop::collection::vec(0..TOKENS.len(), 0..60)
                    .new_tree(&mut runner)
                    .unwrap()
                    .current();
                (parts.iter().map(|i| TOKENS[*i]).collect::<Vec<_>>().join(" "), None)
            }
            kind => {
                let place = round / 6 % PLACES;
                let text = match kind {
                    3 => injection_text().new_tree(&mut runner).unwrap().current(),
                    4 => unreadable_text().new_tree(&mut runner).unwrap().current(),
                    _ => out_of_bounds_text().new_tree(&mut runner).unwrap().current(),
                };
                (injectable(place, &text), Some(place))
            }
        };
        tally.tried += 1;
        let start = std::time::Instant::now();
        let result = std::panic::catch_unwind(|| flowform::compile_source("campaign.toml", &text, &support::options()));
        if start.elapsed() > std::time::Duration::from_secs(2) {
            tally.slow += 1;
            tally.failed("slow", &text);
        }
        match result {
            Err(_) => {
                tally.panics += 1;
                tally.failed("panic", &text);
            }
            Ok(Err(report)) => {
                for diagnostic in report.diagnostics.iter().filter(|d| !spans_inside(d, &text)) {
                    tally.spans_outside += 1;
                    tally.failed(&format!("span {:?} of {}", diagnostic.span, diagnostic.code), &text);
                }
            }
            Ok(Ok(compiled)) => {
                tally.accepted += 1;
                let mut interpreted = Vec::new();
                for stack in &compiled.templates {
                    let value = stack.template.to_json_value();
                    interpreted.push(self::interpreted(&value));
                    let json = flowform::emit(&stack.template, flowform::Format::Json);
                    let yaml = flowform::emit(&stack.template, flowform::Format::Yaml);
                    let raw_control = |t: &str| t.chars().any(|c| ('\u{7f}'..='\u{9f}').contains(&c));
                    let reparsed = serde_json::from_str::<serde_json::Value>(&json).ok();
                    if raw_control(&json)
                        || raw_control(&yaml)
                        || reparsed.as_ref() != Some(&value)
                        || yaml.lines().any(|line| line.trim_start_matches(' ').starts_with('\t'))
                    {
                        tally.unreadable += 1;
                        tally.failed("unreadable", &text);
                    }
                    let problems = schemas.check_template(&value);
                    if !problems.is_empty() {
                        tally.schema_violations += 1;
                        tally.failed(&problems.join("; "), &text);
                    }
                }
                if place.is_some_and(|place| place < TEXT_PLACES) && interpreted != plain {
                    tally.injections += 1;
                    tally.failed("injection", &text);
                }
            }
        }
    }
    println!("{tally:#?}");
    assert_eq!(
        (
            tally.panics,
            tally.slow,
            tally.injections,
            tally.unreadable,
            tally.schema_violations,
            tally.spans_outside
        ),
        (0, 0, 0, 0, 0, 0),
        "{tally:#?}"
    );
}

#[test]
fn a_file_that_starts_with_a_multibyte_character_gets_a_whole_character_span() {
    // The missing-stack error spanned byte 0..1, inside `é`: a span outside the text.
    let report = flowform::compile_source("accent.toml", "é = 1\n", &support::options()).unwrap_err();
    let missing = report
        .diagnostics
        .iter()
        .find(|d| d.code == "flowform::input::missing_stack")
        .expect("the stack is missing");
    assert_eq!(missing.span, Some(0.."é".len()));
    assert!(report.diagnostics.iter().all(|d| spans_inside(d, "é = 1\n")));
}

/// The targets files a rollout reads: the example's, and StackSets settings besides.
#[cfg(feature = "deploy")]
fn targets_files() -> Vec<String> {
    let example = std::fs::read_to_string(support::root().join("examples/rollout/customers.toml")).unwrap();
    let stacksets = "[rollout]\nengine = \"stacksets\"\npermission-model = \"service-managed\"\ncall-as = \"delegated-admin\"\npreferences = { max-concurrent = 2, failure-tolerance = 1, region-order = [\"us-east-1\"] }\n\n[values]\nA = \"x\"\n\n[target.org]\norganizational-units = [\"ou-ab12-cd34ef56\", \"r-ab12\"]\nregions = [\"us-east-1\", \"eu-west-1\"]\nvalues = { B = { env = \"VAR\" }, C = 3 }\n";
    vec![example, stacksets.to_string()]
}

/// An outside world with one variable and no files.
#[cfg(feature = "deploy")]
struct Outside;

#[cfg(feature = "deploy")]
impl flowform::deploy::values::Outside for Outside {
    fn env(&self, name: &str) -> Option<String> {
        (name == "VAR").then(|| "value".to_string())
    }
    fn file(&self, _: &std::path::Path) -> std::io::Result<String> {
        Err(std::io::Error::other("no files"))
    }
    fn stdin(&self) -> Option<std::io::Result<String>> {
        None
    }
}

#[cfg(feature = "deploy")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// A mangled targets file never panics: it reads, or every problem has a span inside
    /// the text and draws.
    #[test]
    fn mutated_targets_files_never_panic(file in any::<prop::sample::Index>(), edits in prop::collection::vec(edit(), 1..6)) {
        let texts = targets_files();
        let mut text = texts[file.index(texts.len())].clone();
        for edit in &edits {
            apply(&mut text, edit);
        }
        let path = std::path::Path::new("fuzz-targets.toml");
        match flowform::rollout::targets::parse(path, &text, &Outside) {
            Ok(read) => {
                let _ = read.deployments();
                let _ = read.check_values(|_| vec![("A", false), ("InstanceUrl", false)], &[], Some("crm"));
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
                for error in &errors {
                    if let Some(span) = error.span() {
                        prop_assert!(span.end <= text.len(), "span {:?} past the text's {} bytes", span, text.len());
                    }
                    let mut out = String::new();
                    prop_assert!(handler.render_report(&mut out, error).is_ok(), "{}", error);
                }
            }
        }
    }
}
