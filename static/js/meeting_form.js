// The share agreeing, shown as it is typed; the service decides with the same 50% rule.
(function () {
  const form = document.getElementById("meeting-form");
  if (!form) return;
  const attendees = document.getElementById(form.dataset.attendees);
  const passText = form.dataset.passText, failText = form.dataset.failText;
  function update() {
    const total = parseInt(attendees.value, 10);
    form.querySelectorAll(".vote-share").forEach((badge) => {
      const input = document.getElementById(badge.dataset.for);
      const agreeing = parseInt(input.value, 10);
      if (!(total > 0) || isNaN(agreeing)) { badge.textContent = "—"; badge.className = "vote-share badge text-bg-light border"; return; }
      const share = Math.round(agreeing * 1000 / total) / 10;
      const passed = agreeing * 100 >= 50 * total && agreeing <= total;
      badge.textContent = share.toLocaleString() + "% · " + (passed ? passText : failText);
      badge.className = "vote-share badge " + (passed ? "text-bg-success" : "text-bg-warning");
    });
  }
  form.addEventListener("input", update);
  update();
})();
