//! The item-by-item path lowers exactly as the whole-file path does, and lowering's own
//! errors point where they should.
use proptest::prelude::*;

use super::*;

/// `text` with `SAAS` standing for a SaaS connector's TOML key (the connector modules
/// name connectors; these tests only need one).
fn saas(text: &str) -> String {
    text.replace("SAAS", crate::connectors::SAAS_TEST_KEY)
}

/// Lowers `text` (after [`saas`]) both ways and checks they agree; returns whether the
/// item-by-item path took the file.
fn agree(name: &str, text: &str) -> bool {
    let text = &saas(text);
    let source = Arc::new(SourceFile::new(name, text));
    let whole = lower_whole_file(&source, text, false);
    let Some(by_item) = lower_by_item(&source, text) else {
        return false;
    };
    assert!(
        whole.diagnostics.is_empty(),
        "{name}: the fast path took a file with errors"
    );
    assert_eq!(by_item.stack, whole.stack, "{name}: the models differ");
    assert_eq!(by_item.spans, whole.spans, "{name}: the span maps differ");
    assert_eq!(
        by_item.unreadable, whole.unreadable,
        "{name}: the unreadable items differ"
    );
    true
}

#[test]
fn datetimes_become_the_instant_their_text_names() {
    for text in [
        "2022-02-02T00:00:00Z",
        "1979-05-27T07:32:00-08:00",
        "1979-05-27T00:32:00.999999+05:30",
        "2016-12-31T23:59:60Z",
        "2030-01-01T00:00:00.123456789-23:59",
        "0001-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59-23:59",
        "1979-05-27T07:32:00",
        "1979-05-27",
        "07:32:00",
    ] {
        let datetime: toml::value::Datetime = text.parse().unwrap();
        let by_text = (datetime.date.is_some() && datetime.time.is_some() && datetime.offset.is_some())
            .then(|| datetime.to_string().parse::<Timestamp>().ok())
            .flatten();
        assert_eq!(timestamp_of(&datetime), by_text, "{text}");
    }
    assert!(timestamp_of(&"2022-02-02T00:00:00Z".parse().unwrap()).is_some());
}

proptest! {
    #[test]
    fn any_offset_datetime_becomes_the_instant_its_text_names(
        (year, month, day) in (1u16..=9999, 1u8..=12, 1u8..=31),
        (hour, minute, second, nanosecond) in (0u8..24, 0u8..60, 0u8..=60, 0u32..1_000_000_000),
        offset in proptest::option::of(-1439i16..=1439),
    ) {
        let offset = match offset {
            None => "Z".to_owned(),
            Some(minutes) => format!("{}{:02}:{:02}", if minutes < 0 { '-' } else { '+' }, minutes.abs() / 60, minutes.abs() % 60),
        };
        let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{nanosecond:09}{offset}");
        if let Ok(datetime) = text.parse::<toml::value::Datetime>() {
            let by_text = datetime.to_string().parse::<Timestamp>().ok();
            prop_assert_eq!(timestamp_of(&datetime), by_text, "{}", text);
        }
    }
}

