// Behaviour every page shares, bound here rather than in inline handlers (the content security
// policy allows no inline script): print buttons and selects that submit their form.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});

// Progress bars: the template renders the width in data-percent (the policy allows no style
// attribute) and it is applied here through the CSSOM, which the policy does allow. Without
// script a bar is as wide as its text: the percentage still shows where the bar prints it, and
// aria-valuenow carries the value.
{
  const barWidth = (bar) => {
    const percent = Number.parseFloat(bar.dataset.percent);
    return Number.isFinite(percent) ? `${Math.min(Math.max(percent, 0), 100)}%` : "";
  };
  const barsIn = (root) => {
    if (!root || !root.querySelectorAll) return [];
    const own = root.matches && root.matches(".progress-bar[data-percent]") ? [root] : [];
    return [...own, ...root.querySelectorAll(".progress-bar[data-percent]")];
  };
  // A width set at once, without Bootstrap's sliding transition (a bar as the page opens).
  const setWidthNow = (bar, width) => {
    bar.style.transition = "none";
    bar.style.width = width;
    void bar.offsetWidth;
    bar.style.transition = "";
  };
  for (const bar of barsIn(document)) setWidthNow(bar, barWidth(bar));

  // A bar htmx swaps in (the import job's, polled) takes its predecessor's width (same id) until
  // the swap settles, then slides to its own, as it did when htmx settled the style attribute
  // itself (base.html's htmx-config no longer lets htmx copy style attributes).
  const previousWidths = new Map();
  document.addEventListener("htmx:beforeSwap", (event) => {
    previousWidths.clear();
    for (const bar of barsIn(event.detail.target)) {
      if (bar.id) previousWidths.set(bar.id, bar.style.width);
    }
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    for (const bar of barsIn(event.target)) {
      const before = bar.id && previousWidths.get(bar.id);
      setWidthNow(bar, before || barWidth(bar));
    }
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    for (const bar of barsIn(event.target)) bar.style.width = barWidth(bar);
  });
}
