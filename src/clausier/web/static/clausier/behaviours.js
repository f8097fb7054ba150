// What pages ask of the browser without inline code (the Content-Security-Policy forbids it):
// data-submit-on-change sends its form when its value changes (the language switcher);
// data-select-on-focus selects its text when focused (a secret shown once, to copy).
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof Element && field.matches("[data-submit-on-change]") && field.form) {
    field.form.requestSubmit();
  }
});
document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.matches("[data-select-on-focus]")) {
    field.select();
  }
});
