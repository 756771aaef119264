//! Command-line definitions (clap derive): every subcommand, flag, help text and example.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use qwen_meter::Generation;

use crate::chunk::DEFAULT_CHUNK_SIZE;

const ABOUT: &str =
    "Count tokens, truncate text and estimate cost for Alibaba's Qwen models, offline.";

const LONG_ABOUT: &str = "\
Count tokens, truncate text and estimate cost for Alibaba's Qwen models, offline.

Token counts are exact: the same ids as the official Qwen tokenizer. Prices, limits and
rate limits come from the built-in model catalog (or your own, with --catalog).

Every subcommand prints a readable table by default and machine-readable JSON with --json
(schemas in the README). Exit codes: 0 success, 1 an input could not be read, 2 bad command
line, 3 unknown model/region or bad catalog, 4 malformed data, 5 request does not fit the model.";

const MAIN_EXAMPLES: &str = "\
Examples:
  qwen-meter count README.md --model qwen3-max
  qwen-meter count crates/ --include '*.md' --json
  printf 'Hello, world!' | qwen-meter encode     # 9707 11 1879 0
  qwen-meter decode 9707 11 1879 0               # Hello, world!
  qwen-meter truncate --max-tokens 1000 --file long.txt > short.txt
  qwen-meter cost --model qwen3-max --input-tokens 50000 --output-tokens 2000
  qwen-meter models";

/// The `qwen-meter` command.
#[derive(Debug, Parser)]
#[command(
    name = "qwen-meter",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = MAIN_EXAMPLES,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Options shared by every subcommand.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted before or after any subcommand.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Print machine-readable JSON instead of a table (schemas in the README).
    #[arg(long, global = true, help_heading = "Global options")]
    pub json: bool,

    /// Never draw a progress bar (it is only drawn on a terminal anyway).
    #[arg(long, short, global = true, help_heading = "Global options")]
    pub quiet: bool,

    /// Tokenizer generation: qwen, qwen2, qwen2.5, qwen3 or qwen3.5 [default: the model's, else qwen3].
    #[arg(long, short = 'g', global = true, value_name = "GEN", value_parser = parse_generation, help_heading = "Global options")]
    pub generation: Option<Generation>,

    /// Treat special-token text such as `<|im_start|>` or `<think>` as ordinary text.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        help = "Treat special-token text such as <|im_start|> or <think> as ordinary text"
    )]
    pub ordinary: bool,

    /// Count with the tokenizer in FILE instead of a built-in one: a Hugging Face
    /// tokenizer.json (Qwen-style byte-level BPE), or a tiktoken rank file (then --generation
    /// gives its special tokens and chat template).
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Global options"
    )]
    pub tokenizer: Option<PathBuf>,

    /// Use the model catalog in FILE: a whole catalog, or a list of model overrides applied to
    /// the built-in one.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Global options"
    )]
    pub catalog: Option<PathBuf>,
}

fn parse_generation(s: &str) -> Result<Generation, String> {
    Generation::from_name(s).ok_or_else(|| {
        format!(
            "unknown generation '{s}' (expected one of: {})",
            generation_names()
        )
    })
}

/// The generation names the engine knows, for messages (new generations appear by themselves).
pub fn generation_names() -> String {
    Generation::ALL
        .iter()
        .map(|g| g.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Count tokens, characters and bytes of files, directories or standard input.
    #[command(after_help = COUNT_EXAMPLES, long_about = COUNT_LONG)]
    Count(CountArgs),
    /// Print the token ids of a text.
    #[command(after_help = ENCODE_EXAMPLES)]
    Encode(EncodeArgs),
    /// Turn token ids back into text.
    #[command(after_help = DECODE_EXAMPLES)]
    Decode(DecodeArgs),
    /// Show each token of a text with its id, bytes and position, for inspection.
    #[command(after_help = TOKENS_EXAMPLES)]
    Tokens(TokensArgs),
    /// Cut a text to at most N tokens (or to what fits a model with room for the output).
    #[command(after_help = TRUNCATE_EXAMPLES)]
    Truncate(TruncateArgs),
    /// Count the prompt tokens of chat messages (with the chat template) and their cost.
    #[command(after_help = CHAT_EXAMPLES)]
    Chat(ChatArgs),
    /// Price a request from token counts, without text.
    #[command(after_help = COST_EXAMPLES)]
    Cost(CostArgs),
    /// List the models of the catalog, or show one in full.
    #[command(after_help = MODELS_EXAMPLES)]
    Models(ModelsArgs),
    /// Plan a batch of requests under a model's rate limits (RPM and TPM).
    #[command(after_help = PLAN_EXAMPLES)]
    Plan(PlanArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish or powershell).
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), generated from this help.
    #[command(after_help = MAN_EXAMPLES)]
    Man,
}

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  qwen-meter completions bash > ~/.local/share/bash-completion/completions/qwen-meter
  qwen-meter completions zsh > ~/.zfunc/_qwen-meter
  qwen-meter completions fish > ~/.config/fish/completions/qwen-meter.fish";

