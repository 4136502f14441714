// The live register, made quicker with JavaScript. Without it the page works the same way:
// the search box is a GET form, and each "Tick present" or "Undo" is a form that posts and
// comes back to the same row.
//
// With it: the list filters as you type (the same rule as the server's: every word typed is
// in the first or last name), and a tick is sent with fetch(), so the page does not reload, the
// focus stays on the button just pressed, and the change is read out by a live region.

const register = document.querySelector("[data-register]");

if (register) {
  const rows = Array.from(register.querySelectorAll("[data-register-row]"));
  const search = document.querySelector("[data-register-search]");
  const shown = register.querySelector("[data-register-shown]");
  const none = register.querySelector("[data-register-none]");
  const announcement = register.querySelector("[data-register-announcement]");
  const counts = {};
  for (const cell of register.querySelectorAll("[data-count]")) counts[cell.dataset.count] = cell;

  const say = (words) => {
    // Emptied first, so saying the same words twice is still heard twice.
    announcement.textContent = "";
    window.setTimeout(() => {
      announcement.textContent = words;
    }, 50);
  };

  // The words come from the page (data-* attributes), translated there like the rest.
  const peopleText = (count, searching) => {
    const key = (searching ? "searching" : "all") + (count === 1 ? "One" : "Many");
    return (shown.dataset[key] || "").replace("__count__", String(count));
  };

  // Filter as you type. The rows the server sent are the whole register (or those matching
  // the search it was given); typing narrows what is shown among them.
  let typingTimer;
  const filter = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let count = 0;
    for (const row of rows) {
      const name = row.dataset.name;
      const match = words.every((word) => name.includes(word));
      row.classList.toggle("govuk-!-display-none", !match);
      if (match) count += 1;
    }
    if (none) none.hidden = count > 0;
    // The status region speaks: only after a pause in typing, so it is not read per key.
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(() => {
      const text = peopleText(count, words.length > 0);
      if (shown && shown.textContent !== text) shown.textContent = text;
    }, 400);
  };
  if (search && rows.length) search.addEventListener("input", filter);

  const showCounts = (numbers) => {
    for (const [name, cell] of Object.entries(counts)) {
      if (name in numbers) cell.textContent = String(numbers[name]);
    }
  };

  // One tap: send the form with fetch and change the row in place.
  for (const form of register.querySelectorAll("form[data-register-tick]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button");
      if (button.getAttribute("aria-disabled") === "true") return;
      button.setAttribute("aria-disabled", "true");
      try {
        // getAttribute: the form has a field named "action", which form.action would return.
        const response = await fetch(form.getAttribute("action"), {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        const answer = await response.json();
        if (!response.ok) {
          say(answer.error || register.dataset.failed);
          return;
        }
        const row = form.closest("[data-register-row]");
        row.querySelector("[data-register-state]").innerHTML = answer.state_html;
        form.querySelector("[data-register-action]").value = answer.action;
        button.innerHTML = answer.button;
        button.classList.toggle("govuk-button--secondary", answer.present);
        showCounts(answer.counts);
        say(answer.announcement);
      } catch {
        // No answer (the connection dropped): send the form the plain way instead.
        form.submit();
      } finally {
        button.removeAttribute("aria-disabled");
        // The button keeps the focus: the next Enter undoes what this one did.
        if (document.activeElement !== button) button.focus();
      }
    });
  }
}
