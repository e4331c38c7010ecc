"""What an import did, per kind of object: created, updated, unchanged, skipped, and warnings."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("created", "updated", "unchanged", "skipped")


@dataclass
class ImportReport:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def add(self, kind: str, outcome: str, n: int = 1) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        self.counts[kind][outcome] += n

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    def merge(self, other: "ImportReport") -> None:
        for kind, counter in other.counts.items():
            self.counts[kind].update(counter)
        self.warnings.extend(other.warnings)
        self.errors.extend(other.errors)

    def as_dict(self) -> dict:
        return {
            "counts": {kind: {o: counter[o] for o in OUTCOMES} for kind, counter in
                       sorted(self.counts.items())},
            "warnings": list(self.warnings),
            "errors": list(self.errors),
        }

    def table(self) -> str:
        """A plain-text summary table, one row per kind."""
        rows = [("kind", *OUTCOMES)]
        rows += [(kind, *(str(self.counts[kind][o]) for o in OUTCOMES))
                 for kind in sorted(self.counts)]
        rows.append(("total", *(str(self.total(o)) for o in OUTCOMES)))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                           for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
                 for row in rows]
        return "\n".join(lines)