const MAN_EXAMPLES: &str = "\
Examples:
  qwen-meter man > qwen-meter.1      # then: man ./qwen-meter.1";

/// `qwen-meter completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

const COUNT_LONG: &str = "\
Count tokens, characters and bytes of files, directories or standard input.

Files are streamed in chunks (constant memory, any size) and counted on all cores; the count
is exactly the tokenizer's count of the whole file. Directories are walked recursively in name
order like ripgrep does: .gitignore, .ignore and .git/info/exclude rules are respected (not
with --no-ignore), hidden entries are skipped unless --hidden, binary files (a NUL byte in the
first 8 KiB) are skipped, and --include / --exclude globs filter the files found there
(matched against the path relative to the directory, or the file name). What was skipped is
summed up in one line on stderr. A file that cannot be read or is not UTF-8 is reported on
stderr (exit code 1) and the others are still counted. With --model, each file is priced as
one request.";

const COUNT_EXAMPLES: &str = "\
Examples:
  qwen-meter count README.md --model qwen3-max
  qwen-meter count crates/ tests/ --include '*.rs' --include '*.md' --exclude 'target/**'
  cat README.md | qwen-meter count
  qwen-meter count --text 'Hello, world!'
  qwen-meter count -c README.md                  # just the number
  qwen-meter count crates/ --format csv
  qwen-meter count big.log --lossy --json";

const ENCODE_EXAMPLES: &str = "\
Examples:
  qwen-meter encode 'Hello, world!'          # 9707 11 1879 0
  qwen-meter encode --file prompt.txt --json
  echo '<|im_start|>user' | qwen-meter encode --ordinary";

const DECODE_EXAMPLES: &str = "\
Examples:
  qwen-meter decode 9707 11 1879 0
  qwen-meter decode '[9707, 11, 1879, 0]'
  qwen-meter encode --json 'Hello' | qwen-meter decode
  qwen-meter decode --file ids.txt --lossy";

const TOKENS_EXAMPLES: &str = "\
Examples:
  qwen-meter tokens 'naïve café 🦀'
  qwen-meter tokens --file prompt.txt --json";

const TRUNCATE_EXAMPLES: &str = "\
Examples:
  qwen-meter truncate --max-tokens 100 --file long.txt
  qwen-meter truncate --max-tokens 100 --keep end < chat.log
  qwen-meter truncate --model qwen3-max --reserve-output 8000 --file book.txt > fits.txt";

const CHAT_EXAMPLES: &str = "\
Examples:
  qwen-meter chat conversation.json --model qwen3-max --output-tokens 500
  qwen-meter chat request.json --enable-thinking --show-prompt
  echo '[{\"role\":\"user\",\"content\":\"Hi\"}]' | qwen-meter chat - --json

The file holds a JSON array of messages in the OpenAI/DashScope shape, or an object with
\"messages\" (and optionally \"tools\").";

const COST_EXAMPLES: &str = "\
Examples:
  qwen-meter cost --model qwen3-max --input-tokens 50000 --output-tokens 2000
  qwen-meter cost --model qwen3-max --region global --input-tokens 32001 --thinking
  qwen-meter cost --model qwen-plus --input-tokens 10000 --cached-tokens 8000 --json
  qwen-meter cost --model qwen-plus --input-tokens 10000 --output-tokens 500 --batch";

const MODELS_EXAMPLES: &str = "\
Examples:
  qwen-meter models
  qwen-meter models --region chinese-mainland
  qwen-meter models --model qwen3-max
  qwen-meter models --json";

const PLAN_EXAMPLES: &str = "\
Examples:
  qwen-meter plan requests.jsonl --model qwen3-max --region chinese-mainland
  qwen-meter plan requests.jsonl --rpm 600 --tpm 1000000 --json

