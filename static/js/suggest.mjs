// Progressive enhancement: suggest names under a typed filter (the school register's local
// authority, trust and cluster) as one types. Without this script the field is a plain text input
// that the server matches by name; with it, the field becomes an ARIA combobox (the "list
// autocomplete" pattern of the WAI-ARIA Authoring Practices) whose options come from the
// field's `data-suggest` JSON endpoint, scoped on the server to what the user may see.
// Choosing a suggestion only fills the field: the filters still apply with their button.
const MIN_LENGTH = 2;
const DELAY_MS = 200;

function enhance(input, index) {
  const group = input.closest(".govuk-form-group") || input.parentElement;
  const list = document.createElement("ul");
  const status = document.createElement("div");
  const listId = `${input.id || `suggest-${index}`}-suggestions`;
  let options = [];
  let active = -1;
  let asked = 0;
  let timer;

  group.classList.add("app-suggest");
  list.id = listId;
  list.className = "app-suggest__list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", `Suggestions for ${group.querySelector("label")?.textContent.trim() || "this filter"}`);
  list.hidden = true;
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);
  input.after(list);
  list.after(status);

  const close = () => {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };

  const highlight = (next) => {
    active = next;
    options.forEach((option, position) => {
      const on = position === active;
      option.setAttribute("aria-selected", on ? "true" : "false");
      option.classList.toggle("app-suggest__option--active", on);
      if (on) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
  };

  const choose = (option) => {
    input.value = option.textContent;
    close();
    status.textContent = `${option.textContent} chosen. Apply the filters to see its schools.`;
  };

  const show = (names) => {
    list.replaceChildren();
    options = names.map((name, position) => {
      const option = document.createElement("li");
      option.id = `${listId}-${position}`;
      option.className = "app-suggest__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = name;
      // mousedown, not click: choosing must not first blur the field and close the list.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(option);
      });
      list.append(option);
      return option;
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", options.length ? "true" : "false");
    status.textContent = options.length
      ? `${options.length} suggestion${options.length === 1 ? "" : "s"}. Use the up and down arrows to choose one.`
      : "No suggestions.";
  };

  const ask = async () => {
    const text = input.value.trim();
    if (text.length < MIN_LENGTH) {
      close();
      return;
    }
    const ticket = ++asked;
    const url = new URL(input.dataset.suggest, window.location.href);
    url.searchParams.set("q", text);
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok || ticket !== asked) return;
      const { suggestions } = await response.json();
      if (ticket === asked) show(suggestions);
    } catch {
      close(); // the plain text field still works
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && options.length > 0;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      highlight((active + 1) % options.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault(); // choose, rather than send the form
      choose(options[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
}

document.querySelectorAll("input[data-suggest]").forEach(enhance);
