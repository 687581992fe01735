// Compare page: a changed version chooser submits its form (it works without this too).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form.choose");
  if (!form) return;
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", function () { form.submit(); });
  });
});
