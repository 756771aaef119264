//! [`ChatTemplate`]: the bundled official templates and the Jinja engine that renders them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior, Value};

use super::media_parts::MediaPart;
use super::prepare::{check_tools, prepare_messages};
use super::xml_tools::for_xml_tools;
use super::{ChatError, ChatOptions, Message, pyjson, pystr};
use crate::Generation;

/// A chat template: which Jinja text turns messages into the prompt.
///
/// The template texts are byte-exact copies of the official ones (see
/// `data/templates/README.md` for sources and checksums), compiled into the library.
///
/// | template | used by | notes |
/// |---|---|---|
/// | [`Qwen3_5`](ChatTemplate::Qwen3_5) | [`Generation::Qwen3_5`] (Qwen3.5, Qwen3.6 and the later API models) | thinking on by default (the prompt ends in `<think>\n`), XML tool calls (`<function=...>` / `<parameter=...>`), historical reasoning dropped before the last user query |
/// | [`Qwen3`](ChatTemplate::Qwen3) | [`Generation::Qwen3`] | thinking on/off, tools, historical reasoning dropped before the last user query |
/// | [`Qwen2_5`](ChatTemplate::Qwen2_5) | [`Generation::Qwen2_5`] | default system prompt *You are Qwen, created by Alibaba Cloud. You are a helpful assistant.*, tools |
/// | [`ChatMl`](ChatTemplate::ChatMl) | [`Generation::Qwen2`], [`Generation::Qwen`] (commercial API models) | plain ChatML with default system prompt *You are a helpful assistant.*; ignores tools and tool calls |
///
/// ```
/// use qwen_meter::{ChatOptions, ChatTemplate, Generation, Message};
///
/// let template = ChatTemplate::for_generation(Generation::Qwen2_5);
/// let prompt = template.render(&[Message::user("Hi")], &ChatOptions::default()).unwrap();
/// assert_eq!(
///     prompt,
///     "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful \
///      assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatTemplate {
    /// The official Qwen3.5 template (also shipped with Qwen3.6).
    Qwen3_5,
    /// The official Qwen3 template.
    Qwen3,
    /// The official Qwen2.5 Instruct template.
    Qwen2_5,
    /// Plain ChatML, the Qwen2 Instruct template.
    ChatMl,
}

const QWEN3_5: &str = include_str!("../../data/templates/qwen3_5.jinja");
const QWEN3: &str = include_str!("../../data/templates/qwen3.jinja");
const QWEN2_5: &str = include_str!("../../data/templates/qwen2_5.jinja");
const CHATML: &str = include_str!("../../data/templates/chatml.jinja");

impl ChatTemplate {
    /// Every bundled template.
    ///
    /// ```
    /// assert_eq!(qwen_meter::ChatTemplate::ALL.len(), 4);
    /// ```
    pub const ALL: [ChatTemplate; 4] = [
        ChatTemplate::Qwen3_5,
        ChatTemplate::Qwen3,
        ChatTemplate::Qwen2_5,
        ChatTemplate::ChatMl,
    ];

    /// The template a model generation uses.
    ///
    /// ```
    /// use qwen_meter::{ChatTemplate, Generation};
    ///
    /// assert_eq!(ChatTemplate::for_generation(Generation::Qwen3_5), ChatTemplate::Qwen3_5);
    /// assert_eq!(ChatTemplate::for_generation(Generation::Qwen3), ChatTemplate::Qwen3);
    /// assert_eq!(ChatTemplate::for_generation(Generation::Qwen), ChatTemplate::ChatMl);
    /// ```
    pub fn for_generation(generation: Generation) -> ChatTemplate {
        match generation {
            Generation::Qwen3_5 => ChatTemplate::Qwen3_5,
            Generation::Qwen3 => ChatTemplate::Qwen3,
            Generation::Qwen2_5 => ChatTemplate::Qwen2_5,
            // Qwen2 Instruct ships plain ChatML; the commercial API models (Qwen tokenizer)
            // are counted with the same framing.
            Generation::Qwen2 | Generation::Qwen => ChatTemplate::ChatMl,
            // A generation added to the engine after this crate: the newest template.
            _ => ChatTemplate::Qwen3_5,
        }
    }

