//! Ships the template the build script synthesized inside the binary.

/// The CloudFormation template of `flows.toml`, compiled at build time.
const TEMPLATE: &str = include_str!(concat!(env!("OUT_DIR"), "/build-demo.template.json"));

fn main() {
    print!("{TEMPLATE}");
}
