//! The `flowform` command: see [`flowform::cli`] (feature `cli`).

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    flowform::cli::main()
}
