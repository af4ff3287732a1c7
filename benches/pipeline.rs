//! The benchmark harness (`cargo bench`): for N = 1 … 10,000 flows it measures every
//! stage of the pipeline in-process, the whole `flowform synth` process (wall time and
//! peak RSS, through `/usr/bin/time`), the output size, and the floor: serializing the
//! same final templates with serde_json alone. Prints a Markdown report (BENCHMARKS.md
//! is made from it). Set `BENCH_N=1,10,100` to choose the sizes, `BENCH_RUNS` the repeats.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use flowform::input::{SourceFile, lower};
use flowform::{CompileOptions, Format};

/// N Salesforce → S3 flows with a map-all, a filter, a mask and a validation, sharing
/// one profile and one bucket.
fn input(flows: usize) -> String {
    let mut text = String::from(
        "[stack]\nname = \"bench\"\n\n[bucket.lake]\n\n[secret.sf-client]\n\
         import = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow/sf-AbCdEf\"\n\n\
         [profile.salesforce.salesforce]\ninstance-url = \"https://acme.my.salesforce.com\"\n\
         oauth.access-token = { secret = \"sf-client\", key = \"accessToken\" }\n\
         oauth.refresh-token = { secret = \"sf-client\", key = \"refreshToken\" }\n\
         oauth.client-secret = \"sf-client\"\n\n",
    );
    for i in 0..flows {
        text.push_str(&format!(
            "[flow.flow-{i:05}]\n\
             source.salesforce = {{ profile = \"salesforce\", object = \"Account\" }}\n\
             destination.s3 = {{ bucket = \"lake\", prefix = \"accounts/{i}\" }}\n\
             map-all = {{ exclude = [\"Secret__c\"] }}\n\
             filter = [{{ field = \"CreatedDate\", type = \"datetime\", op = \">=\", value = 2022-02-02T00:00:00Z }}]\n\
             mask = [{{ field = \"Phone\", last = 4 }}]\n\
             validate = [{{ field = \"Id\", check = \"not-null\" }}]\n\n"
        ));
    }
    text
}

