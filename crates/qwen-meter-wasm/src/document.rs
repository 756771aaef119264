//! `createDocument(text, options?)`: an editable text whose token count follows each edit,
//! re-tokenizing only around it ([`qwen_meter::Document`]), with UTF-16 offsets as JS strings
//! index them.
//!
//! [`DocumentCalls`] holds the checks and conversions in plain Rust (generic over [`Arg`], so
//! native tests run them); [`JsDocument`] is the `#[wasm_bindgen]` class around it, which the
//! `createDocument` line of the export table (`exports.rs`) returns.

use qwen_meter::{Document, TokenSpan};
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use crate::api::{ApiError, ApiResult, JsSpan};
use crate::bindings::{JsResult, Output};
use crate::calls::{self, Arg};

/// A [`Document`] with the JS API's argument checks and UTF-16 offsets.
#[derive(Debug, Clone)]
pub struct DocumentCalls {
    doc: Document<'static>,
}

impl DocumentCalls {
    /// `createDocument(text, options?)` with `options` `{generation?, ordinary?}`.
    pub fn create(text: &impl Arg, options: &impl Arg) -> ApiResult<DocumentCalls> {
        const F: &str = "createDocument";
        let text = calls::string(F, "text", text)?;
        let o = calls::tok_options(F, options)?;
        let tok = o.tokenizer();
        let doc = if o.ordinary {
            Document::ordinary(tok, &text)
        } else {
            Document::new(tok, &text)
        };
        Ok(DocumentCalls { doc })
    }

    /// `edit(start, end, replacement)`: replaces the UTF-16 range `start..end`; returns the
    /// new count.
    pub fn edit(
        &mut self,
        start: &impl Arg,
        end: &impl Arg,
        replacement: &impl Arg,
    ) -> ApiResult<usize> {
        const F: &str = "Document.edit";
        let (a, b) = self.range(F, start, end)?;
        let replacement = calls::string(F, "replacement", replacement)?;
        self.doc
            .edit(a..b, &replacement)
            .map_err(|e| ApiError::invalid(F, "start..end", e))?;
        Ok(self.doc.count())
    }

    /// `count()`: tokens of the whole text.
    pub fn count(&self) -> usize {
        self.doc.count()
    }

    /// Length of the text in UTF-16 code units.
    pub fn length(&self) -> usize {
        self.doc.utf16_len()
    }

    /// `text()`: the whole text.
    pub fn text(&self) -> String {
        self.doc.text()
    }

    /// `tokens(start?, end?)`: the tokens overlapping the UTF-16 range (default: all), with
    /// UTF-16 and byte offsets.
    pub fn tokens(&self, start: &impl Arg, end: &impl Arg) -> ApiResult<Vec<JsSpan>> {
        const F: &str = "Document.tokens";
        let start = if start.is_undefined() {
            0
        } else {
            calls::count(F, "start", start)?.min(self.doc.utf16_len())
        };
        let end = if end.is_undefined() {
            self.doc.utf16_len()
        } else {
            calls::count(F, "end", end)?.clamp(start, self.doc.utf16_len())
        };
        // A view may ask from or to the middle of a surrogate pair: widen to whole characters.
        let a = (0..=start)
            .rev()
            .find_map(|u| self.doc.byte_offset(u))
            .unwrap_or(0);
        let b = (end..=self.doc.utf16_len())
            .find_map(|u| self.doc.byte_offset(u))
            .unwrap_or(self.doc.len());
        let spans = self.doc.tokens(a..b);
        Ok(self.to_utf16(&spans))
    }

    /// UTF-16 offsets for spans in byte order, reading only the text they cover.
    fn to_utf16(&self, spans: &[TokenSpan]) -> Vec<JsSpan> {
        let (Some(first), Some(last)) = (spans.first(), spans.last()) else {
            return Vec::new();
        };
        let from = first.start;
        let text = self.doc.slice(from..last.end).unwrap_or_default();
        let base = self.doc.utf16_offset(from).unwrap_or(0);
        // Byte offset in `text` -> UTF-16 offset in the document, moving forward only.
        let mut at = (0usize, base);
        let mut utf16 = |byte: usize| {
            if byte < at.0 {
                at = (0, base);
            }
            let seg = &text[at.0..byte];
            at.1 += if seg.is_ascii() {
                seg.len()
            } else {
                seg.chars().map(char::len_utf16).sum()
            };
            at.0 = byte;
            at.1 as u32
        };
        spans
            .iter()
            .map(|s| {
                let start = utf16(s.start - from);
                let end = utf16(s.end - from);
                JsSpan {
                    id: s.id,
                    start,
                    end,
                    byte_start: s.start as u32,
                    byte_end: s.end as u32,
                }
            })
            .collect()
    }

    /// A UTF-16 range as a byte range, checked.
    fn range(&self, func: &str, start: &impl Arg, end: &impl Arg) -> ApiResult<(usize, usize)> {
        let s = calls::count(func, "start", start)?;
        let e = calls::count(func, "end", end)?;
        let len = self.doc.utf16_len();
        if s > e {
            return Err(ApiError::invalid(
                func,
                "start",
                format_args!("{s} is after end {e}"),
            ));
        }
        if e > len {
            return Err(ApiError::invalid(
                func,
                "end",
                format_args!("{e} is past the end of the text (length {len})"),
            ));
        }
        let byte = |place: &str, u: usize| {
            self.doc.byte_offset(u).ok_or_else(|| {
                ApiError::invalid(
                    func,
                    place,
                    format_args!("{u} is between the two halves of a surrogate pair"),
                )
            })
        };
        Ok((byte("start", s)?, byte("end", e)?))
    }
}