fn files(directory: &str) -> Vec<(String, String)> {
    let directory = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(directory);
    let mut files: Vec<_> = std::fs::read_dir(directory)
        .expect("the directory exists")
        .map(|entry| entry.expect("readable").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            (
                path.display().to_string(),
                std::fs::read_to_string(&path).expect("readable"),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_example_takes_the_item_by_item_path_and_lowers_as_the_whole_file_does() {
    let examples = files("examples");
    assert!(examples.len() >= 7);
    for (name, text) in examples {
        assert!(agree(&name, &text), "{name} fell back to the whole-file parse");
    }
}

#[test]
fn ui_inputs_either_fall_back_or_lower_as_the_whole_file_does() {
    let mut fast = 0;
    for (name, text) in files("tests/ui") {
        fast += usize::from(agree(&name, &text));
    }
    // Those whose errors are found by validation, after lowering, take the fast path.
    assert!(fast > 0);
}

#[test]
fn item_order_sub_tables_quoting_and_line_endings_do_not_change_the_result() {
    let mut text = String::from("\u{feff}# leading comment\n\n");
    text.push_str("[flow.zulu]\nsource.SAAS = { profile = \"sf\", object = \"Account\" }\n");
    text.push_str("destination.s3 = { bucket = \"lake\", prefix = \"z\" }\nmap-all = {}\n");
    text.push_str("[bucket.lake]\n[stack]\nname = \"order\"\n[stack.tags]\nteam = \"data\"\n");
    text.push_str("  [flow.\"alpha\"]\nmap-fields = [\"Id\"]\n[flow.alpha.source.SAAS]\n");
    text.push_str("profile = \"sf\"\nobject = \"Contact\"\n[flow.alpha.destination.s3]\nbucket = \"lake\"\n");
    text.push_str("prefix = \"a\"\n[[flow.alpha.filter]]\nfield = \"Id\"\ntype = \"string\"\nop = \"contains\"\n");
    text.push_str("value = \"x\"\n[bucket.aaa]\n[secret.sf-client]\nimport = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/sf-AbCdEf\"\n");
    text.push_str("[profile.sf.SAAS]\ninstance-url = \"https://a.my.SAAS.com\"\n");
    text.push_str("oauth.refresh-token = { secret = \"sf-client\", key = \"refreshToken\" }\n");
    text.push_str("oauth.access-token = { secret = \"sf-client\", key = \"accessToken\" }\n");
    text.push_str("oauth.client-secret = \"sf-client\"\n[flow.mike]\n");
    text.push_str("source.SAAS = { profile = \"sf\", object = \"Lead\" }\n");
    text.push_str("destination.s3 = { bucket = \"aaa\", prefix = \"m\" }\nmap-all = {}\n");
    let source = Arc::new(SourceFile::new("t.toml", saas(&text)));
    assert!(lower_whole_file(&source, &saas(&text), false).diagnostics.is_empty());
    assert!(agree("t.toml", &text));
    let crlf = text.replace('\n', "\r\n");
    assert!(agree("crlf.toml", &crlf));
}

/// One flow in one of several layouts: inline tables or sub-table headers (with an
/// array of tables), a bare or quoted name, an indented header.
fn flow_text(name: &str, sub_tables: bool, quoted: bool, indent: &str) -> String {
    let header = if quoted {
        format!("{indent}[flow.\"{name}\"]\n")
    } else {
        format!("{indent}[flow.{name}]\n")
    };
    if sub_tables {
        format!(
            "{header}map-all = {{}}\n{indent}[flow.{name}.source.SAAS]\nprofile = \"sf\"\n\
                 object = \"Account\"\n[flow.{name}.destination.s3]\nbucket = \"lake\"\nprefix = \"{name}\"\n\
                 [[flow.{name}.filter]]\nfield = \"Id\"\ntype = \"string\"\nop = \"contains\"\nvalue = \"x\"\n"
        )
    } else {
        format!(
            "{header}source.SAAS = {{ profile = \"sf\", object = \"Account\" }}\n\
                 destination.s3 = {{ bucket = \"lake\", prefix = \"{name}\" }}\nmap-all = {{}}\n"
        )
    }
}

fn layout() -> impl Strategy<Value = String> {
    let flow = (any::<bool>(), any::<bool>(), 0..3usize, 0..3usize);
    (prop::collection::vec(flow, 1..10), any::<bool>(), any::<u64>()).prop_flat_map(|(flows, crlf, seed)| {
        let mut items: Vec<String> = vec![
            "[stack]\nname = \"prop\"\n".into(),
            "[bucket.lake]\n".into(),
            "[secret.sf-client]\nimport = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/sf-AbCdEf\"\n"
                .into(),
            "[profile.sf.SAAS]\ninstance-url = \"https://a.my.SAAS.com\"\n\
                 oauth.refresh-token = { secret = \"sf-client\", key = \"refreshToken\" }\n\
                 oauth.access-token = { secret = \"sf-client\", key = \"accessToken\" }\n\
                 oauth.client-secret = \"sf-client\"\n"
                .into(),
        ];
        for (i, (sub_tables, quoted, indent, gap)) in flows.into_iter().enumerate() {
            let name = format!("f{}", (seed as usize).wrapping_add(i * 7919) % 1000);
            let gap = ["", "\n", "# a comment\n\n"][gap];
            items.push(format!(
                "{gap}{}",
                flow_text(&name, sub_tables, quoted, ["", " ", "\t"][indent])
            ));
        }
        Just(items).prop_shuffle().prop_map(move |items| {
            let text = saas(&format!("# generated\n{}", items.concat()));
            if crlf { text.replace('\n', "\r\n") } else { text }
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Any layout of a valid file takes the item-by-item path (unless two flows got
    /// the same name) and lowers exactly as the whole file does.
    #[test]
    fn any_layout_lowers_as_the_whole_file_does(text in layout()) {
        let source = Arc::new(SourceFile::new("p.toml", &text));
        let clean = lower_whole_file(&source, &text, false).diagnostics.is_empty();
        prop_assert_eq!(agree("p.toml", &text), clean);
    }

    /// Whatever a one-place edit breaks, the item-by-item path either declines or gives
    /// exactly the whole file's result: it never takes a file with an error.
    #[test]
    fn an_edit_anywhere_never_makes_the_paths_disagree(
        text in layout(),
        at in any::<prop::sample::Index>(),
        edit in 0..8usize,
    ) {
        let mut text = text;
        let at = at.index(text.len() + 1);
        let insert = ["[", "\n[flow.f0]\nx = 1\n", "\"", "#", "=", "\n[[flow.f1]]\n", "\nx = 1\n"];
        match insert.get(edit) {
            Some(piece) => text.insert_str(at, piece),
            None if at < text.len() => {
                text.remove(at);
            }
            None => {}
        }
        agree("edited.toml", &text);
    }
}

#[test]
fn a_big_file_is_lowered_on_every_core_as_the_whole_file_does() {
    let mut text = String::from("[stack]\nname = \"big\"\n[bucket.lake]\n");
    text.push_str("[profile.sf.SAAS]\nimport = \"arn:aws:appflow:eu-west-1:1:connectorprofile/sf\"\n");
    for i in (0..1_200).rev() {
        text.push_str(&format!(
            "[flow.f{i}]\nsource.SAAS = {{ profile = \"sf\", object = \"Account\" }}\n\
                 destination.s3 = {{ bucket = \"lake\", prefix = \"p{i}\" }}\nmap-all = {{}}\n"
        ));
    }
    assert!(agree("big.toml", &text));
}
