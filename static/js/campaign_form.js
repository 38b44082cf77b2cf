// The default period follows the list year until a date is changed by hand.
(function () {
  const form = document.getElementById("campaign-form");
  if (!form) return;
  const year = document.getElementById(form.dataset.listYear);
  const opens = document.getElementById(form.dataset.opens);
  const closes = document.getElementById(form.dataset.closes);
  if (!year || !opens || !closes) return;
  let touched = false;
  [opens, closes].forEach((el) => el.addEventListener("change", () => { touched = true; }));
  year.addEventListener("input", () => {
    const y = parseInt(year.value, 10) - 1;
    if (touched || !(y > 2000 && y < 2200)) return;
    opens.value = y + "-09-01";
    closes.value = y + "-12-14";
  });
})();
