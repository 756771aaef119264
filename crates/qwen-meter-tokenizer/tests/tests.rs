//! Integration tests of the tokenizer engine: the embedded vocabularies against their
//! upstream checksums, Qwen3.5, and the `tokenizer.json` loader.
//!
//! One test binary per crate: each module below is a test file. Every `.rs` file in this
//! directory must be declared here; `every_test_file_is_a_module` fails otherwise.

mod qwen3_5;
mod tokenizer_json;
mod vocab_checksum;

#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let root = include_str!("tests.rs");
    for entry in std::fs::read_dir(&dir).expect("the tests directory lists") {
        let name = entry.expect("a directory entry").file_name();
        let name = name.to_string_lossy();
        let module = name.strip_suffix(".rs").filter(|m| *m != "tests");
        if let Some(module) = module {
            assert!(
                root.contains(&format!("mod {module};")),
                "{name} is not declared in tests.rs, so none of its tests would run"
            );
        }
    }
}
