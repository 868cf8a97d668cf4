"""The compressed texts a build keeps until its end read back exactly as stored."""

from __future__ import annotations

import pytest

from timsite.outputs.packed import PackedTexts, pack, unpack

TEXTS = ["", "plain", "N° 25 — São Paulo", "emoji 🧭 and \x00 and \ud7ff", "<p>" + "word " * 20000 + "</p>"]


@pytest.mark.parametrize("text", TEXTS)
def test_a_text_reads_back_as_it_was_stored(text: str) -> None:
    assert unpack(pack(text)) == text
    texts = PackedTexts()
    texts["a"] = text
    assert texts["a"] == text and texts.get("a") == text


def test_the_mapping_holds_sets_and_deletes_like_a_dict() -> None:
    texts = PackedTexts()
    for n, text in enumerate(TEXTS):
        texts[str(n)] = text
    texts["0"] = "replaced"
    del texts["1"]
    assert dict(texts) == {"0": "replaced", **{str(n): t for n, t in enumerate(TEXTS) if n > 1}}
    assert texts.get("1", "") == ""
    with pytest.raises(KeyError):
        texts["1"]


def test_a_shared_text_is_the_same_stored_bytes_and_smaller_than_the_text() -> None:
    body = "<p>" + "Trafficking in Migrants quarterly bulletin. " * 500 + "</p>"
    first, second = PackedTexts(), PackedTexts()
    first["bulletins/25.md"] = body
    second.share(first, "bulletins/25.md")
    assert second["bulletins/25.md"] == body
    assert second._packed["bulletins/25.md"] is first._packed["bulletins/25.md"]
    assert len(first._packed["bulletins/25.md"]) < len(body.encode("utf-8")) / 10
