"""The import report: each decision with its confidence and its line in the draft, least sure first."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Decision:
    """One thing the importer decided or could not place; `needle` finds its line in the written file."""

    confidence: float
    message: str
    needle: str = ""
    file: str = "bulletin"
    """Which draft the line is in: "bulletin" or the path of a stub."""
    line: int | None = None


@dataclass
class Report:
    """Everything the editor needs to review an import."""

    decisions: list[Decision] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)

    def add(self, confidence: float, message: str, needle: str = "", file: str = "bulletin") -> None:
        self.decisions.append(Decision(round(confidence, 2), message, needle, file))

    def ranked(self) -> list[Decision]:
        """Least sure first, then in the order of the draft."""
        return sorted(self.decisions, key=lambda d: (d.confidence, d.file, d.line or 0))

    def locate(self, paths: dict[str, str], texts: dict[str, str]) -> None:
        """Give each decision its file and line, by finding its needle in the text written there."""
        for decision in self.decisions:
            text = texts.get(decision.file, "")
            decision.file = paths.get(decision.file, decision.file)
            if decision.needle and decision.needle in text:
                decision.line = text.count("\n", 0, text.index(decision.needle)) + 1

    def lines(self) -> list[str]:
        out = []
        for d in self.ranked():
            where = f"{d.file}:{d.line}" if d.line else d.file
            out.append(f"  {d.confidence:.2f}  {where}: {d.message}")
        return out
