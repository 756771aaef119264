#!/usr/bin/env python3
"""Reference renderer for qwen-meter's chat templates: Python Jinja2, set up as transformers.

Renders conversations with the committed template files the way transformers'
`tokenizer.apply_chat_template(messages, tools=..., add_generation_prompt=...,
enable_thinking=..., tokenize=False)` does, so that tests/chat_reference.rs can compare the
Rust renderer with it byte for byte. transformers itself is not needed (nor installed in CI):
the environment below copies what `transformers.utils.chat_template_utils` builds.

Usage: jinja_reference.py TEMPLATES_DIR < cases.json > renders.json

  cases.json   {"cases": [{"template": "qwen3_5" | "qwen3" | "qwen2_5" | "chatml",
                           "messages": [...],            # OpenAI-shaped, as given to Rust
                           "options": {"add_generation_prompt": bool,
                                       "enable_thinking": bool,    # optional
                                       "tools": [...]}}]}          # optional
  renders.json {"renders": ["<prompt>" | {"error": "<message>"}, ...]}

Exit codes: 0 ok; 2 a template file's sha256 differs from data/templates/README.md;
3 Jinja2 is missing.
"""

import hashlib
import json
import os
import sys

try:
    import jinja2
    from jinja2.ext import loopcontrols
    from jinja2.sandbox import ImmutableSandboxedEnvironment
except ImportError as err:  # pragma: no cover - depends on the machine
    sys.stderr.write(
        "jinja_reference.py needs Jinja2 (transformers renders chat templates with it): "
        "install it with `apt-get install python3-jinja2` or `pip install jinja2` "
        f"({err})\n"
    )
    sys.exit(3)

# sha256 of the committed templates, as listed in data/templates/README.md.
TEMPLATES = {
    "qwen3_5": ("qwen3_5.jinja", "a4aee8afcf2e0711942cf848899be66016f8d14a889ff9ede07bca099c28f715"),
    "qwen3": ("qwen3.jinja", "87a2728cb8dc9fe424d624542f6060ec05a1d285ebbec578bb078900e33396b5"),
    "qwen2_5": ("qwen2_5.jinja", "cd8e9439f0570856fd70470bf8889ebd8b5d1107207f67a5efb46e342330527f"),
    "chatml": ("chatml.jinja", "f0206845c9ebc3abb4735d44f286eb81ce99238ad2accc710c6fc60e6cb8ccc8"),
}


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    # transformers overrides Jinja's tojson (which HTML-escapes) with plain json.dumps.
    return json.dumps(
        x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys
    )


def strftime_now(format):
    # Present in transformers' globals; unused by the Qwen templates.
    from datetime import datetime

    return datetime.now().strftime(format)


def make_environment():
    # transformers: ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
    # extensions=[AssistantTracker, jinja2.ext.loopcontrols]). AssistantTracker only adds the
    # {% generation %} tag for assistant masks, which the Qwen templates do not use.
    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def load_templates(directory, env):
    compiled = {}
    for name, (filename, want) in TEMPLATES.items():
        with open(os.path.join(directory, filename), "rb") as f:
            data = f.read()
        got = hashlib.sha256(data).hexdigest()
        if got != want:
            sys.stderr.write(
                f"{filename}: sha256 {got} differs from the recorded {want}; the committed "
                "template was changed (update data/templates/README.md and this script only "
                "when the change is intended)\n"
            )
            sys.exit(2)
        compiled[name] = env.from_string(data.decode("utf-8"))
    return compiled


def object_arguments(text):
    """String tool-call arguments for the Qwen3.5 template (as vLLM parses them): a JSON
    object, or {} for an empty string; anything else cannot be rendered."""
    if not text.strip():
        return {}
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("string arguments must hold a JSON object")
    return value


def normalize(messages, template):
    """The request-level normalizations qwen-meter documents (not part of the template):
    a null/absent content of an assistant message with tool calls -> ""; array content ->
    its text parts joined by "\\n" (as vLLM does for plain-text templates), except for the
    Qwen3.5 template, which renders the parts itself; and for the Qwen3.5 template, string
    tool-call arguments -> the JSON object they hold."""
    out = []
    for message in messages:
        message = dict(message)
        content = message.get("content")
        if isinstance(content, list):
            if template != "qwen3_5":
                message["content"] = "\n".join(part["text"] for part in content)
        elif content is None and message.get("role") == "assistant" and message.get("tool_calls"):
            message["content"] = ""
        if template == "qwen3_5" and message.get("tool_calls"):
            calls = []
            for call in message["tool_calls"]:
                call = dict(call)
                function = dict(call["function"])
                if isinstance(function.get("arguments"), str):
                    function["arguments"] = object_arguments(function["arguments"])
                call["function"] = function
                calls.append(call)
            message["tool_calls"] = calls
        out.append(message)
    return out


def render(template, case):
    options = case.get("options", {})
    kwargs = {}
    # Like apply_chat_template(**kwargs): enable_thinking is only defined when given.
    if "enable_thinking" in options:
        kwargs["enable_thinking"] = options["enable_thinking"]
    return template.render(
        messages=normalize(case["messages"], case["template"]),
        tools=options.get("tools"),
        documents=None,
        add_generation_prompt=options.get("add_generation_prompt", True),
        **kwargs,
    )


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(64)
    env = make_environment()
    templates = load_templates(sys.argv[1], env)
    # Bytes, not text: the input is UTF-8 whatever the locale says.
    cases = json.loads(sys.stdin.buffer.read())["cases"]
    renders = []
    for case in cases:
        try:
            renders.append(render(templates[case["template"]], case))
        except Exception as err:  # reported per case, the Rust side decides
            renders.append({"error": f"{type(err).__name__}: {err}"})
    # ensure_ascii keeps stdout pure ASCII, whatever the locale's encoding.
    json.dump({"renders": renders}, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