Each line of the file is a JSON object {\"input_tokens\": N, \"output_tokens\": M}, or
{\"text\": \"...\", \"output_tokens\": M} to count the prompt with the tokenizer
(\"output_tokens\" may be left out; inputTokens/outputTokens are accepted too); blank lines are
skipped.";

/// Model, region and expected output, for pricing.
#[derive(Debug, Clone, Args)]
pub struct PricingArgs {
    /// Price for this model (id, alias or dated snapshot); also picks its tokenizer.
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<String>,

    /// Pricing region: international, global, us or chinese-mainland [default: the first of
    /// these the model is priced in, for every command].
    #[arg(long, short, value_name = "REGION")]
    pub region: Option<String>,

    /// Expected output tokens per request, for the cost.
    #[arg(long, short, value_name = "N", default_value_t = 0)]
    pub output_tokens: u64,

    /// Price with thinking (reasoning) on.
    #[arg(long)]
    pub thinking: bool,
}

/// `qwen-meter count`.
#[derive(Debug, Clone, Args)]
pub struct CountArgs {
    /// Files or directories to count; `-` for standard input [default: standard input].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Count this text instead of files.
    #[arg(long, short, value_name = "TEXT", conflicts_with = "paths")]
    pub text: Option<String>,

    /// In directories, only count files matching GLOB (repeatable).
    #[arg(long, short = 'i', value_name = "GLOB")]
    pub include: Vec<String>,

    /// In directories, skip files and directories matching GLOB (repeatable).
    #[arg(long, short = 'x', value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// In directories, also count hidden files and enter hidden directories.
    #[arg(long)]
    pub hidden: bool,

    /// In directories, also count what .gitignore, .ignore and .git/info/exclude leave out.
    #[arg(long)]
    pub no_ignore: bool,

    /// Replace invalid UTF-8 with U+FFFD instead of reporting an error.
    #[arg(long)]
    pub lossy: bool,

    /// Worker threads [default: the number of cores].
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub jobs: Option<u64>,

    /// Print only the total number of tokens (for scripts).
    #[arg(long, short = 'c', conflicts_with = "format")]
    pub total: bool,

    /// Output format [default: table, or json with --json]: table, json, ndjson (one JSON
    /// object per file, then the total) or csv (a header, one row per file, then the total).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<CountFormat>,

    /// Chunk size in bytes for streaming (testing aid).
    #[arg(long, hide = true, default_value_t = DEFAULT_CHUNK_SIZE, value_parser = parse_chunk_size)]
    pub chunk_size: usize,

    /// Pricing options.
    #[command(flatten)]
    pub pricing: PricingArgs,
}

fn parse_chunk_size(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("expected a positive number of bytes".into()),
    }
}

/// How `count` prints its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CountFormat {
    /// An aligned table.
    Table,
    /// One JSON object (as with --json).
    Json,
    /// One JSON object per line: each file, then `{"total": ...}`.
    Ndjson,
    /// Comma-separated values with a header row; the last row is the total.
    Csv,
}

/// Where a text comes from: an argument, a file or standard input.
#[derive(Debug, Clone, Args)]
pub struct TextInput {
    /// The text [default: read from --file or standard input].
    #[arg(value_name = "TEXT", conflicts_with = "file")]
    pub text: Option<String>,

    /// Read the text from FILE (`-` for standard input).
    #[arg(long, short, value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Replace invalid UTF-8 in the input with U+FFFD instead of reporting an error.
    #[arg(long)]
    pub lossy: bool,
}

/// `qwen-meter encode`.
#[derive(Debug, Clone, Args)]
pub struct EncodeArgs {
    /// The input text.
    #[command(flatten)]
    pub input: TextInput,

    /// Use the tokenizer of this model.
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<String>,

    /// Output format when not --json: space-separated ids, one id per line, or a JSON array.
    #[arg(long, value_enum, default_value_t = IdsFormat::Space)]
    pub format: IdsFormat,
}

/// How `encode` prints ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IdsFormat {
    /// `9707 11 1879 0`
    Space,
    /// `[9707,11,1879,0]`
    Json,
    /// One id per line.
    Lines,
}

/// `qwen-meter decode`.
#[derive(Debug, Clone, Args)]
pub struct DecodeArgs {
    /// Token ids: separate arguments, space- or comma-separated, or a JSON array [default:
    /// read from --file or standard input, which may also hold `encode --json` output].
    #[arg(value_name = "ID", conflicts_with = "file")]
    pub ids: Vec<String>,

    /// Read the ids from FILE (`-` for standard input).
    #[arg(long, short, value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Replace bytes that do not form UTF-8 (ids that split a character) with U+FFFD.
    #[arg(long)]
    pub lossy: bool,

    /// Use the tokenizer of this model.
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<String>,
}

/// `qwen-meter tokens`.
#[derive(Debug, Clone, Args)]
pub struct TokensArgs {
    /// The input text.
    #[command(flatten)]
    pub input: TextInput,

    /// Use the tokenizer of this model.
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<String>,
}

/// Which end `truncate` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeepArg {
    /// Keep the beginning.
    Start,
    /// Keep the end.
    End,
}

/// `qwen-meter truncate`.
#[derive(Debug, Clone, Args)]
pub struct TruncateArgs {
    /// The input text.
    #[command(flatten)]
    pub input: TextInput,

    /// Keep at most N tokens (required unless --model gives the limit).
    #[arg(long, short = 'n', value_name = "N")]
    pub max_tokens: Option<u64>,

