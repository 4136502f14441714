"""Every back-office page through axe-core, on a desktop and on a phone: one sweep keeps
every problem found, and fails once with all of them."""

import re

from bookyourplace.core.testing.browser import (
    AXE_TAGS,
    DESKTOP,
    PHONE,
    axe_source,
    describe_violations,
)

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


def is_govuk_conditional_reveal(violation: dict, node: dict) -> bool:
    """GOV.UK Frontend's radios and checkboxes that reveal more questions carry aria-expanded.

    axe reports it (ARIA allows aria-expanded on a radio group, not on one radio), and the
    design system keeps it on purpose: its research found screen readers announce it and
    that it helps (alphagov/govuk-frontend#979, listed as a known axe issue in #1280). Only
    that one complaint about that one attribute is let through; anything else still fails.
    """
    if violation["id"] != "aria-allowed-attr" or not node.get("controlsGovukReveal"):
        return False
    messages = [check["message"] for check in node["all"] + node["any"] + node["none"]]
    return bool(messages) and all(
        re.fullmatch(r'ARIA attribute is not allowed: aria-expanded="(true|false)"', m) for m in messages
    )


_RUN_AXE = """async tags => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  // Mark the controls of GOV.UK conditional reveals (see is_govuk_conditional_reveal).
  for (const violation of results.violations) {
    for (const node of violation.nodes) {
      const control = typeof node.target[0] === 'string' ? document.querySelector(node.target[0]) : null;
      const revealed = control && document.getElementById(control.getAttribute('aria-controls') || '');
      node.controlsGovukReveal = !!revealed && /govuk-(radios|checkboxes)__conditional/.test(revealed.className);
    }
  }
  // Only the violations cross back to Python: the passes of a long table are slow to send.
  return results.violations;
}"""


def axe_violations(page) -> list[dict]:
    """What axe-core finds on the page as it is now, as assert_no_axe_violations checks it."""
    violations = []
    for violation in page.evaluate(_RUN_AXE, AXE_TAGS):
        nodes = [node for node in violation["nodes"] if not is_govuk_conditional_reveal(violation, node)]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    return violations


_WIDER_THAN_SCREEN = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return [];
  return Array.from(document.querySelectorAll('main *'))
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1 && !el.closest('.byp-table-wrapper'))
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).trim().split(/\\s+/).join('.') : ''));
}"""


class AxeSweep:
    """Runs axe on each page at both sizes and keeps every problem, to fail once at the end.

    On the phone it also checks the page does not scroll sideways (WCAG 1.4.10 Reflow): a
    wide table belongs in a .byp-table-wrapper that scrolls on its own.
    """

    def __init__(self, site: str = ""):
        self.site = site  # the live server's address, for visit()
        self.problems: list[str] = []
        self.checked: list[str] = []

    def visit(self, page, path: str, label: str) -> None:
        """Open the page at ``path`` (it must answer 200) and check it."""
        response = page.goto(self.site + path)
        assert response.status == 200, f"{label}: GET {path} gave {response.status}"
        self.check(page, label)

    def check(self, page, label: str) -> None:
        page.evaluate(axe_source())
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            found = describe_violations(axe_violations(page))
            if name == "phone" and (too_wide := page.evaluate(_WIDER_THAN_SCREEN)):
                found += f"\n- page wider than the screen (WCAG 1.4.10 Reflow)\n    at {', '.join(too_wide)}"
            if found.strip():
                self.problems.append(f"## {label} ({name}) {page.url}\n{found.strip()}")
        page.set_viewport_size(DESKTOP)
        self.checked.append(label)

    def assert_clean(self) -> None:
        assert not self.problems, (
            f"axe found problems on {len(self.problems)} of {len(self.checked) * len(VIEWPORTS)} page views:\n\n"
            + "\n\n".join(self.problems)
        )
