//! The command-line tests: each module runs the real `qwen-meter` binary (or the library's
//! chunking) on one area. One test binary per crate, as ripgrep keeps it: every `.rs` file in
//! this directory must be declared here; `every_test_file_is_a_module` fails otherwise.

mod common;

mod chunk_props;
mod cli_catalog;
mod cli_count;
mod cli_errors;
mod cli_examples;
mod cli_media;
mod cli_robustness;
mod cli_text;
mod cli_tokenizer_file;

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