/// An editable text whose token count follows its edits (`createDocument(text, options?)`).
///
/// Holds WebAssembly memory: freed by `free()` or, if forgotten, by the glue's
/// `FinalizationRegistry` when the object is garbage-collected.
#[wasm_bindgen(js_name = Document)]
pub struct JsDocument {
    inner: DocumentCalls,
}

/// `createDocument(text, options?)` (a line of the export table) hands JS the document as a
/// [`JsDocument`]; natively (the fixture generator) it is its count and length.
impl Output for DocumentCalls {
    fn into_js(self, _: &str) -> JsResult<JsValue> {
        Ok(JsDocument { inner: self }.into())
    }
    fn into_json(self, _: &str) -> ApiResult<Value> {
        Ok(json!({ "count": self.count(), "length": self.length() }))
    }
}

#[wasm_bindgen(js_class = Document)]
impl JsDocument {
    /// `edit(start, end, replacement)`: replaces the UTF-16 range `start..end` (an insertion
    /// when empty); returns the new count.
    pub fn edit(
        &mut self,
        start: JsValue,
        end: JsValue,
        replacement: JsValue,
    ) -> Result<usize, JsValue> {
        crate::bindings::lift(self.inner.edit(&start, &end, &replacement))
    }

    /// `count()`: tokens of the whole text.
    pub fn count(&self) -> usize {
        self.inner.count()
    }

    /// `tokens(start?, end?)`: `{id, start, end, byteStart, byteEnd}` for each token that
    /// overlaps the UTF-16 range (default: the whole text).
    pub fn tokens(&self, start: JsValue, end: JsValue) -> Result<JsValue, JsValue> {
        let spans = crate::bindings::lift(self.inner.tokens(&start, &end))?;
        crate::bindings::to_js("Document.tokens", &spans)
    }

    /// `text()`: the whole text.
    pub fn text(&self) -> String {
        self.inner.text()
    }

    /// The length of the text in UTF-16 code units, as `text().length`.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.length()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{TokOptions, encode_with_offsets};
    use crate::calls::Json;

    fn arg(v: &Value) -> Json<'_> {
        Json(Some(v))
    }

    const NONE: Json<'static> = Json(None);

    #[test]
    fn edits_in_utf16_follow_the_text() {
        let mut text: Vec<u16> = "Hi 🦀 <|im_start|>user\r\n  naïve".encode_utf16().collect();
        let mut doc =
            DocumentCalls::create(&arg(&json!(String::from_utf16(&text).unwrap())), &NONE).unwrap();
        let o = TokOptions::default();
        let edits: [(usize, usize, &str); 5] = [
            (3, 5, "🐍"),
            (0, 0, "«"),
            (6, 7, ""),
            (10, 10, "é"),
            (1, 3, "\u{202E}"),
        ];
        for (a, b, r) in edits {
            let n = doc
                .edit(&arg(&json!(a)), &arg(&json!(b)), &arg(&json!(r)))
                .unwrap();
            text.splice(a..b, r.encode_utf16());
            let s = String::from_utf16(&text).unwrap();
            assert_eq!(doc.text(), s);
            assert_eq!(n, o.tokenizer().count(&s));
            assert_eq!(doc.length(), text.len());
            assert_eq!(
                doc.tokens(&NONE, &NONE).unwrap(),
                encode_with_offsets(&s, &o)
            );
        }
    }

    #[test]
    fn tokens_of_a_range_are_those_overlapping_it() {
        let s = "one two three four";
        let doc = DocumentCalls::create(&arg(&json!(s)), &NONE).unwrap();
        let all = encode_with_offsets(s, &TokOptions::default());
        let got = doc.tokens(&arg(&json!(5)), &arg(&json!(9))).unwrap();
        let want: Vec<JsSpan> = all
            .into_iter()
            .filter(|t| t.end > 5 && t.start < 9)
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn bad_arguments_name_what_and_where() {
        let mut doc = DocumentCalls::create(&arg(&json!("a🦀")), &NONE).unwrap();
        let err = |r: ApiResult<usize>| r.unwrap_err().message;
        let e = err(doc.edit(&arg(&json!(2)), &arg(&json!(2)), &arg(&json!("x"))));
        assert!(e.starts_with("Document.edit: start: 2 is between"), "{e}");
        let e = err(doc.edit(&arg(&json!(0)), &arg(&json!(9)), &arg(&json!("x"))));
        assert!(
            e.contains("end: 9 is past the end of the text (length 3)"),
            "{e}"
        );
        let e = err(doc.edit(&arg(&json!(2)), &arg(&json!(1)), &arg(&json!("x"))));
        assert!(e.contains("start: 2 is after end 1"), "{e}");
        let e = err(doc.edit(&arg(&json!(0)), &arg(&json!(0)), &NONE));
        assert!(e.contains("replacement"), "{e}");
        let e = DocumentCalls::create(&arg(&json!(1)), &NONE).unwrap_err();
        assert!(
            e.message.starts_with("createDocument: text"),
            "{}",
            e.message
        );
        assert_eq!(doc.text(), "a🦀");
    }

    #[test]
    fn ordinary_option_keeps_special_text_plain() {
        let doc = DocumentCalls::create(&arg(&json!("<think>")), &arg(&json!({"ordinary": true})))
            .unwrap();
        let o = TokOptions {
            ordinary: true,
            ..TokOptions::default()
        };
        assert_eq!(doc.count(), o.tokenizer().count_ordinary("<think>"));
    }
}
