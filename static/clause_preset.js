// The clause form's preset select fills the clock fields it stands for; the server applies
// the preset on saving too, so the form works without JavaScript.
"use strict";

(function () {
  var clock = document.getElementById("clause-clock");
  var preset = document.getElementById("preset");
  if (!clock || !preset) { return; }
  var presets = JSON.parse(clock.dataset.presets);
  preset.addEventListener("change", function () {
    var chosen = presets[preset.value];
    if (!chosen) { return; }
    document.getElementById("trigger").value = chosen.trigger;
    document.getElementById("unit").value = chosen.unit;
    document.getElementById("amount").value = chosen.amount === null ? "" : chosen.amount;
  });
  ["trigger", "unit", "amount"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", function () { preset.value = ""; });
  });
})();
