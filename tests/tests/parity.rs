//! Parity of the engine with the reference tokenizer: differential, property and exhaustive tests.
//!
//! One test binary per crate (as ripgrep keeps it): each module below is a former test
//! file, so the suite links once instead of once per file. Every `.rs` file in this directory
//! must be declared here; `every_test_file_is_a_module` fails otherwise.

mod codepoints;
mod cuts;
mod decode;
mod differential;
mod generations;
mod parallel;
mod real_text;
mod reference;
mod regressions;
mod streaming;

#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let root = include_str!("parity.rs");
    for entry in std::fs::read_dir(&dir).expect("the tests directory lists") {
        let name = entry.expect("a directory entry").file_name();
        let name = name.to_string_lossy();
        let module = name.strip_suffix(".rs").filter(|m| *m != "parity");
        if let Some(module) = module {
            assert!(
                root.contains(&format!("mod {module};")),
                "{name} is not declared in parity.rs, so none of its tests would run"
            );
        }
    }
}
