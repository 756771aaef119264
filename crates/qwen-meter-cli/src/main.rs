//! The `qwen-meter` binary: see the crate README or `qwen-meter --help`.

fn main() {
    let code = qwen_meter_cli::run(std::env::args_os());
    std::process::exit(code);
}
