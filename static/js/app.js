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

// <form data-confirm="question">: ask before posting.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
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
