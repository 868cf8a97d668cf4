"""Source text as inert Markdown text: only the bold marks the extraction wrote (`**...**`) stay markup.

Everything else a reader of the PDF saw is text: characters Markdown, HTML or an enabled extension would
read as markup are escaped, readably (a backslash where Markdown honours one, a character reference
where it does not), so the site shows them as printed and runs none of them.

>>> print(md_escape("<script>alert(1)</script> {: onclick=x} [a](b) *mafia* (c) c/o 1/4 21st"))
&lt;script\\>alert(1)&lt;/script\\> \\{: onclick=x\\} \\[a\\](b) \\*mafia\\* \\(c) c&#47;o 1&#47;4 21&#115;t
>>> print(md_escape("--- 2002. # x"), md_escape("+ x"))
\\--- 2002. # x \\+ x
>>> print(md_bold("The **Regional Conference** was held"))
The **Regional Conference** was held
"""

from __future__ import annotations

import re

from markupsafe import Markup

_INLINE = re.compile(r"[\\`*_{}\[\]<>|!]|&|(?<=\()(?=[cCrR]\)|[tT][mM]\))|(?<=\d)/(?=\d)|(?<=[cC])/(?=[oO]\b)|-(?=->)")
_ORDINAL = re.compile(r"(?<=\d)([snrt])(?=[tdh]\b)")
_LINE_START = re.compile(r"^(\s*)([-+#>:=~]|\d+(?=[.)]\s))")
_NOTE = re.compile("\x00(\\d+)\x00")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def _inline(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch == "<":
        return "&lt;"
    if ch == "&":
        return "&amp;"
    if ch == "/":
        return "&#47;"
    if ch == "":
        return "\\"  # before "c)", "r)", "tm)": smartsymbols' (c), (r), (tm)
    return "\\" + ch


def md_escape(text: str) -> Markup:
    """One line of printed text, safe and unchanged in meaning as Markdown."""
    text = _INLINE.sub(_inline, text)
    text = text.replace("(\\", "\\(")  # the "(c)" case: escape the bracket itself
    text = _ORDINAL.sub(lambda m: f"&#{ord(m.group(1))};", text)
    start = _LINE_START.match(text)
    if start:
        mark = start.group(2)
        if mark.isdigit():
            text = text[: start.end()] + "\\" + text[start.end() :]
        elif mark in "-+#>":
            text = text[: start.start(2)] + "\\" + text[start.start(2) :]
        else:
            text = text[: start.start(2)] + f"&#{ord(mark)};" + text[start.end(2) :]
    return Markup(text)


def md_bold(text: str) -> Markup:
    """A paragraph whose `**...**` spans stay bold and whose other characters are text."""
    out: list[str] = []
    last = 0
    for found in _BOLD.finditer(text):
        if found.start() > last:
            out.append(md_escape(text[last : found.start()]))
        out.append("**" + md_escape(found.group(1)) + "**")
        last = found.end()
    if last < len(text):
        out.append(md_escape(text[last:]))
    # Footnote references the importer placed (bracketed by NUL, which no source text holds).
    return Markup(_NOTE.sub(r"[^\1]", "".join(out)))