    /// Which end of the text to keep.
    #[arg(long, short, value_enum, default_value_t = KeepArg::Start)]
    pub keep: KeepArg,

    /// Leave room for M output tokens in the model's context (needs --model).
    #[arg(long, value_name = "M", requires = "model")]
    pub reserve_output: Option<u64>,

    /// Fit the model's input limit (and use its tokenizer).
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<String>,

    /// Use the model's thinking-mode limits.
    #[arg(long, requires = "model")]
    pub thinking: bool,
}

/// `qwen-meter chat`.
#[derive(Debug, Clone, Args)]
pub struct ChatArgs {
    /// JSON file with the messages (`-` for standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// JSON file with tool definitions (overrides "tools" in FILE).
    #[arg(long, value_name = "FILE")]
    pub tools: Option<PathBuf>,

    /// Render with enable_thinking on (Qwen3 template) [default: the template's default].
    #[arg(long, conflicts_with = "disable_thinking")]
    pub enable_thinking: bool,

    /// Render with enable_thinking off (Qwen3 template).
    #[arg(long)]
    pub disable_thinking: bool,

    /// Do not append the assistant generation prompt.
    #[arg(long)]
    pub no_generation_prompt: bool,

    /// Also print the rendered prompt text.
    #[arg(long)]
    pub show_prompt: bool,

    /// Pricing options.
    #[command(flatten)]
    pub pricing: PricingArgs,
}

/// Which cache a cached-input count refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CacheArg {
    /// Implicit (automatic) context cache hits.
    Implicit,
    /// Explicit context cache hits.
    Explicit,
}

/// `qwen-meter cost`.
#[derive(Debug, Clone, Args)]
pub struct CostArgs {
    /// The model (id, alias or dated snapshot).
    #[arg(long, short, value_name = "MODEL")]
    pub model: String,

    /// Input (prompt) tokens, including cached ones; media tokens are added on top.
    #[arg(long, short, value_name = "N", default_value_t = 0)]
    pub input_tokens: u64,

    /// Output tokens (with --thinking, reasoning plus answer).
    #[arg(long, short, value_name = "N", default_value_t = 0)]
    pub output_tokens: u64,

    /// How many of the input tokens were cache hits.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub cached_tokens: u64,

    /// Which cache the hits come from.
    #[arg(long, value_enum, default_value_t = CacheArg::Implicit)]
    pub cache: CacheArg,

    /// Input tokens written to an explicit cache by this request.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub cache_creation_tokens: u64,

    /// Pricing region: international, global, us or chinese-mainland [default: the first of
    /// these the model is priced in, for every command].
    #[arg(long, short, value_name = "REGION")]
    pub region: Option<String>,

    /// Thinking mode on.
    #[arg(long)]
    pub thinking: bool,

    /// Batch API pricing.
    #[arg(long)]
    pub batch: bool,

    /// An image input: a file (its size is read from the header) or WIDTHxHEIGHT; repeatable.
    #[arg(long, value_name = "FILE|WxH")]
    pub image: Vec<String>,

    /// A video input: DURATION@WIDTHxHEIGHT, e.g. 60s@1920x1080; repeatable.
    #[arg(long, value_name = "DURATION@WxH")]
    pub video: Vec<String>,

    /// An audio input: its duration, e.g. 30s or 1m30s; repeatable.
    #[arg(long, value_name = "DURATION")]
    pub audio: Vec<String>,

    /// Frames per second sampled from videos [default: the model's, 2].
    #[arg(long, value_name = "FPS")]
    pub fps: Option<f64>,

    /// Images at high resolution (the request's vl_high_resolution_images).
    #[arg(long)]
    pub high_resolution: bool,
}

/// `qwen-meter models`.
#[derive(Debug, Clone, Args)]
pub struct ModelsArgs {
    /// Show this model in full (every region, tier, limit and source).
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<String>,

    /// Only models offered in this region, with its prices.
    #[arg(long, short, value_name = "REGION")]
    pub region: Option<String>,
}

/// `qwen-meter plan`.
#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    /// JSONL file of requests (`-` for standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The model whose rate limits apply.
    #[arg(long, short, value_name = "MODEL", required_unless_present_all = ["rpm", "tpm"])]
    pub model: Option<String>,

    /// Region of the rate limits and prices: international, global, us or chinese-mainland
    /// [default: the first of these the model is priced in, for every command].
    #[arg(long, short, value_name = "REGION")]
    pub region: Option<String>,

    /// Requests per minute (overrides the catalog's advisory figure).
    #[arg(long, value_name = "N")]
    pub rpm: Option<u64>,

    /// Tokens per minute (overrides the catalog's advisory figure).
    #[arg(long, value_name = "N")]
    pub tpm: Option<u64>,
}
