"""Print the generated parts of docs/levers.md: the lever table and the strategy library.

    PYTHONPATH=src python docs/gen_levers.py

Paste the output between `<!-- levers:start -->` and `<!-- levers:end -->` in docs/levers.md;
tests/test_levers_doc.py checks that it is current.
"""

from __future__ import annotations

from cartelsim.policy.levers import LEVERS
from cartelsim.policy.library import STRATEGIES


def levers_text() -> str:
    lines = []
    for lever in LEVERS.values():
        options = ", ".join(
            f"`{name}` (default {'no limit' if default == float('inf') else repr(default)})"
            for name, (default, _) in lever.options.items()
        )
        lines += [
            f"### `{lever.name}`",
            "",
            f"Intensity: {lever.unit}, from 0 to {lever.most:g}"
            + (f" ({lever.most_why})." if lever.most_why else "."),
            "",
            lever.doc,
            "",
            f"Cost: {lever.cost}.",
        ]
        if options:
            lines += ["", f"Options: {options}."]
        lines.append("")
    lines += ["## The strategy library", ""]
    for strategy in STRATEGIES.values():
        lines += [f"### `{strategy.name}`", "", strategy.description, ""]
        for s in strategy.settings:
            sched = s.schedule
            when = f", from week {sched.start}" if sched.start else ""
            ramp = f", reached over {sched.ramp_weeks} weeks" if sched.ramp_weeks else ""
            extra = "".join(f", {k} = {v!r}" for k, v in s.options.items())
            lines.append(
                f"- `{s.lever}`: {sched.intensity:g} ({LEVERS[s.lever].unit}){when}{ramp}{extra}"
            )
        for source in strategy.sources:
            lines.append(f"- Source: {source}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(levers_text(), end="")