#[derive(Default, Clone, Copy)]
struct Stages {
    lower: Duration,
    validate: Duration,
    permissions: Duration,
    synth: Duration,
    emit_json: Duration,
    emit_yaml: Duration,
    floor: Duration,
    /// lower + validate + permissions + synth, of one run.
    before_serialization: Duration,
    bytes: usize,
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

fn stages(text: &str) -> Stages {
    let options = CompileOptions::default();
    let source = Arc::new(SourceFile::new("bench.toml", text));
    let (lowered, lower) = time(|| lower::lower(&source, text, false));
    let stack = lowered.stack.expect("the bench input lowers");
    let (validated, validate) = time(|| flowform::validate(stack, options.now));
    let (validated, _) = validated.expect("the bench input is valid");
    let ((granted, _), permissions) = time(|| flowform::grant_permissions(validated));
    let (templates, synth) = time(|| flowform::synthesize_split(&granted, &Default::default()).expect("splits"));
    let (json, emit_json) = time(|| {
        templates
            .templates
            .iter()
            .map(|t| flowform::emit(&t.template, Format::Json))
            .collect::<Vec<_>>()
    });
    let (_, emit_yaml) = time(|| {
        templates
            .templates
            .iter()
            .map(|t| flowform::emit(&t.template, Format::Yaml))
            .collect::<Vec<_>>()
    });
    // The floor: the same final templates, as plain JSON values, serialized by serde_json.
    let values: Vec<serde_json::Value> = json.iter().map(|t| serde_json::from_str(t).unwrap()).collect();
    let (_, floor) = time(|| {
        values
            .iter()
            .map(|v| serde_json::to_string_pretty(v).unwrap())
            .collect::<Vec<_>>()
    });
    Stages {
        lower,
        validate,
        permissions,
        synth,
        emit_json,
        emit_yaml,
        floor,
        before_serialization: lower + validate + permissions + synth,
        bytes: json.iter().map(String::len).sum(),
    }
}

/// Each stage's own median over `runs` measurements, and the floor's. (The median run by
/// total time took that run's floor with it, and the floor, a few milliseconds at 1,000
/// flows, varied by half between runs on this machine: the ratio to it was mostly noise.)
fn median_stages(text: &str, runs: usize) -> Stages {
    let all: Vec<Stages> = (0..runs).map(|_| stages(text)).collect();
    let median = |stage: fn(&Stages) -> Duration| {
        let mut samples: Vec<Duration> = all.iter().map(stage).collect();
        samples.sort();
        samples[samples.len() / 2]
    };
    Stages {
        lower: median(|s| s.lower),
        validate: median(|s| s.validate),
        permissions: median(|s| s.permissions),
        synth: median(|s| s.synth),
        emit_json: median(|s| s.emit_json),
        emit_yaml: median(|s| s.emit_yaml),
        floor: median(|s| s.floor),
        before_serialization: median(|s| s.lower + s.validate + s.permissions + s.synth),
        bytes: all[0].bytes,
    }
}

/// Median wall time and peak RSS of the whole `flowform synth` process.
fn whole_process(binary: &str, file: &str, out: &str, format: &str, runs: usize) -> Option<(Duration, u64)> {
    let mut samples = Vec::new();
    // A split input gets a lock file beside it (`n1000.lock`); a later run would read it
    // and keep its placement, so every run starts without one, as the first run did.
    let lock = std::path::Path::new(file).with_extension("lock");
    for _ in 0..runs {
        // Every run writes into an empty directory, so every file is new (a re-run into
        // the same directory leaves unchanged templates alone and writes nothing).
        let _ = std::fs::remove_dir_all(out);
        let _ = std::fs::remove_file(&lock);
        let output = Command::new("/usr/bin/time")
            .args([
                "-f", "%e %M", binary, "synth", "--color", "never", "--format", format, file, "-o", out,
            ])
            .output()
            .ok()?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last()?.to_owned();
        let mut fields = last.split_whitespace();
        let _coarse: f64 = fields.next()?.parse().ok()?;
        let rss: u64 = fields.next()?.parse().ok()?;
        // /usr/bin/time rounds to 10 ms; measure wall time ourselves.
        let _ = std::fs::remove_dir_all(out);
        let _ = std::fs::remove_file(&lock);
        let start = Instant::now();
        let status = Command::new(binary)
            .args(["synth", "--color", "never", "--format", format, file, "-o", out])
            .output()
            .ok()?;
        let wall = start.elapsed();
        if !status.status.success() {
            return None;
        }
        samples.push((wall, rss));
    }
    samples.sort();
    Some(samples[samples.len() / 2])
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_N")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1, 10, 100, 1_000, 10_000]);
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    // Cargo builds the binary with the bench profile (optimized) for `cargo bench`.
    let binary = env!("CARGO_BIN_EXE_flowform");
    let scratch = std::env::temp_dir().join(format!("flowform-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();

    println!(
        "| N | process wall, JSON (ms) | process wall, YAML (ms) | peak RSS (MB) | lower | validate | permissions | synth+split | emit JSON | emit YAML | serde_json floor | before serialization | output bytes | µs/flow (process) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let text = input(n);
        let file = scratch.join(format!("n{n}.toml"));
        std::fs::write(&file, &text).unwrap();
        let s = median_stages(&text, runs);
        let out = scratch.join(format!("out{n}"));
        let process = whole_process(binary, file.to_str().unwrap(), out.to_str().unwrap(), "json", runs);
        let yaml = whole_process(binary, file.to_str().unwrap(), out.to_str().unwrap(), "yaml", runs)
            .map(|(wall, _)| ms(wall))
            .unwrap_or_else(|| "n/a".into());
        let (wall, rss) = match process {
            Some((wall, rss)) => (ms(wall), format!("{:.1}", rss as f64 / 1024.0)),
            None => ("n/a (needs /usr/bin/time)".into(), "n/a".into()),
        };
        let per_flow = process
            .map(|(w, _)| format!("{:.1}", w.as_secs_f64() * 1e6 / n as f64))
            .unwrap_or_default();
        println!(
            "| {n} | {wall} | {yaml} | {rss} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {per_flow} |",
            ms(s.lower),
            ms(s.validate),
            ms(s.permissions),
            ms(s.synth),
            ms(s.emit_json),
            ms(s.emit_yaml),
            ms(s.floor),
            ms(s.before_serialization),
            s.bytes
        );
    }
    let _ = std::fs::remove_dir_all(scratch);
}
