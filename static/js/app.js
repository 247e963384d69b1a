// The site's only script (the Content-Security-Policy allows no inline script).

// Wide screens show the menu open; phones keep it folded behind "☰ 菜单".
const menu = document.querySelector("details.menu");
const wide = window.matchMedia("(min-width: 960px)");
// On a phone, 我的 (one's own things) shows unfolded when the menu opens.
const mine = document.querySelector("details.dropdown.account");
if (menu) {
  menu.open = wide.matches;
  if (mine && !wide.matches) mine.open = true;
  wide.addEventListener("change", () => {
    menu.open = wide.matches;
    if (mine) mine.open = !wide.matches;
  });
}

// The header's menus (我的, 资金 …): one open at a time; a click elsewhere or Escape closes
// them (on wide screens they drop down over the page).
const dropdowns = document.querySelectorAll("details.dropdown");
dropdowns.forEach((box) => box.addEventListener("toggle", () => {
  if (box.open) dropdowns.forEach((other) => { if (other !== box) other.open = false; });
}));
document.addEventListener("click", (event) => {
  if (!wide.matches) return;
  dropdowns.forEach((box) => { if (box.open && !box.contains(event.target)) box.open = false; });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  dropdowns.forEach((box) => {
    if (box.open) { box.open = false; box.querySelector("summary").focus(); }
  });
});

// <button data-print>: print the page.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});

// <form data-confirm="what will happen"> (or the same on its submit button, or on each of
// its radio buttons, when the consequence depends on the one chosen): before posting, a
// dialog states the consequence; on yes the form goes with confirmed=yes (app/confirm.py:
// without it the server asks again on a page of its own). data-confirm-title, -yes and -no
// hold the dialog's words.
function askFirst(source, onYes) {
  const dialog = document.createElement("dialog");
  dialog.className = "confirm-dialog";
  dialog.setAttribute("aria-labelledby", "confirm-title");
  dialog.setAttribute("aria-describedby", "confirm-text");
  const title = document.createElement("h2");
  title.id = "confirm-title";
  title.textContent = source.dataset.confirmTitle || "";
  const text = document.createElement("p");
  text.id = "confirm-text";
  text.textContent = source.dataset.confirm;
  const yes = document.createElement("button");
  yes.type = "button";
  yes.className = "primary";
  yes.textContent = source.dataset.confirmYes || "OK";
  const no = document.createElement("button");
  no.type = "button";
  no.textContent = source.dataset.confirmNo || "Cancel";
  const buttons = document.createElement("div");
  buttons.className = "actions";
  buttons.append(yes, no);
  dialog.append(title, text, buttons);
  no.addEventListener("click", () => dialog.close());
  yes.addEventListener("click", () => { dialog.close(); onYes(); });
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  no.focus();  // the safe answer has the focus: Enter does not pay by accident
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  const submitter = event.submitter;
  const chosen = form.querySelector && form.querySelector("input[type=radio][data-confirm]:checked");
  const source = submitter && submitter.dataset.confirm ? submitter : chosen || form;
  if (!source.dataset || !source.dataset.confirm || form.dataset.confirmed === "yes") return;
  event.preventDefault();
  askFirst(source, () => {
    if (form.elements.confirmed) form.elements.confirmed.value = "yes";
    form.dataset.confirmed = "yes";
    form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
  });
});

// An action offered again after signing in (class "intent", app/intents.py): its button has
// the focus, so Enter or one tap does it.
// (After the load: the browser's own scroll to the #anchor would take the focus away again.)
window.addEventListener("load", () => {
  const offered = document.querySelector(".intent form button[type=submit], .intent a.button");
  if (offered) offered.focus();
});

// <button data-copy="#field">: copy the field's text (an address to paste elsewhere); the
// button says data-copied for a moment. Without the clipboard the text is selected instead.
document.querySelectorAll("[data-copy]").forEach((button) => {
  button.addEventListener("click", async () => {
    const field = document.querySelector(button.dataset.copy);
    if (!field) return;
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      const label = button.textContent;
      button.textContent = button.dataset.copied || label;
      setTimeout(() => { button.textContent = label; }, 2000);
    } catch (e) { /* not allowed here: the text stays selected for a manual copy */ }
  });
});

// <form data-autosubmit>: post at once (the scanned check-in code).
document.querySelectorAll("form[data-autosubmit]").forEach((form) => form.submit());

// <div data-refresh="url">: replace the QR code with a fresh one from our server every
// 10 seconds, so a shown code is never more than one window old.
document.querySelectorAll("[data-refresh]").forEach((box) => {
  setInterval(async () => {
    try {
      const response = await fetch(box.dataset.refresh, {cache: "no-store"});
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      box.replaceChildren(...fresh.body.childNodes);
    } catch (e) { /* offline for a moment: keep the current code */ }
  }, 10000);
});

// <table data-brief> (or the area tree's box): on a phone each row is a card with its first
// figures only (the cells without .more); the "show every figure" button above it shows or
// hides the rest. Without the script every figure shows.
document.querySelectorAll("[data-brief]").forEach((table) => {
  let holder = (table.closest(".table-wrap") || table).previousElementSibling;
  while (holder && !holder.classList.contains("show-all")) holder = holder.previousElementSibling;
  const button = holder && holder.querySelector("button[data-show-all]");
  if (!button) return;
  table.classList.add("brief");
  holder.hidden = false;
  button.addEventListener("click", () => {
    const brief = table.classList.toggle("brief");
    button.textContent = brief ? button.dataset.more : button.dataset.less;
  });
});

// <div class="table-wrap">: a table wider than the screen scrolls sideways inside it. Such a
// box is marked for what it is: reachable and scrollable with the keyboard, named after its
// section's heading, shadowed at the edge that hides columns, with a short hint above it.
const scrollHint = document.documentElement.lang.startsWith("zh")
  ? "← 左右滑动查看更多 →" : "← Scroll sideways for more →";
function markScrolling() {
  document.querySelectorAll(".table-wrap").forEach((box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("scrolls", scrolls);
    let hint = box.previousElementSibling;
    if (!hint || !hint.classList.contains("scroll-hint")) hint = null;
    if (scrolls) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      const heading = box.closest("section") && box.closest("section").querySelector("h1, h2, h3");
      box.setAttribute("aria-label", heading ? heading.textContent.trim() : scrollHint);
      if (!hint) {
        hint = document.createElement("span");
        hint.className = "scroll-hint";
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = scrollHint;
        box.before(hint);
      }
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      if (hint) hint.remove();
    }
  });
}
markScrolling();
window.addEventListener("resize", markScrolling);

// <div data-poll="url">: work going on in the background (an import being checked or
// written): its progress bar follows the status the address gives, every second; once the
// work is done the page loads again to show the result.
document.querySelectorAll("[data-poll]").forEach((box) => {
  const bar = box.querySelector("progress");
  const percent = box.querySelector(".percent");
  const tick = async () => {
    try {
      const response = await fetch(box.dataset.poll, {cache: "no-store",
                                                      headers: {Accept: "application/json"}});
      if (response.ok) {
        const state = await response.json();
        if (bar) bar.value = state.progress;
        if (percent) percent.textContent = `${state.progress}%`;
        if (!state.pending) { window.location.reload(); return; }
      }
    } catch (e) { /* offline for a moment: ask again */ }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
});
