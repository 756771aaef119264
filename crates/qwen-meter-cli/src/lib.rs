//! The `qwen-meter` command as a library: argument definitions, the streaming chunker, the
//! parallel counting engine and one module per subcommand. `main.rs` only calls [`run`].
//!
//! The chunker ([`chunk`]) is public so that tests can check that cutting a text at its safe
//! points never changes the token count.

pub mod chunk;
pub mod cli;
pub mod commands;
pub mod context;
pub mod engine;
pub mod error;
pub mod input;
pub mod json_errors;
pub mod media;
pub mod output;
pub mod pricing;
pub mod source;

use clap::{CommandFactory, Parser};

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::error::CliResult;

/// Parses the command line, runs the subcommand and returns the process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            let _ = e.print();
            return code;
        }
    };
    let json = cli.global.json;
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            e.report();
            if json {
                output::print_json(&e.to_json());
            }
            e.code
        }
    }
}

fn dispatch(cli: Cli) -> CliResult<i32> {
    let mut ctx = Context::new(cli.global);
    let tokenizes = !matches!(
        cli.command,
        Command::Cost(_) | Command::Models(_) | Command::Completions(_) | Command::Man
    );
    if ctx.global.tokenizer.is_some() {
        if !tokenizes {
            return Err(error::CliError::usage(
                "--tokenizer applies to commands that tokenize (count, encode, decode, tokens, truncate, chat, plan)",
            ));
        }
        ctx.load_tokenizer()?;
    }
    match &cli.command {
        Command::Count(a) => commands::count::run(&ctx, a),
        Command::Encode(a) => commands::encode::run_encode(&ctx, a),
        Command::Decode(a) => commands::encode::run_decode(&ctx, a),
        Command::Tokens(a) => commands::tokens::run(&ctx, a),
        Command::Truncate(a) => commands::truncate::run(&ctx, a),
        Command::Chat(a) => commands::chat::run(&ctx, a),
        Command::Cost(a) => commands::cost::run(&ctx, a),
        Command::Models(a) => commands::models::run(&ctx, a),
        Command::Plan(a) => commands::plan::run(&ctx, a),
        Command::Completions(a) => {
            let mut out = Vec::new();
            clap_complete::generate(a.shell, &mut Cli::command(), "qwen-meter", &mut out);
            output::write_stdout(&String::from_utf8_lossy(&out));
            Ok(0)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| error::CliError::input(format!("cannot render the manual: {e}")))?;
            output::write_stdout(&String::from_utf8_lossy(&out));
            Ok(0)
        }
    }
}
