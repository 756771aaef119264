//! Integration tests of qwen-meter: catalog, cost, limits and chat.
//!
//! One test binary per crate (as ripgrep keeps it): each module below is a former test
//! file, so the suite links once instead of once per file. Every `.rs` file in this directory
//! must be declared here; `every_test_file_is_a_module` fails otherwise.

mod catalog_errors;
mod catalog_qwen3_5;
mod catalog_validation;
mod chat_count;
mod chat_errors;
mod chat_qwen3_5;
mod chat_reference;
mod chat_render;
mod cost_estimate_text;
mod cost_golden;
mod cost_media;
mod cost_properties;
mod limits_fit;
mod limits_rate;
mod limits_truncate;

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
