// "Select all" and the count of households ticked.
(function () {
  const all = document.getElementById("select-all");
  const picks = Array.from(document.querySelectorAll("input.pick"));
  const count = document.getElementById("ticked-count");
  function update() {
    const n = picks.filter((p) => p.checked).length;
    if (count) count.textContent = n;
    if (all) { all.checked = n > 0 && n === picks.length; all.indeterminate = n > 0 && n < picks.length; }
  }
  if (all) all.addEventListener("change", () => { picks.forEach((p) => { p.checked = all.checked; }); update(); });
  picks.forEach((p) => p.addEventListener("change", update));
  update();
})();
