//! `qwen-meter chat`: prompt tokens of a conversation as the model sees it (chat template
//! included) and, with `--model`, its cost.

use qwen_meter::{ChatOptions, ChatRequest, Message, Mode, Usage, parse_messages};
use serde::Serialize;

use crate::cli::ChatArgs;
use crate::context::{Context, TokenizerInfo};
use crate::error::{CliError, CliResult};
use crate::input::{display_name, read_text_file};
use crate::json_errors;
use crate::output::{print_json, write_stdout};
use crate::pricing::{self, CostJson, PricedModel};
use qwen_meter::prelude::*;

#[derive(Serialize)]
struct ChatJson {
    tokenizer: TokenizerInfo,
    template: &'static str,
    messages: usize,
    tools: usize,
    prompt_tokens: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    prompt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<PricedModel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<CostJson>,
    /// Input tokens by modality, when the messages hold images, video or audio.
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens: Option<crate::media::ChatTokensJson>,
}

/// Reads messages and options: a JSON array of messages, or a request object with
/// `"messages"` (and optionally `"tools"`, `"enable_thinking"`, `"add_generation_prompt"`).
fn read_request(args: &ChatArgs, text: &str) -> CliResult<(Vec<Message>, ChatOptions)> {
    let name = display_name(&args.file);
    let bad = |e: qwen_meter::ChatError| match e {
        qwen_meter::ChatError::Json { path, message, .. } => {
            let err = CliError::data(format!("{name}: {path}: {}", json_errors::plain(&message)));
            match json_errors::chat_shape(&path) {
                Some(shape) => err.hint(shape),
                None => err,
            }
        }
        e => CliError::data(format!("{name}: {e}")),
    };
    let (messages, mut options) = if text.trim_start().starts_with('[') {
        (parse_messages(text).map_err(bad)?, ChatOptions::default())
    } else {
        let r = ChatRequest::from_json(text).map_err(bad)?;
        (r.messages, r.options)
    };
    if let Some(p) = &args.tools {
        let tname = display_name(p);
        let t = read_text_file(p, None)?;
        let v: serde_json::Value = serde_json::from_str(&t)
            .map_err(|e| CliError::data(format!("{tname}: tools are not valid JSON: {e}")))?;
        let tools = match v {
            serde_json::Value::Array(a) => a,
            serde_json::Value::Object(mut o) => match o.remove("tools") {
                Some(serde_json::Value::Array(a)) => a,
                _ => {
                    return Err(CliError::data(format!(
                        "{tname}: expected a JSON array of tool schemas (or an object with \"tools\")"
                    )));
                }
            },
            _ => {
                return Err(CliError::data(format!(
                    "{tname}: expected a JSON array of tool schemas"
                )));
            }
        };
        options.tools = Some(tools);
    }
    if args.enable_thinking {
        options.enable_thinking = Some(true);
    }
    if args.disable_thinking {
        options.enable_thinking = Some(false);
    }
    if args.no_generation_prompt {
        options.add_generation_prompt = false;
    }
    Ok((messages, options))
}

/// The `"model"` of a request object, if it has one.
fn model_in_request(text: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    v.get("model")?.as_str().map(str::to_string)
}

