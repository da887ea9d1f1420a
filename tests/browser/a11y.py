"""Accessibility checks with axe-core, injected into the page under test."""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page, *, impacts=BLOCKING) -> list[str]:
    """Run axe-core (WCAG 2.1 A and AA rules) and describe the blocking violations."""
    # Colours are read mid-transition otherwise: a button just clicked fades
    # into its hover colours over 0.15 s, and axe flagged the half-way shade
    # (CI, 2026-11-22). Bootstrap drops its transitions for reduced motion.
    page.emulate_media(reduced_motion="reduce")
    page.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    # Evaluated through the DevTools protocol, which the page's CSP (no inline
    # scripts) does not govern; a <script> tag would be refused.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    problems = []
    for violation in result["violations"]:
        if violation["impact"] in impacts:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            problems.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return problems
