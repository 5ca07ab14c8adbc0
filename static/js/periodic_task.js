// The chosen crontab schedule in words under its field (django-celery-beat's inline script,
// as a file for the Content Security Policy).
"use strict";
{
  const $ = django.jQuery;
  const script = document.getElementById("periodic-task-overrides");
  const readable = JSON.parse(document.getElementById("readable-crontabs").textContent);
  const help = script.dataset.help;
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(() => {
    const words = readable[$("#id_crontab").val()];
    const field = $(".field-crontab .help");
    field.text(help);
    if (words) {
      field.append(document.createElement("br"), document.createTextNode(words));
    }
  });
}
