"""Single-text calls: parity with the reference on the repository's fixtures and generated
strings, and the behaviour of every Tokenizer method."""

import unicodedata

import pytest

import qwen_meter
from qwen_meter import Tokenizer

from conftest import fixture_texts, generated_texts

TEXTS = fixture_texts() + generated_texts(400)


def test_fixture_inputs_are_read():
    # The parity below is only as good as its inputs: a broken reader would test nothing.
    assert len(fixture_texts()) > 40
    assert any("\u017f" in t for t in fixture_texts())


def test_encode_matches_reference_on_fixtures_and_generated(reference):
    tok = Tokenizer.qwen3()
    refs = reference.encode_batch(TEXTS, add_special_tokens=False)
    mismatches = [
        (t, r.ids, tok.encode(t)) for t, r in zip(TEXTS, refs) if tok.encode(t) != r.ids
    ]
    assert not mismatches, mismatches[:3]


def test_qwen3_5_matches_its_reference():
    # The Qwen3.5 reference: tokenizers loading the tokenizer.json the repository generates
    # from the published ranks (tests/fixtures/qwen3_5-tokenizer.json.gz).
    import gzip

    from conftest import FIXTURES, need

    tokenizers = need("tokenizers")
    data = gzip.decompress((FIXTURES / "qwen3_5-tokenizer.json.gz").read_bytes())
    reference = tokenizers.Tokenizer.from_str(data.decode("utf-8"))
    tok = Tokenizer.qwen3_5()
    assert tok is not None and Tokenizer.for_generation("qwen3.5").count("x") == 1
    refs = reference.encode_batch(TEXTS, add_special_tokens=False)
    mismatches = [(t, r.ids) for t, r in zip(TEXTS, refs) if tok.encode(t) != r.ids]
    assert not mismatches, mismatches[:3]
    assert tok.count_batch(TEXTS) == [len(r.ids) for r in refs]


def test_count_is_len_of_encode_and_matches_reference(reference):
    tok = Tokenizer.qwen3()
    for t in TEXTS:
        n = len(reference.encode(t, add_special_tokens=False).ids)
        assert tok.count(t) == n, t


def test_large_strings_on_every_core_match_the_reference(reference):
    # A string of 1 MiB or more is cut where its tokens cannot change and tokenized on every
    # core (the engine's count_parallel / encode_parallel): still the reference's ids.
    tok = Tokenizer.qwen3()
    text = "".join(TEXTS)
    while len(text.encode("utf-8")) < 1_300_000:
        text += text
    ids = reference.encode(text, add_special_tokens=False).ids
    assert tok.encode(text) == ids
    assert tok.count(text) == len(ids)
    assert tok.count_ordinary(text) == len(tok.encode_ordinary(text))


def test_encode_ordinary_treats_special_text_as_text(reference):
    tok = Tokenizer.qwen3()
    text = "<|im_start|>user"
    assert tok.encode(text) == reference.encode(text, add_special_tokens=False).ids
    assert tok.encode(text)[0] == 151644
    ordinary = tok.encode_ordinary(text)
    assert 151644 not in ordinary and len(ordinary) > 2
    assert tok.count_ordinary(text) == len(ordinary)
    assert tok.decode(ordinary) == text


def test_decode_round_trips_to_the_nfc_text(reference):
    # The tokenizer normalises to NFC (Unicode 9, as the reference does) outside special
    # tokens, so decoding gives the NFC form of the input.
    tok = Tokenizer.qwen3()
    for t in TEXTS:
        ids = tok.encode(t)
        assert tok.decode(ids) == reference.decode(ids, skip_special_tokens=False)
        if unicodedata.is_normalized("NFC", t):
            assert tok.decode(ids) == t


def test_decode_bytes_of_partial_character():
    tok = Tokenizer.qwen3()
    ids = tok.encode("𓀀")
    assert len(ids) > 1
    assert tok.decode_bytes(ids[:1]) == "𓀀".encode()[: len(tok.decode_bytes(ids[:1]))]
    with pytest.raises(qwen_meter.DecodeError):
        tok.decode(ids[:1])


def test_count_within():
    tok = Tokenizer.qwen3()
    text = "Hello, world! " * 50
    n = tok.count(text)
    assert tok.count_within(text, n) == n
    assert tok.count_within(text, n - 1) is None
    assert tok.count_within("<|im_start|>", 1) == 1
    assert tok.count_within("<|im_start|>", 1, ordinary=True) is None


