//! Links the `flowform` command as a position-dependent executable on Linux.
//!
//! A position-independent executable (rustc's default) is relocated at every start: the
//! command links the AWS SDK, and its 1.2 MB of read-only data holding pointers
//! (`.data.rel.ro`: vtables, string tables) take 34,000 relocations, which copy each of
//! those ~300 pages on write. Measured on a one-flow `flowform synth` (`perf stat`, 60
//! runs, release profile): 702 → 450 page faults and 3.4 → 2.6 ms, a quarter of the run
//! (BENCHMARKS.md). A fixed-address executable needs none of that; the linker resolves
//! the pointers once. The cost is that the executable's own code and data are not
//! randomized (ASLR still moves the stack, the heap and every shared library), as with
//! Go's default executables on Linux; flowform's own code has no `unsafe`.
//!
//! Only the command is linked so (`rustc-link-arg-bin`): the library, its tests and
//! whatever a build script links are untouched. Set `FLOWFORM_PIE=1` to keep the default
//! (a distribution whose policy requires PIE).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=FLOWFORM_PIE");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    let keep_pie = std::env::var_os("FLOWFORM_PIE").is_some_and(|value| value != "0");
    // GCC's and Clang's drivers take the last of `-pie` and `-no-pie`; rustc passes `-pie`
    // before the link arguments of build scripts.
    if os == "linux" && env == "gnu" && !keep_pie {
        println!("cargo:rustc-link-arg-bin=flowform=-no-pie");
    }
}