    /// A short name: `"qwen3_5"`, `"qwen3"`, `"qwen2_5"` or `"chatml"` (the file stem under
    /// `data/templates`).
    ///
    /// ```
    /// assert_eq!(qwen_meter::ChatTemplate::Qwen2_5.name(), "qwen2_5");
    /// assert_eq!(qwen_meter::ChatTemplate::Qwen3_5.name(), "qwen3_5");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            ChatTemplate::Qwen3_5 => "qwen3_5",
            ChatTemplate::Qwen3 => "qwen3",
            ChatTemplate::Qwen2_5 => "qwen2_5",
            ChatTemplate::ChatMl => "chatml",
        }
    }

    /// The Jinja source text of the template.
    ///
    /// ```
    /// assert!(qwen_meter::ChatTemplate::Qwen3.source().contains("enable_thinking"));
    /// ```
    pub fn source(self) -> &'static str {
        match self {
            ChatTemplate::Qwen3_5 => QWEN3_5,
            ChatTemplate::Qwen3 => QWEN3,
            ChatTemplate::Qwen2_5 => QWEN2_5,
            ChatTemplate::ChatMl => CHATML,
        }
    }

    /// Renders `messages` into the prompt text the model reads, exactly as transformers'
    /// `apply_chat_template(messages, tools=..., add_generation_prompt=...,
    /// enable_thinking=..., tokenize=False)` does with this template.
    ///
    /// Errors name the message index and field when the conversation is malformed (see
    /// [`ChatError`]).
    ///
    /// ```
    /// use qwen_meter::{ChatOptions, ChatTemplate, Message};
    ///
    /// let options = ChatOptions { enable_thinking: Some(false), ..ChatOptions::default() };
    /// let prompt = ChatTemplate::Qwen3.render(&[Message::user("Hi")], &options).unwrap();
    /// assert_eq!(
    ///     prompt,
    ///     "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
    /// );
    /// ```
    pub fn render(self, messages: &[Message], options: &ChatOptions) -> Result<String, ChatError> {
        self.render_collecting(messages, options, None)
    }

    /// [`render`](ChatTemplate::render), accepting media parts when `media` is given (they
    /// are collected there in prompt order, and the prompt holds their placeholders).
    pub(crate) fn render_collecting(
        self,
        messages: &[Message],
        options: &ChatOptions,
        media: Option<&mut Vec<MediaPart>>,
    ) -> Result<String, ChatError> {
        let messages = match self {
            ChatTemplate::Qwen3_5 => for_xml_tools(messages)?,
            _ => std::borrow::Cow::Borrowed(messages),
        };
        let messages = prepare_messages(&messages, media)?;
        if let Some(tools) = &options.tools {
            check_tools(tools)?;
        }
        let env = environment()
            .as_ref()
            .map_err(|message| ChatError::Template {
                message: message.clone(),
            })?;
        let template = env.get_template(self.name()).map_err(template_error)?;

        // The variables apply_chat_template passes. `enable_thinking` is left undefined when
        // not set, as transformers does when the keyword is not given: the Qwen3 template
        // tests `enable_thinking is defined`.
        let mut context: BTreeMap<&str, Value> = BTreeMap::new();
        context.insert("messages", Value::from(Serde(&messages)));
        context.insert(
            "tools",
            match &options.tools {
                Some(tools) => Value::from(Serde(tools)),
                None => Value::from(()),
            },
        );
        context.insert(
            "add_generation_prompt",
            Value::from(options.add_generation_prompt),
        );
        if let Some(enable_thinking) = options.enable_thinking {
            context.insert("enable_thinking", Value::from(enable_thinking));
        }
        template.render(context).map_err(template_error)
    }
}

fn template_error(err: Error) -> ChatError {
    ChatError::Template {
        message: err.to_string(),
    }
}

/// The shared engine with the bundled templates, configured like transformers' Jinja
/// environment: `trim_blocks`, `lstrip_blocks`, no auto-escaping, `loopcontrols`, lenient
/// undefined values, its `tojson` and `raise_exception`, and Python string methods.
fn environment() -> &'static Result<Environment<'static>, String> {
    static ENV: OnceLock<Result<Environment<'static>, String>> = OnceLock::new();
    ENV.get_or_init(|| build_environment().map_err(|err| err.to_string()))
}

fn build_environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(false)
            .build()?,
    );
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env.set_unknown_method_callback(pystr::call_method);
    env.add_filter("tojson", pyjson::tojson);
    env.add_filter("trim", pystr::trim);
    env.add_filter("string", pystr::string);
    env.add_function("raise_exception", raise_exception);
    for template in ChatTemplate::ALL {
        env.add_template(template.name(), template.source())?;
    }
    Ok(env)
}

/// transformers' `raise_exception(message)`: templates call it to reject a conversation.
fn raise_exception(message: String) -> Result<Value, Error> {
    Err(Error::new(ErrorKind::InvalidOperation, message))
}
