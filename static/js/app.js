// The site's only script (the Content-Security-Policy allows no inline script).

// Wide screens show the menu open; phones keep it folded.
const menu = document.querySelector("details.menu");
if (menu && window.matchMedia("(min-width: 760px)").matches) menu.open = true;

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
