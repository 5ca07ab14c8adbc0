// The moderation queue: its rows beside the item, keyboard shortcuts, the ground dialog, and a status poll that warns
// when another moderator claims or decides the open item.
(function () {
  "use strict";
  const root = document.getElementById("mq");
  if (!root) return;
  const dialog = document.getElementById("mq-dialog");
  const help = document.getElementById("mq-help");
  const live = document.getElementById("mq-live");
  const texts = document.getElementById("mq-msg-changed").dataset;

  // The queue's rows beside the item come by their own request, after the page.
  const rows = document.getElementById("mq-rows");
  if (rows && rows.dataset.rowsUrl) {
    fetch(rows.dataset.rowsUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { rows.innerHTML = html; })
      .catch(function () {});
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }
  function openDialog(action) {
    if (!dialog) return;
    document.getElementById("mq-dialog-action").value = action;
    const title = document.getElementById("mq-dialog-title");
    title.textContent = title.dataset["title" + action.charAt(0).toUpperCase() + action.slice(1)];
    document.getElementById("mq-grounds").hidden = action === "reply";
    document.getElementById("mq-reply").hidden = action !== "reply";
    document.getElementById("mq-ends").hidden = action !== "block";
    dialog.showModal();
    const first = dialog.querySelector(action === "reply" ? "#mq-reply-text" : "input[name=grounds]");
    if (first) first.focus();
  }
  document.querySelectorAll("[data-dialog-action]").forEach(function (button) {
    button.addEventListener("click", function () { openDialog(button.dataset.dialogAction); });
  });
  document.querySelectorAll("[data-close]").forEach(function (button) {
    button.addEventListener("click", function () { button.closest("dialog").close(); });
  });
  document.querySelectorAll("[data-open-help]").forEach(function (button) {
    button.addEventListener("click", function () { help.showModal(); });
  });

  if (dialog) {
    const form = document.getElementById("mq-dialog-form");
    const grounds = Array.from(dialog.querySelectorAll("input[name=grounds]"));
    dialog.addEventListener("keydown", function (event) {
      // In the rationale, Enter confirms as everywhere in the dialog; Shift+Enter starts a line.
      if (event.target.tagName === "TEXTAREA") {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          form.requestSubmit();
        }
        return;
      }
      if (event.target.tagName === "SELECT") return;
      if (/^[1-9]$/.test(event.key) && grounds[Number(event.key) - 1]) {
        event.preventDefault();
        const box = grounds[Number(event.key) - 1];
        box.checked = !box.checked;
        box.focus();
        if (box.checked && box.dataset.requiresRationale === "1") {
          document.getElementById("mq-rationale").focus();
        }
      } else if (event.key === "Enter") {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", function (event) {
      const action = document.getElementById("mq-dialog-action").value;
      if (action !== "reply" && !grounds.some(function (box) { return box.checked; })) {
        event.preventDefault();
        live.textContent = texts.needGround;
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]") || typing(event.target)) return;
    if (event.key === "?") { event.preventDefault(); help.showModal(); return; }
    if (event.key === "j" && root.dataset.nextUrl) { window.location = root.dataset.nextUrl; return; }
    if (event.key === "k" && root.dataset.previousUrl) { window.location = root.dataset.previousUrl; return; }
    const button = document.querySelector('#mq-actions [data-key="' + event.key + '"]');
    if (!button) return;
    event.preventDefault();
    if (button.dataset.dialogAction) {
      openDialog(button.dataset.dialogAction);
    } else {
      button.form.requestSubmit(button);
    }
  });

  // Live enough: every 15 seconds ask who holds the item and whether it was decided meanwhile.
  const statusUrl = root.dataset.statusUrl;
  if (statusUrl) {
    window.setInterval(function () {
      fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (status) {
          if (!status) return;
          if (status.claimed_by && !status.claimed_by_me) {
            live.textContent = texts.claimed.replace("{name}", status.claimed_by);
          } else if (String(status.decisions) !== root.dataset.decisions || status.state !== root.dataset.state) {
            live.textContent = texts.changed;
          }
        })
        .catch(function () {});
    }, 15000);
  }
})();
