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
