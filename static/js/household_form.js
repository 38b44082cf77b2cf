/* The household form: member rows added and removed without reloading, and the suggestions
 * of the live classification shown beside the indicators (ticked only on the officer's click).
 * Works with the server-rendered page alone; htmx (loaded by base.html) refreshes the preview. */
(function () {
  "use strict";

  var form = document.getElementById("household-form");
  if (!form) return;
  var rows = document.getElementById("member-rows");
  var template = document.getElementById("member-template");
  var total = form.querySelector("input[name='members-TOTAL_FORMS']");

  function changed(element) {
    // Tell htmx (listening for "change" on the form) that the facts changed.
    element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function deleteBox(row) {
    return row.querySelector("input[name$='-DELETE']");
  }

  function renumber() {
    var n = 0;
    rows.querySelectorAll("[data-member-row]").forEach(function (row) {
      var removed = deleteBox(row) && deleteBox(row).checked;
      var label = row.querySelector(".member-number");
      if (!removed) n += 1;
      if (label) label.textContent = removed ? "" : String(n);
    });
  }

  function setLeaving(row, leaving) {
    var reason = row.querySelector("input[name$='-leave_reason']");
    row.querySelector(".member-fields").classList.toggle("d-none", leaving);
    row.querySelector(".member-leave").classList.add("d-none");
    row.querySelector(".member-left").classList.toggle("d-none", !leaving);
    row.querySelector(".member-left-reason").textContent = leaving && reason ? reason.value : "";
    row.querySelector("[data-remove-member]").classList.toggle("d-none", leaving);
    row.classList.toggle("member-row-leaving", leaving);
    deleteBox(row).checked = leaving;
    renumber();
  }

  function addMember() {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var row = rows.lastElementChild;
    renumber();
    var name = row.querySelector("input[name$='-full_name']");
    if (name) name.focus();
  }

  document.getElementById("add-member").addEventListener("click", addMember);

  rows.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var row = button.closest("[data-member-row]");
    if (button.hasAttribute("data-remove-member")) {
      if (row.hasAttribute("data-existing")) {
        // A registered member leaves with a reason; nothing is deleted.
        row.querySelector(".member-fields").classList.add("d-none");
        row.querySelector(".member-leave").classList.remove("d-none");
        var reason = row.querySelector("input[name$='-leave_reason']");
        if (reason) reason.focus();
      } else {
        // A row typed now and removed now: gone, and ignored by the server.
        deleteBox(row).checked = true;
        row.classList.add("d-none");
        renumber();
        changed(deleteBox(row));
      }
    } else if (button.hasAttribute("data-confirm-leave")) {
      var input = row.querySelector("input[name$='-leave_reason']");
      if (input && !input.value.trim()) {
        input.classList.add("is-invalid");
        input.focus();
        return;
      }
      if (input) input.classList.remove("is-invalid");
      setLeaving(row, true);
      changed(deleteBox(row));
    } else if (button.hasAttribute("data-cancel-leave")) {
      setLeaving(row, false);
    } else if (button.hasAttribute("data-undo-leave")) {
      setLeaving(row, false);
      changed(deleteBox(row));
    }
  });

  rows.addEventListener("input", function (event) {
    if (event.target.name && /-full_name$/.test(event.target.name)) {
      var echo = event.target.closest("[data-member-row]").querySelector(".member-name-echo");
      if (echo) echo.textContent = event.target.value;
    }
  });

  // Suggestions of the live preview: a badge beside each indicator that member data finds.
  function derived() {
    var data = document.getElementById("derived-data");
    if (!data) return null;
    try { return JSON.parse(data.textContent); } catch (e) { return null; }
  }

  function showSuggestions() {
    var found = derived();
    if (!found) return;
    form.querySelectorAll("[data-suggest]").forEach(function (badge) {
      badge.classList.toggle("d-none", found[badge.getAttribute("data-suggest")] !== true);
    });
  }

  form.addEventListener("click", function (event) {
    if (!event.target.closest("#apply-suggestions")) return;
    var found = derived() || {};
    var ticked = false;
    Object.keys(found).forEach(function (code) {
      var box = document.getElementById("ind-" + code);
      if (found[code] === true && box && !box.checked) {
        box.checked = true;
        ticked = box;
      }
    });
    if (ticked) changed(ticked);
  });

  document.body.addEventListener("htmx:afterSettle", showSuggestions);

  // After a refused save, rows the officer had removed are shown as removed again.
  rows.querySelectorAll("[data-member-row]").forEach(function (row) {
    var box = deleteBox(row);
    if (box && box.checked) {
      if (row.hasAttribute("data-existing")) setLeaving(row, true);
      else row.classList.add("d-none");
    }
  });
  renumber();
})();
