"""Developer docs that are generated from the code stay in step with it."""

from __future__ import annotations

from timsite.content.model import Entry, front_matter_fields
from tools.content_model import DOC, MODELS, TABLE, render


def test_content_model_field_tables_are_up_to_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert render(text) == text, "docs/content-model.md is out of date: run `python -m tools.content_model`"


def test_every_model_has_its_table_and_every_field_a_description() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert sorted(match[2] for match in TABLE.finditer(text)) == sorted(MODELS)
    for model in MODELS.values():
        for name, info in front_matter_fields(model).items():
            assert info.description, f"{model.__name__}.{name} has no description= for the docs"
            assert "|" not in info.description, f"{model.__name__}.{name}: a | would break the Markdown table"


def test_a_changed_description_shows_as_out_of_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    stale = text.replace(str(Entry.model_fields["draft"].description), "an old wording", 1)
    assert stale != text and render(stale) == text