/// Runs `chat`.
pub fn run(ctx: &Context, args: &ChatArgs) -> CliResult<i32> {
    if ctx.ordinary() {
        return Err(CliError::usage(
            "--ordinary does not apply to chat: the template's markers are special tokens",
        ));
    }
    let text = read_text_file(&args.file, None)?;
    // Without --model, the request's own "model" (as the API reads it) picks the tokenizer
    // and the price; one the catalog does not know only gets a note.
    let model = match (&args.pricing.model, model_in_request(&text)) {
        (Some(id), _) => pricing::model_opt(ctx, Some(id))?,
        (None, Some(id)) => match pricing::find_model(ctx.catalog()?, &id) {
            Ok(m) => Some(m),
            Err(_) => {
                eprintln!(
                    "qwen-meter: note: the request's model {id:?} is not in the catalog: counted with the default tokenizer and not priced"
                );
                None
            }
        },
        (None, None) => None,
    };
    if model.is_none()
        && (args.pricing.region.is_some()
            || args.pricing.thinking
            || args.pricing.output_tokens > 0)
    {
        return Err(CliError::usage(
            "--region, --output-tokens and --thinking price a request: they need --model",
        ));
    }
    let model_gen = model.map(|m| m.generation);
    let generation = ctx.generation(model_gen);
    let tok = ctx.tokenizer(model_gen);
    let (messages, options) = read_request(args, &text)?;
    let template = generation.chat_template();
    let name = display_name(&args.file);
    // Media parts are counted with the model's media rules (the prompt is not shown).
    let media_tokens = if crate::media::has_media(&messages) {
        Some(crate::media::chat_tokens(
            model, &messages, &options, &name,
        )?)
    } else {
        None
    };
    let (prompt, prompt_tokens) = match &media_tokens {
        Some(t) => (String::new(), t.input_tokens as usize),
        None => {
            let prompt = template
                .render(&messages, &options)
                .map_err(|e| CliError::data(format!("{name}: {e}")))?;
            let n = tok.count_parallel(&prompt, 0);
            (prompt, n)
        }
    };

    let mut priced = None;
    if let Some(m) = model {
        let region = pricing::region_for(m, args.pricing.region.as_deref())?;
        let thinking = args.pricing.thinking || options.enable_thinking == Some(true);
        let mode = pricing::mode_for(m, thinking);
        let usage = Usage {
            input_tokens: prompt_tokens as u64,
            output_tokens: args.pricing.output_tokens,
            thinking: mode == Mode::Thinking,
            ..media_tokens.map_or_else(Usage::default, |t| t.usage(0))
        };
        let cost = m
            .cost(region, &usage)
            .map_err(|e| pricing::cost_error(&e))?;
        priced = Some((
            PricedModel {
                id: m.id.clone(),
                region: region.id(),
                currency: region.currency().to_string(),
                mode: mode.to_string(),
                output_tokens: args.pricing.output_tokens,
            },
            cost,
        ));
    }

    let tools = options.tools.as_ref().map_or(0, Vec::len);
    if ctx.json() {
        let (model, cost) = match &priced {
            Some((p, c)) => (Some(p.clone()), Some(CostJson::from(c))),
            None => (None, None),
        };
        print_json(&ChatJson {
            tokenizer: ctx.tokenizer_info(model_gen),
            template: template.name(),
            messages: messages.len(),
            tools,
            prompt_tokens,
            prompt: args.show_prompt.then(|| prompt.clone()),
            model,
            cost,
            tokens: media_tokens.as_ref().map(Into::into),
        });
        return Ok(0);
    }
    let mut out = String::new();
    if args.show_prompt {
        out.push_str(&prompt);
        if !prompt.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("---\n");
    }
    out.push_str(&format!(
        "template       {} ({} tokenizer)\nmessages       {}{}\nprompt tokens  {}\n",
        template.name(),
        generation.name(),
        messages.len(),
        if tools > 0 {
            format!(", {tools} tools")
        } else {
            String::new()
        },
        prompt_tokens
    ));
    if let Some(t) = &media_tokens {
        out.push_str(&format!(
            "by modality    text {}, image {}, video {}, audio {}\n",
            t.text_tokens, t.image_tokens, t.video_tokens, t.audio_tokens
        ));
    }
    if let Some((p, c)) = &priced {
        out.push_str(&format!(
            "cost           {} {} ({}, {}, {} mode, {} output tokens; input {}, output {})\n",
            c.total,
            c.currency,
            p.id,
            c.region,
            p.mode,
            p.output_tokens,
            c.breakdown.input,
            c.breakdown.output
        ));
    }
    write_stdout(&out);
    Ok(0)
}
