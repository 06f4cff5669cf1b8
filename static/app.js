// Small progressive enhancements; every page works without JavaScript.
"use strict";

// "Add a row" buttons clone the last row of a FieldList table with the next index.
document.querySelectorAll("[data-add-row]").forEach(function (button) {
  button.addEventListener("click", function () {
    var body = document.querySelector("#" + button.dataset.addRow + " tbody");
    var rows = body.querySelectorAll("tr.repeatable-row");
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    var next = rows.length;
    copy.querySelectorAll("input, select").forEach(function (field) {
      field.name = field.name.replace(/-\d+-/, "-" + next + "-");
      field.id = field.id.replace(/-\d+-/, "-" + next + "-");
      if (field.tagName === "INPUT") { field.value = ""; }
      field.classList.remove("is-invalid");
    });
    copy.querySelectorAll(".invalid-feedback").forEach(function (node) { node.remove(); });
    body.appendChild(copy);
  });
});

// Live countdowns: every element with data-due (an ISO 8601 instant) says the time left or overdue.
(function () {
  function words(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60);
    var parts = days ? [days + " d"] : [];
    if (days || hours) { parts.push(hours + " h"); }
    parts.push((minutes % 60) + " min");
    return parts.join(" ");
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (node) {
      var left = Date.parse(node.dataset.due) - now;
      node.textContent = left < 0 ? "overdue by " + words(left) : "in " + words(left);
      var row = node.closest("tr");
      if (row && row.className.indexOf("urgency-") === 0) {
        row.className = left < 0 ? "urgency-overdue" : left < 864e5 ? "urgency-urgent" : left < 2592e5 ? "urgency-soon" : "urgency-later";
      }
    });
  }
  if (document.querySelector("[data-due]")) { tick(); setInterval(tick, 30000); }
})();
