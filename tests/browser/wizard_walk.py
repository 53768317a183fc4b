"""Walks the "Neuer Abzug" wizard of a case with its first choices and prefilled values,
calling `on_step(page, step)` on each step up to the confirmation (which is not sent, so
nothing is created). Returns the steps seen."""

FIRST_STEP = "category"
LAST_STEP = "confirm"
STEP_URL = "/deductions/new/"

CHOOSE_FIRST = """() => {
  const form = document.querySelector("main form[method=post]");
  const names = new Set(Array.from(form.querySelectorAll("input[type=radio]")).map(r => r.name));
  for (const name of names) {
    const group = form.querySelectorAll(`input[type=radio][name="${name}"]`);
    if (!Array.from(group).some(r => r.checked)) group[0].click();
  }
  for (const select of form.querySelectorAll("select")) {
    if (!select.value) {
      const option = Array.from(select.options).find(o => o.value);
      if (option) { select.value = option.value; select.dispatchEvent(new Event("change")); }
    }
  }
}"""


def walk_wizard(page, case_path: str, on_step) -> list[str]:
    steps = []
    page.goto(f"{case_path}/deductions/new/{FIRST_STEP}/")
    for _ in range(10):
        step = page.url.rstrip("/").rsplit("/", 1)[-1]
        steps.append(step)
        on_step(page, step)
        if step == LAST_STEP or STEP_URL not in page.url:
            break
        page.evaluate(CHOOSE_FIRST)
        page.locator("main form[method=post] button[type=submit]").last.click()
        page.wait_for_load_state("networkidle")
        if page.url.rstrip("/").endswith(step):
            break  # refused: the step's messages are on the page
    return steps