@pytest.mark.parametrize("keep", ["start", "end"])
def test_truncate_keeps_longest_fitting_part(keep):
    tok = Tokenizer.qwen3()
    for t in fixture_texts()[:20]:
        n = tok.count(t)
        for limit in (0, 1, n // 2, n, n + 5):
            cut = tok.truncate(t, limit, keep)
            assert tok.count(cut) <= limit
            assert t.startswith(cut) if keep == "start" else t.endswith(cut)
            if limit >= n:
                assert cut == t


def test_truncate_default_keeps_start():
    tok = Tokenizer.qwen3()
    assert tok.truncate("one two three four", 2) == "one two"


def test_encode_with_offsets_are_str_indices():
    tok = Tokenizer.qwen3()
    for t in fixture_texts() + ["Hi 👋 通义千问 é"]:
        spans = tok.encode_with_offsets(t)
        assert [s[0] for s in spans] == tok.encode(t)
        # Spans are ordered and together cover all of the text; a token holding part of a
        # character covers that whole character, so neighbours may share it.
        assert spans[0][1] == 0 and spans[-1][2] == len(t)
        for (_, s0, e0), (_, s1, e1) in zip(spans, spans[1:]):
            assert s0 < e0 and s0 <= s1 <= e0 <= e1
    text = "Hi 👋"
    spans = tok.encode_with_offsets(text)
    assert text[spans[0][1] : spans[0][2]] == "Hi"
    # The emoji's byte-level tokens each cover (part of) " 👋", never a broken character.
    assert all(text[s:e] and " 👋".endswith(text[s:e]) for _, s, e in spans[1:])


def test_generations_and_constructors():
    assert Tokenizer.qwen3().generation == "qwen3"
    assert Tokenizer.qwen2_5().generation == "qwen2.5"
    assert Tokenizer.qwen2().generation == "qwen2"
    assert Tokenizer.qwen().generation == "qwen"
    assert Tokenizer.for_generation("qwen2.5").generation == "qwen2.5"
    assert Tokenizer.for_model("qwen3-max").generation == "qwen3"
    assert Tokenizer.qwen3().vocab_size > 151_000
    assert ("<|im_start|>", 151644) in Tokenizer.qwen3().special_tokens
    # Qwen3 has <think> as a special token, Qwen2.5 does not.
    assert Tokenizer.qwen3().count("<think>") == 1
    assert Tokenizer.qwen2_5().count("<think>") > 1
    assert repr(Tokenizer.qwen3()) == "Tokenizer(qwen3)"


def test_from_tokenizer_json_equals_builtin(tokenizer_json):
    loaded = Tokenizer.from_tokenizer_json(tokenizer_json)
    assert loaded.generation == "qwen3"
    builtin = Tokenizer.qwen3()
    for t in TEXTS[:100]:
        assert loaded.encode(t) == builtin.encode(t)


def test_from_tiktoken_round_trip(reference):
    import base64

    vocab = reference.get_vocab()
    # Ranks file of the ordinary tokens, from the reference's byte-level vocabulary.
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(
        range(ord("®"), ord("ÿ") + 1)
    )
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    byte_of = {chr(c): b for b, c in zip(bs, cs)}
    lines = []
    for token, rank in sorted(vocab.items(), key=lambda kv: kv[1]):
        if rank >= 151643:
            continue
        raw = bytes(byte_of[ch] for ch in token)
        lines.append(base64.b64encode(raw).decode() + " " + str(rank))
    tok = Tokenizer.from_tiktoken("\n".join(lines).encode(), "qwen3")
    for t in TEXTS[:100]:
        assert tok.encode(t) == Tokenizer.qwen3().encode(t)


def test_load_errors_carry_the_core_message():
    with pytest.raises(qwen_meter.LoadError) as e:
        Tokenizer.from_tokenizer_json(b"{not json")
    assert str(e.value)
    with pytest.raises(qwen_meter.LoadError):
        Tokenizer.from_tiktoken(b"!!!! notanumber\n", "qwen3")
    assert issubclass(qwen_meter.LoadError, qwen_meter.QwenMeterError)
    assert issubclass(qwen_meter.QwenMeterError, ValueError)


def test_argument_errors():
    tok = Tokenizer.qwen3()
    with pytest.raises(qwen_meter.InvalidArgumentError, match='keep: expected "start" or "end"'):
        tok.truncate("x", 1, "middle")
    with pytest.raises(qwen_meter.InvalidArgumentError, match='unknown generation "gpt"'):
        Tokenizer.for_generation("gpt")
    with pytest.raises(qwen_meter.UnknownModelError, match="gpt-4"):
        Tokenizer.for_model("gpt-4")
    with pytest.raises(qwen_meter.DecodeError):
        tok.decode([10**9])
    with pytest.raises(OverflowError):
        tok.decode([-1])
    with pytest.raises(TypeError):
        tok.count(b"bytes")  # type: ignore[arg-type]


def test_lone_surrogates_are_rejected_not_panicking():
    with pytest.raises(UnicodeEncodeError):
        Tokenizer.qwen3().count("\ud800")
