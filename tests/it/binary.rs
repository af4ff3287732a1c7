//! The `flowform` command as it is built: `build.rs` links it position-dependent on
//! Linux, so a run does not start by relocating (and copying) its read-only data.

/// The ELF type of the built command: 2 is a fixed-address executable, 3 a shared object
/// (what a position-independent executable is).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_command_is_a_fixed_address_executable_on_linux() {
    if std::env::var_os("FLOWFORM_PIE").is_some_and(|value| value != "0") {
        return; // Built as asked: position-independent.
    }
    use std::io::Read;
    let mut header = [0u8; 18];
    std::fs::File::open(env!("CARGO_BIN_EXE_flowform"))
        .and_then(|mut binary| binary.read_exact(&mut header))
        .expect("the command is built");
    assert_eq!(&header[..4], b"\x7fELF", "an ELF file");
    let elf_type = u16::from_le_bytes([header[16], header[17]]);
    assert_eq!(
        elf_type, 2,
        "ET_EXEC, not ET_DYN (a PIE): build.rs's -no-pie did not apply"
    );
}
