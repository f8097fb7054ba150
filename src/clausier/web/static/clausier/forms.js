// A form being sent cannot be sent twice: its submit buttons are disabled until the next
// page arrives (the server refuses a second post of the same one-time token anyway). The
// buttons are disabled after the browser has read the clicked one, so its name still goes.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "1";
  const buttons = form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
  setTimeout(() => buttons.forEach((button) => { button.disabled = true; button.setAttribute("aria-busy", "true"); }), 0);
  // Back to the page from the browser's history: the form may be used again.
  window.addEventListener("pageshow", () => {
    delete form.dataset.sending;
    buttons.forEach((button) => { button.disabled = false; button.removeAttribute("aria-busy"); });
  }, { once: true });
});
