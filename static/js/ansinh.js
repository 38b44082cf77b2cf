// Behaviour every page shares, bound here rather than in inline handlers (the content security
// policy allows no inline script): print buttons and selects that submit their form.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});
